// The cost of a purchase or rental mix on its likely schedule: cards or
// servers, bundles, host servers and network, power, hosting, used-card
// replacement risk, residual value and rent.
#pragma once

#include <string>
#include <vector>

#include "catalog/accelerator.h"
#include "catalog/system.h"
#include "market/costs.h"
#include "plan/mixes.h"
#include "plan/plan.h"

namespace suanli {

// Returns the planner's view of accelerator `a` whose loose cards go into
// `usual_server` (Catalog::DefaultSystemFor; null = a baseboard server with
// one 400 Gb/s scale-out port per card): PCIe cards (scale-up kind host,
// pcie or pcie-switch) into a PCIe server, its NICs per card and speed.
PlanAccelerator PlanAcceleratorOf(const Accelerator& a, const System* usual_server);

// Returns the ownership terms of a purchase quote (market/costs.h) for cards
// of `accel` (board power, host server and network); cards and days left 0
// for the caller.
OwnedPurchase OwnedTerms(const PlanQuote& q, const PlanAccelerator& accel);

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
