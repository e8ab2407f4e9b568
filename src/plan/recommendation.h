// Ranking plan options by the objective and the recommendation in words.
#pragma once

#include <string>
#include <vector>

#include "plan/plan.h"

namespace suanli {

// Returns "buy 64 a800-sxm-80gb: 64 from Shenzhen (2 wk)" (one part per quote).
std::string Describe(const PlanOptionResult& o);
// Returns true when an export rule stops a delivery of `o` with a probability
// (stop_share) above `max_stop_risk` (constraints.max_stop_risk).
bool OverStopRisk(const PlanOptionResult& o, double max_stop_risk);
// Sorts options best first: options over `max_stop_risk` (OverStopRisk)
// after all others, then by P50 finish day then cost (cost first for the
// cost objectives); ties by accelerator, size and mix, so the order is stable.
void RankOptions(std::vector<PlanOptionResult>& options, Objective objective, double max_stop_risk);
// Returns the recommendation for ranked options: option 0, and reasons that
// compare it with the same cards from another source, the next point of
// `frontier` (indices into options), the cheapest and the fastest option
// (money in `currency`), an export rule's risk of stopping its delivery, and
// the options ranked lower for a stop risk over `max_stop_risk`; every
// option named is one of `options`.
Recommendation Recommend(const std::vector<PlanOptionResult>& options, const std::vector<int>& frontier,
                         Objective objective, const std::string& currency, double max_stop_risk);
// Returns "for 0.8% more", "for 1.62× the cost" or "at 0.42× the cost": `cost`
// against `reference`, in the current language.
std::string CostDifferenceText(double cost, double reference);

// Returns "rent vs own: ..." comparing options[rent] and options[buy] (cost
// and P50 finish difference), or "" when either index is negative.
std::string RentVersusOwn(const std::vector<PlanOptionResult>& options, int rent, int buy,
                          const std::string& currency);

}  // namespace suanli
