// Latency percentiles of a simulation (serve/simulator.h's LatencyStats) and
// the count of latencies over a target that proves a percentile misses it.
#pragma once

#include <cstddef>
#include <vector>

#include "serve/simulator.h"

namespace suanli {

// Returns the value at percentile `p` (0..100) of ascending `sorted` by
// linear interpolation between order statistics; 0 for an empty set.
double SortedPercentile(const std::vector<double>& sorted, double p);

// Returns the mean and the P50/P90/P99 and `slo_percentile` values of
// `values`, seconds; sorts `values` once.
LatencyStats Stats(std::vector<double>& values, double slo_percentile);

// Returns how many of `n` values must exceed a target for the interpolated
// percentile `p` to exceed it: n - lo, lo = floor(p/100 (n - 1)), the lower
// of the two order statistics SortedPercentile interpolates between.
long long OverToMiss(size_t n, double p);

}  // namespace suanli
