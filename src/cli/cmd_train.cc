// `suanli train`: step time, throughput, MFU and breakdown of one layout, or
// the best layouts found by --search, or a scaling curve over --gpus-range.
// Parses the flags, calls the search and step models, renders (report/train_run.h).
#include <algorithm>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/stack_auto.h"
#include "cli/flag_checks.h"
#include "cli/moe_flags.h"
#include "report/html_page.h"
#include "core/progress.h"
#include "core/units.h"
#include "model/campaign.h"
#include "report/train_html.h"
#include "report/train_report.h"
#include "report/train_run.h"
#include "search/search.h"

namespace suanli::cli {
namespace {

constexpr const char* kTrainExamples = R"(
  suanli train --model llama-2-70b --accel a800-sxm-80gb --gpus 64 --tp 8 --pp 2
  suanli train --model gpt3-175b --accel a100-sxm-80gb --gpus 1024 --search --global-batch 1536
  suanli train --model llama-3-8b --accel h800-sxm-80gb --gpus 256 --search --tokens 15T --json
  suanli train --model llama-2-13b --accel rtx-4090 --gpus-range 8:512 --search
  suanli train --model llama-2-70b --accel h800-sxm-80gb --gpus 64 --search --report train.html --lang zh
  suanli train --model llama-2-70b --accel a800-sxm-80gb --gpus 64 --search --format csv
  suanli train --model llama-3-8b --accel rtx-4090 --gpus 8 --stack deepspeed --zero 3 --offload optimizer
)";

// Runner-ups fetched per ranking row: rows that differ only in a detail (vp, micro-batch) collapse,
// and an MoE search has many such variants per row.
constexpr int kCandidatesPerRow = 16;

struct TrainFlags {
  CommonOptions common;
  ParallelFlags parallel;
  std::string model;
  std::string accel;
  std::string system;
  int gpus = 0;
  bool search = false;
  int top = 5;
  int threads = 1;
  std::string gpus_range;
  std::string tokens;
  std::vector<std::string> assume;  // --assume NAME=VALUE
  std::string stack;                // --stack (docs/stacks.md)
  std::string report;               // --report FILE.html
  PerfAssumptions assumptions;      // defaults with --assume applied, then the stack's terms
  MemoryOptions memory;             // what the stack keeps
  const SoftwareStack* software = nullptr;  // the --stack, resolved
};

// Returns the campaign of `tokens` at `estimate`'s throughput, or nullopt
// without --tokens: steady state, then the batch ramp (the step model at the
// ramp's batch), evaluation, rollbacks, stragglers and interruptions with the
// campaign model's default figures (model/campaign.h).
std::optional<CampaignTotals> Totals(double tokens, const TrainFlags& flags, const ModelSpec& model,
                                     const ClusterSpec& cluster, const ParallelConfig& config,
                                     const StepEstimate& estimate) {
  if (tokens <= 0) return std::nullopt;
  CampaignAssumptions campaign = DefaultCampaignAssumptions();
  campaign.reliability.stack = flags.software->id;  // the stack's own model error where it has one
  const double ramp = RampTokensPerS(model, cluster, config, estimate, campaign, flags.assumptions, flags.memory);
  return CampaignTotals{tokens,
                        CampaignFor(CampaignRun{tokens, estimate.tokens_per_s, ramp, flags.gpus, model.IsMoe(), flags.search},
                                    campaign),
                        ChosenErrorFor(campaign.reliability, model.IsMoe()), flags.search,
                        campaign.searched_layout.For(model.IsMoe())};
}

// Returns the layout-independent settings of the flags (sequence length,
// precision, recompute) as a config on `gpus` devices; the search varies the rest.
Result<ParallelConfig> SearchBase(const ParallelFlags& flags, const ModelSpec& model, int gpus) {
  SUANLI_ASSIGN_OR_RETURN(const LayoutRequest request, MakeLayoutRequest(flags));
  return CompleteLayout(SearchBaseRequest(request), model, gpus);
}

SearchOptions MakeSearchOptions(const TrainFlags& flags, const ParallelConfig& base, int gpus,
                                CLI::App& app) {
  SearchOptions options;
  options.gpus = gpus;
  options.seq_len = base.seq_len;
  options.precision = base.precision;
  options.global_batch = flags.parallel.global_batch.value_or(0);
  options.top_k = std::min(flags.top * kCandidatesPerRow, 400);
  options.threads = flags.threads;
  // Flags the user gave explicitly pin the search.
  auto given = [&](const char* name) { return app.count(name) > 0; };
  if (given("--tp")) options.tp = flags.parallel.tp;
  if (given("--pp")) options.pp = flags.parallel.pp;
  if (given("--dp") && flags.parallel.dp) options.dp = *flags.parallel.dp;
  if (given("--cp")) options.cp = flags.parallel.cp;
  if (given("--ep")) options.ep = flags.parallel.ep;
  // In a search tp varies: --expert-tp 1 asks for whole experts, any other
  // value for experts split over tp.
  if (given("--expert-tp")) options.expert_tp = flags.parallel.expert_tp == 1 ? 1 : 0;
  if (given("--vp")) options.vp = flags.parallel.vp;
  if (given("--micro-batch")) options.micro_batch = flags.parallel.micro_batch;
  if (given("--zero")) options.zero = flags.parallel.zero;
  if (given("--recompute")) options.recompute = base.recompute;
  if (given("--sequence-parallel")) options.sequence_parallel = base.sequence_parallel;
  if (given("--dp-overlap")) options.dp_overlap = base.dp_overlap;
  if (given("--ep-overlap")) options.ep_overlap = base.ep_overlap;
  options.attention = base.attention;
  options.assumptions = flags.assumptions;
  options.memory = flags.memory;
  UseStackLayouts(*flags.software, options);
  return options;
}

// Returns the sizes of --gpus-range: LOW, each power of two between LOW and HIGH, and HIGH.
Result<std::vector<int>> SweepSizes(const std::string& range) {
  int low = 0, high = 0;
  char trailing = 0;
  if (std::sscanf(range.c_str(), "%d:%d%c", &low, &high, &trailing) != 2 || low < 1 || high < low ||
      high > kMaxDevices) {
    return MakeError(TrFormat("bad range '{}'", range), "--gpus-range",
                     TrFormat("write LOW:HIGH with 1 <= LOW <= HIGH <= {}, e.g. 8:4096", kMaxDevices));
  }
  std::vector<int> sizes;
  sizes.push_back(low);
  for (int64_t two = 1; two < high; two *= 2) {
    if (two > low) sizes.push_back(static_cast<int>(two));
  }
  if (high > low) sizes.push_back(high);
  return sizes;
}

// Searches the best layout at each power of two in --gpus-range and prints the curve.
Result<int> ScalingCurve(const TrainFlags& flags, const TrainSubject& subject,
                         const ModelSpec& model, const ClusterSpec& cluster,
                         const ParallelConfig& base, CLI::App& app) {
  SUANLI_ASSIGN_OR_RETURN(const std::vector<int> sizes, SweepSizes(flags.gpus_range));
  std::vector<ScalingPoint> points;
  bool any = false;
  Progress progress(Tr("searching layouts"), static_cast<double>(sizes.size()));
  for (size_t i = 0; i < sizes.size(); ++i) {
    if (Status links = CheckClusterLinks(cluster, sizes[i]); !links.ok()) {
      const std::string why = fmt::format("{}: {}", links.error().where, links.error().message);
      points.push_back(ScalingPoint{sizes[i], std::nullopt, why, why});
      continue;
    }
    SearchOptions options = MakeSearchOptions(flags, base, sizes[i], app);
    SUANLI_RETURN_IF_ERROR(CheckPinsAgainstStack(*flags.software, options));
    options.top_k = 1;
    options.on_progress = [&progress, i](size_t done, size_t total) {
      progress.Set(static_cast<double>(i) + static_cast<double>(done) / static_cast<double>(total));
    };
    const SearchResult result = SearchLayouts(model, cluster, options);
    ScalingPoint point{sizes[i], std::nullopt, result.infeasible_reason, result.infeasible_reason_text};
    if (!result.top.empty()) point.best = result.top.front();
    any = any || point.best.has_value();
    points.push_back(std::move(point));
  }
  if (!flags.report.empty()) {
    SUANLI_RETURN_IF_ERROR(WriteReport(flags.report, ScalingHtml(subject, points), flags.common.quiet));
  }
  if (flags.common.json) {
    PrintJson(ScalingJson(subject, points));
  } else if (flags.common.table_format == TableFormat::kCsv) {
    PrintCsvRows(ScalingCsvRows(subject, points), {"model", "accelerator", "gpus", "feasible"});
  } else if (flags.common.table_format != TableFormat::kTable) {
    fmt::print("{}", ScalingTable(points).RenderAs(flags.common.table_format));
  } else {
    fmt::print("{}", ScalingText(subject, points));
  }
  return any ? kExitOk : kExitInfeasible;
}

// Searches every layout on --gpus devices and prints the best ones.
Result<int> SearchRun(const TrainFlags& flags, const TrainSubject& subject, const ModelSpec& model,
                      const ClusterSpec& cluster, double tokens, CLI::App& app) {
  SUANLI_ASSIGN_OR_RETURN(const ParallelConfig base, SearchBase(flags.parallel, model, flags.gpus));
  SearchOptions options = MakeSearchOptions(flags, base, flags.gpus, app);
  SUANLI_RETURN_IF_ERROR(CheckPinsAgainstStack(*flags.software, options));
  Progress progress(Tr("searching layouts"), 1.0);
  options.on_progress = [&progress](size_t done, size_t total) {
    progress.Set(static_cast<double>(done) / static_cast<double>(total));
  };
  const SearchResult result = SearchLayouts(model, cluster, options);
  const std::optional<CampaignTotals> totals =
      result.top.empty() ? std::nullopt
                         : Totals(tokens, flags, model, cluster, result.top.front().config,
                                  result.top.front().estimate);
  const size_t top = static_cast<size_t>(flags.top);
  if (!flags.report.empty()) {
    SUANLI_RETURN_IF_ERROR(
        WriteReport(flags.report, TrainSearchHtml(subject, result, totals, top), flags.common.quiet));
  }
  if (flags.common.json) {
    PrintJson(TrainSearchJson(subject, result, totals, top));
  } else if (flags.common.table_format == TableFormat::kCsv) {
    PrintCsvRows(TrainSearchCsvRows(subject, result, totals, top), {"rank", "model", "accelerator", "gpus", "fits"});
  } else if (flags.common.table_format != TableFormat::kTable) {
    fmt::print("{}", TrainSearchMarkdown(subject, result, totals, top));
  } else {
    fmt::print("{}", TrainSearchText(subject, result, totals, top));
  }
  return result.top.empty() ? kExitInfeasible : kExitOk;
}

// Estimates the layout the flags give and prints it.
Result<int> OneLayout(const TrainFlags& flags, const TrainSubject& given_subject, const ModelSpec& model,
                      const ClusterSpec& cluster, double tokens) {
  SUANLI_ASSIGN_OR_RETURN(ParallelConfig config, MakeParallelConfig(flags.parallel, model, flags.gpus));
  SUANLI_RETURN_IF_ERROR(StackRunsLayout(*flags.software, config));
  UseStackRecompute(*flags.software, model, config);
  const StepEstimate estimate = EstimateStep(model, cluster, config, flags.assumptions, flags.memory);
  TrainSubject subject = given_subject;
  if (!estimate.fits) {
    subject.advice = NoFitAdvice(*flags.software, model, config, estimate.memory, flags.memory, estimate.usable_bytes, true);
  }
  // A layout that does not fit has no throughput, so no campaign either.
  const std::optional<CampaignTotals> totals =
      estimate.fits ? Totals(tokens, flags, model, cluster, config, estimate) : std::nullopt;
  if (!flags.report.empty()) {
    SUANLI_RETURN_IF_ERROR(WriteReport(flags.report, TrainEstimateHtml(subject, config, estimate, totals),
                                       flags.common.quiet));
  }
  if (flags.common.json) {
    PrintJson(TrainEstimateJson(subject, config, estimate, totals));
  } else if (flags.common.table_format == TableFormat::kCsv) {
    PrintCsvRows({TrainEstimateJson(subject, config, estimate, totals)}, {"model", "accelerator", "gpus", "fits"});
  } else if (flags.common.table_format != TableFormat::kTable) {
    fmt::print("{}", TrainEstimateMarkdown(subject, config, estimate, totals));
  } else {
    fmt::print("{}", TrainEstimateText(subject, config, estimate, totals));
  }
  return estimate.fits ? kExitOk : kExitInfeasible;
}

// Returns an error naming a flag the mode the flags ask for would ignore
// (the CLI's rule: an ignored flag is bad input, never silently dropped).
Status CheckModeFlags(const TrainFlags& flags, const CLI::App& app) {
  const bool curve = !flags.gpus_range.empty();
  if (curve) {
    if (app.count("--gpus") > 0) {
      return MakeError(Tr("--gpus does not apply with --gpus-range: the range gives the cluster sizes"), "--gpus",
                       Tr("give --gpus for one size, or --gpus-range for a curve"));
    }
    if (app.count("--tokens") > 0) {
      return MakeError(Tr("--tokens does not apply with --gpus-range: the curve has no campaign"), "--tokens",
                       Tr("give --gpus N --search --tokens for the campaign on N devices"));
    }
    const std::string ignored = FirstGiven(app, {"--top", "--recompute-layers"});
    if (!ignored.empty()) {
      return MakeError(TrFormat("{} does not apply with --gpus-range: the curve keeps the best layout at each size, "
                                "with the fewest recomputed layers that fit",
                                ignored),
                       ignored, Tr("leave it out, or give --gpus N --search for one cluster size"));
    }
    return OkStatus();
  }
  if (flags.search) {
    if (app.count("--recompute-layers") > 0) {
      return MakeError(Tr("--recompute-layers does not apply with --search: the search recomputes the fewest "
                          "layers that fit"),
                       "--recompute-layers", Tr("leave it out, or drop --search to estimate one layout"));
    }
    return OkStatus();
  }
  const std::string ignored = FirstGiven(app, {"--top", "--threads"});
  if (!ignored.empty()) {
    return MakeError(TrFormat("{} applies to --search and --gpus-range only", ignored), ignored,
                     Tr("add --search, or leave it out"));
  }
  return OkStatus();
}

// Resolves the model, accelerator, system and --tokens, then runs the mode the flags ask for.
Result<int> TrainBody(TrainFlags& flags, CLI::App& app) {
  SUANLI_RETURN_IF_ERROR(CheckModeFlags(flags, app));
  SUANLI_ASSIGN_OR_RETURN(flags.assumptions, MakePerfAssumptions(flags.assume));
  SUANLI_ASSIGN_OR_RETURN(const Catalog catalog, LoadCatalog(flags.common));
  SUANLI_ASSIGN_OR_RETURN(const ModelSpec model, ResolveModel(catalog, flags.model));
  SUANLI_ASSIGN_OR_RETURN(const Accelerator* accelerator, AcceleratorFlag(catalog, flags.accel, "--accel"));
  SUANLI_ASSIGN_OR_RETURN(const SoftwareStack* stack, UseStackFlagOn(flags.stack, *accelerator, app, flags.parallel));
  flags.software = stack;
  flags.memory = StackMemoryOptions(*stack);
  SUANLI_RETURN_IF_ERROR(UseOffloadFlag(flags.parallel, *stack, flags.memory, &flags.assumptions));
  SUANLI_RETURN_IF_ERROR(CheckMoeFlags(app, flags.parallel, model, flags.search || !flags.gpus_range.empty(), flags.gpus));
  SUANLI_RETURN_IF_ERROR(UseStackOn(*stack, *accelerator, app, flags.parallel, &flags.assumptions));
  SUANLI_RETURN_IF_ERROR(UsePrecisionFlag(*accelerator, app, flags.parallel));
  NoteBeyondContext(model, flags.parallel.seq_len, "--seq-len");
  NoteLargeGlobalBatch(model, flags.parallel);
  if (!flags.gpus_range.empty() || flags.search) {
    std::optional<Recompute> pinned;
    if (app.count("--recompute") > 0) {
      SUANLI_ASSIGN_OR_RETURN(pinned, ParseRecompute(flags.parallel.recompute));
    }
    NoteStackSelective(*stack, pinned);
  }
  const System* system = nullptr;
  if (!flags.system.empty()) {
    SUANLI_ASSIGN_OR_RETURN(system, catalog.FindSystemFor(flags.system, *accelerator));
  } else {
    system = catalog.DefaultSystemFor(accelerator->id);
  }
  const ClusterSpec cluster = MakeCluster(*accelerator, system);
  if (system != nullptr && system->fabric == "ethernet" &&
      (flags.gpus > cluster.scale_up_domain || !flags.gpus_range.empty())) {
    PrintNote(TrFormat("{}'s scale-out fabric is plain Ethernet (TCP sockets, no RDMA): the step model has no "
                       "calibrated figure for it and uses {}'s scale-out efficiency and the RDMA latency, an optimistic "
                       "bound (docs/perf-model.md; --assume perf.scale_out_latency_s=... for a what-if)",
                       system->id, accelerator->id));
  }
  double tokens = 0;
  if (!flags.tokens.empty()) {
    SUANLI_ASSIGN_OR_RETURN(tokens, ParseTokensFlag(flags.tokens));
  }
  const TrainSubject subject{model.id, accelerator->id, flags.gpus, flags.assume, accelerator->memory_bytes, {}};
  if (!flags.gpus_range.empty()) {
    SUANLI_ASSIGN_OR_RETURN(const ParallelConfig base, SearchBase(flags.parallel, model, 1));
    return ScalingCurve(flags, subject, model, cluster, base, app);
  }
  if (flags.gpus < 1) {
    return MakeError(TrFormat("--gpus must be at least 1, got {}", flags.gpus), "--gpus",
                     Tr("give the number of devices, or --gpus-range"));
  }
  SUANLI_RETURN_IF_ERROR(CheckClusterLinks(cluster, flags.gpus));
  if (flags.search) return SearchRun(flags, subject, model, cluster, tokens, app);
  return OneLayout(flags, subject, model, cluster, tokens);
}

}  // namespace

int RunTrain(int argc, char** argv) {
  CLI::App app{Tr("Training step time, throughput and MFU for a model on N devices: one layout, or "
                  "--search for the best."),
               "suanli train"};
  TrainFlags flags;
  AddCommonOptions(app, flags.common);
  AddParallelFlags(app, flags.parallel);
  AddModelOptions(app, flags.model, &flags.accel);
  app.add_option("--system", flags.system, Tr("system id (default: the accelerator's usual server)"));
  app.add_option("--gpus", flags.gpus, Tr("number of devices"))->check(CLI::Range(1, kMaxDevices));
  app.add_flag("--search", flags.search, Tr("search every valid layout and rank by throughput"));
  app.add_option("--top", flags.top, Tr("rows of the --search ranking"))->check(CLI::Range(1, 100));
  app.add_option("--threads", flags.threads, Tr("search threads"))->check(CLI::Range(1, 256));
  app.add_option("--gpus-range", flags.gpus_range, Tr("LOW:HIGH: best layout at LOW, at each power of two between and at HIGH"));
  app.add_option("--tokens", flags.tokens, Tr("training tokens (2T, 300B): adds total time and GPU-hours"))
      ->check(TokenCountCheck());
  app.add_option("--report", flags.report,
                 Tr("write the training report (charts, tables) to FILE.html"));
  AddAssumeOption(app, flags.assume);
  AddStackOption(app, flags.stack, StackDefault::kAuto);
  app.footer(Tr("examples:") + kTrainExamples);
  if (auto code = ParseArgs(app, argc, argv)) return *code;
  return ExitCode("train", TrainBody(flags, app));
}

}  // namespace suanli::cli
