#include "serve/steady_state.h"

#include <algorithm>
#include <cmath>

namespace suanli {

double OverloadShare(int measured) {
  return 1.0 - kOverloadSigmas / std::sqrt(std::max(1.0, static_cast<double>(measured)));
}

int SteadyStateRequests(double rate_rps, double lone_request_s, int minimum) {
  const double wanted = std::ceil(rate_rps * kSteadyLifetimes * std::max(0.0, lone_request_s));
  if (!(wanted > minimum)) return minimum;  // also a NaN rate or time
  return static_cast<int>(std::min<double>(kMaxSteadyRequests, wanted));
}

MeasuredRange SteadyWindow(size_t count, bool steady_state) {
  // Too few requests to spare half: measure them all.
  if (!steady_state || count < 8) return {0, count};
  return {count / 4, count - count / 4};
}

}  // namespace suanli
