// A scenario's own export rules (market.export_rules) and the licences its
// buyer holds (buyer.licences), put over the shipped rules (docs/scenario.md).
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "market/market.h"
#include "plan/scenario.h"

namespace suanli {

// Puts the scenario's export rules over `market.rules` (a rule with a
// shipped id replaces it) and checks the buyer's licences against them;
// returns the first error at file:line:col and field. Each added rule and
// the licences held are named in `notes`.
Status AddScenarioRules(const Scenario& scenario, const SkuResolver& resolver, Market& market,
                        std::vector<std::string>& notes);

}  // namespace suanli
