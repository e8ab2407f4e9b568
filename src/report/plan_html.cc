// The plan's HTML page (report/plan_html.h): per workload the recommendation,
// the five charts and every table the terminal prints, then the assumptions
// and every quote's source and date.
#include "report/plan_html.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "core/date.h"
#include "core/i18n.h"
#include "report/plan_serving_report.h"
#include "report/html_page.h"
#include "report/layout_text.h"
#include "report/plan_html_charts.h"
#include "plan/mixes.h"

namespace suanli {
namespace {

// The page's name of the frontier chart of workload `index` (the first is
// "frontier", the name the browser test looks for).
std::string FrontierName(size_t index) { return index == 0 ? "frontier" : fmt::format("frontier-{}", index + 1); }

// The suppliers of an option, in words: "China retail (estimate)" or two joined.
std::string Suppliers(const PlanOptionResult& o) {
  std::vector<std::string> names;
  for (const MixPart& p : o.mix) {
    if (std::find(names.begin(), names.end(), p.supplier) == names.end()) names.push_back(p.supplier);
  }
  return fmt::format("{}", fmt::join(names, " + "));
}

// The recommendation as a callout, the key facts and every reason.
void AddRecommendation(HtmlPage& page, const WorkloadPlan& w, const PlanInput& in) {
  const PlanOptionResult& o = w.options[std::max(0, w.recommendation.option)];
  const std::string what =
      TrFormat("{} {} × {}", Tr(o.mode == BuyMode::kRent ? "rent" : "buy"), FormatCount(o.gpus), o.accelerator);
  // A P90 that never comes (an export rule stops deliveries) has its own words, not "never (P90)".
  const bool p90_never = o.finish_p90_date == kNeverDate;
  const std::string trained = p90_never ? TrFormat("trained by {} (P50), but it {} (no P90 finish)",
                                                   FormatFinish(o.finish_p50_date), NeverFinishText(o.stop_share))
                                        : TrFormat("trained by {} (P50), {} (P90)", FormatFinish(o.finish_p50_date),
                                                   FormatDate(o.finish_p90_date));
  page.Callout(TrFormat("Recommendation: {} from {}; arrives {} (week {:.1f}); {}; total cost {} ({} cash paid "
                        "before the resale credit).",
                        what, Suppliers(o), FormatDate(AddDays(in.date, o.arrival_weeks * 7)), o.arrival_weeks,
                        trained, FormatMoney(o.cost.total, in.currency), FormatMoney(o.cost.cash, in.currency)),
               HtmlPage::Tone::kGood);
  page.Facts({{Tr("what"), what},
              {Tr("from whom"), PlanMixText(o) + " — " + Suppliers(o)},
              {Tr("arrives"), TrFormat("{} (week {:.1f})", FormatDate(AddDays(in.date, o.arrival_weeks * 7)),
                                       o.arrival_weeks)},
              {Tr("training starts"), FormatDate(AddDays(in.date, o.start_weeks * 7))},
              {Tr("trained by (P50 / P90)"),
               FormatFinish(o.finish_p50_date) + " / " +
                   (p90_never ? TrFormat("never ({})", NeverFinishText(o.stop_share)) : FormatDate(o.finish_p90_date))},
              {Tr("total cost"), FormatMoney(o.cost.total, in.currency)},
              {Tr("cash paid (before the resale credit)"), FormatMoney(o.cost.cash, in.currency)},
              {Tr("layout"), PlanLayoutLongText(o.layout)},
              {Tr("reproduce with"), PlanTrainCommand(w, o)}});
  page.Paragraph(Tr("Why this option:"));
  page.List(w.recommendation.reasons);
  if (in.constraints.has_deadline && o.finish_p90_date > in.constraints.deadline) {
    page.Callout(p90_never ? TrFormat("Risk: it {}, so no P90 finish comes by the deadline {}.",
                                      NeverFinishText(o.stop_share), FormatDate(in.constraints.deadline))
                           : TrFormat("Risk: the P90 finish {} is after the deadline {}.",
                                      FormatDate(o.finish_p90_date), FormatDate(in.constraints.deadline)),
                 HtmlPage::Tone::kWarning);
  }
}

// The cost breakdown of the shown options as a table (money never wraps).
TextTable CostTable(const WorkloadPlan& w, const std::string& currency) {
  std::vector<std::string> header = {"#", Tr("accelerator"), Tr("cards")};
  const auto parts = PlanCostParts(CostBreakdown{});
  for (const auto& [label, amount] : parts) header.push_back(label);
  header.push_back(Tr("total cost"));
  header.push_back(Tr("cash paid"));
  TextTable table(header);
  for (size_t c = 2; c < header.size(); ++c) table.AlignColumn(c, TextTable::Align::kRight);
  table.AlignColumn(0, TextTable::Align::kRight);
  for (size_t i = 0; i < w.options.size(); ++i) {
    const PlanOptionResult& o = w.options[i];
    std::vector<std::string> row = {std::to_string(i + 1), o.accelerator, FormatCount(o.gpus)};
    for (const auto& [label, amount] : PlanCostParts(o.cost)) row.push_back(FormatMoney(amount, currency));
    row.push_back(FormatMoney(o.cost.total, currency));
    row.push_back(FormatMoney(o.cost.cash, currency));
    table.AddRow(std::move(row));
  }
  return table;
}

// Every quote of the market the plan saw: supplier, terms, status, date and source.
TextTable QuoteTable(const PlanInput& in) {
  TextTable table({Tr("quote"), Tr("supplier"), Tr("accelerator"), Tr("mode"),
                   TrFormat("price ({}; as quoted)", in.currency), Tr("lead (weeks)"), Tr("warranty"), Tr("payment"),
                   Tr("status"), Tr("observed"), Tr("source")});
  table.AlignColumn(4, TextTable::Align::kRight)
      .AlignColumn(5, TextTable::Align::kRight)
      .AlignColumn(9, TextTable::Align::kRight);
  for (const PlanQuote& q : in.quotes) {
    // The price the plan used (per unit and per card, in the report's currency) and the quote's own.
    const std::string price = MixPartPriceText(MakeMixPart(q, std::max(1, q.cards_per_unit)), in.currency);
    const std::string status =
        q.allowed ? (q.warning.empty() ? Tr("on offer") : Tr("on offer, with a caveat: ") + q.warning)
                  : TrFormat("blocked ({}): {}", q.blocked_category, q.blocked_reason);
    table.AddRow({q.id, q.supplier, q.sku, Tr(q.mode == BuyMode::kRent ? "rent" : "buy"), price,
                  fmt::format("{:g}–{:g}–{:g}", q.lead_weeks_min, q.lead_weeks_likely, q.lead_weeks_max),
                  q.warranty_months > 0 ? TrFormat("{} months", q.warranty_months) : Tr("none"),
                  q.payment.empty() ? Tr("standard") : q.payment, status, FormatDate(q.observed), q.source});
  }
  return table;
}

// One workload: recommendation, charts, tables and lists.
void AddWorkload(HtmlPage& page, const WorkloadPlan& w, size_t index, const PlanInput& in) {
  const bool feasible = w.status == PlanStatus::kFeasible;
  page.Heading(TrFormat("Workload {}: {} — {} on {} tokens ({})", index + 1, w.name, w.model, TokensText(w.tokens),
                        feasible ? Tr("feasible") : Tr("INFEASIBLE")));
  if (!w.options.empty()) {
    std::string caption = Tr("Time to a trained model against total cost: each point an option (P50), whiskers "
                             "P10–P90, the frontier dashed, the recommendation ringed. Hover a point for its details.");
    if (std::any_of(w.options.begin(), w.options.end(),
                    [](const PlanOptionResult& o) { return o.finish_p90_date == kNeverDate; })) {
      caption += " " + Tr("A dashed whisker that runs to the right edge, marked \"never\", is an option an export "
                          "rule may stop: its P90 never comes.");
    }
    page.Chart(caption, PlanFrontierChart(w, in), FrontierName(index));
    AddRecommendation(page, w, in);
    page.Table(PlanOptionsPageTable(w, in.currency),
               TrFormat("Options ({} evaluated; * = on the time/cost frontier, ★ = recommended; quotes and "
                        "schedule below)",
                        FormatCount(static_cast<double>(w.options_evaluated))));
    page.Paragraph(Tr("Quotes and schedule (cards × quote, likely lead time):"));
    page.List(PlanScheduleLines(w, in.currency));
    page.Paragraph(PlanFrontierText(w, in.currency));
    page.Chart(Tr("Procurement and training timeline: order, delivery per quote, setup, training; ticks at the "
                  "P50 and P90 finish"),
               PlanTimelineChart(w, in), "timeline");
    page.Chart(Tr("Where the step time goes (exposed time per optimizer step, best layout)"), PlanStepTimeChart(w),
               "step-time");
    page.Chart(Tr("Cost breakdown (resale value credited below zero)"), PlanCostChart(w, in), "cost");
    page.Table(CostTable(w, in.currency), TrFormat("Cost breakdown ({})", in.currency));
    page.Chart(Tr("Training throughput against cluster size"), PlanThroughputChart(w), "throughput");
    const std::vector<std::string> notes = PlanQuoteNotes(w);
    if (!notes.empty()) {
      page.Heading(Tr("Notes on the quotes above"));
      page.List(notes);
    }
  } else {
    page.Callout(Tr("No feasible option."), HtmlPage::Tone::kWarning);
  }
  const auto lines = [](const std::vector<Excluded>& list) {
    std::vector<std::string> items;
    for (const Excluded& e : list) items.push_back(TrFormat("{}: {}", e.accelerator, e.reason));
    return items;
  };
  if (const auto limits = lines(PlanExclusions(w, true)); !limits.empty()) {
    page.Heading(Tr("Limits of the accelerators shown"));
    page.List(limits);
  }
  if (const auto excluded = lines(PlanExclusions(w, false)); !excluded.empty()) {
    page.Heading(Tr("Excluded"));
    page.List(excluded);
  }
  if (!w.dropped.empty()) {
    page.Heading(Tr("Considered and dropped (counted)"));
    page.List(PlanDroppedLines(w.dropped));
  }
  if (!w.min_cards.empty()) {
    std::vector<std::string> fewest;
    for (const MinCards& m : w.min_cards) {
      fewest.push_back(fmt::format("{} {}", m.accelerator, m.cards > 0 ? FormatCount(m.cards) : Tr("none")));
    }
    page.Paragraph(TrFormat("Fewest cards that fit (as `suanli fit` and `suanli compare` say): {}",
                            fmt::join(fewest, ", ")));
  }
}

}  // namespace

std::string PlanReportHtml(const PlanReport& report) {
  const PlanInput& in = *report.input;
  const PlanResult& result = *report.result;
  std::vector<std::string> names;
  for (const WorkloadPlan& w : result.workloads) names.push_back(w.name);
  HtmlPage page(TrFormat("Plan: {} — {}", report.file, fmt::join(names, "; ")),
                TrFormat("buyer {} in {} on {}, prices in {}, objective {}", PlanValueText(in.tier), in.region,
                         FormatDate(in.date), in.currency, PlanValueText(ObjectiveName(in.objective))));
  std::vector<std::pair<std::string, std::string>> facts = {
      {Tr("scenario"), report.file},
      {Tr("status"), PlanFeasible(report)                ? Tr("a plan for every workload")
                     : result.programme.Feasible() ? Tr("some workload has no feasible option")
                                                   : Tr("the workloads together break the shared budget or stock")},
      {Tr("at most"), TrFormat("{} cards", FormatCount(in.constraints.max_devices))}};
  if (in.constraints.budget > 0) facts.push_back({Tr("budget"), FormatMoney(in.constraints.budget, in.currency)});
  if (in.constraints.has_deadline) facts.push_back({Tr("deadline"), FormatDate(in.constraints.deadline)});
  facts.push_back({Tr("market"), TrFormat("{} quotes (seed {}, store {}, scenario {})",
                                          report.quotes_seed + report.quotes_store + report.quotes_inline,
                                          report.quotes_seed, report.quotes_store, report.quotes_inline)});
  page.Facts(facts);
  for (size_t wi = 0; wi < result.workloads.size(); ++wi) AddWorkload(page, result.workloads[wi], wi, in);
  if (result.programme.checked || !result.programme.Feasible()) {
    page.Heading(PlanProgrammeHeading(result.programme));
    if (!result.programme.Feasible()) {
      page.Callout(Tr("The recommendations together break the shared budget or stock."), HtmlPage::Tone::kWarning);
    }
    page.List(PlanProgrammeLines(result.programme, in.currency));
  }
  if (report.serving != nullptr) AddServingSections(page, *report.serving, in);
  if (!report.market_dropped.empty()) {
    page.Heading(Tr("Quotes not on offer on the buyer's date (counted)"));
    page.List(PlanDroppedLines(report.market_dropped));
  }
  page.Heading(Tr("Assumptions"));
  page.List(PlanAssumptionLines(report));
  page.Table(QuoteTable(in), Tr("Every quote considered: terms, status on the buyer's date, date observed and source"));
  return page.Render();
}

}  // namespace suanli
