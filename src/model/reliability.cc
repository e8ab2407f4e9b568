#include "model/reliability.h"

#include <algorithm>
#include <cmath>

namespace suanli {

double UsefulFraction(const ReliabilityAssumptions& r, int gpus) {
  if (gpus <= 0 || r.failures_per_gpu_day <= 0) return 1.0;
  const double mtbf_s = 86400.0 / (r.failures_per_gpu_day * gpus);
  const double c = std::max(r.checkpoint_write_s, 1e-9);
  const double tau = std::sqrt(2.0 * c * mtbf_s);
  const double useful = 1.0 - c / tau - (tau / 2.0 + r.restart_s) / mtbf_s;
  return std::clamp(useful, 0.05, 1.0);
}

Campaign CampaignFor(double tokens, double tokens_per_s, int gpus, const ReliabilityAssumptions& r) {
  Campaign c;
  c.train_s = tokens / tokens_per_s;
  c.useful_fraction = UsefulFraction(r, gpus);
  c.wall_s = c.train_s / c.useful_fraction;
  c.train_gpu_hours = c.train_s * gpus / 3600.0;
  c.wall_gpu_hours = c.wall_s * gpus / 3600.0;
  return c;
}

}  // namespace suanli
