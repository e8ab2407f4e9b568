#include "model/campaign.h"

#include <gtest/gtest.h>

#include <cmath>

namespace suanli {
namespace {

// Every effect on, interruptions off, so each term can be checked by hand.
CampaignAssumptions HandAssumptions() {
  CampaignAssumptions a;
  a.ramp_token_share = 0.04;
  a.rollback_token_share = 0.008;
  a.straggler_cv = 0.03;
  a.eval_time_share = 0.01;
  a.reliability.failures_per_gpu_day = 0;
  return a;
}

TEST(Campaign, EachLossByHand) {
  // 1e12 tokens at 1e6 tokens/s (5e5 during the ramp) on 1,024 devices:
  // steady 1e6 s; ramp 0.04e12/5e5 - 0.04e12/1e6 = 40,000 s; rollback 8,000 s;
  // stragglers 1,048,000 · 0.03 · √(2 ln 1024) = 1,048,000 · 0.03 · 3.7232974
  // = 117,060.47 s; evaluation 0.01 · (1,048,000 + 117,060.47) = 11,650.60 s.
  const Campaign c = CampaignFor(CampaignRun{1e12, 1e6, 5e5, 1024, false}, HandAssumptions());
  EXPECT_DOUBLE_EQ(c.train_s, 1e6);
  EXPECT_NEAR(c.ramp_s, 40000, 1e-6);
  EXPECT_NEAR(c.rollback_s, 8000, 1e-6);
  EXPECT_NEAR(c.straggler_s, 117060.47, 0.01);
  EXPECT_NEAR(c.eval_s, 11650.60, 0.01);
  EXPECT_NEAR(c.wall_s, 1176711.08, 0.01);
  EXPECT_DOUBLE_EQ(c.interruption_s, 0);
  EXPECT_NEAR(c.wall_gpu_hours, 1176711.08 * 1024 / 3600, 0.01);
  EXPECT_NEAR(CampaignStretch(CampaignRun{1, 1e6, 5e5, 1024, false}, HandAssumptions()), 1.17671108, 1e-8);
  // One device has no straggler to wait for; a ramp at the steady rate costs nothing.
  const Campaign one = CampaignFor(CampaignRun{1e12, 1e6, 0, 1, false}, HandAssumptions());
  EXPECT_DOUBLE_EQ(one.ramp_s, 0);
  EXPECT_DOUBLE_EQ(one.straggler_s, 0);
}

TEST(Campaign, InterruptionsDivideTheBusyTime) {
  CampaignAssumptions a = HandAssumptions();
  a.reliability = ReliabilityAssumptions{};
  const Campaign c = CampaignFor(CampaignRun{1e12, 1e6, 5e5, 1024, false}, a);
  const double useful = UsefulFraction(a.reliability, 1024);
  EXPECT_NEAR(c.wall_s, 1176711.08 / useful, 0.05);
  EXPECT_NEAR(c.interruption_s, c.wall_s - 1176711.08, 0.05);
}

TEST(Campaign, InterruptionsOnlyIsTheReliabilityModel) {
  const ReliabilityAssumptions r;
  const Campaign old = CampaignFor(1e12, 1e6, 1000, r, false);
  const Campaign now = CampaignFor(CampaignRun{1e12, 1e6, 3e5, 1000, false}, CampaignAssumptions::InterruptionsOnly(r));
  EXPECT_DOUBLE_EQ(now.wall_s, old.wall_s);
  EXPECT_DOUBLE_EQ(now.wall_p90_s, old.wall_p90_s);
  EXPECT_DOUBLE_EQ(now.ramp_s + now.rollback_s + now.straggler_s + now.eval_s, 0);
}

TEST(Campaign, RangeCombinesStepAndCampaignError) {
  // Medians multiply (0.96 · 0.9 = 0.864), log variances add: √(0.14² + 0.3²).
  const ModelError step{0.96, 0.14};
  const ModelError extra{0.9, 0.3};
  EXPECT_NEAR(CampaignRatioAt(step, extra, 0.5), 0.864, 1e-9);
  EXPECT_NEAR(CampaignRatioAt(step, extra, 0.9), 1.32060049, 1e-6);
  CampaignAssumptions a = HandAssumptions();
  a.reliability.dense_error = step;
  a.extra_error = extra;
  const Campaign c = CampaignFor(CampaignRun{1e12, 1e6, 0, 8, false}, a);
  EXPECT_NEAR(c.wall_p10_s, c.wall_s / 1.32060049, 1e-3);
  EXPECT_NEAR(c.wall_p50_s, c.wall_s / 0.864, 1e-3);
  EXPECT_GT(c.wall_p90_s, c.wall_s / 0.864);
}

TEST(Campaign, RampBatchIsWholeMicroBatches) {
  ParallelConfig config;
  config.dp = 64;
  config.micro_batch = 2;
  config.global_batch = 2048;
  CampaignAssumptions a;
  a.ramp_start_batch_share = 0.1;  // mean batch 0.55 · 2048 = 1126 → 8 micro-batches of 128
  EXPECT_EQ(RampConfig(config, a).global_batch, 1024);
  config.pp = 4;
  config.vp = 2;  // interleaved: whole rounds of 4 micro-batches of 128 = 512
  EXPECT_EQ(RampConfig(config, a).global_batch, 1024);
  config.global_batch = 128;  // one micro-batch per rank already: no smaller batch
  config.vp = 1;
  EXPECT_EQ(RampConfig(config, a).global_batch, 128);
}

}  // namespace
}  // namespace suanli
