// A self-contained HTML report of a plan (`suanli plan --report FILE.html`),
// built on report/html_page.h: the recommendation, the time-to-model × cost
// frontier first, the procurement timeline, the step time, the cost
// breakdown and throughput charts (report/plan_html_charts.h), and every
// table and note the terminal prints, in the current language. Formatting only.
#pragma once

#include <string>

#include "report/plan_report.h"

namespace suanli {

// Returns the whole HTML document for `report`.
std::string PlanReportHtml(const PlanReport& report);

}  // namespace suanli
