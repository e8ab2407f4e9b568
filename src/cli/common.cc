#include "cli/common.h"

#include <algorithm>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <regex>

#include <unistd.h>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/flag_checks.h"
#include "core/output_guard.h"
#include "core/progress.h"
#include "core/units.h"
#include "core/text.h"
#include "market/market.h"
#include "market/region.h"
#include "model/assumptions.h"
#include "plan/throughput.h"
#include "report/table.h"
#include "report/train_run.h"

namespace suanli::cli {

void AddCommonOptions(CLI::App& app, CommonOptions& options) {
  app.add_flag("--json", options.json, Tr("machine-readable JSON on stdout (nothing else on stdout)"));
  app.add_option("--format", options.format, Tr("output format of tables: table (default), json, csv or md"))
      ->check(CLI::IsMember({"table", "json", "csv", "md", "markdown"}));
  app.add_option("--output", options.output, Tr("write what goes to stdout into FILE instead"));
  app.add_flag("-q,--quiet", options.quiet, Tr("no notes or progress on stderr (errors still print)"));
  app.add_option("--lang", options.lang,
                 Tr("language of the output: zh or en (default: from LC_ALL, LC_MESSAGES or LANG)"));
  app.add_option("--catalog", options.catalog_files,
                 Tr("YAML file adding or overriding accelerators/systems/models (repeatable)"));
  app.final_callback([&options, &app] {
    options.table_format = *ParseTableFormat(options.format);  // checked by IsMember above
    if (options.json && app.count("--format") > 0 && options.table_format != TableFormat::kJson) {
      throw CLI::ValidationError("--json", TrFormat("--json asks for JSON and --format for {}; give one", options.format));
    }
    if (options.json) options.table_format = TableFormat::kJson;
    options.json = options.table_format == TableFormat::kJson;
    // stdout goes to a temporary file beside --output, renamed over it only
    // when the command answers (main: FinishOutputFile): bad input leaves the
    // old file as it was.
    if (!options.output.empty()) {
      if (Status begun = BeginOutputFile(options.output); !begun.ok()) {
        throw CLI::ValidationError("--output", begun.error().message);
      }
    }
    OutputSettings settings = SettingsFromEnvironment();
    settings.format = options.table_format;
    settings.quiet = options.quiet;
    if (!options.output.empty()) settings.color = false;
    SetOutputSettings(settings);
    Progress::Enable(isatty(STDERR_FILENO) != 0 && !options.json && !options.quiet);
  });
}

bool TableOnly(const CommonOptions& common) {
  return common.table_format == TableFormat::kCsv || common.table_format == TableFormat::kMarkdown;
}

Result<Language> LanguageOfArgs(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--") break;
    if (arg == "--lang") {
      if (i + 1 >= argc) return MakeError(Tr("--lang needs a value"), "--lang", Tr("use zh (中文) or en (English)"));
      return ParseLanguage(argv[i + 1]);
    }
    if (arg.rfind("--lang=", 0) == 0) return ParseLanguage(arg.substr(7));
  }
  return LanguageFromEnvironment();
}

void PrintOptionNames(const CLI::App& app) {
  for (const CLI::Option* option : app.get_options()) {
    for (const std::string& name : option->get_lnames()) fmt::print("--{}\n", name);
    for (const std::string& name : option->get_snames()) fmt::print("-{}\n", name);
  }
  for (const CLI::App* sub : app.get_subcommands({})) fmt::print("{}\n", sub->get_name());
}

void AddAssumeOption(CLI::App& app, std::vector<std::string>& assignments) {
  app.add_option("--assume", assignments,
                 Tr("NAME=VALUE: what-if value of a step-model assumption, e.g. "
                 "perf.moe_dispatch_overhead=1ms (repeatable; names and defaults: suanli show assumptions)"));
}

void AddStackOption(CLI::App& app, std::string& stack, StackDefault default_stack) {
  // The ids come from data/stacks.yaml, so the help cannot fall behind it.
  const auto fallback = FindStack("");  // the stack of a blank --stack
  const bool auto_default = default_stack == StackDefault::kAuto;
  std::vector<std::string> ids;
  if (auto_default) ids.push_back(std::string(kAutoStackId) + Tr(" (default)"));
  for (const SoftwareStack& s : BuiltinStacks()) {
    const bool is_default = !auto_default && fallback.ok() && (*fallback)->id == s.id;
    ids.push_back(is_default ? s.id + Tr(" (default)") : s.id);
  }
  app.add_option("--stack", stack,
                 TrFormat("training software stack: {} (what each keeps, fuses, overlaps and which layouts it runs: "
                          "docs/stacks.md)",
                          fmt::join(ids, ", ")));
}

Result<const SoftwareStack*> UseStackFlag(const std::string& stack, const CLI::App& app, ParallelFlags& flags) {
  SUANLI_ASSIGN_OR_RETURN(const SoftwareStack* found, FindStack(stack));
  if (app.count("--attention") == 0) flags.attention = std::string(AttentionKernelName(StackAttention(*found, 0)));
  // Defaults the stack does not offer give way to what it does: FSDP-style
  // stacks shard at their highest stage; stacks without selective
  // checkpointing default to full (MaxText's remat policy, Colossal-AI's
  // gradient checkpointing).
  const std::vector<int>& stages = found->layouts.zero_stages;
  if (app.count("--zero") == 0 && std::find(stages.begin(), stages.end(), flags.zero) == stages.end()) {
    flags.zero = stages.back();
  }
  const std::vector<Recompute>& modes = found->checkpointing;
  const Result<Recompute> asked = ParseRecompute(flags.recompute);
  if (app.count("--recompute") == 0 && asked.ok() && !modes.empty() &&
      std::find(modes.begin(), modes.end(), *asked) == modes.end()) {
    const bool has_full = std::find(modes.begin(), modes.end(), Recompute::kFull) != modes.end();
    flags.recompute = std::string(RecomputeName(has_full ? Recompute::kFull : modes.front()));
  }
  return found;
}

void PrintNote(const std::string& text) {
  if (!CurrentOutput().quiet) fmt::print(stderr, "{}\n", TrFormat("note: {}", text));
}

std::string FirstGiven(const CLI::App& app, std::initializer_list<const char*> flags) {
  for (const char* flag : flags) {
    if (app.count(flag) > 0) return flag;
  }
  return "";
}

Status CheckPrecisionOn(const Accelerator& accelerator, Precision asked, std::string_view flag) {
  if (accelerator.PeakFlops(asked) > 0) return OkStatus();
  std::vector<std::string> has;
  for (const Precision p : {Precision::kBf16, Precision::kFp16, Precision::kFp8}) {
    if (accelerator.PeakFlops(p) > 0) has.emplace_back(PrecisionName(p));
  }
  return MakeError(TrFormat("{} has no {} peak in the catalog: its tensor cores do not run it", accelerator.id,
                            PrecisionName(asked)),
                   std::string(flag),
                   has.empty() ? Tr("this accelerator has no training precision in the catalog")
                               : TrFormat("use --precision {}", fmt::join(has, "|")));
}

Status UsePrecisionFlag(const Accelerator& accelerator, const CLI::App& app, ParallelFlags& flags) {
  SUANLI_ASSIGN_OR_RETURN(const Precision asked, ParsePrecision(flags.precision));
  if (accelerator.PeakFlops(asked) > 0) return OkStatus();
  // The planner's rule (plan/throughput.h), so fit, compare and plan train at one precision.
  if (app.count("--precision") == 0 && asked == Precision::kBf16 &&
      TrainingPrecisionOn(accelerator, asked) == Precision::kFp16) {
    flags.precision = "fp16";
    if (!CurrentOutput().quiet) {
      fmt::print(stderr, "{}\n",
                 TrFormat("note: {} has no bf16 peak in the catalog; training in fp16", accelerator.id));
    }
    return OkStatus();
  }
  return CheckPrecisionOn(accelerator, asked, "--precision");
}

Result<std::string> UseStackForBlankRuns(const std::string& stack, RunsFile& runs) {
  if (stack.empty()) return std::string(kDefaultStackId);
  SUANLI_ASSIGN_OR_RETURN(const SoftwareStack* found, FindStack(stack));
  for (PublishedRun& run : runs.runs) {
    if (!run.stack.empty()) continue;
    run.stack = found->id;
    ApplyStackToRun(*found, run);
  }
  return found->id;
}

Result<PerfAssumptions> MakePerfAssumptions(const std::vector<std::string>& assignments) {
  PerfAssumptions assumptions;
  SUANLI_RETURN_IF_ERROR(CheckAssumeOnce(assignments));
  for (const std::string& assignment : assignments) {
    SUANLI_RETURN_IF_ERROR(SetPerfAssumption(assumptions, assignment));
  }
  return assumptions;
}

std::string AssumedText(const std::vector<std::string>& assignments) {
  return AssumedLine(assignments);
}

void AddModelOptions(CLI::App& app, std::string& model, std::string* accel) {
  app.add_option("--model", model, Tr("model preset id, config.json or YAML model file"))->required();
  if (accel != nullptr) {
    app.add_option("--accel", *accel, Tr("accelerator id (suanli catalog accelerators)"))->required();
  }
}

namespace {

// Puts CLI11's own help labels and the help flag's text in the current language.
void LocalizeHelp(CLI::App& app) {
  const auto formatter = app.get_formatter();
  for (const char* label : {"Usage", "OPTIONS", "SUBCOMMAND", "SUBCOMMANDS", "Positionals", "REQUIRED"}) {
    formatter->label(label, Tr(label));
  }
  if (CLI::Option* help = app.get_help_ptr(); help != nullptr) help->description(Tr("Print this help message and exit"));
  for (CLI::Option* option : app.get_options()) {
    if (option->get_group() == "Options") option->group(Tr("Options"));
  }
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
    if (sub->get_group() == "Subcommands") sub->group(Tr("Subcommands"));
    LocalizeHelp(*sub);
  }
}

// Returns CLI11's parse error in the current language (the usual ones; others as CLI11 wrote them).
std::string LocalizedParseError(const CLI::ParseError& e) {
  const std::string what = e.what();
  std::smatch m;
  static const std::regex required(R"(^(\S+) is required$)");
  static const std::regex extras(R"(^The following arguments were not expected: (.*)$)");
  static const std::regex range(R"(^(\S+): Value (\S+) not in range (\S+) to (\S+)$)");
  static const std::regex not_in(R"(^(\S+): (\S+) not in (\{.*\})$)");
  if (what == "A subcommand is required") return Tr("A subcommand is required");
  if (std::regex_match(what, m, required)) return TrFormat("{} is required", m[1].str());
  if (std::regex_match(what, m, extras)) return TrFormat("The following arguments were not expected: {}", m[1].str());
  if (std::regex_match(what, m, range)) {
    return TrFormat("{}: Value {} not in range {} to {}", m[1].str(), m[2].str(), m[3].str(), m[4].str());
  }
  if (std::regex_match(what, m, not_in)) return TrFormat("{}: {} not in {}", m[1].str(), m[2].str(), m[3].str());
  // CLI11's "--gpus: At Most 1 required but received 2" for a flag given twice.
  static const std::regex twice(R"(^(\S+): At Most 1 required but received (\d+)$)");
  if (std::regex_match(what, m, twice)) {
    return TrFormat("{} was given {} times; it takes one value (keep one)", m[1].str(), m[2].str());
  }
  return what;
}

}  // namespace

std::optional<int> ParseArgs(CLI::App& app, int argc, char** argv) {
  LocalizeHelp(app);
  RefuseNonFiniteNumbers(app);
  if (argc == 2 && std::string_view(argv[1]) == "--list-options") {  // for shell completion
    PrintOptionNames(app);
    return kExitOk;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    fmt::print(stderr, "{}\n", TrFormat("{}: error: {}\n(run '{} --help' for usage and examples)",
                                        app.get_name(), LocalizedParseError(e), app.get_name()));
    return kExitBadInput;
  }
  return std::nullopt;
}

Result<Catalog> LoadCatalog(const CommonOptions& options) {
  SUANLI_ASSIGN_OR_RETURN(Catalog catalog, Catalog::LoadEmbedded());
  for (const std::string& path : options.catalog_files) {
    SUANLI_RETURN_IF_ERROR(catalog.MergeFile(path));
  }
  return catalog;
}

Result<ModelSpec> ResolveModel(const Catalog& catalog, const std::string& model_arg) {
  std::vector<std::string> notes;
  SUANLI_ASSIGN_OR_RETURN(ModelSpec model, ResolveModelArg(catalog, model_arg, &notes));
  if (model.mtp_layers > 0) {
    notes.push_back(TrFormat("{} has {} multi-token-prediction module(s) (DeepSeek-V3 §2.2): not counted in "
                             "its compute, memory or parameters",
                             model.id, model.mtp_layers));
  }
  if (!CurrentOutput().quiet) {
    for (const std::string& note : notes) fmt::print(stderr, "{}\n", TrFormat("note: {}", note));
  }
  return model;
}

int ReportError(std::string_view command, const Error& error) {
  fmt::print(stderr, "suanli {}: {}: {}\n", command, Tr("error"), error.ToString());
  for (const Error& more : error.more) fmt::print(stderr, "suanli {}: {}: {}\n", command, Tr("error"), more.ToString());
  return kExitBadInput;
}

int ExitCode(std::string_view command, const Result<int>& body) {
  return body.ok() ? *body : ReportError(command, body.error());
}

int ReportInfeasible(std::string_view command, const Error& error) {
  ReportError(command, error);
  return kExitInfeasible;
}

int FinishRuns(std::string_view command, bool answered, const std::vector<BadRow>& bad_rows) {
  for (const BadRow& bad : bad_rows) {
    fmt::print(stderr, "{}\n", TrFormat("suanli {}: bad row: {}: {}", command, bad.where, bad.message));
  }
  if (!bad_rows.empty()) return kExitBadInput;
  return answered ? kExitOk : kExitInfeasible;
}

void PrintJsonAssumed(nlohmann::json value, const std::vector<std::string>& assumed) {
  if (!assumed.empty()) value["assumed"] = assumed;
  PrintJson(value);
}

void PrintCsvRows(const std::vector<nlohmann::json>& rows, const std::vector<std::string>& first) {
  std::cout << JsonRowsTable(rows, first).RenderCsv();
}

void PrintJson(const nlohmann::json& value) {
  if (!value.is_object() || value.contains("schema_version")) {
    std::cout << value.dump(2) << "\n";
    return;
  }
  nlohmann::ordered_json ordered;
  ordered["schema_version"] = kJsonSchemaVersion;
  for (auto it = value.begin(); it != value.end(); ++it) ordered[it.key()] = it.value();
  std::cout << ordered.dump(2) << "\n";
}

void AddParallelFlags(CLI::App& app, ParallelFlags& flags) {
  const auto size = CLI::Range(1, kMaxDevices);
  app.add_option("--tp", flags.tp, Tr("tensor-parallel size"))->check(size);
  app.add_option("--pp", flags.pp, Tr("pipeline-parallel size"))->check(size);
  app.add_option("--dp", flags.dp, Tr("data-parallel size (default: gpus/(tp*pp*cp))"))->check(size);
  app.add_option("--cp", flags.cp, Tr("context-parallel size"))->check(size);
  app.add_option("--ep", flags.ep, Tr("expert-parallel size (MoE)"))->check(size);
  app.add_option("--expert-tp", flags.expert_tp,
                 Tr("expert tensor-parallel size (MoE): 1 = experts whole, expert parallelism folded over the "
                 "tensor-parallel ranks as well (ep divides tp*dp*cp; Megatron --expert-tensor-parallel-size 1); "
                 "default: tp"))
      ->check(CLI::Range(0, kMaxDevices));
  app.add_option("--vp", flags.vp, Tr("virtual pipeline stages per rank (interleaved 1F1B)"))
      ->check(CLI::Range(1, 1024));
  app.add_option("--micro-batch", flags.micro_batch, Tr("sequences per micro-batch"))
      ->check(CLI::Range(1, 4096));
  app.add_option("--global-batch", flags.global_batch,
                 Tr("sequences per optimizer step (default: one layout runs a full pipeline, dp × micro-batch × "
                    "pp; --search, --gpus-range and the fewest devices that fit run ~4M tokens per step, at least "
                    "~1k per device, as the pinned dp or the device count's odd part times a power of two)"))
      ->check(CLI::Range(1, kMaxGlobalBatch));
  app.add_option("--seq-len", flags.seq_len, Tr("tokens per sequence (default: min(model max, 4096))"))
      ->check(CLI::Range(1, 1 << 24));
  app.add_option("--recompute", flags.recompute,
                 Tr("activation recomputation: none|selective|modules|full (selective: the attention core; modules: "
                 "Megatron's --recompute-modules mla_up_proj moe_act, for MLA and MoE models)"));
  app.add_option("--zero", flags.zero, Tr("ZeRO/FSDP stage over data-parallel ranks: 0|1|2|3"));
  app.add_option("--precision", flags.precision, Tr("GEMM precision: bf16|fp16|fp8"));
  app.add_option("--recompute-layers", flags.recompute_layers,
                 Tr("with --recompute full: layers per pipeline stage recomputed, the rest selective "
                 "(Megatron --recompute-method block; default all; --search picks the fewest that fit)"))
      ->check(CLI::Range(0, 100000));
  app.add_option("--sequence-parallel", flags.sequence_parallel,
                 Tr("Megatron sequence parallelism with tp > 1: on|off"))
      ->check(CLI::IsMember({"on", "off"}));
  app.add_option("--dp-overlap", flags.dp_overlap,
                 Tr("overlap data-parallel gradient reduction and ZeRO gathers with compute: on|off"))
      ->check(CLI::IsMember({"on", "off"}));
  app.add_option("--attention", flags.attention,
                 Tr("attention kernel: flash (the platform's fastest fused kernel: cuDNN/FlashAttention-3 "
                 "on Hopper and Blackwell; default), flash2 (a FlashAttention-2-class kernel: "
                 "FlashAttention-2, Triton, xformers) or unfused (scores materialised in memory: "
                 "Megatron-LM before FlashAttention, stacks without a fused kernel)"))
      ->check(CLI::IsMember({"flash", "flash2", "unfused"}));
  app.add_option("--offload", flags.offload,
                 Tr("ZeRO-Offload: none|optimizer (the fp32 master weights, Adam states and, from --zero 2, the "
                    "gradient partition in host memory, the Adam step on the host CPU over PCIe; stacks with "
                    "optimizer offload only, --zero 1 or more; parameter offload is not modelled)"))
      ->check(CLI::IsMember({"none", "optimizer"}));
  app.add_option("--ep-overlap", flags.ep_overlap,
                 Tr("hide the expert all-to-all behind another micro-batch's compute (Megatron "
                 "--overlap-moe-expert-parallel-comm, DualPipe): on|off (default off, as in Megatron)"))
      ->check(CLI::IsMember({"on", "off"}));
}

Result<LayoutRequest> MakeLayoutRequest(const ParallelFlags& flags) {
  LayoutRequest request;
  request.tp = flags.tp;
  request.pp = flags.pp;
  request.cp = flags.cp;
  request.ep = flags.ep;
  request.vp = flags.vp;
  request.expert_tp = flags.expert_tp;
  request.dp = flags.dp;
  request.micro_batch = flags.micro_batch;
  request.global_batch = flags.global_batch;
  request.seq_len = flags.seq_len;
  request.zero = flags.zero;
  request.recompute_layers = flags.recompute_layers;
  SUANLI_ASSIGN_OR_RETURN(request.recompute, ParseRecompute(flags.recompute));
  SUANLI_ASSIGN_OR_RETURN(request.precision, ParsePrecision(flags.precision));
  SUANLI_ASSIGN_OR_RETURN(request.attention, ParseAttentionKernel(flags.attention));
  request.sequence_parallel = flags.sequence_parallel == "on";
  request.dp_overlap = flags.dp_overlap == "on";
  request.ep_overlap = flags.ep_overlap == "on";
  return request;
}

Result<ParallelConfig> MakeParallelConfig(const ParallelFlags& flags, const ModelSpec& model,
                                          int gpus) {
  SUANLI_ASSIGN_OR_RETURN(const LayoutRequest request, MakeLayoutRequest(flags));
  return CompleteLayout(request, model, gpus);
}

Result<double> ParseTokensFlag(const std::string& text) {
  if (text.empty()) return 0.0;
  auto value = ParseQuantity(text, Dimension::kTokens);
  if (!value.ok() || *value < kMinTrainingTokens || *value > kMaxTrainingTokens) {
    return MakeError(TrFormat("'{}' is not a token count between 1M and 1000T", text), "--tokens",
                     Tr("write e.g. 2T, 300B or 1.5e12"));
  }
  return *value;
}

Result<std::string> RegionFlag(const std::string& text, std::string_view flag) {
  SUANLI_ASSIGN_OR_RETURN(const RegionCode region, ParseRegion(text, std::string(flag)));
  if (!region.alias.empty() && !CurrentOutput().quiet) {
    fmt::print(stderr, "{}\n", TrFormat("note: {} '{}' read as {}", flag, region.alias, region.code));
  }
  return region.code;
}

std::string CurrencyCode(std::string text) { return NormalizeCurrency(text); }

}  // namespace suanli::cli
