// Turns a parsed scenario into the planner's input: resolves accelerator
// spellings and model ids against the catalog, loads the market (seed, store,
// inline quotes), converts the budget, and wires each workload to the layout
// search for its throughput.
#pragma once

#include <vector>

#include "catalog/catalog.h"
#include "core/result.h"
#include "model/perf.h"
#include "plan/market_adapter.h"
#include "plan/plan.h"
#include "plan/scenario.h"

namespace suanli {

// The planner input built from a scenario, with the market it came from.
struct PreparedPlan {
  PlanInput input;
  PlanMarket market;
  std::vector<std::string> model_notes;  // how each workload's model was read (a folder over a preset, MTP)
};

// Returns the planner input for `scenario` over `catalog` (which must
// outlive the result: throughput functions refer to it); errors name the
// scenario's file:line:col and field. `threads` is the search threads;
// `assumptions` are the step model's (defaults unless a what-if changes them).
Result<PreparedPlan> PreparePlan(const Scenario& scenario, const Catalog& catalog, int threads,
                                 const PerfAssumptions& assumptions = {});

}  // namespace suanli
