// A self-contained HTML report of a plan (`suanli plan --report FILE.html`):
// tables and an inline SVG chart of time-to-model against cost, no scripts,
// no network. Formatting only.
#pragma once

#include <string>

#include "report/plan_report.h"

namespace suanli {

// Returns the whole HTML document for `report`.
std::string PlanReportHtml(const PlanReport& report);


}  // namespace suanli
