// Rent against own beyond one job: the cost of an owned card per useful
// hour over the ownership horizon, and the utilisation above which owning
// beats renting the same accelerator.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "plan/plan.h"

namespace suanli {

// An owned card against a rented one of the same accelerator.
struct BreakEven {
  std::string accelerator;
  double own_capex_per_card = 0;     // card (or server share) + bundle + node + network, buyer currency
  double own_replacement_per_card = 0;  // expected replacements past the warranty over the horizon, buyer currency
  double own_fixed_per_card = 0;     // capex + hosting + replacements - resale over the horizon, buyer currency
  double own_power_per_hour = 0;     // electricity per card-hour worked, buyer currency
  double rent_per_card_hour = 0;     // cheapest rent quote of the accelerator, buyer currency
  double own_per_used_hour = 0;      // at the assumed utilisation, buyer currency
  double break_even_utilisation = 0; // owning is cheaper above this (> 1: never within the horizon)
};

// Returns the break-even of owning `buy`'s accelerator (its first quote's
// cards, priced by the option cost's own terms: OwnedTerms and CostOfOwning
// held for the whole horizon) against the cheapest rent quote of the same accelerator in
// `quotes`, over costs.ownership_years at costs.utilisation; nullopt
// without such a rent quote.
std::optional<BreakEven> OwnVersusRent(const PlanOptionResult& buy, const std::vector<PlanQuote>& quotes,
                                       const PlanCosts& costs, const PlanAccelerator& accel);

// Returns the break-even in words.
std::string BreakEvenText(const BreakEven& b, const PlanCosts& costs, const std::string& currency);

}  // namespace suanli
