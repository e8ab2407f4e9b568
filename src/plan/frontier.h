// The Pareto frontier of plan options (P50 finish date, total cost) and the
// options a report shows: the best N, frontier points, the best per accelerator.
#pragma once

#include <string>
#include <vector>

#include "plan/plan.h"

namespace suanli {

// Returns the key of an option's mix: "quote:cards;" per part, cards zero-padded.
std::string MixKey(const PlanOptionResult& o);
// Sets `pareto` on every option that no other option beats on both P50 finish
// day and total cost (ties by day go to the cheaper), among the options whose
// stop_share is within `max_stop_risk` (among all when none is).
void MarkPareto(std::vector<PlanOptionResult>& options, double max_stop_risk);

// The options a report shows and which of them are frontier points.
struct ShownOptions {
  std::vector<PlanOptionResult> options;  // in ranked order
  std::vector<int> frontier;              // indices into options, by P50 finish
  int frontier_total = 0;                 // frontier points among all the ranked options
};
// Returns, from ranked options, the best `top`, at most `top` frontier points
// spread evenly along the frontier (both ends), each accelerator's best, and
// the best rent and the best buy, and of the options whose stop_share is
// over `max_stop_risk` (ranked down for it) the best and the cheapest before
// the expected loss of the cards stopped, and the options `also` names
// (indices into ranked: those the recommendation compares with).
ShownOptions SelectShown(const std::vector<PlanOptionResult>& ranked, int top, double max_stop_risk,
                         const std::vector<size_t>& also = {});

}  // namespace suanli
