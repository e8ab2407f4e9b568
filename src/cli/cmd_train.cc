// `suanli train`: step time, throughput, MFU and breakdown of one layout, or
// the best layouts found by --search, or a scaling curve over --gpus-range.
#include <cmath>
#include <string>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/common.h"
#include "core/units.h"
#include "model/reliability.h"
#include "report/json_util.h"
#include "report/table.h"
#include "report/train_report.h"
#include "search/search.h"

namespace suanli::cli {
namespace {

constexpr const char* kExamples = R"(examples:
  suanli train --model llama-2-70b --accel a800-sxm-80gb --gpus 64 --tp 8 --pp 2
  suanli train --model gpt3-175b --accel a100-sxm-80gb --gpus 1024 --search --global-batch 1536
  suanli train --model llama-3-8b --accel h800-sxm-80gb --gpus 256 --search --tokens 15T --json
  suanli train --model llama-2-13b --accel rtx-4090 --gpus-range 8:512 --search
)";

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
  PerfAssumptions assumptions;      // defaults with --assume applied
};

// Parses "1.5T", "2e12", "300B" into tokens.
Result<double> ParseTokens(const std::string& text) {
  auto value = ParseQuantity(text, Dimension::kTokens);
  if (!value.ok() || *value <= 0 || *value > 1e16) {
    return MakeError(fmt::format("'{}' is not a token count between 1 and 1e16", text), "--tokens",
                     "write e.g. 2T, 300B or 1.5e12");
  }
  return *value;
}

// The campaign also loses time to interruptions, checkpoints and restarts,
// and its range is how far published runs missed the step model: the
// reliability model's default figures (model/reliability.h).
nlohmann::json TotalsJson(double tokens, const StepEstimate& e, int gpus, bool moe) {
  const Campaign c = CampaignFor(tokens, e.tokens_per_s, gpus, ReliabilityAssumptions{}, moe);
  return {{"tokens", tokens},
          {"total_time_s", RoundSig(c.train_s)},
          {"total_time_days", RoundSig(c.train_s / 86400.0, 4)},
          {"gpu_hours", RoundSig(c.train_gpu_hours)},
          {"useful_fraction", RoundSig(c.useful_fraction, 4)},
          {"campaign_days", RoundSig(c.wall_s / 86400.0, 4)},
          {"campaign_gpu_hours", RoundSig(c.wall_gpu_hours)},
          {"campaign_days_p10", RoundSig(c.wall_p10_s / 86400.0, 4)},
          {"campaign_days_p90", RoundSig(c.wall_p90_s / 86400.0, 4)}};
}

std::string TotalsText(double tokens, const StepEstimate& e, int gpus, bool moe) {
  const Campaign c = CampaignFor(tokens, e.tokens_per_s, gpus, ReliabilityAssumptions{}, moe);
  return fmt::format("{:.3g} tokens take {} ({:.3g} GPU-hours) at this throughput, before failures "
                     "and restarts;\n{} ({:.3g} GPU-hours) with interruptions and checkpoints at "
                     "Llama 3's rate ({:.0f}% useful time on {} devices);\n{} to {} (P10-P90) if the "
                     "run misses this estimate as published runs missed theirs (docs/validation.md)\n",
                     tokens, FormatDuration(c.train_s), c.train_gpu_hours, FormatDuration(c.wall_s),
                     c.wall_gpu_hours, 100.0 * c.useful_fraction, gpus,
                     FormatDuration(c.wall_p10_s), FormatDuration(c.wall_p90_s));
}

// Returns the layout-independent settings of the flags (sequence length,
// precision, recompute) as a config on `gpus` devices; the search varies the rest.
Result<ParallelConfig> SearchBase(ParallelFlags flags, const ModelSpec& model, int gpus) {
  flags.tp = flags.pp = flags.cp = flags.ep = flags.vp = 1;
  flags.dp.reset();
  flags.global_batch.reset();
  return MakeParallelConfig(flags, model, gpus);
}

SearchOptions MakeSearchOptions(const TrainFlags& flags, const ParallelConfig& base, int gpus,
                                CLI::App& app) {
  SearchOptions options;
  options.gpus = gpus;
  options.seq_len = base.seq_len;
  options.precision = base.precision;
  options.global_batch = flags.parallel.global_batch.value_or(0);
  options.top_k = flags.top;
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
  return options;
}

nlohmann::json SearchJson(const SearchResult& result) {
  nlohmann::json top = nlohmann::json::array();
  for (const SearchCandidate& candidate : result.top) {
    nlohmann::json entry = EstimateJson(candidate.config, candidate.estimate);
    if (!candidate.lost_because.empty()) entry["lost_because"] = candidate.lost_because;
    top.push_back(entry);
  }
  nlohmann::json rejected = nlohmann::json::object();
  for (const auto& [reason, count] : result.rejected) rejected[reason] = count;
  return {{"configs_evaluated", result.configs_evaluated},
          {"feasible", result.feasible},
          {"elapsed_s", RoundSig(result.elapsed_s, 3)},
          {"rejected", rejected},
          {"top", top}};
}

int RunScalingCurve(const TrainFlags& flags, const ModelSpec& model, const ClusterSpec& cluster,
                    const ParallelConfig& base, CLI::App& app) {
  int low = 0, high = 0;
  char trailing = 0;
  if (std::sscanf(flags.gpus_range.c_str(), "%d:%d%c", &low, &high, &trailing) != 2 || low < 1 ||
      high < low || high > kMaxDevices) {
    return ReportError("train", MakeError(fmt::format("bad range '{}'", flags.gpus_range),
                                          "--gpus-range",
                                          fmt::format("write LOW:HIGH with 1 <= LOW <= HIGH <= {}, e.g. 8:4096",
                                                      kMaxDevices)));
  }
  nlohmann::json points = nlohmann::json::array();
  TextTable table({"gpus", "tokens/s", "per gpu", "MFU", "step s", "layout"});
  for (size_t c = 0; c < 5; ++c) table.AlignColumn(c, TextTable::Align::kRight);
  bool any = false;
  for (int64_t next = low; next <= high; next *= 2) {
    const int gpus = static_cast<int>(next);
    SearchOptions options = MakeSearchOptions(flags, base, gpus, app);
    options.top_k = 1;
    const SearchResult result = SearchLayouts(model, cluster, options);
    if (result.top.empty()) {
      points.push_back({{"gpus", gpus}, {"feasible", false}, {"reason", result.infeasible_reason}});
      table.AddRow({std::to_string(gpus), "-", "-", "-", "-", "does not fit"});
      continue;
    }
    any = true;
    const SearchCandidate& best = result.top.front();
    nlohmann::json point = EstimateJson(best.config, best.estimate);
    point["gpus"] = gpus;
    point["feasible"] = true;
    points.push_back(point);
    table.AddRow({std::to_string(gpus), fmt::format("{:.0f}", best.estimate.tokens_per_s),
                  fmt::format("{:.1f}", best.estimate.tokens_per_s_per_gpu),
                  fmt::format("{:.1f}%", 100 * best.estimate.mfu),
                  fmt::format("{:.3f}", best.estimate.step_time_s), ConfigText(best.config)});
  }
  if (flags.common.json) {
    nlohmann::json out = {{"model", model.id}, {"accelerator", cluster.accelerator->id}, {"scaling", points}};
    if (!flags.assume.empty()) out["assumed"] = flags.assume;
    PrintJson(out);
  } else {
    fmt::print("{} on {}: best layout at each cluster size\n{}\n{}", model.id, cluster.accelerator->id,
               AssumedText(flags.assume), table.Render());
  }
  return any ? kExitOk : kExitInfeasible;
}

}  // namespace

int RunTrain(int argc, char** argv) {
  CLI::App app{"Training step time, throughput and MFU for a model on N devices: one layout, or "
               "--search for the best.",
               "suanli train"};
  TrainFlags flags;
  AddCommonOptions(app, flags.common);
  AddParallelFlags(app, flags.parallel);
  AddModelOptions(app, flags.model, &flags.accel);
  app.add_option("--system", flags.system, "system id (default: the accelerator's usual server)");
  app.add_option("--gpus", flags.gpus, "number of devices")->check(CLI::Range(1, kMaxDevices));
  app.add_flag("--search", flags.search, "search every valid layout and rank by throughput");
  app.add_option("--top", flags.top, "layouts to show with --search")->check(CLI::Range(1, 100));
  app.add_option("--threads", flags.threads, "search threads")->check(CLI::Range(1, 256));
  app.add_option("--gpus-range", flags.gpus_range, "LOW:HIGH: best layout at each power of two");
  app.add_option("--tokens", flags.tokens, "training tokens (2T, 300B): adds total time and GPU-hours");
  AddAssumeOption(app, flags.assume);
  app.footer(kExamples);
  if (auto code = ParseArgs(app, argc, argv)) return *code;
  auto assumptions = MakePerfAssumptions(flags.assume);
  if (!assumptions.ok()) return ReportError("train", assumptions.error());
  flags.assumptions = *assumptions;

  auto catalog = LoadCatalog(flags.common);
  if (!catalog.ok()) return ReportError("train", catalog.error());
  auto model = ResolveModel(*catalog, flags.model);
  if (!model.ok()) return ReportError("train", model.error());
  auto accelerator = catalog->FindAccelerator(flags.accel);
  if (!accelerator.ok()) return ReportError("train", accelerator.error());
  const System* system = nullptr;
  if (!flags.system.empty()) {
    auto found = catalog->FindSystem(flags.system);
    if (!found.ok()) return ReportError("train", found.error());
    system = *found;
  } else {
    system = catalog->DefaultSystemFor((*accelerator)->id);
  }
  const ClusterSpec cluster = MakeCluster(**accelerator, system);
  double tokens = 0;
  if (!flags.tokens.empty()) {
    auto parsed = ParseTokens(flags.tokens);
    if (!parsed.ok()) return ReportError("train", parsed.error());
    tokens = *parsed;
  }

  if (!flags.gpus_range.empty()) {
    auto base = SearchBase(flags.parallel, *model, 1);
    if (!base.ok()) return ReportError("train", base.error());
    return RunScalingCurve(flags, *model, cluster, *base, app);
  }
  if (flags.gpus < 1) {
    return ReportError("train", MakeError(fmt::format("--gpus must be at least 1, got {}", flags.gpus),
                                          "--gpus", "give the number of devices, or --gpus-range"));
  }

  if (flags.search) {
    auto base = SearchBase(flags.parallel, *model, flags.gpus);
    if (!base.ok()) return ReportError("train", base.error());
    const SearchOptions options = MakeSearchOptions(flags, *base, flags.gpus, app);
    const SearchResult result = SearchLayouts(*model, cluster, options);
    if (flags.common.json) {
      nlohmann::json out = result.top.empty()
                               ? nlohmann::json{{"fits", false}}
                               : EstimateJson(result.top.front().config, result.top.front().estimate);
      if (!flags.assume.empty()) out["assumed"] = flags.assume;
      out["model"] = model->id;
      out["accelerator"] = (*accelerator)->id;
      out["gpus"] = flags.gpus;
      out["search"] = SearchJson(result);
      if (result.top.empty()) out["reason"] = result.infeasible_reason;
      if (tokens > 0 && !result.top.empty()) {
        out.update(TotalsJson(tokens, result.top.front().estimate, flags.gpus, model->IsMoe()));
      }
      PrintJson(out);
    } else {
      fmt::print("{} on {} x {}: searched {} layouts ({} fit in memory) in {:.2f} s\n{}\n",
                 model->id, flags.gpus, (*accelerator)->id, result.configs_evaluated, result.feasible,
                 result.elapsed_s, AssumedText(flags.assume));
      if (result.top.empty()) {
        fmt::print("no feasible layout: {}\n", result.infeasible_reason);
      } else {
        fmt::print("{}", EstimateText(result.top.front().config, result.top.front().estimate));
        if (tokens > 0) fmt::print("\n{}", TotalsText(tokens, result.top.front().estimate, flags.gpus, model->IsMoe()));
        if (result.top.size() > 1) {
          TextTable table({"rank", "layout", "tokens/s", "MFU", "memory", "why it lost"});
          table.AlignColumn(2, TextTable::Align::kRight).AlignColumn(3, TextTable::Align::kRight);
          for (size_t i = 0; i < result.top.size(); ++i) {
            const SearchCandidate& c = result.top[i];
            table.AddRow({std::to_string(i + 1), ConfigText(c.config),
                          fmt::format("{:.0f}", c.estimate.tokens_per_s),
                          fmt::format("{:.1f}%", 100 * c.estimate.mfu), FormatBytes(c.estimate.memory.total_bytes),
                          i == 0 ? "best" : c.lost_because});
          }
          fmt::print("\n{}", table.Render());
        }
      }
    }
    return result.top.empty() ? kExitInfeasible : kExitOk;
  }

  auto config = MakeParallelConfig(flags.parallel, *model, flags.gpus);
  if (!config.ok()) return ReportError("train", config.error());
  const StepEstimate estimate = EstimateStep(*model, cluster, *config, flags.assumptions);
  if (flags.common.json) {
    nlohmann::json out = EstimateJson(*config, estimate);
    if (!flags.assume.empty()) out["assumed"] = flags.assume;
    out["model"] = model->id;
    out["accelerator"] = (*accelerator)->id;
    out["gpus"] = flags.gpus;
    if (tokens > 0) out.update(TotalsJson(tokens, estimate, flags.gpus, model->IsMoe()));
    PrintJson(out);
  } else {
    fmt::print("{} on {} x {}\n{}\n{}", model->id, flags.gpus, (*accelerator)->id,
               AssumedText(flags.assume), EstimateText(*config, estimate));
    if (tokens > 0) fmt::print("\n{}", TotalsText(tokens, estimate, flags.gpus, model->IsMoe()));
    if (!estimate.fits) {
      fmt::print("\nthis layout does not fit: try --search, more --pp/--tp, --zero 3 or "
                 "--recompute full\n");
    }
  }
  return estimate.fits ? kExitOk : kExitInfeasible;
}

}  // namespace suanli::cli
