// The budget limits the cash paid (before any resale credit); the planning
// horizon never cuts before the deadline; every exclusion reason describes the
// options it dropped, at the percentile that failed.
#include "plan/plan.h"
#include "plan/plan_test_support.h"

#include <gtest/gtest.h>

namespace suanli {
namespace {

using testing::kRatePerCard;
constexpr double kTokens30Days = 64 * kRatePerCard * 86400.0 * 30;  // 64 cards for 30 days

constexpr auto Linear = testing::LinearThroughput;

// One A800 quote of 100,000 CNY a card (2 weeks) on 64 cards, no other costs;
// resale keeps half the purchase price after 30 days.
PlanInput OneQuote() {
  PlanInput in;
  in.date = *ParseDate("2023-06-15");
  in.options.cluster_sizes = {64};
  in.options.monte_carlo_samples = 20;
  in.accelerators = {{"a800-sxm-80gb", "NVIDIA", 400}};
  PlanQuote q;
  q.id = "q";
  q.supplier = "Dealer";
  q.sku = "a800-sxm-80gb";
  q.unit_price = 100000;
  q.lead_weeks_min = q.lead_weeks_likely = q.lead_weeks_max = 2;
  q.warranty_months = 36;
  in.quotes.push_back(q);
  PlanCosts& c = in.costs;
  c.currency = "CNY";
  c.power_price_per_kwh = 0;
  c.hosting_per_card_month = 0;
  c.server_per_node = 0;
  c.network_per_card = 0;
  c.node_size = 8;
  c.failures_per_gpu_day = 0;
  c.setup_days = 0;
  c.resale_discount = 0.5;
  c.annual_value_decline = 0;
  c.dense_error = {1.0, 0.0};
  c.moe_error = {1.0, 0.0};
  c.campaign = CampaignAssumptions::InterruptionsOnly();
  in.workloads.push_back(PlanWorkload{"7B", "aquila-7b", false, kTokens30Days, Linear, nullptr});
  return in;
}

bool HasReason(const WorkloadPlan& plan, const std::string& text) {
  for (const Excluded& e : plan.excluded) {
    if (e.reason.find(text) != std::string::npos) return true;
  }
  return false;
}

TEST(PlanBudgetTest, TheBudgetLimitsCashNotTheCostAfterResale) {
  PlanInput in = OneQuote();
  auto result = MakePlan(in);
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  const PlanOptionResult& o = result->workloads[0].options.at(0);
  EXPECT_NEAR(o.cost.cash, 6.4e6, 1);   // 64 × 100,000 paid
  EXPECT_NEAR(o.cost.total, 3.2e6, 1);  // half of it back at resale
  EXPECT_NEAR(o.cost_p90_cash, 6.4e6, 1);
  // 4M covers the net cost but not the cash: over budget.
  in.constraints.budget = 4e6;
  result = MakePlan(in);
  ASSERT_TRUE(result.ok());
  const WorkloadPlan& plan = result->workloads[0];
  EXPECT_EQ(plan.status, PlanStatus::kInfeasible);
  EXPECT_TRUE(HasReason(plan, "over budget (1 options): the cheapest pays 6.40 M CNY cash (3.20 M CNY after resale) "
                              "> budget 4.00 M CNY"));
  in.constraints.budget = 6.5e6;
  result = MakePlan(in);
  EXPECT_EQ(result->workloads[0].status, PlanStatus::kFeasible);
}

TEST(PlanBudgetTest, ARunAsSlowAsAtP90OverTheBudgetIsARisk) {
  PlanInput in = OneQuote();
  in.costs.hosting_per_card_month = 1000;  // billed by time: the slow run pays more
  in.costs.dense_error = {1.0, 0.3};
  auto result = MakePlan(in);
  ASSERT_TRUE(result.ok());
  const PlanOptionResult& o = result->workloads[0].options.at(0);
  ASSERT_GT(o.cost_p90_cash, o.cost.cash);
  in.constraints.budget = (o.cost.cash + o.cost_p90_cash) / 2;  // within at P50, over at P90
  result = MakePlan(in);
  ASSERT_TRUE(result.ok());
  const WorkloadPlan& plan = result->workloads[0];
  ASSERT_EQ(plan.status, PlanStatus::kFeasible);
  bool warned = false;
  for (const std::string& r : plan.recommendation.reasons) {
    warned = warned || r.find("risk: if training takes as long as at P90 it pays") != std::string::npos;
  }
  EXPECT_TRUE(warned);
}

TEST(PlanBudgetTest, TheHorizonNeverCutsBeforeTheDeadline) {
  PlanInput in = OneQuote();
  in.options.horizon_days = 30;  // the option finishes on day 44
  in.constraints.has_deadline = true;
  in.constraints.deadline = AddDays(in.date, 60);
  EXPECT_EQ(PlanHorizonDays(in), 60);
  EXPECT_TRUE(HorizonExtendedToDeadline(in));
  auto result = MakePlan(in);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->workloads[0].status, PlanStatus::kFeasible);
  // Without a deadline the horizon binds, and says when the options it dropped finish.
  in.constraints.has_deadline = false;
  result = MakePlan(in);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->workloads[0].status, PlanStatus::kInfeasible);
  EXPECT_TRUE(HasReason(result->workloads[0], "planning horizon of 30 days to 2023-07-15 (options.horizon_days; 1 "
                                              "options): the earliest P50 finish among them is 2023-07-29"));
}

TEST(PlanBudgetTest, ADeadlineMissNamesThePercentileThatFailed) {
  PlanInput in = OneQuote();
  in.costs.dense_error = {1.0, 0.3};
  in.constraints.deadline_percentile = 90;
  auto result = MakePlan(in);
  ASSERT_TRUE(result.ok());
  const PlanOptionResult o = result->workloads[0].options.at(0);
  ASSERT_LT(o.finish_p50_date, o.finish_p90_date);
  in.constraints.has_deadline = true;
  in.constraints.deadline = o.finish_p50_date;  // P50 makes it, P90 does not
  result = MakePlan(in);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->workloads[0].status, PlanStatus::kInfeasible);
  EXPECT_TRUE(HasReason(result->workloads[0],
                        "the earliest P90 finish among them is " + FormatDate(o.finish_p90_date)));
}

}  // namespace
}  // namespace suanli

namespace suanli {
namespace {

// cfo items 1 and 5: the coarse sizes (192, 256) of accelerator "a" miss the
// deadline (192) or break the budget (256); 205 to 230 cards of it meet both
// and cost less than the rent of "b". Before the fix only b's sizes were
// refined, so the plan recommended b and claimed no option of a met the
// deadline. Hand values: 10,000 card-days of training, lead 2 weeks, deadline
// day 63 → at least 10,000 / 49 = 204.1 cards; 100,000 CNY a card, budget
// 23 M → at most 230; b rents at 90 CNY per card-hour: 90 × 24 × 10,000 =
// 21.6 M whatever its size.
TEST(PlanRefineTest, EveryAcceleratorsBoundaryIsRefined) {
  PlanInput in = OneQuote();
  in.options.cluster_sizes.clear();
  in.constraints.max_devices = 512;
  in.constraints.budget = 23e6;
  in.constraints.has_deadline = true;
  in.constraints.deadline = AddDays(in.date, 63);
  in.objective = Objective::kCheapestByDeadline;
  in.costs.resale_discount = 0;
  in.costs.rental_setup_days = 0;
  in.workloads[0].tokens = 10000 * kRatePerCard * 86400.0;
  in.accelerators.push_back({"b", "NVIDIA", 400});
  PlanQuote b;
  b.id = "b-cloud";
  b.supplier = "Cloud";
  b.sku = "b";
  b.mode = BuyMode::kRent;
  b.unit = QuoteUnit::kGpuHour;
  b.unit_price = 90;
  b.lead_weeks_min = b.lead_weeks_likely = b.lead_weeks_max = 0.1;
  in.quotes.push_back(b);
  const auto result = MakePlan(in);
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  const WorkloadPlan& plan = result->workloads[0];
  ASSERT_EQ(plan.status, PlanStatus::kFeasible);
  const PlanOptionResult& best = plan.options.at(plan.recommendation.option);
  EXPECT_EQ(best.accelerator, "a800-sxm-80gb");
  EXPECT_GE(best.gpus, 205);
  EXPECT_LE(best.gpus, 230);
  EXPECT_LE(best.cost.cash, 23e6);
  // Both the best buy and the best rent are shown, and no line says a has no option.
  EXPECT_GE(plan.best_buy, 0);
  EXPECT_GE(plan.best_rent, 0);
  for (const Excluded& e : plan.excluded) {
    EXPECT_NE(e.accelerator, "a800-sxm-80gb") << e.reason;
  }
}

// cfo item 7: with no feasible option the plan keeps the closest misses,
// each marked with the constraint it misses.
TEST(PlanRefineTest, AnInfeasiblePlanKeepsItsNearMisses) {
  PlanInput in = OneQuote();
  in.constraints.budget = 4e6;
  const auto result = MakePlan(in);
  ASSERT_TRUE(result.ok());
  const WorkloadPlan& plan = result->workloads[0];
  ASSERT_EQ(plan.status, PlanStatus::kInfeasible);
  ASSERT_FALSE(plan.near_misses.empty());
  EXPECT_EQ(plan.near_misses[0].misses, "budget");
  EXPECT_NEAR(plan.near_misses[0].cost.cash, 6.4e6, 1);
  EXPECT_GT(plan.near_misses[0].finish_p10_days, 0);
}

}  // namespace
}  // namespace suanli
