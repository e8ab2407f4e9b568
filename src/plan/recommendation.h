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
// The options the recommendation compares option 0 with (indices into the
// ranked options; 0 = none): the same cards from the cheapest other source,
// the next cheaper point of the whole frontier (`pareto`), the cheapest, the
// fastest, and of the options over `max_stop_risk` the cheapest on its price
// and the earliest. Each is a minimum over the options in rank order, so it
// picks the same option from any subset that holds it (the shown options).
struct RecommendationPicks {
  size_t same = 0, next = 0, cheapest = 0, fastest = 0, risky_cheaper = 0, risky_earlier = 0;
};
// Returns the picks among ranked `options` (the planner passes every option
// so the shown ones include them: the reasons never change with options.top).
RecommendationPicks PickComparisons(const std::vector<PlanOptionResult>& options, double max_stop_risk);
// Returns the recommendation for ranked options: option 0, and reasons that
// compare it with the options PickComparisons names (money in `currency`), an
// export rule's risk of stopping its delivery, and the options ranked lower
// for a stop risk over `max_stop_risk`; every option named is one of `options`.
Recommendation Recommend(const std::vector<PlanOptionResult>& options, Objective objective,
                         const std::string& currency, double max_stop_risk);
// Returns "for 0.8% more", "for 1.62× the cost" or "at 0.42× the cost": `cost`
// against `reference`, in the current language.
std::string CostDifferenceText(double cost, double reference);

// Returns "rent vs own: ..." comparing options[rent] and options[buy] (cost
// and P50 finish difference), or "" when either index is negative.
std::string RentVersusOwn(const std::vector<PlanOptionResult>& options, int rent, int buy,
                          const std::string& currency);

}  // namespace suanli
