// The plan's assumptions list (report/plan_report.h PlanAssumptionLines):
// every cost setting, rate and distribution the plan priced and dated with,
// and where each comes from, for the text, CSV/Markdown and HTML reports.
#include <cmath>

#include <fmt/format.h>

#include "core/date.h"
#include "core/i18n.h"
#include "model/model_error.h"
#include "report/json_util.h"
#include "report/plan_report.h"

namespace suanli {
namespace {

// Returns the planning horizon in words: its last day and where it comes from.
std::string HorizonLine(const PlanInput& in) {
  const double days = PlanHorizonDays(in);
  if (HorizonExtendedToDeadline(in)) {
    return TrFormat("planning horizon: options finishing (P50) after {} ({:g} days) are dropped; "
                    "options.horizon_days {:g} is extended to the deadline {}",
                    FormatDate(AddDays(in.date, days)), days, in.options.horizon_days,
                    FormatDate(in.constraints.deadline));
  }
  return TrFormat("planning horizon: options finishing (P50) after {} ({:g} days, options.horizon_days) are dropped",
                  FormatDate(AddDays(in.date, days)), days);
}

}  // namespace

std::vector<std::string> PlanAssumptionLines(const PlanReport& report) {
  const PlanInput& in = *report.input;
  const PlanCosts& c = in.costs;
  const std::string& cur = in.currency;
  // Where a line's values come from: "overridden" only when the scenario's
  // `costs:` set one of its keys.
  const auto costs_source = [&c](std::initializer_list<std::string_view> keys) {
    const bool overridden = std::any_of(keys.begin(), keys.end(), [&c](std::string_view key) {
      return std::find(c.overridden.begin(), c.overridden.end(), key) != c.overridden.end();
    });
    return overridden ? Tr("data/market/costs.yaml, overridden by the scenario's costs:")
                      : Tr("data/market/costs.yaml");
  };
  // The error each training workload's P10/P50/P90 drew from (its "Model error" line).
  std::vector<std::string> used_errors;
  if (report.result != nullptr) {
    for (const WorkloadPlan& w : report.result->workloads) {
      used_errors.push_back(TrFormat("{}: {}, median {:.3f}, log sd {:.3f}", w.name, ModelErrorBasis(w.model_error),
                                     w.model_error.error.median, w.model_error.error.log_sd));
    }
  }
  if (used_errors.empty()) used_errors.push_back(Tr("no training workload"));
  std::vector<std::string> lines = {
      TrFormat("power: {:g} {}/kWh × PUE {:g} ({})", c.power_price_per_kwh, cur, c.pue,
               costs_source({"power_price_per_kwh", "pue"})),
      TrFormat("hosting: {} per card-month ({})", FormatMoney(c.hosting_per_card_month, cur),
               costs_source({"hosting_per_card_month"})),
      TrFormat("loose cards need a host server per {}-card node: {} for SXM/OAM modules, {} for PCIe cards; and "
               "their usual server's scale-out NICs per card, {} per 400 Gb/s port, a slower port {:.0f}% of that plus "
               "the rest in proportion to its speed ({})",
               c.node_size, FormatMoney(c.server_per_node, cur), FormatMoney(c.pcie_server_per_node, cur),
               FormatMoney(c.network_per_card, cur), 100 * c.network_port_fixed_share,
               costs_source({"server_per_node", "pcie_server_per_node", "node_size", "network_per_card",
                             "network_port_fixed_share"})),
      TrFormat("setup: {:g} days after delivery of bought cards, {:g} after hand-over of rented ones (billed) ({})",
               c.setup_days, c.rental_setup_days, costs_source({"setup_days", "rental_setup_days"})),
      TrFormat("job interruptions {:g} per GPU-day, checkpoint {:g} s, restart {:g} s (Young/Daly; "
               "model/reliability.h)",
               c.failures_per_gpu_day, c.checkpoint_write_s, c.restart_s),
      TrFormat("used cards fail {:g}/year, risk priced over the months held minus warranty, and each failure "
               "interrupts the job: {:.2g} more interruptions per used GPU-day on top of the rate above ({})",
               c.used_annual_failure_rate, c.used_annual_failure_rate / 365.25,
               costs_source({"used_annual_failure_rate"})),
      TrFormat("new cards fail {:g}/year, priced past their warranty: the quote's, none on the grey market, "
               "the maker's {} months assumed when a quote does not state it ({})",
               c.new_annual_failure_rate, c.new_card_warranty_months_assumed,
               costs_source({"new_annual_failure_rate", "new_card_warranty_months_assumed"})),
      TrFormat("cards paid for but left idle (whole servers) draw {:.0f}% of their TDP, and carry their network "
               "port ({})",
               100 * c.idle_power_fraction, costs_source({"idle_power_fraction"})),
      Tr("prices are compared as quoted: VAT and import duties are not modelled (enter every quote with the same "
         "tax basis), and money has no time value (no interest or cost of capital; payment terms only decide "
         "what an export rule's stopped delivery loses)"),
      TrFormat("resale value (1 - {:g}) × (1 - {:g})^years held of cards (at the market's price for the card, "
               "never above the price paid) and servers ({})",
               c.resale_discount,
               c.annual_value_decline, costs_source({"resale_discount", "annual_value_decline"})),
      TrFormat("ownership horizon {:g} years at {:.0f}% utilisation ({})", c.ownership_years, 100 * c.utilisation,
               costs_source({"ownership_years", "utilisation"})),
      TrFormat("lead times triangular(min, likely, max) per quote; realised / predicted throughput log-normal, "
               "as used: {} (from published runs: docs/validation.md; stacks without rows of their own use the "
               "family errors: dense median {:g}, log sd {:g}; MoE {:g}, {:g})",
               fmt::join(used_errors, "; "), c.dense_error.median, c.dense_error.log_sd, c.moe_error.median,
               c.moe_error.log_sd),
      HorizonLine(in),
      TrFormat("Monte Carlo: {} samples, seed {}", FormatCount(in.options.monte_carlo_samples), in.options.seed),
  };
  for (const std::string& note : report.assumptions) lines.push_back(note);
  return lines;
}


// The JSON of one option and the near misses (report/plan_report.h), kept
// here beside the assumptions so plan_report.cc stays within its length.
namespace {
using nlohmann::json;

// Returns the days rounded, or null for a finish that never comes (infinite).
json FiniteOrNull(double days) { return std::isfinite(days) ? json(RoundSig(days)) : json(nullptr); }
// Returns "YYYY-MM-DD", or null for kNeverDate.
json DateOrNull(Date date) { return date == kNeverDate ? json(nullptr) : json(FormatDate(date)); }

}  // namespace

nlohmann::json CostJson(const CostBreakdown& c) {
  return nlohmann::json{{"purchase", RoundSig(c.purchase)},
              {"bundle", RoundSig(c.bundle)},
              {"servers", RoundSig(c.servers)},
              {"power", RoundSig(c.power)},
              {"hosting", RoundSig(c.hosting)},
              {"replacement_risk", RoundSig(c.replacement_risk)},
              {"rule_stop_loss", RoundSig(c.rule_stop_loss)},
              {"residual", RoundSig(c.residual)},
              {"rental", RoundSig(c.rental)},
              {"total", RoundSig(c.total)},
              {"cash", RoundSig(c.cash)}};
}

nlohmann::json DroppedJson(const std::vector<DropGroup>& groups) {
  nlohmann::json out = nlohmann::json::array();
  for (const DropGroup& g : groups) out.push_back({{"what", g.what}, {"reason", g.reason}, {"count", g.count}});
  return out;
}

nlohmann::json PlanOptionJson(const WorkloadPlan& w, const PlanOptionResult& o, const PlanInput& in) {
  nlohmann::json out = {{"accelerator", o.accelerator},
              {"gpus", o.gpus},
              {"mix", MixJson(o.mix, in.currency)},
              {"mode", std::string(BuyModeName(o.mode))},
              {"layout", PlanLayoutJson(o.layout)},
              {"train_command", PlanTrainCommand(w, o)},
              {"tokens_per_s", RoundSig(o.tokens_per_s)},
              {"train_days", RoundSig(o.train_days)},
              {"steady_train_days", RoundSig(o.steady_train_days)},
              {"train_p50_days", RoundSig(o.train_p50_days)},
              {"failure_overhead", RoundSig(o.failure_overhead, 4)},
              {"failures_per_gpu_day", RoundSig(o.failures_per_gpu_day)},
              {"used_share", RoundSig(o.used_share, 4)},
              {"arrival_weeks", RoundSig(o.arrival_weeks)},
              {"start_weeks", RoundSig(o.start_weeks)},
              {"staged", o.staged},
              {"finish_days", RoundSig(o.finish_days)},
              {"finish_p10_days", FiniteOrNull(o.finish_p10_days)},
              {"finish_p50_days", FiniteOrNull(o.finish_p50_days)},
              {"finish_p90_days", FiniteOrNull(o.finish_p90_days)},
              {"finish_p10_date", DateOrNull(o.finish_p10_date)},
              {"finish_p50_date", DateOrNull(o.finish_p50_date)},
              {"finish_p90_date", DateOrNull(o.finish_p90_date)},
              {"stop_share", RoundSig(o.stop_share, 4)},
              {"cost", CostJson(o.cost)},
              {"cost_p90_total", RoundSig(o.cost_p90_total)},
              {"cost_p90_cash", RoundSig(o.cost_p90_cash)},
              {"currency", in.currency},
              {"pareto", o.pareto},
              {"notes", o.notes}};
  if (!o.misses.empty()) out["misses"] = o.misses;
  return out;
}

std::vector<std::string> PlanNearMissLines(const WorkloadPlan& w, const PlanInput& in) {
  std::vector<std::string> lines;
  const int pct = DeadlinePercentile(in);
  for (const PlanOptionResult& o : w.near_misses) {
    std::string miss;
    if (o.misses == "budget") {
      miss = TrFormat("misses the budget: pays {} cash > budget {}", FormatMoney(o.cost.cash, in.currency),
                      FormatMoney(in.constraints.budget, in.currency));
    } else if (o.misses == "deadline") {
      miss = TrFormat("misses the deadline {} at P{}", FormatDate(in.constraints.deadline), pct);
    } else {
      miss = Tr("misses the planning horizon (options.horizon_days)");
    }
    lines.push_back(TrFormat("{} × {} {} ({}): P10 {}, P50 {}, P90 {}; cost {}, cash {}; {}", o.gpus, o.accelerator,
                             Tr(o.mode == BuyMode::kRent ? "rent" : "buy"), MixPartsText(o.mix),
                             FormatFinish(o.finish_p10_date), FormatFinish(o.finish_p50_date),
                             FormatFinish(o.finish_p90_date), FormatMoney(o.cost.total, in.currency),
                             FormatMoney(o.cost.cash, in.currency), miss));
  }
  return lines;
}

}  // namespace suanli
