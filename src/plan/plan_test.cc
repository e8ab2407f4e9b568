#include "plan/plan.h"
#include "plan/plan_test_support.h"
#include "plan/sizes.h"

#include <cmath>

#include <gtest/gtest.h>

namespace suanli {
namespace {

using testing::kRatePerCard;

Throughput FakeThroughput(const std::string& accelerator, int gpus) {
  Throughput t;
  const int min_gpus = accelerator == "a100-sxm-40gb" ? 128 : 8;
  t.fits = gpus >= min_gpus;
  t.tokens_per_s = t.fits ? kRatePerCard * gpus : 0;
  t.layout.dp = gpus;
  if (!t.fits) t.reason = "needs 50 GiB per card, has 40 GiB";
  return t;
}

PlanQuote Quote(std::string id, std::string supplier, std::string sku, double price,
                double lead_weeks) {
  PlanQuote q;
  q.id = std::move(id);
  q.supplier = std::move(supplier);
  q.sku = std::move(sku);
  q.channel = ChannelTier::kNationalDistributor;
  q.unit_price = price;
  q.lead_weeks_min = q.lead_weeks_likely = q.lead_weeks_max = lead_weeks;
  q.condition = Condition::kNew;
  q.warranty_months = 36;
  return q;
}

// Costs reduced to the card price so totals are easy to compute by hand.
PlanCosts CardsOnly() {
  PlanCosts c;
  c.currency = "CNY";
  c.power_price_per_kwh = 0;
  c.pue = 1.3;
  c.node_size = 8;
  c.annual_value_decline = 1;  // no resale value
  c.used_annual_failure_rate = 0.08;
  c.ownership_years = 4;
  c.utilisation = 0.7;
  c.hosting_per_card_month = 0;
  c.server_per_node = 0;
  c.network_per_card = 0;
  c.failures_per_gpu_day = 0;
  c.setup_days = 0;
  c.dense_error = {1.0, 0.0};  // no model error: the Monte Carlo draws lead times only
  c.moe_error = {1.0, 0.0};
  c.campaign = CampaignAssumptions::InterruptionsOnly();  // steady state and interruptions only
  return c;
}

// 64 cards x 3000 tokens/s for 30 days.
constexpr double kTokens30Days = 64 * kRatePerCard * 86400.0 * 30;

PlanInput ArticleInput() {
  PlanInput in;
  in.date = *ParseDate("2023-06-15");
  in.tier = "startup";
  in.costs = CardsOnly();
  in.options.cluster_sizes = {64};
  in.options.monte_carlo_samples = 50;
  in.accelerators = {{"a800-sxm-80gb", "NVIDIA", 400},
                     {"h800-sxm-80gb", "NVIDIA", 700},
                     {"a100-sxm-80gb", "NVIDIA", 400}};
  in.quotes.push_back(Quote("bj", "Beijing", "a800-sxm-80gb", 87500, 8));
  in.quotes.push_back(Quote("sz", "Shenzhen", "a800-sxm-80gb", 89500, 2));
  PlanQuote h800 = Quote("h800", "NVIDIA direct", "h800-sxm-80gb", 200000, 4);
  // The market's quote check (market/quote_filter.h) blocked it for this buyer.
  h800.allowed = false;
  h800.blocked_reason = "manufacturer-direct sells only to hyperscaler buyers, not startup";
  in.quotes.push_back(h800);
  PlanQuote used = Quote("used", "DC pull", "a100-sxm-80gb", 100000, 1);
  used.condition = Condition::kUsedPulled;
  used.warranty_months = 0;
  used.quantity = 32;
  in.quotes.push_back(used);
  in.workloads.push_back(PlanWorkload{"7B", "aquila-7b", false, kTokens30Days, FakeThroughput, nullptr});
  return in;
}

const PlanOptionResult* FindMix(const WorkloadPlan& plan, const std::string& mix) {
  for (const auto& o : plan.options) {
    std::string key;
    for (const auto& p : o.mix) key += p.quote_id + ":" + std::to_string(p.cards) + " ";
    if (key == mix) return &o;
  }
  return nullptr;
}

TEST(PlanTest, CandidateSizesArePowersOfTwoAndNodeMultiples) {
  EXPECT_EQ(CandidateSizes({}, 256),
            (std::vector<int>{8, 16, 24, 32, 48, 64, 96, 128, 192, 256}));
  EXPECT_EQ(CandidateSizes({}, 100), (std::vector<int>{8, 16, 24, 32, 48, 64, 96}));
  EXPECT_EQ(CandidateSizes({}, 200), (std::vector<int>{8, 16, 24, 32, 48, 64, 96, 128, 192, 200}));
  EXPECT_EQ(CandidateSizes({256, 64, 64, 5000}, 1024), (std::vector<int>{64, 256}));
}

TEST(PlanTest, UsefulFractionUsesTheScenarioCosts) {
  // The Young/Daly formula is tested in model/reliability_test.cc; the plan
  // passes the scenario's own interruption, checkpoint and restart figures.
  PlanCosts costs;
  costs.failures_per_gpu_day = 1e-3;
  costs.checkpoint_write_s = 300;
  costs.restart_s = 1200;
  const ReliabilityAssumptions same{1e-3, 300, 1200};
  EXPECT_DOUBLE_EQ(UsefulFraction(costs, 2048), UsefulFraction(same, 2048));
  EXPECT_LT(UsefulFraction(costs, 2048), UsefulFraction(ReliabilityAssumptions{}, 2048));
}

TEST(PlanTest, ArticleTradeOffPremiumVersusWait) {
  auto result = MakePlan(ArticleInput());
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  ASSERT_EQ(result->workloads.size(), 1u);
  const WorkloadPlan& plan = result->workloads[0];
  ASSERT_EQ(plan.status, PlanStatus::kFeasible);
  // Beijing alone, Shenzhen alone, and the staged 16+48 and 32+32 splits.
  ASSERT_EQ(plan.options.size(), 4u);
  const PlanOptionResult& best = plan.options[0];
  ASSERT_EQ(best.mix.size(), 1u);
  EXPECT_EQ(best.mix[0].quote_id, "sz");
  EXPECT_NEAR(best.finish_days, 14 + 30, 1e-9);
  EXPECT_NEAR(best.cost.total, 64 * 89500.0, 1e-6);
  EXPECT_EQ(FormatDate(best.finish_p50_date), "2023-07-29");  // 44 days after 2023-06-15

  const PlanOptionResult* bj = FindMix(plan, "bj:64 ");
  ASSERT_NE(bj, nullptr);
  EXPECT_NEAR(bj->finish_days, 56 + 30, 1e-9);
  EXPECT_NEAR(bj->cost.total, 5600000, 1e-6);
  // Staged: 32 cards from day 14 train 32*42 / (64*30) = 70% by day 56; the
  // remaining 30% takes 9 days on 64 cards.
  const PlanOptionResult* half = FindMix(plan, "sz:32 bj:32 ");
  ASSERT_NE(half, nullptr);
  EXPECT_TRUE(half->staged);
  EXPECT_NEAR(half->finish_days, 65, 1e-9);
  EXPECT_NEAR(half->cost.total, 32 * 89500.0 + 32 * 87500.0, 1e-6);
  const PlanOptionResult* quarter = FindMix(plan, "sz:16 bj:48 ");
  ASSERT_NE(quarter, nullptr);
  EXPECT_NEAR(quarter->finish_days, 56 + 0.65 * 30, 1e-9);
  // Each is faster or cheaper than the others: all four on the frontier.
  EXPECT_EQ(plan.frontier.size(), 4u);
  // The recommendation states the premium-versus-wait trade in words.
  ASSERT_GE(plan.recommendation.reasons.size(), 2u);
  EXPECT_EQ(plan.recommendation.option, 0);
  EXPECT_EQ(plan.recommendation.reasons[1],
            "finishes 6.0 weeks earlier for 2.3% more than #4 buy 64 a800-sxm-80gb: 64 from "
            "Beijing (8 wk) (same cards, other source)");
  // H800 is for hyperscalers; the used A100 stock (32) cannot make 64 cards.
  ASSERT_EQ(plan.excluded.size(), 2u);
  EXPECT_EQ(plan.excluded[0].accelerator, "a100-sxm-80gb");
  EXPECT_NE(plan.excluded[0].reason.find("at most 32 cards"), std::string::npos);
  EXPECT_EQ(plan.excluded[1].accelerator, "h800-sxm-80gb");
  EXPECT_NE(plan.excluded[1].reason.find("sells only to hyperscaler buyers"), std::string::npos);
}

TEST(PlanTest, LowestCostPricesUsedCardsWithoutWarranty) {
  PlanInput in = ArticleInput();
  in.objective = Objective::kLowestCost;
  in.options.cluster_sizes = {32};
  in.options.allow_staged_start = false;
  auto result = MakePlan(in);
  ASSERT_TRUE(result.ok());
  const WorkloadPlan& plan = result->workloads[0];
  // Cheapest: Beijing 32 x 87,500. Used A100: 32 x 100,000 + 8%/year over the
  // months held (delivery to the end of the job), not a fixed year.
  EXPECT_EQ(plan.options[0].mix[0].quote_id, "bj");
  EXPECT_NEAR(plan.options[0].cost.total, 2800000, 1e-6);
  const PlanOptionResult* used = FindMix(plan, "used:32 ");
  ASSERT_NE(used, nullptr);
  const double held_months = (used->finish_days - used->mix[0].lead_weeks * 7) / kDaysPerMonth;
  EXPECT_LT(held_months, 12);
  EXPECT_NEAR(used->cost.replacement_risk, 32 * 100000 * 0.08 * held_months / 12, 1e-3);
  EXPECT_NEAR(used->cost.total, 3200000 + used->cost.replacement_risk, 1e-3);
  EXPECT_FALSE(used->notes.empty());
  EXPECT_EQ(plan.options.back().cost.total, used->cost.total);  // most expensive, last
}

TEST(PlanTest, ServersPowerAndHostingAreCharged) {
  PlanInput in = ArticleInput();
  in.quotes = {Quote("sz", "Shenzhen", "a800-sxm-80gb", 89500, 2)};
  in.costs.server_per_node = 200000;
  in.costs.network_per_card = 10000;
  in.costs.power_price_per_kwh = 1.0;
  in.costs.pue = 1.5;
  in.costs.hosting_per_card_month = 300;
  in.costs.setup_days = 7;
  auto result = MakePlan(in);
  ASSERT_TRUE(result.ok());
  const PlanOptionResult& o = result->workloads[0].options[0];
  // 30 days of training from day 21 (14 delivery + 7 setup).
  EXPECT_NEAR(o.finish_days, 51, 1e-9);
  EXPECT_NEAR(o.cost.servers, 8 * 200000 + 64 * 10000, 1e-6);
  EXPECT_NEAR(o.cost.power, 64 * 0.4 * 1.5 * 30 * 24 * 1.0, 1e-6);
  EXPECT_NEAR(o.cost.hosting, 64 * 300 * 37 / 30.44, 1e-6);  // delivery to finish
  EXPECT_NEAR(o.cost.total, o.cost.purchase + o.cost.servers + o.cost.power + o.cost.hosting,
              1e-6);
}

TEST(PlanTest, RentalChargedPerGpuHour) {
  PlanInput in = ArticleInput();
  PlanQuote cloud = Quote("cloud", "Cloud", "a800-sxm-80gb", 20, 0);
  cloud.mode = BuyMode::kRent;
  cloud.unit = QuoteUnit::kGpuHour;
  in.quotes = {cloud};
  auto result = MakePlan(in);
  ASSERT_TRUE(result.ok());
  const PlanOptionResult& o = result->workloads[0].options[0];
  EXPECT_EQ(o.mode, BuyMode::kRent);
  EXPECT_NEAR(o.cost.rental, 64 * 20 * 30 * 24.0, 1e-6);
  EXPECT_NEAR(o.cost.total, o.cost.rental, 1e-6);
}

TEST(PlanTest, TwoQuoteFillRespectsStockAndMinOrder) {
  PlanInput in = ArticleInput();
  in.options.allow_staged_start = false;
  in.quotes = {Quote("bj", "Beijing", "a800-sxm-80gb", 87500, 8),
               Quote("sz", "Shenzhen", "a800-sxm-80gb", 89500, 2)};
  in.quotes[1].quantity = 24;  // Shenzhen has 24 in stock
  in.quotes[0].min_order = 48;
  auto result = MakePlan(in);
  ASSERT_TRUE(result.ok());
  const WorkloadPlan& plan = result->workloads[0];
  // Beijing alone, or Shenzhen's 24 + 40 from Beijing (below Beijing's minimum: rejected).
  ASSERT_EQ(plan.options.size(), 1u);
  EXPECT_EQ(plan.options[0].mix[0].quote_id, "bj");
  in.quotes[0].min_order = 0;
  result = MakePlan(in);
  ASSERT_EQ(result->workloads[0].options.size(), 2u);
  const PlanOptionResult* mix = FindMix(result->workloads[0], "sz:24 bj:40 ");
  ASSERT_NE(mix, nullptr);
  EXPECT_FALSE(mix->staged);
  EXPECT_NEAR(mix->finish_days, 86, 1e-9);  // waits for Beijing without a staged start
}

TEST(PlanTest, MonteCarloIsDeterministicAndOrdered) {
  PlanInput in = ArticleInput();
  in.options.monte_carlo_samples = 1000;
  in.quotes = {Quote("bj", "Beijing", "a800-sxm-80gb", 87500, 8)};
  in.quotes[0].lead_weeks_min = 4;
  in.quotes[0].lead_weeks_max = 12;
  auto a = MakePlan(in);
  auto b = MakePlan(in);
  const PlanOptionResult& o = a->workloads[0].options[0];
  EXPECT_EQ(o.finish_p50_days, b->workloads[0].options[0].finish_p50_days);
  EXPECT_LT(o.finish_p50_days, o.finish_p90_days);
  // Symmetric triangular (4, 8, 12) weeks: median 8 weeks, P90 = 12 - 4*sqrt(0.2) weeks.
  EXPECT_NEAR(o.finish_p50_days, 56 + 30, 2.0);
  EXPECT_NEAR(o.finish_p90_days, (12 - 4 * std::sqrt(0.2)) * 7 + 30, 2.0);
}

TEST(PlanTest, ModelErrorStretchesTheTrainingPartOfTheFinishDates) {
  // Fixed 2-week lead time; 30 days of training at the predicted rate. With
  // the published-run ratio (median 0.954, log sd 0.141) the median run takes
  // 30 / 0.954 days and the P90 run 30 / (0.954 * exp(-0.141 * 1.2816)).
  PlanInput in = ArticleInput();
  in.quotes = {Quote("sz", "Shenzhen", "a800-sxm-80gb", 89500, 2)};
  in.costs.dense_error = {0.954, 0.141};
  in.options.monte_carlo_samples = 20000;
  auto result = MakePlan(in);
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  const PlanOptionResult& o = result->workloads[0].options[0];
  EXPECT_NEAR(o.finish_days, 14 + 30, 1e-9);  // the point estimate stays the model's
  EXPECT_NEAR(o.finish_p50_days, 14 + 30 / 0.954, 0.2);
  EXPECT_NEAR(o.finish_p90_days, 14 + 30 / (0.954 * std::exp(-0.141 * 1.2815515655446004)), 0.3);
  // A mixture-of-experts workload draws from its own distribution.
  in.costs.moe_error = {1.2, 0.0};
  in.workloads[0].moe = true;
  result = MakePlan(in);
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  EXPECT_NEAR(result->workloads[0].options[0].finish_p50_days, 14 + 30 / 1.2, 1e-6);
}

TEST(PlanTest, BudgetAndDeadlineFilterWithReasons) {
  PlanInput in = ArticleInput();
  in.constraints.budget = 5000000;  // below every option
  auto result = MakePlan(in);
  ASSERT_TRUE(result.ok());
  const WorkloadPlan& plan = result->workloads[0];
  EXPECT_EQ(plan.status, PlanStatus::kInfeasible);
  EXPECT_FALSE(result->Feasible());
  bool found = false;
  for (const auto& e : plan.excluded) {
    if (e.accelerator == "a800-sxm-80gb") {
      found = true;
      // The reason states what was evaluated: the sizes tried (cfo item 1).
      EXPECT_EQ(e.reason, "over budget (4 options): the cheapest pays 5.60 M CNY cash (5.60 M CNY after resale) > "
                          "budget 5.00 M CNY; sizes evaluated: 64 to 64 cards (1 sizes)");
    }
  }
  EXPECT_TRUE(found);
  in.constraints.budget = 0;
  in.constraints.has_deadline = true;
  in.constraints.deadline = *ParseDate("2023-08-01");  // 47 days: only Shenzhen (44) makes it
  result = MakePlan(in);
  ASSERT_EQ(result->workloads[0].options.size(), 1u);
  EXPECT_EQ(result->workloads[0].options[0].mix[0].quote_id, "sz");
}

TEST(PlanTest, MemoryInfeasibleIsReported) {
  PlanInput in = ArticleInput();
  in.accelerators.push_back({"a100-sxm-40gb", "NVIDIA", 400});
  in.quotes = {Quote("q40", "Dealer", "a100-sxm-40gb", 60000, 1)};
  in.options.cluster_sizes = {32, 64, 128};
  auto result = MakePlan(in);
  ASSERT_TRUE(result.ok());
  const WorkloadPlan& plan = result->workloads[0];
  ASSERT_EQ(plan.status, PlanStatus::kFeasible);
  EXPECT_EQ(plan.options[0].gpus, 128);
  ASSERT_EQ(plan.excluded.size(), 1u);
  EXPECT_EQ(plan.excluded[0].reason,
            "needs at least 128 cards: aquila-7b does not fit in memory on 64 cards or fewer");
  in.options.cluster_sizes = {32, 64};
  result = MakePlan(in);
  EXPECT_EQ(result->workloads[0].status, PlanStatus::kInfeasible);
  EXPECT_NE(result->workloads[0].excluded[0].reason.find("on any size up to 64 cards"),
            std::string::npos);
}

TEST(PlanTest, ExportBlockedAndGreyMarketQuotesAreExcluded) {
  PlanInput in = ArticleInput();
  in.quotes[3].allowed = false;
  in.quotes[3].blocked_reason = "not sold to CN buyers after 2022-10-07";
  PlanQuote grey = Quote("grey", "Taobao", "h800-sxm-80gb", 250000, 1);
  grey.channel = ChannelTier::kGreyMarket;
  grey.allowed = false;
  grey.blocked_reason = "grey-market supply and buyer.allow_grey_market is false";
  in.quotes.push_back(grey);
  auto result = MakePlan(in);
  ASSERT_TRUE(result.ok());
  std::vector<std::string> reasons;
  for (const auto& e : result->workloads[0].excluded) reasons.push_back(e.accelerator + ": " + e.reason);
  ASSERT_EQ(reasons.size(), 3u);
  EXPECT_EQ(reasons[0], "a100-sxm-80gb: quote used (DC pull): not sold to CN buyers after 2022-10-07");
  EXPECT_NE(reasons[2].find("grey-market"), std::string::npos);
}

}  // namespace
}  // namespace suanli

namespace suanli {
namespace {

TEST(PlanTest, StopsGrowingWhenThroughputIsFlat) {
  PlanInput in = ArticleInput();
  in.quotes = {Quote("bj", "Beijing", "a800-sxm-80gb", 87500, 8)};
  in.options.cluster_sizes = {32, 64, 128, 256, 512};
  int calls_over_128 = 0;
  in.workloads[0].throughput = [&](const std::string& a, int gpus) {
    if (gpus > 128) ++calls_over_128;
    Throughput t = FakeThroughput(a, std::min(gpus, 64));  // no gain beyond 64 cards
    return t;
  };
  auto result = MakePlan(in);
  ASSERT_TRUE(result.ok());
  int largest = 0;
  for (const auto& o : result->workloads[0].options) largest = std::max(largest, o.gpus);
  EXPECT_EQ(largest, 128);        // 128 is the first flat size, still evaluated
  EXPECT_EQ(calls_over_128, 1);   // 256 is looked at once, 512 never
  // 64 and 128 cards finish together; 128 costs more, so it is off the frontier.
  for (const auto& o : result->workloads[0].options) {
    if (o.gpus == 128) {
      EXPECT_FALSE(o.pareto);
    }
  }
}

}  // namespace
}  // namespace suanli

namespace suanli {
namespace {

TEST(PlanTest, HorizonDropsOptionsThatFinishTooLate) {
  PlanInput in = ArticleInput();
  in.options.horizon_days = 50;  // Shenzhen finishes on day 44, Beijing on day 86
  auto result = MakePlan(in);
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result->workloads[0].options.size(), 1u);
  EXPECT_EQ(result->workloads[0].options[0].mix[0].quote_id, "sz");
  in.options.horizon_days = 10;
  result = MakePlan(in);
  EXPECT_EQ(result->workloads[0].status, PlanStatus::kInfeasible);
  bool found = false;
  for (const auto& e : result->workloads[0].excluded) {
    found = found || e.reason.find("planning horizon of 10 days") != std::string::npos;
  }
  EXPECT_TRUE(found);
}

TEST(PlanTest, FrontierIsThinnedToTopPointsWithBothEnds) {
  PlanInput in = ArticleInput();
  in.quotes = {Quote("bj", "Beijing", "a800-sxm-80gb", 87500, 8)};
  in.options.cluster_sizes = {8, 16, 24, 32, 48, 64, 96, 128};  // each size: faster and dearer
  in.options.top = 3;
  auto result = MakePlan(in);
  ASSERT_TRUE(result.ok());
  const WorkloadPlan& plan = result->workloads[0];
  ASSERT_EQ(plan.frontier.size(), 3u);
  EXPECT_EQ(plan.options[plan.frontier.front()].gpus, 128);  // earliest
  EXPECT_EQ(plan.options[plan.frontier.back()].gpus, 8);     // cheapest
  // 8 frontier points (128 ... 8 cards), 3 kept at positions 0, 3 and 7.
  EXPECT_EQ(plan.options[plan.frontier[1]].gpus, 48);
  EXPECT_EQ(plan.options.size(), 5u);  // top 3 (128, 96, 64) + 48 and 8 from the frontier
}

TEST(PlanTest, StagedMixWhoseLaterCardsArriveAfterTrainingIsDropped) {
  // With a staged start, 64 cards from Shenzhen plus 64 from Beijing that
  // arrive after training is done would pay for cards never used: only the
  // Shenzhen-alone option is offered.
  PlanInput in = ArticleInput();
  in.quotes = {Quote("bj", "Beijing", "a800-sxm-80gb", 87500, 8),
               Quote("sz", "Shenzhen", "a800-sxm-80gb", 89500, 2)};
  in.quotes[0].lead_weeks_max = 12;
  in.quotes[1].lead_weeks_min = 1;
  in.quotes[1].lead_weeks_max = 4;
  in.quotes[1].quantity = 64;
  in.options.cluster_sizes = {64, 128};
  in.workloads[0].tokens = kTokens30Days / 10;  // 3 days on 64 cards
  auto result = MakePlan(in);
  ASSERT_TRUE(result.ok());
  EXPECT_NE(FindMix(result->workloads[0], "sz:64 "), nullptr);
  EXPECT_EQ(FindMix(result->workloads[0], "sz:64 bj:64 "), nullptr);
  EXPECT_EQ(result->workloads[0].options[0].mix.size(), 1u);
}

}  // namespace
}  // namespace suanli

namespace suanli {
namespace {

// constraints.deadline_percentile: at P50 the Shenzhen option (P50 ~day 54,
// P90 ~day 72) meets a day-60 deadline, and the plan says its P90 misses;
// at P90 (the default of cheapest_by_deadline) it is dropped, counted.
TEST(PlanTest, DeadlinePercentileAndP90Risk) {
  PlanInput in = ArticleInput();
  for (PlanQuote& q : in.quotes) {
    if (q.id == "sz") {
      q.lead_weeks_min = 1;
      q.lead_weeks_likely = 2;
      q.lead_weeks_max = 8;
    }
  }
  in.constraints.has_deadline = true;
  in.constraints.deadline = AddDays(in.date, 60);
  in.constraints.deadline_percentile = 50;
  auto p50 = MakePlan(in);
  ASSERT_TRUE(p50.ok());
  const WorkloadPlan& w50 = p50->workloads[0];
  ASSERT_FALSE(w50.options.empty());
  EXPECT_EQ(w50.options[0].mix[0].quote_id, "sz");
  EXPECT_GT(w50.options[0].finish_p90_date, in.constraints.deadline);
  bool risk = false;
  for (const std::string& r : w50.recommendation.reasons) risk = risk || r.rfind("risk: its P90 finish", 0) == 0;
  EXPECT_TRUE(risk);

  in.objective = Objective::kCheapestByDeadline;
  in.constraints.deadline_percentile = 0;  // default for this objective: P90
  EXPECT_EQ(DeadlinePercentile(in), 90);
  auto p90 = MakePlan(in);
  ASSERT_TRUE(p90.ok());
  const WorkloadPlan& w90 = p90->workloads[0];
  EXPECT_TRUE(w90.options.empty());
  bool counted = false;
  for (const DropGroup& g : w90.dropped) {
    counted = counted || (g.what == "option" && g.reason == "misses the deadline at P90" && g.count > 0);
  }
  EXPECT_TRUE(counted);
}

}  // namespace
}  // namespace suanli
