// Renderers of the serving workloads of a plan (plan/serving_plan.h): text
// for people, JSON for machines, and the HTML section with a chart of the
// cost per million output tokens per option. Formatting only.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "plan/serving_plan.h"
#include "report/html_page.h"
#include "report/table.h"

namespace suanli {

// Returns the fleet each accelerator needs (capacity search) as a table.
TextTable ServingNeedsTable(const ServingWorkloadPlan& plan);
// Returns the ranked options of a serving workload as a table (money in `currency`; `machine`:
// plain numbers for CSV, the units in the header).
TextTable ServingOptionsTable(const ServingWorkloadPlan& plan, const std::string& currency, bool machine = false);
// Returns the text section of every serving workload, fitted to the output width.
std::string ServingPlanText(const ServingPlanResult& result, const PlanInput& input);
// Returns the `serving` array of `suanli plan --json` (docs/scenario.md).
nlohmann::json ServingPlanJson(const ServingPlanResult& result, const PlanInput& input);
// Adds one section per serving workload to the plan's HTML page.
void AddServingSections(HtmlPage& page, const ServingPlanResult& result, const PlanInput& input);

}  // namespace suanli
