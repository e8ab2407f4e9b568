// Which accelerator serves the traffic most cheaply: per accelerator the
// aggregated capacity answer and the disaggregated (xPyD) one, each costed
// per million output tokens, the cheaper kept; the accelerators ranked, and
// why each runner-up lost.
#pragma once

#include <string>
#include <vector>

#include "serve/capacity.h"
#include "serve/disaggregation.h"
#include "serve/serving_cost.h"

namespace suanli {

// One accelerator's answer.
struct AcceleratorOption {
  std::string accelerator;
  DevicePricing pricing;
  CapacityResult aggregated;            // the capacity search's answers, fewest devices first
  DisaggregatedAnswer disaggregated;    // the xPyD pools (infeasible with a reason when not searched)
  std::vector<ServingCost> answer_costs;  // of each aggregated answer, in order
  ServingCost aggregated_cost;          // of aggregated.answers[0]
  ServingCost disaggregated_cost;       // of the disaggregated pools
  bool feasible = false;                // either mode meets the SLOs
  bool disaggregated_chosen = false;    // the disaggregated pools are the cheaper (or fewer devices)
  int devices = 0;                      // of the chosen mode
  ServingCost cost;                     // of the chosen mode
  std::string why_lost;                 // against the winner, English (JSON); "" for the winner
  std::string why_lost_text;            // the same in the current language
  // Returns true when export rules bar the buyer from the accelerator (pricing.blocked_reason).
  bool Blocked() const { return !pricing.blocked_reason.empty(); }
};

// Returns the offered output tokens per second: rate x mean output tokens.
double OfferedOutputTokensPerSecond(const TrafficSpec& traffic);

// Returns one accelerator's option: SearchCapacity and, when `disaggregate`,
// SearchDisaggregated on `query`, each costed with `pricing`; the cheaper
// per million tokens is chosen (fewer devices without prices, aggregated on a tie).
AcceleratorOption EvaluateAccelerator(const CapacityQuery& query, const DevicePricing& pricing, bool disaggregate);

// Sorts `options`: feasible first, priced first, buyable (not Blocked) first,
// cheapest per million tokens, fewest devices, then by id; sets each runner-up's why_lost against the first.
void RankAccelerators(std::vector<AcceleratorOption>& options);

}  // namespace suanli
