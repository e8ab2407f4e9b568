// The cost of a purchase or rental mix on its likely schedule: cards or
// servers, bundles, host servers and network, power, hosting, used-card
// replacement risk, residual value and rent.
#pragma once

#include <string>
#include <vector>

#include "market/costs.h"
#include "plan/mixes.h"
#include "plan/plan.h"

namespace suanli {

// Returns the ownership terms of a purchase quote (market/costs.h) for a
// card drawing `tdp_w`; cards and days left 0 for the caller.
OwnedPurchase OwnedTerms(const PlanQuote& q, double tdp_w);

// Returns the cost of `mix` (buyer currency) when training ends `finish_days`
// after the buyer's date; with `staged` each part runs from its own delivery
// plus setup, else all from the last delivery. Cards resell at the market's
// price among `market` (MarketCardPrice; the quotes on offer). Appends notes
// (cards paid vs used, replacement risk, resale basis, money at risk under
// an export rule, bundles, payment terms, quote warnings) to `notes`.
CostBreakdown PriceMix(const Candidate& mix, const PlanAccelerator& accel, const PlanCosts& k, bool staged,
                       double finish_days, const std::string& currency, std::vector<std::string>& notes,
                       const std::vector<PlanQuote>& market);

}  // namespace suanli
