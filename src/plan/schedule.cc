// Finish times and Monte Carlo pieces (plan/schedule.h).
#include "plan/schedule.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/date.h"

namespace suanli {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

}  // namespace

double FinishDays(std::vector<Batch> batches, double tokens, bool staged,
                  const std::function<double(int)>& rate) {
  if (batches.empty()) return kInf;
  std::stable_sort(batches.begin(), batches.end(),
                   [](const Batch& a, const Batch& b) { return a.ready_days < b.ready_days; });
  if (!staged) {
    int cards = 0;
    for (const Batch& b : batches) cards += b.cards;
    const double r = rate(cards);
    if (r <= 0) return kInf;
    return batches.back().ready_days + SecondsToDays(tokens / r);
  }
  double remaining = tokens;
  int cards = 0;
  for (size_t i = 0; i < batches.size(); ++i) {
    cards += batches[i].cards;
    const double from = batches[i].ready_days;
    const double to = i + 1 < batches.size() ? batches[i + 1].ready_days : kInf;
    const double r = rate(cards);
    if (r <= 0) continue;
    const double capacity = std::isfinite(to) ? DaysToSeconds(r * (to - from)) : kInf;
    if (capacity >= remaining) return from + SecondsToDays(remaining / r);
    remaining -= capacity;
  }
  return kInf;
}

double TriangularSample(double min, double mode, double max, double u) {
  if (max <= min) return mode;
  const double f = (mode - min) / (max - min);
  if (u < f) return min + std::sqrt(u * (max - min) * (mode - min));
  return max - std::sqrt((1.0 - u) * (max - min) * (max - mode));
}

double Percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return kInf;
  const size_t rank = static_cast<size_t>(std::ceil(p * static_cast<double>(sorted.size())));
  return sorted[std::min(sorted.size(), std::max<size_t>(rank, 1)) - 1];
}

uint64_t Fnv1a(std::string_view text, uint64_t seed) {
  uint64_t h = 1469598103934665603ULL ^ seed;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

}  // namespace suanli
