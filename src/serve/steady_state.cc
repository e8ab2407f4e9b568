#include "serve/steady_state.h"

#include <algorithm>
#include <cmath>

namespace suanli {

double OverloadShare(int measured) {
  return 1.0 - kOverloadSigmas / std::sqrt(std::max(1.0, static_cast<double>(measured)));
}

bool QueueWaitsGrow(const std::vector<double>& waits_s) {
  const size_t n = waits_s.size(), k = kOverloadBlocks;
  if (n < 2 * k) return false;
  std::vector<double> means(k, 0.0);
  for (size_t b = 0; b < k; ++b) {
    const size_t from = b * n / k, to = (b + 1) * n / k;
    for (size_t i = from; i < to; ++i) means[b] += waits_s[i];
    means[b] /= static_cast<double>(to - from);
  }
  // Least squares of the block means on the block index 0..k-1.
  const double x_mean = 0.5 * static_cast<double>(k - 1);
  double y_mean = 0, sxx = 0, sxy = 0;
  for (size_t b = 0; b < k; ++b) y_mean += means[b] / static_cast<double>(k);
  for (size_t b = 0; b < k; ++b) {
    const double dx = static_cast<double>(b) - x_mean;
    sxx += dx * dx;
    sxy += dx * (means[b] - y_mean);
  }
  const double slope = sxy / sxx;
  double residuals = 0;
  for (size_t b = 0; b < k; ++b) {
    const double r = means[b] - (y_mean + slope * (static_cast<double>(b) - x_mean));
    residuals += r * r;
  }
  const double standard_error = std::sqrt(residuals / static_cast<double>(k - 2) / sxx);
  return slope > 0 && slope > kOverloadSigmas * standard_error;
}

int SteadyStateRequests(double rate_rps, double lone_request_s, int minimum) {
  const double wanted = std::ceil(rate_rps * kSteadyLifetimes * std::max(0.0, lone_request_s));
  if (!(wanted > minimum)) return minimum;  // also a NaN rate or time
  return static_cast<int>(std::min<double>(kMaxSteadyRequests, wanted));
}

long long SteadyFleetRequests(double rate_rps, double lone_request_s, int minimum, int replicas) {
  const double wanted = std::ceil(rate_rps * kSteadyLifetimes * std::max(0.0, lone_request_s));
  if (!(wanted > minimum)) return minimum;  // also a NaN rate or time
  const double cap = static_cast<double>(kMaxSteadyRequests) * std::max(1, replicas);
  return static_cast<long long>(std::min(cap, wanted));
}

FleetSample SampleFleet(long long stream_requests, int replicas) {
  FleetSample s;
  s.replicas = s.simulated = std::max(1, replicas);
  if (stream_requests <= kMaxSimulatedFleetRequests) return s;
  const long long per_replica = std::max(1LL, (stream_requests + s.replicas - 1) / s.replicas);
  s.simulated = static_cast<int>(std::clamp<long long>(kMaxSimulatedFleetRequests / per_replica, 1, s.replicas));
  return s;
}

MeasuredRange SteadyWindow(size_t count, bool steady_state) {
  // Too few requests to spare half: measure them all.
  if (!steady_state || count < 8) return {0, count};
  return {count / 4, count - count / 4};
}

}  // namespace suanli
