// The HTML reports of `suanli train --report FILE.html`: one layout, a
// --search ranking and a --gpus-range scaling sweep, each with everything the
// terminal prints plus Vega-Lite charts named "step-time", "memory",
// "scaling" and "mfu" (report/html_page.h). Formatting only.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "model/memory.h"
#include "model/perf.h"
#include "report/train_run.h"
#include "search/search.h"

namespace suanli {

// Returns a stacked horizontal bar chart of the step time (seconds) of each
// labelled layout, one colour per part of the step.
nlohmann::json StepTimeChart(const std::vector<std::pair<std::string, StepBreakdown>>& bars);
// Returns a stacked horizontal bar chart of the memory per device (GiB) of
// each labelled layout with dashed rules at the usable bytes and the capacity.
nlohmann::json MemoryChart(const std::vector<std::pair<std::string, MemoryBreakdown>>& bars, double usable_bytes,
                           double capacity_bytes);

// Returns the report page of one layout: facts, step-time and memory charts,
// the breakdown, notes, the campaign; why it does not fit when it does not.
std::string TrainEstimateHtml(const TrainSubject& subject, const ParallelConfig& config,
                              const StepEstimate& estimate, const std::optional<CampaignTotals>& totals);
// Returns the report page of a search: the best layout, the ranking of `top`
// rows, step-time and memory charts of the ranked layouts.
std::string TrainSearchHtml(const TrainSubject& subject, const SearchResult& result,
                            const std::optional<CampaignTotals>& totals, size_t top);
// Returns the report page of a scaling sweep: the table, throughput and MFU against cluster size.
std::string ScalingHtml(const TrainSubject& subject, const std::vector<ScalingPoint>& points);

}  // namespace suanli
