#include "validate/campaign_summary.h"

#include <algorithm>
#include <cmath>

#include "validate/statistics.h"

namespace suanli {
namespace {

// Returns the median of |values|.
double MedianAbs(std::vector<double> values) {
  for (double& v : values) v = std::fabs(v);
  std::sort(values.begin(), values.end());
  return MedianOfSorted(values);
}

// Returns the mean of `values` (non-empty).
double Mean(const std::vector<double>& values) {
  double sum = 0;
  for (double v : values) sum += v;
  return sum / static_cast<double>(values.size());
}

}  // namespace

CampaignErrors SummariseCampaigns(const std::vector<RunPrediction>& rows) {
  std::vector<double> now, before, ratios;
  for (const RunPrediction& row : rows) {
    if (!row.ok || row.metric != "gpu_hours" || row.published <= 0) continue;
    now.push_back(row.error_pct);
    before.push_back(100.0 * (row.campaign_before - row.published) / row.published);
    ratios.push_back(row.predicted / row.published);
  }
  CampaignErrors e;
  e.n = static_cast<int>(now.size());
  if (e.n == 0) return e;
  e.median_ape_pct = MedianAbs(now);
  e.mean_signed_pct = Mean(now);
  e.before_median_ape_pct = MedianAbs(before);
  e.before_mean_signed_pct = Mean(before);
  e.predicted_over_published = FitModelError(ratios);
  return e;
}

}  // namespace suanli
