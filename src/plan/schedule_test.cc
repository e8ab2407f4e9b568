#include "plan/schedule.h"

#include <cmath>

#include <gtest/gtest.h>

namespace suanli {
namespace {

TEST(ScheduleTest, FinishDaysIntegratesStagedArrivals) {
  const auto rate = [](int cards) { return cards * 1000.0; };
  // 64 cards from day 14, 192 more from day 56; the first stage trains
  // 64000*42 days' worth of tokens, the rest runs on 256 cards for 10 days.
  const double tokens = 64000.0 * 86400 * 42 + 256000.0 * 86400 * 10;
  const std::vector<Batch> batches = {{56, 192}, {14, 64}};
  EXPECT_NEAR(FinishDays(batches, tokens, true, rate), 66.0, 1e-9);
  // Without a staged start: all 256 from day 56: 10.5 + 10 days.
  EXPECT_NEAR(FinishDays(batches, tokens, false, rate), 76.5, 1e-9);
  // Finishing inside the first stage.
  EXPECT_NEAR(FinishDays(batches, 64000.0 * 86400 * 7, true, rate), 21.0, 1e-9);
  // A first batch too small to train (rate 0) waits for the second.
  const auto needs_100 = [](int cards) { return cards >= 100 ? cards * 1000.0 : 0.0; };
  EXPECT_NEAR(FinishDays(batches, 256000.0 * 86400 * 10, true, needs_100), 66.0, 1e-9);
}

TEST(ScheduleTest, TriangularSampleHitsTheCorners) {
  EXPECT_DOUBLE_EQ(TriangularSample(4, 6, 8, 0.0), 4);
  EXPECT_DOUBLE_EQ(TriangularSample(4, 6, 8, 0.5), 6);  // symmetric: the median is the mode
  EXPECT_NEAR(TriangularSample(4, 6, 8, 1.0), 8, 1e-12);
  EXPECT_DOUBLE_EQ(TriangularSample(2, 2, 2, 0.7), 2);
  // CDF(x) = (x-min)^2 / ((max-min)(mode-min)) below the mode: u = 0.125 -> (x-2)^2 = 1.
  EXPECT_NEAR(TriangularSample(2, 4, 6, 0.125), 3.0, 1e-12);
  EXPECT_NEAR(TriangularSample(2, 4, 6, 0.875), 5.0, 1e-12);
}

TEST(ScheduleTest, PercentileIsTheNearestRank) {
  const std::vector<double> sorted = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  EXPECT_DOUBLE_EQ(Percentile(sorted, 0.5), 5);
  EXPECT_DOUBLE_EQ(Percentile(sorted, 0.9), 9);
  EXPECT_DOUBLE_EQ(Percentile(sorted, 0.0), 1);
  EXPECT_TRUE(std::isinf(Percentile({}, 0.5)));
  EXPECT_NE(Fnv1a("bj", 42), Fnv1a("sz", 42));
  EXPECT_NE(Fnv1a("bj", 42), Fnv1a("bj", 43));
}

}  // namespace
}  // namespace suanli
