// Why an accelerator the scenario asked for has no option: its quotes counted
// by the check that refused them on the buyer's date (observed after it, sold
// only to other regions, blocked by a rule, expired, stale), so an accelerator
// named in constraints.accelerators never silently vanishes from a plan.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "market/market.h"
#include "plan/plan.h"
#include "plan/scenario.h"

namespace suanli {

// Returns, for each SKU of `quotes` none of whose quotes the scenario's buyer
// may use on its date (CheckQuoteUse), why in words, counted per reason, e.g.
// "3 quotes observed after 2025-06-01 (the first on 2025-12-24); 2 quotes not
// sold to this buyer (sold only to buyers in CN)".
std::map<std::string, std::string> NoOfferReasons(const std::vector<Quote>& quotes,
                                                  const std::vector<ExportRule>& rules, const Scenario& scenario);

// Adds an `excluded` entry to `plan` for every accelerator of
// in.constraints.accelerators that has no option in `options` and no entry
// yet: "no quote on offer on DATE: REASONS" (in.no_offer), or "no quote in the
// market" when no quote names it.
void ExcludeUnoffered(const PlanInput& in, const std::vector<PlanOptionResult>& options, WorkloadPlan& plan);

}  // namespace suanli
