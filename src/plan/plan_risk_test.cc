// Risks that must move the schedule, not only the cost: a delivery an export
// rule stops at the border (those Monte Carlo draws never finish, the option
// ranks after the safe ones unless constraints.max_stop_risk accepts it), and
// the extra failures of used cards (each one interrupts the synchronous job).
#include <cmath>
#include <string>

#include <gtest/gtest.h>

#include "plan/plan.h"
#include "plan/plan_test_support.h"
#include "plan/rules_at_delivery.h"

namespace suanli {
// A named namespace: the unity build joins this file's anonymous one with its neighbours'.
namespace plan_risk_test {

using testing::kRatePerCard;
using testing::LinearThroughput;

// 64 cards x 3000 tokens/s for 30 days.
constexpr double kTokens30DaysRisk = 64 * kRatePerCard * 86400.0 * 30;

PlanQuote Quote(std::string id, double price, double min, double likely, double max) {
  PlanQuote q;
  q.id = id;
  q.supplier = "Distributor " + id;
  q.sku = "h20-96gb";
  q.channel = ChannelTier::kNationalDistributor;
  q.unit_price = price;
  q.lead_weeks_min = min;
  q.lead_weeks_likely = likely;
  q.lead_weeks_max = max;
  q.warranty_months = 36;
  return q;
}

// Costs reduced to the cards, no model error: only lead times and interruptions move the dates.
PlanInput Input() {
  PlanInput in;
  in.date = *ParseDate("2025-03-20");
  in.tier = "enterprise";
  in.objective = Objective::kLowestCost;
  PlanCosts& c = in.costs;
  c.currency = "CNY";
  c.power_price_per_kwh = 0;
  c.hosting_per_card_month = 0;
  c.server_per_node = 0;
  c.network_per_card = 0;
  c.node_size = 8;
  c.annual_value_decline = 1;  // no resale value
  c.setup_days = 0;
  c.failures_per_gpu_day = 4.7e-4;
  c.dense_error = {1.0, 0.0};
  c.moe_error = {1.0, 0.0};
  c.campaign = CampaignAssumptions::InterruptionsOnly();
  in.options.cluster_sizes = {64};
  in.options.allow_staged_start = false;
  in.options.monte_carlo_samples = 1000;
  in.accelerators = {{"h20-96gb", "NVIDIA", 400}};
  in.workloads.push_back(PlanWorkload{"70B", "llama-3-70b", false, kTokens30DaysRisk, LinearThroughput, nullptr});
  return in;
}

// The buyer's scenario: h20-a is 5% cheaper, lead tri(1, 2, 4) weeks, and a
// rule stops deliveries from day 20 (2025-04-09): P(lead >= 20/7 weeks) =
// (4 - 20/7)^2 / (3 × 2) = 21.8%. h20-c, tri(0.5, 1, 2), arrives before it.
PlanInput RuleInput() {
  PlanInput in = Input();
  PlanQuote a = Quote("h20-a", 90000, 1, 2, 4);
  for (int day = 20; day <= 28; ++day) a.rule_stopped_days.push_back(day);
  a.rule_blocked_share = (4 - 20.0 / 7) * (4 - 20.0 / 7) / 6;
  a.warning = "lead-time range straddles an export rule";
  in.quotes = {a, Quote("h20-c", 95000, 0.5, 1, 2)};
  return in;
}

const PlanOptionResult* OnlyFrom(const WorkloadPlan& plan, const std::string& quote) {
  for (const PlanOptionResult& o : plan.options) {
    if (o.mix.size() == 1 && o.mix[0].quote_id == quote) return &o;
  }
  return nullptr;
}

TEST(PlanRiskTest, DeliveryDaysUnderARuleStopTheDraw) {
  PlanQuote a = Quote("a", 1, 1, 2, 4);
  a.rule_stopped_days = {20, 21, 22};
  EXPECT_FALSE(QuoteStopsDelivery(a, 19.9 / 7));
  EXPECT_TRUE(QuoteStopsDelivery(a, 20.0 / 7));
  EXPECT_TRUE(QuoteStopsDelivery(a, 22.9 / 7));
  EXPECT_FALSE(QuoteStopsDelivery(a, 23.0 / 7));
}

TEST(PlanRiskTest, StoppedDeliveriesNeverFinishAndRankAfterSafeOptions) {
  auto result = MakePlan(RuleInput());
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  const WorkloadPlan& plan = result->workloads.at(0);
  ASSERT_FALSE(plan.options.empty());
  // The safe option is recommended although it costs 5.6% more.
  ASSERT_EQ(plan.options[0].mix.size(), 1u);
  EXPECT_EQ(plan.options[0].mix[0].quote_id, "h20-c");
  EXPECT_EQ(plan.options[0].stop_share, 0);
  const PlanOptionResult* risky = OnlyFrom(plan, "h20-a");
  ASSERT_NE(risky, nullptr);
  EXPECT_NEAR(risky->stop_share, 0.218, 0.001);
  // 22% of the draws never finish: the P50 comes, the P90 never does.
  EXPECT_TRUE(std::isfinite(risky->finish_p50_days));
  EXPECT_FALSE(std::isfinite(risky->finish_p90_days));
  EXPECT_EQ(risky->finish_p90_date, kNeverDate);
  EXPECT_EQ(FormatFinish(risky->finish_p90_date), "never");
  // The cards paid for and stopped are an expected loss in the cost.
  EXPECT_NEAR(risky->cost.rule_stop_loss, risky->stop_share * 64 * 90000, 1);
  EXPECT_NEAR(risky->cost.cash, 64 * 90000 * (1 + risky->stop_share), 1);
  EXPECT_FALSE(risky->pareto);
  bool named = false;
  for (const std::string& r : plan.recommendation.reasons) {
    named = named || r.find("ranked after every option no rule stops") != std::string::npos;
  }
  EXPECT_TRUE(named);
}

TEST(PlanRiskTest, MaxStopRiskAcceptsTheRiskExplicitly) {
  PlanInput in = RuleInput();
  in.constraints.max_stop_risk = 0.25;
  // The expected loss (21.8% of the cards) outweighs the 5.6% discount:
  // with the risk accepted, a cheaper price would still have to pay for it.
  in.quotes[0].unit_price = 70000;
  auto result = MakePlan(in);
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  const WorkloadPlan& plan = result->workloads.at(0);
  ASSERT_FALSE(plan.options.empty());
  EXPECT_EQ(plan.options[0].mix.at(0).quote_id, "h20-a");
  EXPECT_EQ(plan.options[0].finish_p90_date, kNeverDate);
  bool warned = false;
  for (const std::string& r : plan.recommendation.reasons) {
    warned = warned || r.find("risk: an export rule stops its delivery") != std::string::npos;
  }
  EXPECT_TRUE(warned);
}

TEST(PlanRiskTest, UsedCardsFailuresInterruptTheJob) {
  const auto plan_with = [](double used_rate, Condition condition) {
    PlanInput in = Input();
    in.costs.used_annual_failure_rate = used_rate;
    PlanQuote q = Quote("used", 60000, 1, 1, 1);
    q.condition = condition;
    q.warranty_months = 0;
    in.quotes = {q};
    auto result = MakePlan(in);
    EXPECT_TRUE(result.ok());
    return result->workloads.at(0).options.at(0);
  };
  const PlanOptionResult low = plan_with(0.25, Condition::kUsedPulled);
  const PlanOptionResult high = plan_with(1.0, Condition::kUsedPulled);
  EXPECT_DOUBLE_EQ(high.used_share, 1.0);
  EXPECT_DOUBLE_EQ(high.failures_per_gpu_day, 4.7e-4 + 1.0 / 365.25);
  EXPECT_DOUBLE_EQ(low.failures_per_gpu_day, 4.7e-4 + 0.25 / 365.25);
  EXPECT_GT(high.failure_overhead, low.failure_overhead);
  EXPECT_GT(high.train_days, low.train_days);
  EXPECT_GT(high.train_p50_days, low.train_p50_days);
  EXPECT_GT(high.finish_p50_days, low.finish_p50_days);
  EXPECT_GT(high.finish_p90_days, low.finish_p90_days);
  // New cards keep the fleet's rate whatever the used cards' rate.
  const PlanOptionResult fresh_low = plan_with(0.25, Condition::kNew);
  const PlanOptionResult fresh_high = plan_with(1.0, Condition::kNew);
  EXPECT_DOUBLE_EQ(fresh_high.failures_per_gpu_day, 4.7e-4);
  EXPECT_DOUBLE_EQ(fresh_high.train_days, fresh_low.train_days);
  EXPECT_LT(fresh_high.train_days, low.train_days);
}

TEST(PlanRiskTest, InterruptionRateCountsTheUsedShareOnly) {
  PlanCosts costs;
  costs.failures_per_gpu_day = 1e-3;
  costs.used_annual_failure_rate = 0.5;
  EXPECT_DOUBLE_EQ(OptionFailuresPerGpuDay(costs, 0), 1e-3);
  EXPECT_DOUBLE_EQ(OptionFailuresPerGpuDay(costs, 0.5), 1e-3 + 0.25 / 365.25);
}

}  // namespace plan_risk_test
}  // namespace suanli
