#include "report/plan_report.h"

#include <algorithm>

#include <fmt/format.h>

#include "core/date.h"
#include "plan/plan_text.h"
#include "report/json_util.h"
#include "report/layout_text.h"
#include "report/table.h"

namespace suanli {
namespace {

using nlohmann::json;

std::string MixText(const PlanOptionResult& o) {
  std::string text;
  for (const MixPart& p : o.mix) {
    if (!text.empty()) text += " + ";
    text += fmt::format("{} {} ({:g}w)", p.cards, p.quote_id, p.lead_weeks);
  }
  return text;
}

json CostJson(const CostBreakdown& c) {
  return json{{"purchase", RoundSig(c.purchase)},
              {"bundle", RoundSig(c.bundle)},
              {"servers", RoundSig(c.servers)},
              {"power", RoundSig(c.power)},
              {"hosting", RoundSig(c.hosting)},
              {"replacement_risk", RoundSig(c.replacement_risk)},
              {"residual", RoundSig(c.residual)},
              {"rental", RoundSig(c.rental)},
              {"total", RoundSig(c.total)}};
}

}  // namespace

json DroppedJson(const std::vector<DropGroup>& groups) {
  json out = json::array();
  for (const DropGroup& g : groups) out.push_back({{"what", g.what}, {"reason", g.reason}, {"count", g.count}});
  return out;
}

// "quote: region ... 3; size: ... 2" grouped by what, one line each.
std::string DroppedText(const std::vector<DropGroup>& groups, std::string_view indent) {
  std::string out;
  for (const char* what : {"quote", "size", "option"}) {
    std::vector<std::string> parts;
    for (const DropGroup& g : groups) {
      if (g.what == what) parts.push_back(fmt::format("{} {}", g.count, g.reason));
    }
    if (!parts.empty()) out += fmt::format("{}{}s: {}\n", indent, what, fmt::join(parts, "; "));
  }
  return out;
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
      json mix = json::array();
      for (const MixPart& p : o.mix) {
        mix.push_back({{"quote_id", p.quote_id},
                       {"supplier", p.supplier},
                       {"cards", p.cards},
                       {"lead_weeks", RoundSig(p.lead_weeks)}});
      }
      options.push_back({{"accelerator", o.accelerator},
                         {"gpus", o.gpus},
                         {"mix", mix},
                         {"mode", std::string(BuyModeName(o.mode))},
                         {"layout", LayoutJson(o.layout)},
                         {"tokens_per_s", RoundSig(o.tokens_per_s)},
                         {"train_days", RoundSig(o.train_days)},
                         {"failure_overhead", RoundSig(o.failure_overhead, 4)},
                         {"arrival_weeks", RoundSig(o.arrival_weeks)},
                         {"start_weeks", RoundSig(o.start_weeks)},
                         {"staged", o.staged},
                         {"finish_days", RoundSig(o.finish_days)},
                         {"finish_p50_days", RoundSig(o.finish_p50_days)},
                         {"finish_p90_days", RoundSig(o.finish_p90_days)},
                         {"finish_p50_date", FormatDate(o.finish_p50_date)},
                         {"finish_p90_date", FormatDate(o.finish_p90_date)},
                         {"cost", CostJson(o.cost)},
                         {"currency", in.currency},
                         {"pareto", o.pareto},
                         {"notes", o.notes}});
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
  }
  const PlanCosts& c = in.costs;
  json assumptions = {{"currency", in.currency},
                      {"power_price_per_kwh", RoundSig(c.power_price_per_kwh)},
                      {"pue", RoundSig(c.pue)},
                      {"hosting_per_card_month", RoundSig(c.hosting_per_card_month)},
                      {"server_per_node", RoundSig(c.server_per_node)},
                      {"network_per_card", RoundSig(c.network_per_card)},
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
                      {"notes", report.assumptions}};
  return json{{"scenario", scenario},
              {"status", result.Feasible() ? "feasible" : "infeasible"},
              {"workloads", workloads},
              {"assumptions", assumptions}};
}

std::string PlanReportText(const PlanReport& report) {
  const PlanInput& in = *report.input;
  const PlanResult& result = *report.result;
  std::string out;
  out += fmt::format("Scenario {}: buyer {} in {} on {}, prices in {}, objective {}\n",
                     report.file, in.tier, in.region, FormatDate(in.date), in.currency,
                     ObjectiveName(in.objective));
  std::vector<std::string> limits;
  limits.push_back(fmt::format("at most {} cards", in.constraints.max_devices));
  if (in.constraints.budget > 0) {
    limits.push_back("budget " + FormatMoney(in.constraints.budget, in.currency));
  }
  if (in.constraints.has_deadline) {
    limits.push_back("deadline " + FormatDate(in.constraints.deadline));
  }
  out += fmt::format("Constraints: {}\n", fmt::join(limits, ", "));
  out += fmt::format("Market: {} quotes (seed {}, store {}, scenario {}); grey market {}\n",
                     report.quotes_seed + report.quotes_store + report.quotes_inline,
                     report.quotes_seed, report.quotes_store, report.quotes_inline,
                     in.allow_grey_market ? "allowed" : "not allowed");
  if (!report.market_dropped.empty()) {
    out += "Quotes not on offer on the buyer's date (counted):\n" + DroppedText(report.market_dropped, "  ");
  }
  for (size_t wi = 0; wi < result.workloads.size(); ++wi) {
    const WorkloadPlan& w = result.workloads[wi];
    out += fmt::format("\n== Workload {}: {} — {} on {} tokens ({}) ==\n", wi + 1, w.name, w.model,
                       TokensText(w.tokens),
                       w.status == PlanStatus::kFeasible ? "feasible" : "INFEASIBLE");
    if (!w.options.empty()) {
      out += fmt::format("Best options ({} evaluated; * = on the time/cost frontier):\n",
                         w.options_evaluated);
      TextTable table({"#", "accelerator", "cards", "mode", "source (cards quote lead)", "layout",
                       "tokens/s", "train d", "arrive wk", "P50 finish", "P90 finish", "cost",
                       ""});
      for (size_t col : {0, 2, 6, 7, 8, 11}) table.AlignColumn(col, TextTable::Align::kRight);
      for (size_t i = 0; i < w.options.size(); ++i) {
        const PlanOptionResult& o = w.options[i];
        table.AddRow({std::to_string(i + 1), o.accelerator, std::to_string(o.gpus),
                      std::string(BuyModeName(o.mode)) + (o.staged ? " staged" : ""),
                      MixText(o), LayoutText(o.layout), fmt::format("{:.0f}", o.tokens_per_s),
                      fmt::format("{:.1f}", o.train_days), fmt::format("{:.1f}", o.arrival_weeks),
                      FormatDate(o.finish_p50_date), FormatDate(o.finish_p90_date),
                      FormatMoney(o.cost.total, in.currency), o.pareto ? "*" : ""});
      }
      out += table.Render();
      std::vector<std::string> points;
      for (int index : w.frontier) {
        const PlanOptionResult& o = w.options[index];
        points.push_back(fmt::format("#{} {} / {}", index + 1, FormatDate(o.finish_p50_date),
                                     FormatMoney(o.cost.total, in.currency)));
      }
      out += fmt::format("Frontier (earlier -> cheaper): {}\n", fmt::join(points, "  ->  "));
      const PlanOptionResult& best = w.options[0];
      const CostBreakdown& c = best.cost;
      out += fmt::format(
          "Cost of #1: purchase {}, bundle {}, servers+network {}, power {}, hosting {}, "
          "replacement risk {}, residual -{}, rental {}\n",
          FormatMoney(c.purchase, in.currency), FormatMoney(c.bundle, in.currency),
          FormatMoney(c.servers, in.currency), FormatMoney(c.power, in.currency),
          FormatMoney(c.hosting, in.currency), FormatMoney(c.replacement_risk, in.currency),
          FormatMoney(c.residual, in.currency), FormatMoney(c.rental, in.currency));
      out += "Recommendation:\n";
      for (const std::string& reason : w.recommendation.reasons) out += "  - " + reason + "\n";
      std::vector<std::string> notes;
      for (const PlanOptionResult& o : w.options) {
        for (const std::string& note : o.notes) {
          if (std::find(notes.begin(), notes.end(), note) == notes.end()) notes.push_back(note);
        }
      }
      if (!notes.empty()) {
        out += "Notes on the quotes above:\n";
        for (const std::string& note : notes) out += "  - " + note + "\n";
      }
    }
    if (!w.dropped.empty()) {
      out += "Considered and dropped (counted):\n" + DroppedText(w.dropped, "  ");
    }
    if (!w.min_cards.empty()) {
      std::vector<std::string> fewest;
      for (const MinCards& m : w.min_cards) {
        fewest.push_back(fmt::format("{} {}", m.accelerator, m.cards > 0 ? std::to_string(m.cards) : "none"));
      }
      out += fmt::format("Fewest cards that fit (as `suanli fit` and `suanli compare` say): {}\n",
                         fmt::join(fewest, ", "));
    }
    if (!w.excluded.empty()) {
      out += w.options.empty() ? "No feasible option. Excluded:\n" : "Excluded:\n";
      for (const Excluded& e : w.excluded) {
        out += fmt::format("  - {}: {}\n", e.accelerator, e.reason);
      }
    }
  }
  const PlanCosts& c = in.costs;
  out += fmt::format(
      "\nAssumptions: power {:g} {}/kWh x PUE {:g}; hosting {:g} {}/card-month; loose cards need "
      "{} per {}-card node + {} network per card; setup {:g} days after delivery; job "
      "interruptions {:g} per GPU-day, checkpoint {:g} s, restart {:g} s (Young/Daly); used cards "
      "fail {:g}/year, risk priced over the months held minus warranty; resale value (1 - {:g}) x (1 - {:g})^years "
      "held of cards and servers; ownership horizon {:g} years at {:g} utilisation; lead times "
      "triangular(min, likely, max) and realised / predicted throughput "
      "log-normal (median {:g}, log sd {:g}; MoE models {:g}, {:g}; from published runs: "
      "docs/validation.md), {} samples, seed {}.\n",
      c.power_price_per_kwh, in.currency, c.pue, c.hosting_per_card_month, in.currency,
      FormatMoney(c.server_per_node, in.currency), c.node_size,
      FormatMoney(c.network_per_card, in.currency), c.setup_days, c.failures_per_gpu_day,
      c.checkpoint_write_s, c.restart_s, c.used_annual_failure_rate,
      c.resale_discount, c.annual_value_decline, c.ownership_years, c.utilisation, c.dense_error.median,
      c.dense_error.log_sd, c.moe_error.median, c.moe_error.log_sd,
      in.options.monte_carlo_samples, in.options.seed);
  for (const std::string& note : report.assumptions) out += "  - " + note + "\n";
  return out;
}

}  // namespace suanli
