// Cluster sizes: coarse candidates and the refinement grid (plan/sizes.h).
#include "plan/sizes.h"

#include <algorithm>

namespace suanli {

std::vector<int> CandidateSizes(const std::vector<int>& explicit_sizes, int max_devices) {
  constexpr int kMaxClusterSize = 16384;  // plan.h kMaxPlanClusterSize
  const int limit = std::min(max_devices, kMaxClusterSize);
  std::vector<int> sizes;
  if (!explicit_sizes.empty()) {
    for (int n : explicit_sizes) {
      if (n >= 1 && n <= limit) sizes.push_back(n);
    }
  } else {
    for (int p = 8; p <= limit; p *= 2) {
      sizes.push_back(p);
      if (p * 3 / 2 <= limit && p >= 16) sizes.push_back(p * 3 / 2);
    }
    if (limit >= 8 && limit % 8 == 0) sizes.push_back(limit);
  }
  std::sort(sizes.begin(), sizes.end());
  sizes.erase(std::unique(sizes.begin(), sizes.end()), sizes.end());
  return sizes;
}

std::vector<int> RefineSizes(int around, const std::set<int>& tried, int lowest, int limit) {
  const int step = std::max(1, around / 16);
  int below = lowest, above = limit;
  for (int n : tried) {
    if (n < around) below = std::max(below, n);
    if (n > around) above = std::min(above, n);
  }
  std::vector<int> sizes;
  for (int n = around - step; n > below && n >= lowest; n -= step) {
    if (tried.count(n) == 0) sizes.push_back(n);
  }
  for (int n = around + step; n < above && n <= limit; n += step) {
    if (tried.count(n) == 0) sizes.push_back(n);
  }
  std::sort(sizes.begin(), sizes.end());
  return sizes;
}

}  // namespace suanli
