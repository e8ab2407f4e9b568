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

double NormalQuantile(double u) {
  // Acklam (2003): rational approximations in the central region and the tails.
  static constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                                 1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
  static constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                                 6.680131188771972e+01,  -1.328068155288572e+01};
  static constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                                 -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
  static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                                 3.754408661907416e+00};
  const double p = std::clamp(u, 1e-12, 1.0 - 1e-12);
  constexpr double kLow = 0.02425;
  if (p < kLow) {
    const double q = std::sqrt(-2.0 * std::log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
           ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
  }
  if (p > 1.0 - kLow) return -NormalQuantile(1.0 - p);
  const double q = p - 0.5;
  const double r = q * q;
  return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
         (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1.0);
}

double ThroughputRatioAt(const ModelError& e, double u) {
  return e.median * std::exp(e.log_sd * NormalQuantile(u));
}

const ModelError& ErrorFor(const ReliabilityAssumptions& r, bool moe) {
  if (const ModelError* stack = StackErrorFor(r.stack_errors, r.stack, moe)) return *stack;
  return moe ? r.moe_error : r.dense_error;
}

ChosenModelError ChosenErrorFor(const ReliabilityAssumptions& r, bool moe) {
  ChosenModelError c;
  c.moe = moe;
  if (const ModelError* stack = StackErrorFor(r.stack_errors, r.stack, moe, &c.all_families, &c.step_rows)) {
    c.error = *stack;
    c.stack = r.stack;
    return c;
  }
  c.error = moe ? r.moe_error : r.dense_error;
  const FamilyModelError& shipped = moe ? ShippedModelError().moe : ShippedModelError().dense;
  c.step_rows = r.family_errors_measured ? shipped.step_rows : 0;
  return c;
}

}  // namespace suanli
