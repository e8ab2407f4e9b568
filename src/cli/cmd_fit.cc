// `suanli fit`: bytes per device for training or serving a model on N
// devices of one accelerator, whether it fits, and the fewest devices on
// which some layout fits (docs/memory-model.md). Parses the flags, calls
// the memory model and the min-fit search, renders (report/fit_report.h).
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/flag_checks.h"
#include "cli/moe_flags.h"
#include "cli/stack_auto.h"
#include "report/html_page.h"
#include "core/units.h"
#include "model/memory.h"
#include "workload/hf_quant.h"
#include "search/min_fit.h"
#include "report/fit_html.h"
#include "report/fit_report.h"
#include "report/train_html.h"

namespace suanli::cli {
namespace {

constexpr const char* kFitExamples = R"(
  suanli fit --model llama-2-70b --accel a100-sxm-40gb --gpus 64 --tp 8 --pp 1 --zero 1
  suanli fit --model llama-2-70b --accel a100-sxm-80gb --gpus 64 --tp 4 --pp 4 --json
  suanli fit --model llama-2-70b --accel rtx-4090 --gpus 1 --infer --weight-precision int4 --context 4096
  suanli fit --model llama-2-70b --accel h100-sxm-80gb --gpus 2 --infer --weight-precision fp16 --tp 2
  suanli fit --model llama-2-70b --accel a100-sxm-40gb --gpus 64 --tp 8 --report fit.html --lang zh
  suanli fit --model llama-3-8b --accel rtx-4090 --gpus 8 --stack deepspeed --zero 3 --offload optimizer
)";

// What the examples do not say: the assumptions of the answer.
constexpr const char* kFitFooter = R"(Training assumes a full pipeline (pp micro-batches in flight) unless --global-batch
says otherwise. In --infer mode, --tp defaults to gpus/pp; gpus may be a multiple
of tp*pp (replicas). A flag of the other mode (--batch without --infer, --zero
with it) is refused. min_gpus_to_fit is the fewest devices on which the layout
search (suanli train --search rules and default batch, tp within the scale-up
domain) finds a layout that fits, up to --max-gpus devices; the same answer
compare and plan give.
)";

// The exit-code rule (docs/memory-model.md), apart so the footer above keeps its translation.
constexpr const char* kFitExitFooter =
    "Exit code 1 when the layout given does not fit (as train and serve), even where\n"
    "min_gpus_to_fit names a device count on which one does.\n";

struct FitFlags {
  CommonOptions common;
  ParallelFlags parallel;
  std::string model;
  std::string accel;
  int gpus = 0;
  bool infer = false;
  int batch = 1;
  int64_t context = 4096;
  int64_t prefill_chunk = 0;
  std::string weight_precision;  // "" = the checkpoint's format (quantization_config), else bf16
  std::string kv_precision;
  int max_gpus = 16384;
  std::string stack;  // --stack (docs/stacks.md)
  std::string report;  // --report FILE.html
  const SoftwareStack* software = nullptr;  // the stack --stack names on the accelerator (auto: its own)
};

// Builds the serving layout from the flags; errors name the flag.
Result<InferenceConfig> MakeInferenceConfig(const FitFlags& flags, const ModelSpec& model,
                                            bool tp_given) {
  InferenceConfig c;
  c.pp = flags.parallel.pp;
  if (flags.gpus % c.pp != 0) {
    return MakeError(TrFormat("pp={} does not divide --gpus {}", c.pp, flags.gpus), "--pp",
                     Tr("choose tp and pp whose product divides the device count"));
  }
  c.tp = tp_given ? flags.parallel.tp : flags.gpus / c.pp;
  if (flags.gpus % (c.tp * c.pp) != 0) {
    return MakeError(TrFormat("tp*pp = {}*{} = {} does not divide --gpus {}", c.tp, c.pp, c.tp * c.pp,
                                 flags.gpus),
                     "--tp", Tr("choose tp and pp whose product divides the device count"));
  }
  if (flags.batch < 1) {
    return MakeError(TrFormat("--batch must be at least 1, got {}", flags.batch), "--batch");
  }
  if (flags.context < 1) {
    return MakeError(TrFormat("--context must be at least 1, got {}", flags.context), "--context");
  }
  if (flags.prefill_chunk < 0) {
    return MakeError(Tr("--prefill-chunk must not be negative"), "--prefill-chunk");
  }
  c.batch = flags.batch;
  c.context = flags.context;
  c.prefill_chunk = flags.prefill_chunk;
  SUANLI_ASSIGN_OR_RETURN(c.weight_precision, ParsePrecision(ServingWeightsFlag(model, flags.weight_precision, false)));
  SUANLI_ASSIGN_OR_RETURN(c.kv_precision, ParsePrecision(flags.kv_precision.empty()
                                                             ? std::string("bf16")
                                                             : flags.kv_precision));
  // Reuse the layout checks (tp vs heads and KV heads, pp vs layers).
  ParallelConfig layout;
  layout.tp = c.tp;
  layout.pp = c.pp;
  layout.seq_len = static_cast<int>(std::min<int64_t>(c.context, 1 << 30));
  layout.sequence_parallel = false;
  layout.zero = 0;
  SUANLI_RETURN_IF_ERROR(ValidateLayout(model, layout));
  return c;
}

// Returns the training layout of the flags (without --global-batch, a full
// pipeline: CompleteLayout's default, as in train).
Result<ParallelConfig> MakeTrainConfig(const FitFlags& flags, const ModelSpec& model) {
  return MakeParallelConfig(flags.parallel, model, flags.gpus);
}

// Fills the serving layout, its memory and the fewest devices that serve it.
Status FitServing(const FitFlags& flags, const ModelSpec& model, const ClusterSpec& cluster, bool tp_given,
                  FitResult& r) {
  SUANLI_ASSIGN_OR_RETURN(r.serve, MakeInferenceConfig(flags, model, tp_given));
  r.memory = InferenceMemory(model, r.serve);
  r.min = MinServingDevices(model, cluster, r.serve, flags.max_gpus);
  return OkStatus();
}

// Fills the training layout, its memory and the fewest devices that train it.
Status FitTraining(const FitFlags& flags, const Catalog& catalog, const ModelSpec& model,
                   const Accelerator& accelerator, FitResult& r) {
  SUANLI_ASSIGN_OR_RETURN(r.train, MakeTrainConfig(flags, model));
  SUANLI_RETURN_IF_ERROR(StackRunsLayout(*flags.software, r.train));
  UseStackRecompute(*flags.software, model, r.train);
  MemoryOptions memory = StackMemoryOptions(*flags.software);
  SUANLI_RETURN_IF_ERROR(UseOffloadFlag(flags.parallel, *flags.software, memory, nullptr));
  r.memory = TrainingMemory(model, r.train, memory);
  if (!r.fits()) r.advice = NoFitAdvice(*flags.software, model, r.train, r.memory, memory, r.usable_bytes, false);
  SearchOptions search;
  UseStack(*flags.software, search);
  SUANLI_RETURN_IF_ERROR(UseOffloadFlag(flags.parallel, *flags.software, search.memory, &search.assumptions));
  search.seq_len = r.train.seq_len;
  search.precision = r.train.precision;
  search.attention = r.train.attention;
  search.global_batch = flags.parallel.global_batch.value_or(0);
  r.min = MinTrainingDevicesOf(catalog, model, accelerator, search, flags.max_gpus);
  return OkStatus();
}

// Returns an error naming a flag the mode (training, or serving with
// --infer) would ignore: the CLI refuses ignored flags (exit 2).
Status CheckModeFlags(const FitFlags& flags, const CLI::App& app) {
  if (!flags.infer) {
    const std::string serving =
        FirstGiven(app, {"--batch", "--context", "--prefill-chunk", "--weight-precision", "--kv-precision"});
    if (serving.empty()) return OkStatus();
    return MakeError(TrFormat("{} applies to serving (--infer) only; training is sized by the layout flags", serving),
                     serving, Tr("add --infer, or leave it out"));
  }
  if (app.count("--seq-len") > 0) {
    return MakeError(Tr("--seq-len applies to training; serving is sized by --context"), "--seq-len",
                     Tr("use --context with --infer"));
  }
  if (app.count("--precision") > 0) {
    return MakeError(Tr("--precision applies to training; serving is sized by --weight-precision"), "--precision",
                     Tr("use --weight-precision (and --kv-precision) with --infer"));
  }
  const std::string training =
      FirstGiven(app, {"--dp", "--cp", "--ep", "--expert-tp", "--vp", "--micro-batch", "--global-batch", "--recompute",
                       "--recompute-layers", "--zero", "--sequence-parallel", "--dp-overlap", "--attention",
                       "--ep-overlap", "--stack", "--offload"});
  if (training.empty()) return OkStatus();
  return MakeError(TrFormat("{} applies to training, not to --infer (serving uses --tp, --pp, --batch, --context and "
                            "the precisions)",
                            training),
                   training, Tr("leave it out with --infer, or drop --infer to size training"));
}

// Resolves the model and accelerator, sizes the layout the flags give and prints it.
Result<int> FitBody(FitFlags& flags, const CLI::App& app) {
  const bool tp_given = app.count("--tp") > 0;
  if (flags.gpus < 1 || flags.gpus > kMaxDevices) {
    return MakeError(TrFormat("--gpus must be between 1 and {}, got {}", kMaxDevices, flags.gpus), "--gpus",
                     Tr("give the number of devices"));
  }
  SUANLI_ASSIGN_OR_RETURN(const Catalog catalog, LoadCatalog(flags.common));
  SUANLI_ASSIGN_OR_RETURN(const ModelSpec model, ResolveModel(catalog, flags.model));
  SUANLI_ASSIGN_OR_RETURN(const Accelerator* accelerator, AcceleratorFlag(catalog, flags.accel, "--accel"));
  if (flags.infer) {
    NoteBeyondContext(model, flags.context, "--context");
  } else {
    SUANLI_ASSIGN_OR_RETURN(flags.software, UseStackFlagOn(flags.stack, *accelerator, app, flags.parallel));
    SUANLI_RETURN_IF_ERROR(UseStackOn(*flags.software, *accelerator, app, flags.parallel, nullptr));
    SUANLI_RETURN_IF_ERROR(UsePrecisionFlag(*accelerator, app, flags.parallel));
    NoteBeyondContext(model, flags.parallel.seq_len, "--seq-len");
    NoteLargeGlobalBatch(model, flags.parallel);
    SUANLI_RETURN_IF_ERROR(CheckMoeFlags(app, flags.parallel, model, /*search=*/false, flags.gpus));
  }
  FitResult r;
  r.model = model.id;
  r.accelerator = accelerator->id;
  r.gpus = flags.gpus;
  r.infer = flags.infer;
  r.capacity_bytes = accelerator->memory_bytes;
  r.usable_bytes = UsableBytes(accelerator->memory_bytes);
  // Offloaded optimizer states live in the host RAM of the card's usual server.
  if (const System* server = catalog.DefaultSystemFor(accelerator->id); server != nullptr && !flags.infer) {
    r.devices_per_node = server->accelerators_per_node;
    r.host_capacity_bytes = server->host_memory_bytes;
  }
  if (flags.infer) {
    const ClusterSpec cluster = MakeCluster(*accelerator, catalog.DefaultSystemFor(accelerator->id));
    SUANLI_RETURN_IF_ERROR(FitServing(flags, model, cluster, tp_given, r));
  } else {
    SUANLI_RETURN_IF_ERROR(FitTraining(flags, catalog, model, *accelerator, r));
  }
  if (!flags.report.empty()) SUANLI_RETURN_IF_ERROR(WriteReport(flags.report, FitHtml(r), flags.common.quiet));
  if (flags.common.json) {
    PrintJson(FitJson(r));
  } else if (flags.common.table_format == TableFormat::kCsv) {
    // The CSV contract (docs/reports.md): the JSON's answer as one row.
    PrintCsvRows({FitJson(r)}, {"model", "accelerator", "gpus", "mode", "fits", "min_gpus_to_fit"});
  } else if (flags.common.table_format == TableFormat::kMarkdown) {
    fmt::print("{}", FitMarkdown(r));
  } else {
    fmt::print("{}", FitText(r));
  }
  // The CLI contract: 1 when the answer to the question asked (does this
  // layout fit on --gpus devices?) is no, as train and serve say; the fewest
  // devices that fit are still printed.
  return r.fits() ? kExitOk : kExitInfeasible;
}

}  // namespace

int RunFit(int argc, char** argv) {
  CLI::App app{Tr("Memory per device for training or serving, whether it fits, and the fewest devices "
                  "that fit."),
               "suanli fit"};
  FitFlags flags;
  AddCommonOptions(app, flags.common);
  AddParallelFlags(app, flags.parallel);
  AddModelOptions(app, flags.model, &flags.accel);
  app.add_option("--gpus", flags.gpus, Tr("number of devices"))->required();
  app.add_flag("--infer", flags.infer, Tr("serving instead of training"));
  app.add_option("--batch", flags.batch, Tr("--infer: concurrent sequences"));
  app.add_option("--context", flags.context, Tr("--infer: tokens per sequence (prompt + output)"));
  app.add_option("--prefill-chunk", flags.prefill_chunk, Tr("--infer: prefill chunk tokens (0 = context)"));
  app.add_option("--weight-precision", flags.weight_precision, Tr("--infer: bf16|fp16|fp8|int8|int4|fp4 (default: the config.json's quantization_config format, else bf16)"));
  app.add_option("--kv-precision", flags.kv_precision, Tr("--infer: KV-cache precision (default bf16)"));
  app.add_option("--max-gpus", flags.max_gpus, Tr("largest device count min_gpus_to_fit tries"))
      ->check(CLI::Range(1, kMaxDevices));
  app.add_option("--report", flags.report, Tr("write the memory-fit report (charts, tables) to FILE.html"));
  AddStackOption(app, flags.stack, StackDefault::kAuto);
  app.footer(Tr("examples:") + kFitExamples + "\n" + Tr(kFitFooter) + Tr(kFitExitFooter));
  if (auto code = ParseArgs(app, argc, argv)) return *code;
  if (Status mode = CheckModeFlags(flags, app); !mode.ok()) return ExitCode("fit", Result<int>(mode.error()));
  return ExitCode("fit", FitBody(flags, app));
}

}  // namespace suanli::cli
