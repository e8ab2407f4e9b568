// The Vega-Lite charts of the plan report (report/plan_html.h): the
// time-to-model × cost frontier, the procurement-and-training timeline, where
// the step time goes, the cost breakdown and throughput against cluster size.
// Each returns a spec with its data inline, in the current language; the
// numbers come from the plan result (nothing is computed here but dates and
// sums for display). Formatting only.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "plan/plan.h"

namespace suanli {

// Returns the frontier chart: x = days to the P50 finish, y = total cost, a
// point per shown option coloured by accelerator (frontier points larger and
// joined), P10–P90 whiskers (open-ended to the edge, dashed and marked
// "never", where the P90 never comes), the recommendation ringed and labelled, a
// tooltip per point (option, accelerator, cards, mode, quotes, layout, dates,
// cost).
nlohmann::json PlanFrontierChart(const WorkloadPlan& plan, const PlanInput& input);
// Returns the Gantt chart of order, delivery per quote, setup and training of
// the recommended and the first shown options, with P50/P90 markers, on a
// date axis.
nlohmann::json PlanTimelineChart(const WorkloadPlan& plan, const PlanInput& input);
// Returns stacked bars of the step time per option by term (compute,
// recompute, communication kinds, bubble), one bar per accelerator and size.
nlohmann::json PlanStepTimeChart(const WorkloadPlan& plan);
// Returns stacked bars of the cost parts per option (resale credited below zero).
nlohmann::json PlanCostChart(const WorkloadPlan& plan, const PlanInput& input);
// Returns tokens/s against cards, a line per accelerator, over the shown options.
nlohmann::json PlanThroughputChart(const WorkloadPlan& plan);
// Returns the days from the buyer's date to `date`: the chart's x and the
// table's date are the same day.
int PlanDayOf(const PlanInput& input, Date date);
// Returns the day (from the buyer's date) where the frontier chart ends an
// open-ended whisker of a P90 that never comes: past `last_day`, the latest
// finite P50/P90 day drawn.
int PlanNeverEdgeDay(int last_day);

}  // namespace suanli
