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

// Watches the latencies as they become known and says when the SLO is
// certainly missed (Simulate's stop_at_miss): a latency's percentile is
// interpolated between its lo-th and (lo+1)-th smallest values, lo =
// floor(p/100 (n - 1)) over the n requests it counts (the measured ones,
// SteadyWindow; a rejection misses anyway), so it exceeds the target once
// n - lo of them do. An overloaded run (Summarise) misses after the run.
struct MissWatch {
  double ttft_s = 0, tpot_s = 0;          // the targets (0 = none)
  long long ttft_limit = 0, tpot_limit = 0;  // requests over the target that prove a miss
  long long ttft_over = 0, tpot_over = 0;
  bool missed = false;

  // A request's first token came `t` seconds after its arrival.
  void Ttft(double t) {
    if (ttft_s > 0 && t > ttft_s && ++ttft_over >= ttft_limit) missed = true;
  }
  // A request finished at `per_token` seconds per output token after the first.
  void Tpot(double per_token) {
    if (tpot_s > 0 && per_token > tpot_s && ++tpot_over >= tpot_limit) missed = true;
  }
};

}  // namespace suanli
