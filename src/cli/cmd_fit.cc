// `suanli fit`: bytes per device for training or serving a model on N
// devices of one accelerator, whether it fits, and the fewest devices on
// which some layout fits (docs/memory-model.md).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/common.h"
#include "report/train_report.h"
#include "core/units.h"
#include "model/memory.h"
#include "search/min_fit.h"
#include "report/json_util.h"
#include "report/table.h"

namespace suanli::cli {
namespace {

constexpr const char* kExamples = R"(examples:
  suanli fit --model llama-2-70b --accel a100-sxm-40gb --gpus 64 --tp 8 --pp 1 --zero 1
  suanli fit --model llama-2-70b --accel a100-sxm-80gb --gpus 64 --tp 4 --pp 4 --json
  suanli fit --model llama-2-70b --accel rtx-4090 --gpus 1 --infer --weight-precision int4 --context 4096
  suanli fit --model llama-2-70b --accel h100-sxm-80gb --gpus 2 --infer --weight-precision fp16 --tp 2

Training assumes a full pipeline (pp micro-batches in flight) unless --global-batch
says otherwise. In --infer mode, --tp defaults to gpus/pp; gpus may be a multiple
of tp*pp (replicas). min_gpus_to_fit is the fewest devices on which the layout
search (suanli train --search rules, tp within the scale-up domain) finds a layout
that fits, up to --max-gpus devices; the same answer compare and plan give.
)";

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
  std::string weight_precision = "bf16";
  std::string kv_precision;
  int max_gpus = 16384;
};

std::string Gib(double bytes) { return fmt::format("{:.1f}", bytes / kGiB); }

// Returns bytes rounded to 6 significant digits as an integer (stable JSON).

nlohmann::json InferConfigJson(const InferenceConfig& c) {
  return {{"tp", c.tp},
          {"pp", c.pp},
          {"batch", c.batch},
          {"context", c.context},
          {"prefill_chunk", c.prefill_chunk > 0 ? c.prefill_chunk : c.context},
          {"weight_precision", std::string(PrecisionName(c.weight_precision))},
          {"kv_precision", std::string(PrecisionName(c.kv_precision))}};
}

std::string TrainLayoutText(const ParallelConfig& c) {
  std::string text = fmt::format("tp {}, pp {}, dp {}", c.tp, c.pp, c.dp);
  if (c.cp > 1) text += fmt::format(", cp {}", c.cp);
  if (c.ep > 1) text += fmt::format(", ep {}", c.ep);
  if (c.vp > 1) text += fmt::format(", vp {}", c.vp);
  text += fmt::format(", zero {}, {} recompute", c.zero, RecomputeName(c.recompute));
  return text;
}

std::string InferLayoutText(const InferenceConfig& c) {
  return fmt::format("tp {}, pp {}", c.tp, c.pp);
}

// Everything the renderers need; computed before any output.
struct FitResult {
  std::string model;
  std::string accelerator;
  int gpus = 0;
  bool infer = false;
  ParallelConfig train;
  InferenceConfig serve;
  MemoryBreakdown memory;
  double capacity_bytes = 0;
  double usable_bytes = 0;
  MinFit min;
  std::vector<std::string> reasons;
  bool fits() const { return memory.total_bytes <= usable_bytes; }
};

std::vector<std::string> Reasons(const FitResult& r) {
  std::vector<std::string> reasons;
  const MemoryBreakdown& m = r.memory;
  if (r.fits()) {
    reasons.push_back(fmt::format("fits with {} GiB of {} GiB usable left", Gib(r.usable_bytes - m.total_bytes),
                                  Gib(r.usable_bytes)));
  } else {
    reasons.push_back(fmt::format("needs {} GiB per device, {} GiB usable ({} GiB capacity minus the "
                                  "runtime reserve)",
                                  Gib(m.total_bytes), Gib(r.usable_bytes), Gib(r.capacity_bytes)));
    const double states = m.weights_bytes + m.gradients_bytes + m.optimizer_bytes;
    if (states > r.usable_bytes) {
      reasons.push_back(fmt::format("weights, gradients and optimizer states alone need {} GiB",
                                    Gib(states)));
    }
    if (m.kv_cache_bytes > r.usable_bytes) {
      reasons.push_back(fmt::format("the KV cache alone needs {} GiB", Gib(m.kv_cache_bytes)));
    }
  }
  if (!r.min.found) reasons.push_back(r.min.reason);
  return reasons;
}

void PrintText(const FitResult& r) {
  const std::string layout = r.infer ? InferLayoutText(r.serve) : TrainLayoutText(r.train);
  if (r.infer) {
    fmt::print("{} serving on {} × {} ({}, batch {}, context {}, weights {}, KV cache {})\n\n", r.model,
               r.gpus, r.accelerator, layout, r.serve.batch, r.serve.context,
               PrecisionName(r.serve.weight_precision), PrecisionName(r.serve.kv_precision));
  } else {
    fmt::print("{} training on {} × {} ({}, {}, seq {}, micro-batch {}, global batch {})\n\n", r.model,
               r.gpus, r.accelerator, layout, PrecisionName(r.train.precision), r.train.seq_len,
               r.train.micro_batch, r.train.global_batch);
  }
  TextTable table({"per device", "GiB"});
  table.AlignColumn(1, TextTable::Align::kRight);
  const MemoryBreakdown& m = r.memory;
  if (!r.infer) {
    table.AddRow({"weights", Gib(m.weights_bytes)});
    table.AddRow({"gradients", Gib(m.gradients_bytes)});
    table.AddRow({"optimizer", Gib(m.optimizer_bytes)});
    table.AddRow({"activations", Gib(m.activations_bytes)});
  } else {
    table.AddRow({"weights", Gib(m.weights_bytes)});
    table.AddRow({"kv cache", Gib(m.kv_cache_bytes)});
    table.AddRow({"activations", Gib(m.activations_bytes)});
  }
  table.AddRow({"other", Gib(m.other_bytes)});
  table.AddRow({"total", Gib(m.total_bytes)});
  table.AddRow({"usable", Gib(r.usable_bytes)});
  fmt::print("{}\n", table.Render());
  std::string min_text;
  if (r.min.found) {
    const std::string min_layout = r.infer ? InferLayoutText(r.min.infer) : TrainLayoutText(r.min.train);
    min_text = fmt::format("min {} × {} ({}, {} GiB)", r.min.devices, r.accelerator, min_layout,
                           Gib(r.min.memory.total_bytes));
  } else {
    min_text = r.min.reason;
  }
  if (r.fits()) {
    fmt::print("fits: yes — {} GiB of {} GiB usable; {}\n", Gib(m.total_bytes), Gib(r.usable_bytes), min_text);
  } else {
    fmt::print("fits: no — needs {} GiB of {} GiB usable; {}\n", Gib(m.total_bytes), Gib(r.usable_bytes),
               min_text);
  }
}

void PrintFitJson(const FitResult& r) {
  nlohmann::json out;
  out["model"] = r.model;
  out["accelerator"] = r.accelerator;
  out["gpus"] = r.gpus;
  out["mode"] = r.infer ? "infer" : "train";
  out["config"] = r.infer ? InferConfigJson(r.serve) : ConfigJson(r.train);
  out["fits"] = r.fits();
  out["capacity_bytes"] = RoundBytes(r.usable_bytes);
  out["per_gpu_bytes"] = MemoryJson(r.memory);
  if (r.min.found) {
    out["min_gpus_to_fit"] = r.min.devices;
    nlohmann::json layout = r.infer ? InferConfigJson(r.min.infer) : ConfigJson(r.min.train);
    layout["total_bytes"] = RoundBytes(r.min.memory.total_bytes);
    out["min_layout"] = layout;
  } else {
    out["min_gpus_to_fit"] = nullptr;
    out["min_layout"] = nullptr;
  }
  out["reasons"] = r.reasons;
  PrintJson(out);
}

// Builds the serving layout from the flags; errors name the flag.
Result<InferenceConfig> MakeInferenceConfig(const FitFlags& flags, const ModelSpec& model,
                                            bool tp_given) {
  InferenceConfig c;
  c.pp = flags.parallel.pp;
  if (flags.gpus % c.pp != 0) {
    return MakeError(fmt::format("pp={} does not divide --gpus {}", c.pp, flags.gpus), "--pp",
                     "choose tp and pp whose product divides the device count");
  }
  c.tp = tp_given ? flags.parallel.tp : flags.gpus / c.pp;
  if (flags.gpus % (c.tp * c.pp) != 0) {
    return MakeError(fmt::format("tp*pp = {}*{} = {} does not divide --gpus {}", c.tp, c.pp, c.tp * c.pp,
                                 flags.gpus),
                     "--tp", "choose tp and pp whose product divides the device count");
  }
  if (flags.batch < 1) {
    return MakeError(fmt::format("--batch must be at least 1, got {}", flags.batch), "--batch");
  }
  if (flags.context < 1) {
    return MakeError(fmt::format("--context must be at least 1, got {}", flags.context), "--context");
  }
  if (flags.prefill_chunk < 0) {
    return MakeError("--prefill-chunk must not be negative", "--prefill-chunk");
  }
  c.batch = flags.batch;
  c.context = flags.context;
  c.prefill_chunk = flags.prefill_chunk;
  SUANLI_ASSIGN_OR_RETURN(c.weight_precision, ParsePrecision(flags.weight_precision));
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

}  // namespace

int RunFit(int argc, char** argv) {
  CLI::App app{"Memory per device for training or serving, whether it fits, and the fewest devices "
               "that fit.",
               "suanli fit"};
  FitFlags flags;
  AddCommonOptions(app, flags.common);
  AddParallelFlags(app, flags.parallel);
  AddModelOptions(app, flags.model, &flags.accel);
  app.add_option("--gpus", flags.gpus, "number of devices")->required();
  app.add_flag("--infer", flags.infer, "serving instead of training");
  app.add_option("--batch", flags.batch, "--infer: concurrent sequences");
  app.add_option("--context", flags.context, "--infer: tokens per sequence (prompt + output)");
  app.add_option("--prefill-chunk", flags.prefill_chunk, "--infer: prefill chunk tokens (0 = context)");
  app.add_option("--weight-precision", flags.weight_precision, "--infer: bf16|fp16|fp8|int8|int4|fp4");
  app.add_option("--kv-precision", flags.kv_precision, "--infer: KV-cache precision (default bf16)");
  app.add_option("--max-gpus", flags.max_gpus, "largest device count min_gpus_to_fit tries")
      ->check(CLI::Range(1, kMaxDevices));
  app.footer(kExamples);
  if (auto code = ParseArgs(app, argc, argv)) return *code;

  if (flags.gpus < 1 || flags.gpus > kMaxDevices) {
    return ReportError("fit", MakeError(fmt::format("--gpus must be between 1 and {}, got {}",
                                                    kMaxDevices, flags.gpus),
                                        "--gpus", "give the number of devices"));
  }
  auto catalog = LoadCatalog(flags.common);
  if (!catalog.ok()) return ReportError("fit", catalog.error());
  auto model = ResolveModel(*catalog, flags.model);
  if (!model.ok()) return ReportError("fit", model.error());
  auto accelerator = catalog->FindAccelerator(flags.accel);
  if (!accelerator.ok()) return ReportError("fit", accelerator.error());
  const Accelerator& acc = **accelerator;

  FitResult r;
  r.model = model->id;
  r.accelerator = acc.id;
  r.gpus = flags.gpus;
  r.infer = flags.infer;
  r.capacity_bytes = acc.memory_bytes;
  r.usable_bytes = UsableBytes(acc.memory_bytes);
  const ClusterSpec cluster = MakeCluster(acc, catalog->DefaultSystemFor(acc.id));

  if (flags.infer) {
    auto serve = MakeInferenceConfig(flags, *model, app.count("--tp") > 0);
    if (!serve.ok()) return ReportError("fit", serve.error());
    r.serve = *serve;
    r.memory = InferenceMemory(*model, r.serve);
    r.min = MinServingDevices(*model, cluster, r.serve, flags.max_gpus);
  } else {
    ParallelFlags parallel = flags.parallel;
    if (!parallel.global_batch) {
      // A full pipeline: pp micro-batches per data-parallel rank.
      const int64_t model_parallel = int64_t{parallel.tp} * parallel.pp * parallel.cp;
      const int64_t dp = parallel.dp ? *parallel.dp
                                     : (model_parallel <= flags.gpus && flags.gpus % model_parallel == 0
                                            ? flags.gpus / model_parallel
                                            : 1);
      const int64_t batch = std::max<int64_t>(1, dp) * parallel.micro_batch * parallel.pp;
      parallel.global_batch = static_cast<int>(std::min<int64_t>(batch, kMaxGlobalBatch));
    }
    auto config = MakeParallelConfig(parallel, *model, flags.gpus);
    if (!config.ok()) return ReportError("fit", config.error());
    r.train = *config;
    r.memory = TrainingMemory(*model, r.train);
    SearchOptions search;
    search.seq_len = r.train.seq_len;
    search.precision = r.train.precision;
    search.attention = r.train.attention;
    search.global_batch = flags.parallel.global_batch.value_or(0);
    r.min = MinTrainingDevicesOf(*catalog, *model, acc, search, flags.max_gpus);
  }
  r.reasons = Reasons(r);
  if (flags.common.json) {
    PrintFitJson(r);
  } else {
    PrintText(r);
  }
  return r.fits() || r.min.found ? kExitOk : kExitInfeasible;
}

}  // namespace suanli::cli
