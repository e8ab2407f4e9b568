#include "report/plan_report.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "core/date.h"
#include "plan/plan_text.h"
#include "report/json_util.h"
#include "report/layout_text.h"
#include "report/output.h"
#include "report/plan_serving_report.h"
#include "report/table.h"
#include "core/i18n.h"

namespace suanli {
using nlohmann::json;


std::string PlanProgrammeHeading(const ProgrammeCheck& check) {
  return TrFormat("Programme: the {} workloads together ({})", check.workloads + check.serving_workloads,
                  check.Feasible() ? Tr("feasible") : Tr("NOT FEASIBLE as a whole"));
}

std::vector<std::string> PlanProgrammeLines(const ProgrammeCheck& check, const std::string& currency) {
  std::vector<std::string> lines;
  std::string totals = TrFormat("the {} recommendations pay {} cash together, {} after resale", check.recommendations,
                                FormatMoney(check.cash, currency), FormatMoney(check.total, currency));
  if (check.budget > 0) {
    totals += check.cash <= check.budget
                  ? TrFormat("; budget {} for all of them ({} left)", FormatMoney(check.budget, currency),
                             FormatMoney(check.budget - check.cash, currency))
                  : TrFormat("; budget {} for all of them ({} over)", FormatMoney(check.budget, currency),
                             FormatMoney(check.cash - check.budget, currency));
  }
  lines.push_back(totals);
  for (const ProgrammeQuote& q : check.quotes) {
    if (q.workloads < 2) continue;
    const std::string peak = FormatCount(static_cast<double>(q.peak_cards));
    lines.push_back(q.quantity > 0
                        ? TrFormat("quote {} ({}): {} recommendations hold at most {} cards at once, of {} offered",
                                   q.quote_id, q.supplier, q.workloads, peak,
                                   FormatCount(static_cast<double>(q.quantity)))
                        : TrFormat("quote {} ({}): {} recommendations hold at most {} cards at once (no stock limit "
                                   "quoted)",
                                   q.quote_id, q.supplier, q.workloads, peak));
  }
  for (const std::string& v : check.violations) lines.push_back(TrFormat("NOT FEASIBLE: {}", v));
  if (!check.Feasible()) {
    lines.push_back(Tr("each workload's own best is shown above; the check does not re-plan them jointly: "
                       "raise the budget, split the scenario, or narrow a workload (constraints) and plan again"));
  }
  return lines;
}

json PlanProgrammeJson(const ProgrammeCheck& check) {
  json quotes = json::array();
  for (const ProgrammeQuote& q : check.quotes) {
    quotes.push_back({{"quote_id", q.quote_id},
                      {"supplier", q.supplier},
                      {"quantity_available", q.quantity > 0 ? json(q.quantity) : json(nullptr)},
                      {"recommendations", q.workloads},
                      {"peak_cards", q.peak_cards}});
  }
  return {{"status", check.Feasible() ? "feasible" : "infeasible"},
          {"workloads", check.workloads},
          {"serving_workloads", check.serving_workloads},
          {"recommendations", check.recommendations},
          {"cash", RoundSig(check.cash)},
          {"total", RoundSig(check.total)},
          {"budget", check.budget > 0 ? json(RoundSig(check.budget)) : json(nullptr)},
          {"least_cash", RoundSig(check.cheapest_cash)},
          {"quotes", quotes},
          {"violations", check.violations}};
}

json PlanReportJson(const PlanReport& report) {
  const PlanInput& in = *report.input;
  const PlanResult& result = *report.result;
  json scenario;
  scenario["file"] = report.file;
  scenario["buyer"] = {{"region", in.region},
                       {"tier", in.tier},
                       {"date", FormatDate(in.date)},
                       {"currency", in.currency},
                       {"allow_grey_market", in.allow_grey_market}};
  scenario["objective"] = std::string(ObjectiveName(in.objective));
  json constraints = {{"max_devices", in.constraints.max_devices},
                      {"budget", in.constraints.budget > 0 ? json(RoundSig(in.constraints.budget))
                                                           : json(nullptr)},
                      {"deadline", in.constraints.has_deadline
                                       ? json(FormatDate(in.constraints.deadline))
                                       : json(nullptr)},
                      {"max_stop_risk", RoundSig(in.constraints.max_stop_risk)},
                      {"vendors", in.constraints.vendors},
                      {"accelerators", in.constraints.accelerators}};
  scenario["constraints"] = constraints;
  scenario["market"] = {{"quotes_seed", report.quotes_seed},
                        {"quotes_store", report.quotes_store},
                        {"quotes_inline", report.quotes_inline},
                        {"store", report.store.empty() ? json(nullptr) : json(report.store)},
                        {"dropped", DroppedJson(report.market_dropped)}};
  scenario["options"] = {
      {"cluster_sizes", in.options.cluster_sizes.empty() ? json("auto")
                                                         : json(in.options.cluster_sizes)},
      {"allow_staged_start", in.options.allow_staged_start},
      {"deadline_percentile", DeadlinePercentile(in) == 90 ? "p90" : "p50"},
      {"monte_carlo_samples", in.options.monte_carlo_samples},
      {"seed", in.options.seed},
      {"top", in.options.top}};
  json workloads = json::array();
  for (const WorkloadPlan& w : result.workloads) {
    json options = json::array();
    for (const PlanOptionResult& o : w.options) {
      options.push_back(PlanOptionJson(w, o, in));
    }
    json excluded = json::array();
    for (const Excluded& e : w.excluded) {
      excluded.push_back({{"accelerator", e.accelerator}, {"reason", e.reason}});
    }
    json min_cards = json::object();
    for (const MinCards& m : w.min_cards) min_cards[m.accelerator] = m.cards;
    workloads.push_back(
        {{"name", w.name},
         {"model", w.model},
         {"tokens", RoundSig(w.tokens)},
         {"status", w.status == PlanStatus::kFeasible ? "feasible" : "infeasible"},
         {"options_evaluated", w.options_evaluated},
         {"model_error",
          {{"stack", w.model_error.stack.empty() ? json(nullptr) : json(w.model_error.stack)},
           {"all_families", w.model_error.all_families},
           {"step_rows", w.model_error.step_rows},
           {"throughput_ratio_median", RoundSig(w.model_error.error.median)},
           {"throughput_ratio_log_sd", RoundSig(w.model_error.error.log_sd)},
           {"searched_layout_ratio", RoundSig(w.searched_layout_ratio)},
           {"campaign_throughput_ratio_median", RoundSig(w.campaign_error.median)},
           {"campaign_throughput_ratio_log_sd", RoundSig(w.campaign_error.log_sd)}}},
         {"options", options},
         {"frontier", w.frontier},
         {"recommendation",
          {{"option", w.recommendation.option >= 0 ? json(w.recommendation.option) : json(nullptr)},
           {"reasons", w.recommendation.reasons}}},
         {"excluded", excluded},
         {"min_cards_to_fit", min_cards},
         {"best_rent", w.best_rent >= 0 ? json(w.best_rent) : json(nullptr)},
         {"best_buy", w.best_buy >= 0 ? json(w.best_buy) : json(nullptr)},
         {"dropped", DroppedJson(w.dropped)}});
    if (!w.near_misses.empty()) {
      json near = json::array();
      for (const PlanOptionResult& o : w.near_misses) near.push_back(PlanOptionJson(w, o, in));
      workloads.back()["near_misses"] = near;
    }
    if (!w.no_buy_reason.empty()) workloads.back()["no_buy_reason"] = w.no_buy_reason;
  }
  const PlanCosts& c = in.costs;
  json assumptions = {{"currency", in.currency},
                      {"power_price_per_kwh", RoundSig(c.power_price_per_kwh)},
                      {"pue", RoundSig(c.pue)},
                      {"hosting_per_card_month", RoundSig(c.hosting_per_card_month)},
                      {"server_per_node", RoundSig(c.server_per_node)},
                      {"pcie_server_per_node", RoundSig(c.pcie_server_per_node)},
                      {"network_per_card", RoundSig(c.network_per_card)},
                      {"network_port_fixed_share", RoundSig(c.network_port_fixed_share)},
                      {"node_size", c.node_size},
                      {"annual_value_decline", RoundSig(c.annual_value_decline)},
                      {"resale_discount", RoundSig(c.resale_discount)},
                      {"ownership_years", RoundSig(c.ownership_years)},
                      {"utilisation", RoundSig(c.utilisation)},
                      {"used_annual_failure_rate", RoundSig(c.used_annual_failure_rate)},
                      {"failures_per_gpu_day", RoundSig(c.failures_per_gpu_day)},
                      {"throughput_ratio_median", RoundSig(c.dense_error.median)},
                      {"throughput_ratio_log_sd", RoundSig(c.dense_error.log_sd)},
                      {"moe_throughput_ratio_median", RoundSig(c.moe_error.median)},
                      {"moe_throughput_ratio_log_sd", RoundSig(c.moe_error.log_sd)},
                      {"checkpoint_write_s", RoundSig(c.checkpoint_write_s)},
                      {"restart_s", RoundSig(c.restart_s)},
                      {"setup_days", RoundSig(c.setup_days)},
                      {"rental_setup_days", RoundSig(c.rental_setup_days)},
                      {"costs_overridden", c.overridden},
                      {"notes", report.assumptions}};
  json doc{{"scenario", scenario},
           {"status", PlanFeasible(report) ? "feasible" : "infeasible"},
           {"workloads", workloads},
           {"assumptions", assumptions}};
  if (result.programme.checked || !result.programme.Feasible()) doc["programme"] = PlanProgrammeJson(result.programme);
  if (report.serving != nullptr) doc["serving"] = ServingPlanJson(*report.serving, in);
  return doc;
}

// Appends `text` wrapped to the output width: the first line after `first`,
// the rest indented by `rest` spaces; `style` colours each line (or not).
void AppendWrapped(std::string& out, const std::string& first, const std::string& text, size_t rest,
                   std::string (*style)(std::string_view)) {
  const size_t width = std::max<size_t>(40, CurrentOutput().width);
  const size_t lead = DisplayWidth(first);
  const std::vector<std::string> lines = WrapToWidth(text, width - std::max(lead, rest));
  for (size_t i = 0; i < lines.size(); ++i) {
    out += i == 0 ? first : std::string(rest, ' ');
    out += style != nullptr ? style(lines[i]) : lines[i];
    out += "\n";
  }
  if (lines.empty()) out += first + "\n";
}

// Appends a heading line and `items` as wrapped bullets.
void AppendBullets(std::string& out, const std::string& heading, const std::vector<std::string>& items) {
  if (items.empty()) return;
  out += heading + "\n";
  for (const std::string& item : items) AppendWrapped(out, "  - ", item, 4);
}

namespace {

// The header lines: scenario, constraints, market.
std::string ScenarioText(const PlanReport& report) {
  const PlanInput& in = *report.input;
  std::string out;
  AppendWrapped(out, "",
                TrFormat("Scenario {}: buyer {} in {} on {}, prices in {}, objective {}", report.file,
                         PlanValueText(in.tier), in.region, FormatDate(in.date), in.currency,
                         PlanValueText(ObjectiveName(in.objective))),
                2);
  std::vector<std::string> limits;
  limits.push_back(TrFormat("at most {} cards", FormatCount(in.constraints.max_devices)));
  if (in.constraints.budget > 0) limits.push_back(TrFormat("budget {}", FormatMoney(in.constraints.budget, in.currency)));
  if (in.constraints.has_deadline) limits.push_back(TrFormat("deadline {}", FormatDate(in.constraints.deadline)));
  if (in.constraints.max_stop_risk > 0) {
    limits.push_back(TrFormat("accepts a {:.1f}% risk that an export rule stops a delivery",
                              100 * in.constraints.max_stop_risk));
  }
  AppendWrapped(out, "", TrFormat("Constraints: {}", fmt::join(limits, ", ")), 2);
  AppendWrapped(out, "",
                TrFormat("Market: {} quotes (seed {}, store {}, scenario {}); grey market {}",
                         report.quotes_seed + report.quotes_store + report.quotes_inline, report.quotes_seed,
                         report.quotes_store, report.quotes_inline,
                         Tr(in.allow_grey_market ? "allowed" : "not allowed")),
                2);
  AppendBullets(out, Tr("Quotes not on offer on the buyer's date (counted):"), PlanDroppedLines(report.market_dropped));
  return out;
}

// The options, frontier, cost and recommendation of a workload with options.
std::string OptionsText(const WorkloadPlan& w, const std::string& currency) {
  std::string out;
  out += TrFormat("Best options ({} evaluated; * = on the time/cost frontier):\n",
                  FormatCount(static_cast<double>(w.options_evaluated)));
  out += PlanOptionsTable(w, currency, /*narrow=*/true).Render();
  AppendBullets(out, Tr("Quotes and schedule (cards × quote, likely lead time):"), PlanScheduleLines(w, currency));
  AppendWrapped(out, "", PlanFrontierText(w, currency), 2);
  AppendWrapped(out, "",
                TrFormat("Model error behind P10/P50/P90: {} (realised / predicted median {:.3f}, log sd {:.3f}); "
                         "a layout the search chose a further {:.3f} (published layouts against the search's best); "
                         "whole campaigns a further median {:.3f}, log sd {:.3f} (costs: campaign_throughput_ratio_*)",
                         ModelErrorBasis(w.model_error), w.model_error.error.median, w.model_error.error.log_sd,
                         w.searched_layout_ratio, w.campaign_error.median, w.campaign_error.log_sd),
                2);
  const PlanOptionResult& best = w.options[0];
  std::vector<std::string> parts;
  for (const auto& [label, amount] : PlanCostParts(best.cost)) {
    if (amount != 0) parts.push_back(fmt::format("{} {}", label, FormatMoney(amount, currency)));
  }
  AppendWrapped(out, "",
                TrFormat("Cost of #1, training {:.1f} days (P50): {}; net {}, cash paid before the resale credit {}; "
                         "{} ({} cash) if training takes as long as at P90",
                         best.train_p50_days, fmt::join(parts, ", "), FormatMoney(best.cost.total, currency),
                         FormatMoney(best.cost.cash, currency), FormatMoney(best.cost_p90_total, currency),
                         FormatMoney(best.cost_p90_cash, currency)),
                2);
  AppendWrapped(out, "", TrFormat("Layout of #1: {}; to reproduce its tokens/s: {}", PlanLayoutLongText(best.layout),
                                  PlanTrainCommand(w, best)),
                2);
  out += Tr("Recommendation:") + "\n";
  for (size_t i = 0; i < w.recommendation.reasons.size(); ++i) {
    AppendWrapped(out, "  - ", w.recommendation.reasons[i], 4, i == 0 ? &Emphasis : nullptr);
  }
  AppendBullets(out, Tr("Notes on the quotes above:"), PlanQuoteNotes(w));
  return out;
}

// One workload: heading, options, dropped, limits and exclusions.
std::string WorkloadText(const WorkloadPlan& w, size_t index, const PlanInput& in) {
  const std::string& currency = in.currency;
  std::string out;
  const bool feasible = w.status == PlanStatus::kFeasible;
  out += TrFormat("\n== Workload {}: {} — {} on {} tokens ({}) ==\n", index + 1, w.name, w.model,
                  TokensText(w.tokens), feasible ? Tr("feasible") : Alarm(Tr("INFEASIBLE")));
  if (!w.options.empty()) out += OptionsText(w, currency);
  AppendBullets(out, Tr("Considered and dropped (counted):"), PlanDroppedLines(w.dropped));
  if (!w.min_cards.empty()) {
    std::vector<std::string> fewest;
    for (const MinCards& m : w.min_cards) {
      fewest.push_back(fmt::format("{} {}", m.accelerator, m.cards > 0 ? FormatCount(m.cards) : Tr("none")));
    }
    AppendWrapped(out, "",
                  TrFormat("Fewest cards that fit (as `suanli fit` and `suanli compare` say): {}",
                           fmt::join(fewest, ", ")),
                  2);
  }
  const auto lines = [](const std::vector<Excluded>& list) {
    std::vector<std::string> items;
    for (const Excluded& e : list) items.push_back(TrFormat("{}: {}", e.accelerator, e.reason));
    return items;
  };
  AppendBullets(out, Tr("Limits of the accelerators shown:"), lines(PlanExclusions(w, true)));
  const std::vector<std::string> excluded = lines(PlanExclusions(w, false));
  if (w.options.empty()) {
    AppendBullets(out, Alarm(Tr("No feasible option. Excluded:")), excluded);
    AppendBullets(out, Tr("Closest options, each missing one constraint:"), PlanNearMissLines(w, in));
  } else {
    AppendBullets(out, Tr("Excluded:"), excluded);
  }
  return out;
}

}  // namespace

std::string PlanReportText(const PlanReport& report) {
  const PlanInput& in = *report.input;
  const PlanResult& result = *report.result;
  std::string out = ScenarioText(report);
  for (size_t wi = 0; wi < result.workloads.size(); ++wi) {
    out += WorkloadText(result.workloads[wi], wi, in);
  }
  if (result.programme.checked || !result.programme.Feasible()) {
    const bool feasible = result.programme.Feasible();
    const std::string heading = PlanProgrammeHeading(result.programme);
    out += "\n== " + (feasible ? heading : Alarm(heading)) + " ==\n";
    for (const std::string& line : PlanProgrammeLines(result.programme, in.currency)) {
      AppendWrapped(out, "  - ", line, 4);
    }
  }
  if (report.serving != nullptr) out += ServingPlanText(*report.serving, in);
  out += "\n";
  AppendBullets(out, Tr("Assumptions:"), PlanAssumptionLines(report));
  return out;
}

std::vector<json> PlanCsvRows(const PlanReport& report) {
  std::vector<json> rows;
  // Every option of every workload, training first, then serving: one table.
  const auto add = [&rows](const json& workload, const char* kind) {
    const json& recommended = workload["recommendation"]["option"];
    for (size_t i = 0; i < workload["options"].size(); ++i) {
      json row = {{"workload", workload["name"]}, {"kind", kind},           {"model", workload["model"]},
                  {"option", i + 1},              {"recommended", recommended.is_number() && recommended == i}};
      row.update(workload["options"][i]);
      rows.push_back(std::move(row));
    }
    // A workload with no feasible option: its closest misses, marked (`misses`), unranked.
    if (!workload.contains("near_misses")) return;
    for (const json& near : workload["near_misses"]) {
      json row = {{"workload", workload["name"]}, {"kind", kind},          {"model", workload["model"]},
                  {"option", nullptr},            {"recommended", false}};
      row.update(near);
      rows.push_back(std::move(row));
    }
  };
  const json plan = PlanReportJson(report);
  for (const json& workload : plan["workloads"]) add(workload, "train");
  if (report.serving != nullptr) {
    for (const json& workload : ServingPlanJson(*report.serving, *report.input)) add(workload, "serve");
  }
  return rows;
}

std::string PlanReportTables(const PlanReport& report, TableFormat format) {
  // CSV: the contract of docs/reports.md, one table of every option.
  if (format == TableFormat::kCsv) {
    const std::vector<std::string> first = {"workload", "kind", "model", "option", "recommended", "misses", "accelerator"};
    std::vector<json> rows = PlanCsvRows(report);
    if (!rows.empty()) return JsonRowsTable(rows, first).RenderCsv();
    // No option at all: the header alone, so a reader of the file still finds its columns.
    json row = {{"workload", nullptr}, {"kind", nullptr}, {"model", nullptr}, {"option", nullptr},
                {"recommended", nullptr}};
    row.update(PlanOptionJson(WorkloadPlan{}, PlanOptionResult{}, *report.input));
    const std::string csv = JsonRowsTable({row}, first).RenderCsv();
    return csv.substr(0, csv.find('\n') + 1);
  }
  std::string out;
  for (const WorkloadPlan& w : report.result->workloads) {
    TextTable table = PlanOptionsTable(w, report.input->currency, /*narrow=*/false);
    if (report.result->workloads.size() > 1) {
      // One table for all workloads: the workload's name first.
      std::vector<std::string> header = table.Header();
      header.insert(header.begin(), Tr("workload"));
      TextTable all(header);
      for (size_t c = 1; c < header.size(); ++c) {
        if (table.IsRightAligned(c - 1)) all.AlignColumn(c, TextTable::Align::kRight);
      }
      for (std::vector<std::string> row : table.Rows()) {
        row.insert(row.begin(), w.name);
        all.AddRow(std::move(row));
      }
      table = std::move(all);
    }
    if (!out.empty()) out += "\n";
    out += table.RenderAs(format);
  }
  // Serving workloads: their options table after the training ones (a blank line between).
  if (report.serving != nullptr) {
    for (const ServingWorkloadPlan& w : report.serving->workloads) {
      if (!out.empty()) out += "\n";
      out += ServingOptionsTable(w, report.input->currency).RenderAs(format);
    }
  }
  // Markdown: the programme totals under the tables (CSV stays one table of options).
  if (format == TableFormat::kMarkdown &&
      (report.result->programme.checked || !report.result->programme.Feasible())) {
    out += "\n**" + PlanProgrammeHeading(report.result->programme) + "**\n\n";
    for (const std::string& line : PlanProgrammeLines(report.result->programme, report.input->currency)) {
      out += "- " + line + "\n";
    }
  }
  return out;
}
}  // namespace suanli
