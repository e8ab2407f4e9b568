// Renderers of the plan and compare results: text for people, JSON for
// machines. Formatting only; every number is computed by src/plan.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "plan/compare.h"
#include "plan/plan.h"

namespace suanli {

// What the report says about the scenario besides the results.
struct PlanReport {
  std::string file;                 // scenario file as given
  const PlanInput* input = nullptr; // buyer, objective, constraints, options, costs
  int quotes_seed = 0;              // quotes from the embedded seed market
  int quotes_store = 0;             // from the SQLite store
  int quotes_inline = 0;            // from the scenario file
  std::string store;                // store path or empty
  std::vector<std::string> assumptions;  // further notes in words
  std::vector<DropGroup> market_dropped;  // quotes not on offer on the date, by reason
  const PlanResult* result = nullptr;
};

// Returns the JSON document of `suanli plan --json` (docs/scenario.md).
nlohmann::json PlanReportJson(const PlanReport& report);
// Returns the text report of `suanli plan`.
std::string PlanReportText(const PlanReport& report);

}  // namespace suanli
