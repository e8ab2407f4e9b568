// The cluster sizes the planner tries: a coarse pass (powers of two and
// 3*2^k), then a refinement on a fine grid around the recommendation.
#pragma once

#include <set>
#include <vector>

namespace suanli {

// Returns the cluster sizes tried: `explicit_sizes` filtered to <= max, or
// powers of two and 3*2^k (multiples of the node size) from 8 to
// min(max_devices, 16384).
std::vector<int> CandidateSizes(const std::vector<int>& explicit_sizes, int max_devices);

// Returns the untried sizes on a grid of `around`/16 cards (at least 1)
// between the nearest tried sizes below and above `around` (or `lowest` and
// `limit` where there is none), so that no size within 1/16 of the
// recommendation is left out.
std::vector<int> RefineSizes(int around, const std::set<int>& tried, int lowest, int limit);

}  // namespace suanli
