// Train run renderers: they format estimates, searches and campaigns computed by the caller.
#include "report/train_run.h"

#include <fmt/format.h>

#include "core/text.h"
#include "core/units.h"
#include "report/json_util.h"
#include "report/table.h"
#include "report/train_report.h"

namespace suanli {
namespace {

// Adds the subject's keys (model, accelerator, gpus, assumed) to `out`.
void AddSubject(nlohmann::json& out, const TrainSubject& subject) {
  if (!subject.assumed.empty()) out["assumed"] = subject.assumed;
  out["model"] = subject.model;
  out["accelerator"] = subject.accelerator;
  out["gpus"] = subject.gpus;
}

}  // namespace

std::string AssumedLine(const std::vector<std::string>& assumed) {
  return assumed.empty() ? std::string() : fmt::format("what-if: {}\n", Join(assumed, ", "));
}

// The campaign also loses time to interruptions, checkpoints and restarts,
// and its range is how far published runs missed the step model: the
// reliability model's default figures (model/reliability.h).
nlohmann::json CampaignJson(const CampaignTotals& totals) {
  const Campaign& c = totals.campaign;
  return {{"tokens", totals.tokens},
          {"total_time_s", RoundSig(c.train_s)},
          {"total_time_days", RoundSig(c.train_s / 86400.0, 4)},
          {"gpu_hours", RoundSig(c.train_gpu_hours)},
          {"useful_fraction", RoundSig(c.useful_fraction, 4)},
          {"campaign_days", RoundSig(c.wall_s / 86400.0, 4)},
          {"campaign_gpu_hours", RoundSig(c.wall_gpu_hours)},
          {"campaign_days_p10", RoundSig(c.wall_p10_s / 86400.0, 4)},
          {"campaign_days_p90", RoundSig(c.wall_p90_s / 86400.0, 4)}};
}

std::string CampaignText(const CampaignTotals& totals, int gpus) {
  const Campaign& c = totals.campaign;
  return fmt::format("{:.3g} tokens take {} ({:.3g} GPU-hours) at this throughput, before failures "
                     "and restarts;\n{} ({:.3g} GPU-hours) with interruptions and checkpoints at "
                     "Llama 3's rate ({:.0f}% useful time on {} devices);\n{} to {} (P10-P90) if the "
                     "run misses this estimate as published runs missed theirs (docs/validation.md)\n",
                     totals.tokens, FormatDuration(c.train_s), c.train_gpu_hours,
                     FormatDuration(c.wall_s), c.wall_gpu_hours, 100.0 * c.useful_fraction, gpus,
                     FormatDuration(c.wall_p10_s), FormatDuration(c.wall_p90_s));
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

nlohmann::json TrainEstimateJson(const TrainSubject& subject, const ParallelConfig& config,
                                 const StepEstimate& estimate,
                                 const std::optional<CampaignTotals>& totals) {
  nlohmann::json out = EstimateJson(config, estimate);
  AddSubject(out, subject);
  if (totals) out.update(CampaignJson(*totals));
  return out;
}

std::string TrainEstimateText(const TrainSubject& subject, const ParallelConfig& config,
                              const StepEstimate& estimate,
                              const std::optional<CampaignTotals>& totals) {
  std::string out = fmt::format("{} on {} x {}\n{}\n{}", subject.model, subject.gpus,
                                subject.accelerator, AssumedLine(subject.assumed),
                                EstimateText(config, estimate));
  if (totals) out += fmt::format("\n{}", CampaignText(*totals, subject.gpus));
  if (!estimate.fits) {
    out += "\nthis layout does not fit: try --search, more --pp/--tp, --zero 3 or "
           "--recompute full\n";
  }
  return out;
}

nlohmann::json TrainSearchJson(const TrainSubject& subject, const SearchResult& result,
                               const std::optional<CampaignTotals>& totals) {
  nlohmann::json out = result.top.empty()
                           ? nlohmann::json{{"fits", false}}
                           : EstimateJson(result.top.front().config, result.top.front().estimate);
  AddSubject(out, subject);
  out["search"] = SearchJson(result);
  if (result.top.empty()) out["reason"] = result.infeasible_reason;
  if (totals && !result.top.empty()) out.update(CampaignJson(*totals));
  return out;
}

std::string TrainSearchText(const TrainSubject& subject, const SearchResult& result,
                            const std::optional<CampaignTotals>& totals) {
  std::string out = fmt::format(
      "{} on {} x {}: searched {} layouts ({} fit in memory) in {:.2f} s\n{}\n", subject.model,
      subject.gpus, subject.accelerator, result.configs_evaluated, result.feasible,
      result.elapsed_s, AssumedLine(subject.assumed));
  if (result.top.empty()) return out + fmt::format("no feasible layout: {}\n", result.infeasible_reason);
  out += EstimateText(result.top.front().config, result.top.front().estimate);
  if (totals) out += fmt::format("\n{}", CampaignText(*totals, subject.gpus));
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
    out += fmt::format("\n{}", table.Render());
  }
  return out;
}

nlohmann::json ScalingJson(const TrainSubject& subject, const std::vector<ScalingPoint>& points) {
  nlohmann::json list = nlohmann::json::array();
  for (const ScalingPoint& p : points) {
    if (!p.best) {
      list.push_back({{"gpus", p.gpus}, {"feasible", false}, {"reason", p.reason}});
      continue;
    }
    nlohmann::json point = EstimateJson(p.best->config, p.best->estimate);
    point["gpus"] = p.gpus;
    point["feasible"] = true;
    list.push_back(point);
  }
  nlohmann::json out = {{"model", subject.model}, {"accelerator", subject.accelerator},
                        {"scaling", list}};
  if (!subject.assumed.empty()) out["assumed"] = subject.assumed;
  return out;
}

std::string ScalingText(const TrainSubject& subject, const std::vector<ScalingPoint>& points) {
  TextTable table({"gpus", "tokens/s", "per gpu", "MFU", "step s", "layout"});
  for (size_t c = 0; c < 5; ++c) table.AlignColumn(c, TextTable::Align::kRight);
  for (const ScalingPoint& p : points) {
    if (!p.best) {
      table.AddRow({std::to_string(p.gpus), "-", "-", "-", "-", "does not fit"});
      continue;
    }
    const StepEstimate& e = p.best->estimate;
    table.AddRow({std::to_string(p.gpus), fmt::format("{:.0f}", e.tokens_per_s),
                  fmt::format("{:.1f}", e.tokens_per_s_per_gpu), fmt::format("{:.1f}%", 100 * e.mfu),
                  fmt::format("{:.3f}", e.step_time_s), ConfigText(p.best->config)});
  }
  return fmt::format("{} on {}: best layout at each cluster size\n{}\n{}", subject.model,
                     subject.accelerator, AssumedLine(subject.assumed), table.Render());
}

}  // namespace suanli
