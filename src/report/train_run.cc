// Train run renderers: they format estimates, searches and campaigns computed by the caller.
#include "report/train_run.h"

#include <fmt/format.h>

#include <cmath>

#include "core/i18n.h"
#include "core/text.h"
#include "core/units.h"
#include "report/json_util.h"
#include "report/layout_text.h"
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

// Returns `text` in the alarm colour in a table for people, plain in CSV, Markdown and JSON.
std::string AlarmCell(const std::string& text) {
  return CurrentOutput().format == TableFormat::kTable ? Alarm(text) : text;
}

// Returns how `other` compares with `best`: "4.1% slower: pipeline bubble", "same speed, +2.1 GiB".
std::string VersusBest(const StepEstimate& best, const StepEstimate& other) {
  const double slower_pct = 100.0 * (best.tokens_per_s / std::max(1e-30, other.tokens_per_s) - 1.0);
  if (slower_pct < 0.0005) {
    const double more_bytes = other.memory.total_bytes - best.memory.total_bytes;
    if (more_bytes < 0.05 * kGiB) return Tr("same speed and memory");
    return TrFormat("same speed, +{:.1f} GiB", more_bytes / kGiB);
  }
  const std::string pct = slower_pct < 0.1 ? fmt::format("{:.3f}", slower_pct) : fmt::format("{:.1f}", slower_pct);
  const std::vector<NamedAmount> a = StepParts(best.breakdown, true);
  const std::vector<NamedAmount> b = StepParts(other.breakdown, true);
  size_t worst = 0;
  for (size_t i = 1; i < a.size(); ++i) {
    if (b[i].amount - a[i].amount > b[worst].amount - a[worst].amount) worst = i;
  }
  if (b[worst].amount <= a[worst].amount) return TrFormat("{}% slower", pct);
  return TrFormat("{}% slower: {}", pct, Tr(a[worst].name));
}

// Returns whether `a` and `b` differ only in a detail: vp, or micro-batch at the same throughput.
bool SameButDetail(const SearchCandidate& a, const SearchCandidate& b) {
  ParallelConfig x = a.config, y = b.config;
  x.vp = y.vp = 1;
  if (ConfigJson(x) == ConfigJson(y)) return true;
  const double ta = a.estimate.tokens_per_s, tb = b.estimate.tokens_per_s;
  if (std::fabs(ta - tb) > 1e-9 * std::max(ta, tb)) return false;
  x.micro_batch = y.micro_batch = 1;
  return ConfigJson(x) == ConfigJson(y);
}

}  // namespace

std::vector<RankedRow> RankRows(const SearchResult& result, size_t rows) {
  std::vector<RankedRow> out;
  for (size_t i = 0; i < result.top.size(); ++i) {
    auto same = std::find_if(out.begin(), out.end(), [&](const RankedRow& row) {
      return SameButDetail(result.top[row.index], result.top[i]);
    });
    if (same != out.end()) {
      ++same->variants;
    } else if (out.size() < rows) {
      out.push_back({i, 0});
    }
  }
  return out;
}

std::string FewerRowsNote(const SearchResult& result, const std::vector<RankedRow>& rows, size_t asked) {
  if (rows.size() >= asked || result.top.empty()) return "";
  return TrFormat("{} of {} rows asked: the other layouts among the {} best found differ from these only in vp or micro-batch",
                  rows.size(), asked, result.top.size());
}

TextTable RankingTable(const SearchResult& result, const std::vector<RankedRow>& rows) {
  TextTable table({"#", Tr("layout"), "tokens/s", "MFU", Tr("memory"), Tr("vs best")});
  table.AlignColumn(2, TextTable::Align::kRight).AlignColumn(3, TextTable::Align::kRight);
  table.AlignColumn(4, TextTable::Align::kRight);
  const bool colored = CurrentOutput().format == TableFormat::kTable;
  for (size_t r = 0; r < rows.size(); ++r) {
    const SearchCandidate& c = result.top[rows[r].index];
    std::string layout = CompactConfigText(c.config);
    if (rows[r].variants == 1) layout += fmt::format(" {}", Tr("(+1 variant)"));
    if (rows[r].variants > 1) layout += fmt::format(" {}", TrFormat("(+{} variants)", rows[r].variants));
    // Wrapped cells lose their colour: the short rank and "best" cells carry it too.
    const bool mark = r == 0 && colored;
    const std::string versus = r == 0 ? Tr("best") : VersusBest(result.top.front().estimate, c.estimate);
    table.AddRow({mark ? Emphasis("1") : std::to_string(r + 1), mark ? Emphasis(layout) : layout,
                  FormatCount(c.estimate.tokens_per_s), fmt::format("{:.1f}%", 100 * c.estimate.mfu),
                  FormatBytes(c.estimate.memory.total_bytes), mark ? Emphasis(versus) : versus});
  }
  return table;
}

TextTable ScalingTable(const std::vector<ScalingPoint>& points) {
  TextTable table({Tr("devices"), "tokens/s", Tr("per device"), "MFU", Tr("step s"), Tr("layout")});
  for (size_t c = 0; c < 5; ++c) table.AlignColumn(c, TextTable::Align::kRight);
  for (const ScalingPoint& p : points) {
    if (!p.best) {
      table.AddRow({FormatCount(p.gpus), "-", "-", "-", "-", AlarmCell(Tr("does not fit"))});
      continue;
    }
    const StepEstimate& e = p.best->estimate;
    table.AddRow({FormatCount(p.gpus), FormatCount(e.tokens_per_s), FormatCount(e.tokens_per_s_per_gpu),
                  fmt::format("{:.1f}%", 100 * e.mfu), fmt::format("{:.3f}", e.step_time_s),
                  CompactConfigText(p.best->config)});
  }
  return table;
}

std::string SubjectLine(const TrainSubject& subject) {
  return TrFormat("{} on {} × {}", subject.model, FormatCount(subject.gpus), subject.accelerator);
}

std::string AssumedLine(const std::vector<std::string>& assumed) {
  return assumed.empty() ? std::string() : TrFormat("what-if: {}", Join(assumed, ", ")) + "\n";
}

// Steady state and the whole campaign are reported apart: the campaign adds
// the batch ramp, rollbacks, stragglers, evaluation and interruptions
// (model/campaign.h, default figures), and its range is how far published
// campaigns missed (docs/validation.md).
nlohmann::json CampaignJson(const CampaignTotals& totals) {
  const Campaign& c = totals.campaign;
  // Days at the JSON's full precision (10 significant digits), never coarser
  // than the table's: a script reading campaign_days_p50 gets 1290.3..., not 1290.
  const auto days = [](double s) { return RoundSig(s / 86400.0); };
  // total_time_* and gpu_hours are the whole campaign (what a run takes);
  // steady_state_* the throughput alone (docs/reports.md, JSON fields).
  return {{"tokens", JsonNumber(totals.tokens)},
          {"total_time_s", RoundSig(c.wall_s)},
          {"total_time_days", days(c.wall_s)},
          {"gpu_hours", RoundSig(c.wall_gpu_hours)},
          {"steady_state_s", RoundSig(c.train_s)},
          {"steady_state_days", days(c.train_s)},
          {"steady_state_gpu_hours", RoundSig(c.train_gpu_hours)},
          {"useful_fraction", RoundSig(c.useful_fraction)},
          {"campaign_days", days(c.wall_s)},
          {"campaign_gpu_hours", RoundSig(c.wall_gpu_hours)},
          {"campaign_stretch", RoundSig(c.wall_s / c.train_s)},
          {"campaign_losses_days",
           {{"batch_ramp", days(c.ramp_s)},
            {"rollbacks", days(c.rollback_s)},
            {"stragglers", days(c.straggler_s)},
            {"evaluation", days(c.eval_s)},
            {"interruptions", days(c.interruption_s)}}},
          {"campaign_days_p10", days(c.wall_p10_s)},
          {"campaign_days_p50", days(c.wall_p50_s)},
          {"campaign_days_p90", days(c.wall_p90_s)},
          {"model_error",
           {{"stack", totals.model_error.stack.empty() ? nlohmann::json(nullptr) : nlohmann::json(totals.model_error.stack)},
            {"all_families", totals.model_error.all_families},
            {"step_rows", totals.model_error.step_rows}}},
          {"layout_searched", totals.layout_searched},
          {"searched_layout_ratio", RoundSig(totals.searched_layout_ratio)}};
}

std::string CampaignText(const CampaignTotals& totals, int gpus) {
  const Campaign& c = totals.campaign;
  std::string out = Wrapped(TrFormat("steady state: {} tokens take {} ({} GPU-hours) at this throughput;",
                                     TokensText(totals.tokens), FormatDuration(c.train_s),
                                     FormatAmount(c.train_gpu_hours)));
  out += Wrapped(TrFormat("campaign: {} ({} GPU-hours, {:.2f}× steady state) with the batch ramp {}, rollbacks {}, "
                          "stragglers {}, evaluation {} and interruptions and checkpoints {} ({:.0f}% useful time "
                          "on {} devices);",
                          FormatDuration(c.wall_s), FormatAmount(c.wall_gpu_hours), c.wall_s / c.train_s,
                          FormatDuration(c.ramp_s), FormatDuration(c.rollback_s), FormatDuration(c.straggler_s),
                          FormatDuration(c.eval_s), FormatDuration(c.interruption_s), 100.0 * c.useful_fraction,
                          FormatCount(gpus)));
  out += Wrapped(TrFormat("{} at P50, {} to {} (P10-P90), if the campaign misses this estimate as published campaigns "
                          "missed theirs (docs/validation.md)",
                          FormatDuration(c.wall_p50_s), FormatDuration(c.wall_p10_s), FormatDuration(c.wall_p90_s)));
  out += Wrapped(TrFormat("model error: {}", ModelErrorBasis(totals.model_error)));
  out += Wrapped(totals.layout_searched
                     ? TrFormat("the layout is the search's: the range carries a further {:.3f} (published layouts "
                                "against the search's best)",
                                totals.searched_layout_ratio)
                     : TrFormat("the layout is given: the range leaves out the further {:.3f} that a layout from "
                                "--search or plan carries (published layouts against the search's best)",
                                totals.searched_layout_ratio));
  return out;
}

TextTable CampaignTable(const CampaignTotals& totals, int gpus) {
  const Campaign& c = totals.campaign;
  TextTable table({Tr("part"), Tr("days"), Tr("GPU-hours"), Tr("share of campaign")});
  const auto row = [&](const std::string& part, double s) {
    table.AddRow({part, fmt::format("{:.2f}", s / 86400.0), FormatAmount(s * gpus / 3600.0),
                  fmt::format("{:.1f}%", 100.0 * s / c.wall_s)});
  };
  row(Tr("steady state"), c.train_s);
  row(Tr("batch ramp"), c.ramp_s);
  row(Tr("rollbacks after loss spikes"), c.rollback_s);
  row(Tr("stragglers"), c.straggler_s);
  row(Tr("evaluation"), c.eval_s);
  row(Tr("interruptions and checkpoints"), c.interruption_s);
  row(Tr("campaign"), c.wall_s);
  return table;
}

nlohmann::json SearchJson(const SearchResult& result, const std::vector<RankedRow>& rows) {
  nlohmann::json top = nlohmann::json::array();
  for (const RankedRow& row : rows) {
    const SearchCandidate& candidate = result.top[row.index];
    nlohmann::json entry = EstimateJson(candidate.config, candidate.estimate);
    if (!candidate.lost_because.empty()) entry["lost_because"] = candidate.lost_because;
    entry["variants"] = row.variants;
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
  std::string out = fmt::format("{}\n{}\n{}", SubjectLine(subject), AssumedLine(subject.assumed),
                                EstimateText(config, estimate));
  if (totals) out += fmt::format("\n{}", CampaignText(*totals, subject.gpus));
  if (!estimate.fits && !subject.advice.empty()) out += fmt::format("\n{}", Wrapped(subject.advice));
  return out;
}

nlohmann::json TrainSearchJson(const TrainSubject& subject, const SearchResult& result,
                               const std::optional<CampaignTotals>& totals, size_t top) {
  nlohmann::json out = result.top.empty()
                           ? nlohmann::json{{"fits", false}}
                           : EstimateJson(result.top.front().config, result.top.front().estimate);
  AddSubject(out, subject);
  out["search"] = SearchJson(result, RankRows(result, top));
  if (result.top.empty()) out["reason"] = result.infeasible_reason;
  if (totals && !result.top.empty()) out.update(CampaignJson(*totals));
  return out;
}

std::string SearchSummary(const TrainSubject& subject, const SearchResult& result) {
  return TrFormat("{}: searched {} layouts ({} fit in memory) in {:.1f} s", SubjectLine(subject),
                  FormatCount(result.configs_evaluated), FormatCount(result.feasible), result.elapsed_s);
}

std::string TrainSearchText(const TrainSubject& subject, const SearchResult& result,
                            const std::optional<CampaignTotals>& totals, size_t top) {
  std::string out = fmt::format("{}\n{}\n", SearchSummary(subject, result), AssumedLine(subject.assumed));
  if (result.top.empty()) {
    return out + Wrapped(TrFormat("{}: {}", Tr("no feasible layout"), result.infeasible_reason_text));
  }
  out += EstimateText(result.top.front().config, result.top.front().estimate);
  if (totals) out += fmt::format("\n{}", CampaignText(*totals, subject.gpus));
  const std::vector<RankedRow> rows = RankRows(result, top);
  if (rows.size() > 1 || (!rows.empty() && rows.front().variants > 0)) {
    out += fmt::format("\n{}", RankingTable(result, rows).Render());
  }
  if (rows.size() < top) out += Wrapped(FewerRowsNote(result, rows, top));
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
  std::string out = fmt::format("{}\n{}\n{}", TrFormat("{} on {}: best layout at each cluster size", subject.model,
                                                         subject.accelerator),
                                AssumedLine(subject.assumed), ScalingTable(points).Render());
  for (const ScalingPoint& p : points) {
    if (!p.best) out += Wrapped(TrFormat("{} devices: {}", FormatCount(p.gpus), p.reason_text));
  }
  return out;
}

std::vector<nlohmann::json> TrainSearchCsvRows(const TrainSubject& subject, const SearchResult& result,
                                               const std::optional<CampaignTotals>& totals, size_t top) {
  std::vector<nlohmann::json> rows;
  const std::vector<RankedRow> ranked = RankRows(result, top);
  for (size_t r = 0; r < ranked.size(); ++r) {
    const SearchCandidate& candidate = result.top[ranked[r].index];
    nlohmann::json row = {{"rank", r + 1}};
    AddSubject(row, subject);
    row.update(EstimateJson(candidate.config, candidate.estimate));
    row["variants"] = ranked[r].variants;
    if (r == 0 && totals) row.update(CampaignJson(*totals));
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<nlohmann::json> ScalingCsvRows(const TrainSubject& subject, const std::vector<ScalingPoint>& points) {
  std::vector<nlohmann::json> rows;
  const nlohmann::json curve = ScalingJson(subject, points);
  for (nlohmann::json point : curve["scaling"]) {
    point["model"] = subject.model;
    point["accelerator"] = subject.accelerator;
    rows.push_back(std::move(point));
  }
  return rows;
}

std::string TrainEstimateMarkdown(const TrainSubject& subject, const ParallelConfig& config,
                                  const StepEstimate& estimate, const std::optional<CampaignTotals>& totals) {
  TextTable facts({Tr("field"), Tr("value")});
  facts.AddRow({Tr("subject"), SubjectLine(subject)});
  for (const auto& [label, value] : EstimateFacts(config, estimate)) facts.AddRow({label, value});
  std::string out = facts.RenderMarkdown();
  if (estimate.fits) out += "\n" + BreakdownTable(estimate).RenderMarkdown();
  if (totals) out += "\n" + CampaignTable(*totals, subject.gpus).RenderMarkdown();
  return out;
}

std::string TrainSearchMarkdown(const TrainSubject& subject, const SearchResult& result,
                                const std::optional<CampaignTotals>& totals, size_t top) {
  if (result.top.empty()) {
    TextTable facts({Tr("field"), Tr("value")});
    facts.AddRow({Tr("subject"), SubjectLine(subject)});
    facts.AddRow({Tr("no feasible layout"), result.infeasible_reason_text});
    return facts.RenderMarkdown();
  }
  return TrainEstimateMarkdown(subject, result.top.front().config, result.top.front().estimate, totals) + "\n" +
         RankingTable(result, RankRows(result, top)).RenderMarkdown();
}

}  // namespace suanli
