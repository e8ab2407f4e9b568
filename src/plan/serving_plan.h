// Serving workloads in a plan: for each accelerator the market offers the
// buyer on the date (the training planner's quote checks), the fleet the SLO
// capacity search (serve/capacity.h) needs, bought or rented over the service
// period: time-to-serve P50/P90, cost, cost per million output tokens, and a
// recommendation by the scenario's objective. Capacity comes in through a
// function, so the planner is tested with fakes.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "core/date.h"
#include "core/result.h"
#include "plan/plan.h"
#include "plan/scenario.h"
#include "serve/iteration.h"

namespace suanli {

// The fleet one accelerator needs for a serving workload: serve's choice
// between aggregated serving and disaggregated prefill/decode pools (xPyD,
// serve/fleet_choice.h EvaluateAccelerator without prices: fewer devices,
// aggregated on a tie), so plan and `suanli serve` give one answer.
struct ServingNeed {
  bool feasible = false;
  int devices = 0;            // of the chosen mode: replicas x tp x pp, or both xPyD pools
  int replicas = 0;           // aggregated: replicas of `layout`; xPyD: 0
  ServingLayout layout;       // aggregated: the replica layout; xPyD: unset (see the pools)
  bool disaggregated = false; // xPyD chosen (fewer devices than aggregated, or aggregated infeasible)
  int prefill_replicas = 0, decode_replicas = 0;  // xPyD: the pools' replicas
  ServingLayout prefill_layout, decode_layout;    // xPyD: the pools' replica layouts
  double kv_transfer_ms = 0;  // xPyD: the percentile prompt's KV moved between the pools, ms
  int aggregated_devices = 0; // the aggregated answer's devices (0: none meets the SLOs)
  int aggregated_replicas = 0;       // the aggregated answer (chosen or not): replicas of its layout,
  ServingLayout aggregated_layout;   // that layout (serve's --gpus replay of the aggregated answer),
  double aggregated_ttft_ms = 0, aggregated_tpot_ms = 0;  // its fleet replay at the SLO percentile
  int xpyd_devices = 0;       // the xPyD answer's devices (0: none, or not searched)
  std::string engine;         // engine id the search used
  bool engine_runs = true;    // false: the engine does not run on the accelerator (no search)
  bool fits = true;           // false: no layout holds the weights
  int max_devices = 0;        // the search's device limit (constraints.max_devices)
  double ttft_ms = 0;         // simulated, at the SLO percentile (xPyD: prefill + transfer + admission)
  double tpot_ms = 0;         // simulated, at the SLO percentile
  std::string reason;         // when !feasible: the bound no layout beats (English)
  std::string reason_text;    // the same in the current language
};

// Returns the fleet `accelerator` needs (a capacity search; may be slow).
using ServingCapacityFn = std::function<ServingNeed(const std::string& accelerator)>;

// A serving workload as the planner sees it.
struct PlanServeWorkload {
  std::string name;
  std::string model;
  double rate_rps = 0;        // requests/s the fleet is sized for
  double input_tokens = 0;    // mean prompt, tokens
  double output_tokens = 0;   // mean output, tokens
  double ttft_ms = 0, tpot_ms = 0, percentile = 90;  // SLOs (0 = none)
  bool has_needed_by = false;
  Date needed_by;             // the service must start by then (at the deadline percentile)
  double period_months = 12;  // months priced from the start of service
  double utilisation = 1;     // mean load / rate_rps over the period
  ServingCapacityFn capacity;
};

// One way to serve: a quote mix of one accelerator, bought or rented.
struct ServingOption {
  std::string accelerator;
  BuyMode mode = BuyMode::kBuy;
  std::vector<MixPart> mix;
  ServingNeed need;                 // devices, layout, simulated latencies
  int cards = 0;                    // cards paid for (devices, or whole servers' worth)
  double ready_days = 0;            // likely: delivery of the last card + setup, days after the buyer's date
  double ready_p50_days = 0;        // Monte Carlo over the lead-time ranges; infinity = never
  double ready_p90_days = 0;
  Date ready_p50_date, ready_p90_date;  // kNeverDate when that percentile never starts
  double stop_share = 0;            // probability an export rule stops a delivery (those draws never start)
  CostBreakdown cost;               // over the service period, buyer currency
  double output_tokens = 0;         // output tokens served over the period
  double cost_per_mtok = 0;         // buyer currency per million output tokens
  std::vector<std::string> notes;   // quote terms, warnings
};

// The plan of one serving workload.
struct ServingWorkloadPlan {
  PlanServeWorkload workload;             // capacity cleared
  PlanStatus status = PlanStatus::kInfeasible;
  std::vector<ServingOption> options;     // ranked by the objective, best first (top N)
  std::vector<std::pair<std::string, ServingNeed>> needs;  // per accelerator searched
  Recommendation recommendation;
  std::vector<Excluded> excluded;         // accelerators (or quotes) dropped, with reasons
  std::vector<DropGroup> dropped;         // quotes and options dropped, counted by reason
  int options_evaluated = 0;
};

struct ServingPlanResult {
  std::vector<ServingWorkloadPlan> workloads;
  // Returns true when every serving workload has an option.
  bool Feasible() const {
    for (const auto& w : workloads) {
      if (w.status != PlanStatus::kFeasible) return false;
    }
    return true;
  }
};

// Returns why an accelerator has no fleet, in words: the engine does not run
// on it, no layout fits, or none meets the SLOs within need.max_devices
// devices (constraints.max_devices); `table`: the fleet table's short words.
std::string NoFleetText(const ServingNeed& need, bool table);

// Returns why an xPyD fleet was chosen: its devices against the aggregated
// answer's (or that none meets the SLOs) and the KV transfer time.
std::string XpydChoiceText(const ServingNeed& need);

// Returns a cost per million tokens: two decimals under 100 ("7.83 CNY"),
// FormatMoney above.
std::string PerMtokText(double amount, const std::string& currency);

// Plans every serving workload against the quotes, constraints, objective and
// costs of `input` (its training workloads are ignored). Fails only on
// inconsistent input (a quote for an accelerator not in input.accelerators).
Result<ServingPlanResult> MakeServingPlan(const PlanInput& input, const std::vector<PlanServeWorkload>& workloads);

// Returns the serving workloads of `scenario`, each wired to the capacity
// search over `catalog` (which must outlive them); errors (unknown model or
// engine) name the scenario's file:line:col.
// `notes` (optional) gets how each workload's model was read.
Result<std::vector<PlanServeWorkload>> PrepareServing(const Scenario& scenario, const Catalog& catalog,
                                                      std::vector<std::string>* notes = nullptr);

}  // namespace suanli
