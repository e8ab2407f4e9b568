#include "model/reliability.h"

#include <gtest/gtest.h>

#include <cmath>

namespace suanli {
namespace {

TEST(Reliability, YoungDalyUsefulFraction) {
  ReliabilityAssumptions r;
  r.failures_per_gpu_day = 4.7e-4;
  r.checkpoint_write_s = 120;
  r.restart_s = 600;
  // 1000 GPUs: MTBF = 86400 / 0.47 = 183829.8 s; tau = sqrt(2*120*M) = 6642.2 s;
  // lost = 120/6642.2 + (3321.1 + 600)/183829.8 = 0.018066 + 0.021331.
  EXPECT_NEAR(UsefulFraction(r, 1000), 1 - 0.018066 - 0.021331, 1e-5);
  r.failures_per_gpu_day = 0;
  EXPECT_EQ(UsefulFraction(r, 1000), 1.0);
  r.failures_per_gpu_day = 1.0;  // absurd rate: floored
  EXPECT_EQ(UsefulFraction(r, 16384), 0.05);
}

TEST(Reliability, CampaignAddsTheLostTime) {
  // 1e12 tokens at 1e6 tokens/s on 1000 GPUs: 1e6 s of training, 277,778
  // GPU-hours; the wall time divides by the useful fraction above.
  const Campaign c = CampaignFor(1e12, 1e6, 1000);
  const double useful = 1 - 0.018066 - 0.021331;
  EXPECT_DOUBLE_EQ(c.train_s, 1e6);
  EXPECT_NEAR(c.train_gpu_hours, 1e6 * 1000 / 3600.0, 1e-6);
  EXPECT_NEAR(c.useful_fraction, useful, 1e-5);
  EXPECT_NEAR(c.wall_s, 1e6 / useful, 30.0);
  EXPECT_DOUBLE_EQ(c.wall_gpu_hours, c.wall_s * 1000 / 3600.0);
  // The range divides by the model error's 90th and 10th percentile ratios.
  const ReliabilityAssumptions r;
  EXPECT_NEAR(c.wall_p10_s, c.wall_s / ThroughputRatioAt(r.dense_error, 0.9), 1e-6);
  EXPECT_NEAR(c.wall_p90_s, c.wall_s / ThroughputRatioAt(r.dense_error, 0.1), 1e-6);
  EXPECT_GT(c.wall_p90_s, c.wall_s);
  // A mixture-of-experts campaign uses the wider MoE model error.
  const Campaign moe = CampaignFor(1e12, 1e6, 1000, r, true);
  EXPECT_NEAR(moe.wall_p90_s, moe.wall_s / ThroughputRatioAt(r.moe_error, 0.1), 1e-6);
  EXPECT_GT(moe.wall_p90_s / moe.wall_p10_s, c.wall_p90_s / c.wall_p10_s);
}

TEST(Reliability, NormalQuantileMatchesTables) {
  EXPECT_NEAR(NormalQuantile(0.5), 0.0, 1e-9);
  EXPECT_NEAR(NormalQuantile(0.8413447460685429), 1.0, 1e-8);   // Φ(1)
  EXPECT_NEAR(NormalQuantile(0.9), 1.2815515655446004, 1e-8);
  EXPECT_NEAR(NormalQuantile(0.01), -2.3263478740408408, 1e-8);  // lower tail branch
  EXPECT_NEAR(NormalQuantile(0.999), 3.090232306167813, 1e-7);   // upper tail branch
}

TEST(Reliability, ThroughputRatioIsLogNormalAroundTheMedian) {
  ModelError e{0.95, 0.14};
  EXPECT_NEAR(ThroughputRatioAt(e, 0.5), 0.95, 1e-9);
  EXPECT_NEAR(ThroughputRatioAt(e, 0.9), 0.95 * std::exp(0.14 * 1.2815515655446004), 1e-7);
  EXPECT_LT(ThroughputRatioAt(e, 0.1), 0.95);
  e.log_sd = 0;  // no model error: always the median
  EXPECT_DOUBLE_EQ(ThroughputRatioAt(e, 0.01), 0.95);
  const ReliabilityAssumptions r;
  EXPECT_EQ(&ErrorFor(r, false), &r.dense_error);
  EXPECT_EQ(&ErrorFor(r, true), &r.moe_error);
}

}  // namespace
}  // namespace suanli
