// Latency percentiles (serve/latency_stats.h).
#include "serve/latency_stats.h"

#include <algorithm>
#include <cmath>

namespace suanli {

double SortedPercentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const double rank = std::clamp(p, 0.0, 100.0) / 100.0 * (static_cast<double>(sorted.size()) - 1.0);
  const size_t lo = static_cast<size_t>(std::floor(rank));
  const size_t hi = std::min(sorted.size() - 1, lo + 1);
  return sorted[lo] + (rank - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

LatencyStats Stats(std::vector<double>& values, double slo_percentile) {
  LatencyStats s;
  s.samples = static_cast<int>(values.size());
  if (values.empty()) return s;
  double sum = 0;
  for (double v : values) sum += v;
  s.mean_s = sum / static_cast<double>(values.size());
  std::sort(values.begin(), values.end());  // once for the four percentiles
  s.p50_s = SortedPercentile(values, 50);
  s.p90_s = SortedPercentile(values, 90);
  s.p99_s = SortedPercentile(values, 99);
  s.at_slo_percentile_s = SortedPercentile(values, slo_percentile);
  return s;
}

long long OverToMiss(size_t n, double p) {
  const double rank = std::clamp(p, 0.0, 100.0) / 100.0 * (static_cast<double>(n) - 1.0);
  return static_cast<long long>(n) - static_cast<long long>(std::floor(rank));
}

double InterpolatedPercentile(std::vector<double>& values, double p) {
  std::sort(values.begin(), values.end());
  return SortedPercentile(values, p);
}

}  // namespace suanli
