// Setup after delivery is for bought cards (racking, cabling, burn-in and
// bring-up, setup_days); a rented cluster is handed over racked and burnt in
// and needs only the renter's bring-up (rental_setup_days), which is billed.
#include "plan/plan.h"
#include "plan/plan_test_support.h"

#include <cmath>

#include <gtest/gtest.h>

namespace suanli {
namespace {

using testing::kRatePerCard;
constexpr double kTokens15Days = 64 * kRatePerCard * 86400.0 * 15;

constexpr auto Linear = testing::LinearThroughput;

PlanInput RentOrBuy() {
  PlanInput in;
  in.date = *ParseDate("2024-06-01");
  in.tier = "startup";
  in.currency = "CNY";
  in.costs.currency = "CNY";
  in.costs.pue = 1.3;
  in.costs.node_size = 8;
  in.costs.annual_value_decline = 1;
  in.costs.ownership_years = 4;
  in.costs.utilisation = 0.7;
  in.costs.setup_days = 7;
  in.costs.rental_setup_days = 1;
  in.costs.dense_error = {1.0, 0.0};
  in.costs.moe_error = {1.0, 0.0};
  in.costs.campaign = CampaignAssumptions::InterruptionsOnly();
  in.options.cluster_sizes = {64};
  in.options.monte_carlo_samples = 20;
  in.accelerators = {{"a800-sxm-80gb", "NVIDIA", 400}};
  PlanQuote cloud;
  cloud.id = "cloud";
  cloud.supplier = "Cloud";
  cloud.sku = "a800-sxm-80gb";
  cloud.channel = ChannelTier::kCloud;
  cloud.mode = BuyMode::kRent;
  cloud.unit = QuoteUnit::kGpuHour;
  cloud.unit_price = 20;  // CNY per card-hour, delivered at once
  in.quotes = {cloud};
  in.workloads.push_back(PlanWorkload{"7B", "aquila-7b", false, kTokens15Days, Linear, nullptr});
  return in;
}

// A 15-day job on a rental with no lead time starts after one day of
// bring-up and is billed for 16 days, not 22 (15 + the 7 days of racking
// and burn-in a bought cluster needs).
TEST(RentalSetupTest, RentalIsBilledForItsOwnBringUpOnly) {
  auto result = MakePlan(RentOrBuy());
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  const PlanOptionResult& o = result->workloads.at(0).options.at(0);
  EXPECT_EQ(o.mode, BuyMode::kRent);
  EXPECT_NEAR(o.finish_days, 16, 1e-9);
  EXPECT_NEAR(o.start_weeks, 1.0 / 7, 1e-12);
  EXPECT_NEAR(o.cost.rental, 64 * 20 * 16 * 24.0, 1e-6);
}

// Bought cards keep the week of setup.
TEST(RentalSetupTest, BoughtCardsKeepTheirSetupDays) {
  PlanInput in = RentOrBuy();
  PlanQuote& q = in.quotes[0];
  q.mode = BuyMode::kBuy;
  q.unit = QuoteUnit::kCard;
  q.channel = ChannelTier::kReseller;
  q.unit_price = 90000;
  q.lead_weeks_min = q.lead_weeks_likely = q.lead_weeks_max = 2;
  auto result = MakePlan(in);
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  EXPECT_NEAR(result->workloads.at(0).options.at(0).finish_days, 14 + 7 + 15, 1e-9);
}

// The cost bills the run the dates expect. 15 days at the model's rate;
// published runs realise 0.8 of it at the median, times a further 0.75 for
// whole campaigns: the P50 run trains 15 / 0.6 = 25 days and is billed them
// plus the day of bring-up; the P90 bill trains at the ratio's 10th
// percentile, 0.6 · exp(−1.2816 · √(0.1² + 0.2²)).
TEST(RentalSetupTest, RentalBillsTheDurationTheDatesExpect) {
  PlanInput in = RentOrBuy();
  in.costs.dense_error = {0.8, 0.1};
  in.costs.campaign.extra_error = {0.75, 0.2};
  auto result = MakePlan(in);
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  const PlanOptionResult& o = result->workloads.at(0).options.at(0);
  EXPECT_NEAR(o.train_days, 15, 1e-9);
  EXPECT_NEAR(o.train_p50_days, 25, 1e-9);
  EXPECT_NEAR(o.cost.rental, 64 * 20 * 24.0 * (25 + 1), 1e-6);
  const double p90_ratio = 0.6 * std::exp(-1.2815515655446004 * std::sqrt(0.1 * 0.1 + 0.2 * 0.2));
  EXPECT_NEAR(o.cost_p90_total, 64 * 20 * 24.0 * (15 / p90_ratio + 1), 1e-3);
  EXPECT_NEAR(result->workloads[0].campaign_error.median, 0.75, 1e-12);
}

}  // namespace
}  // namespace suanli
