#include "plan/serving_plan.h"

#include <gtest/gtest.h>

#include "plan/scenario.h"

namespace suanli {
namespace {

PlanQuote ServeQuote(std::string id, std::string sku, BuyMode mode, QuoteUnit unit, double price, double lead_weeks) {
  PlanQuote q;
  q.id = std::move(id);
  q.supplier = "supplier of " + q.id;
  q.sku = std::move(sku);
  q.mode = mode;
  q.unit = unit;
  q.channel = mode == BuyMode::kRent ? ChannelTier::kCloud : ChannelTier::kNationalDistributor;
  q.unit_price = price;
  q.lead_weeks_min = q.lead_weeks_likely = q.lead_weeks_max = lead_weeks;
  q.warranty_months = 36;
  return q;
}

// Costs reduced to the card price and rent, so totals are computed by hand.
PlanCosts Plain() {
  PlanCosts c;
  c.currency = "CNY";
  c.pue = 1.3;
  c.node_size = 8;
  c.annual_value_decline = 1;  // no resale value
  c.resale_discount = 0;
  c.setup_days = 7;
  c.rental_setup_days = 1;
  return c;
}

// Fake capacity: 4 devices of "fast", 16 of "slow", none of "tiny".
ServingNeed FakeNeed(const std::string& accelerator) {
  ServingNeed n;
  n.engine = "vllm";
  if (accelerator == "tiny") {
    n.reason = n.reason_text = "TPOT 5 ms is below the weight-read time of one device (12 ms)";
    return n;
  }
  n.feasible = true;
  n.devices = accelerator == "fast" ? 4 : 16;
  n.layout.tp = accelerator == "fast" ? 4 : 2;
  n.replicas = n.devices / n.layout.tp;
  return n;
}

PlanInput Input() {
  PlanInput in;
  in.date = *ParseDate("2024-06-15");
  in.objective = Objective::kLowestCost;
  in.costs = Plain();
  in.accelerators = {{"fast", "NVIDIA", 700}, {"slow", "Huawei", 400}, {"tiny", "Other", 100}};
  in.quotes = {ServeQuote("fast-rent", "fast", BuyMode::kRent, QuoteUnit::kGpuHour, 2.0, 0),
               ServeQuote("slow-buy", "slow", BuyMode::kBuy, QuoteUnit::kCard, 1000, 10),
               ServeQuote("tiny-buy", "tiny", BuyMode::kBuy, QuoteUnit::kCard, 10, 0)};
  PlanQuote banned = ServeQuote("fast-banned", "fast", BuyMode::kBuy, QuoteUnit::kCard, 10, 0);
  banned.allowed = false;
  banned.blocked_reason = "not sold to CN buyers after 2023-10-23";
  banned.blocked_category = "rule";
  in.quotes.push_back(banned);
  return in;
}

PlanServeWorkload Workload() {
  PlanServeWorkload w;
  w.name = "chat";
  w.model = "m";
  w.rate_rps = 1;
  w.output_tokens = 100;
  w.period_months = 1;
  w.utilisation = 1;
  w.capacity = FakeNeed;
  return w;
}

TEST(ServingPlan, PricesRentOverThePeriodAndPerMillionTokens) {
  auto result = MakeServingPlan(Input(), {Workload()});
  ASSERT_TRUE(result.ok()) << result.error().message;
  const ServingWorkloadPlan& w = result->workloads.at(0);
  ASSERT_EQ(w.status, PlanStatus::kFeasible);
  const ServingOption& best = w.options.at(0);
  EXPECT_EQ(best.accelerator, "fast");
  EXPECT_EQ(best.need.devices, 4);
  // Ready after delivery (0) + the renter's bring-up (rental_setup_days, 1
  // day: no racking or burn-in, the 7 setup_days of bought cards); rented
  // from delivery to the end of one month of service: 4 cards x 2 CNY x
  // (1 + 30.44) days x 24 h.
  EXPECT_NEAR(best.ready_days, 1, 1e-9);
  EXPECT_NEAR(best.cost.rental, 4 * 2.0 * (1 + 30.44) * 24, 1e-6);
  // 1 req/s x 100 tokens x 30.44 days x 86,400 s.
  const double tokens = 100 * 30.44 * 86400;
  EXPECT_NEAR(best.output_tokens, tokens, 1);
  EXPECT_NEAR(best.cost_per_mtok, best.cost.total / (tokens / 1e6), 1e-9);
}

TEST(ServingPlan, BuysTheFleetAndWaitsForTheLeadTime) {
  auto result = MakeServingPlan(Input(), {Workload()});
  ASSERT_TRUE(result.ok());
  const ServingWorkloadPlan& w = result->workloads.at(0);
  ASSERT_EQ(w.options.size(), 2u);
  const ServingOption& slow = w.options.at(1);
  EXPECT_EQ(slow.accelerator, "slow");
  EXPECT_EQ(slow.cards, 16);
  EXPECT_NEAR(slow.cost.purchase, 16 * 1000.0, 1e-9);
  EXPECT_NEAR(slow.ready_p50_days, 10 * 7 + 7, 1e-9);  // fixed lead: P50 = P90 = likely
  EXPECT_NEAR(slow.ready_p90_days, 77, 1e-9);
}

TEST(ServingPlan, ExcludesWithReasons) {
  auto result = MakeServingPlan(Input(), {Workload()});
  ASSERT_TRUE(result.ok());
  const ServingWorkloadPlan& w = result->workloads.at(0);
  std::string reasons;
  for (const Excluded& e : w.excluded) reasons += e.accelerator + ": " + e.reason + "\n";
  EXPECT_NE(reasons.find("fast: quote fast-banned"), std::string::npos) << reasons;     // the export rule
  EXPECT_NE(reasons.find("tiny: TPOT 5 ms is below"), std::string::npos) << reasons;   // the SLO bound
}

TEST(ServingPlan, NeededByDropsLateOptionsAndEarliestObjectiveReorders) {
  PlanInput in = Input();
  PlanServeWorkload w = Workload();
  w.has_needed_by = true;
  w.needed_by = *ParseDate("2024-08-01");  // 47 days: the rented fleet (7 days) makes it, the bought one (77) does not
  auto result = MakeServingPlan(in, {w});
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result->workloads[0].options.size(), 1u);
  EXPECT_EQ(result->workloads[0].options[0].accelerator, "fast");
  bool late = false;
  for (const Excluded& e : result->workloads[0].excluded) late = late || e.accelerator == "slow";
  EXPECT_TRUE(late);

  // Cheaper purchase: lowest_cost ranks it first, earliest_finish the rent.
  in.quotes[1].unit_price = 1;
  auto cheap = MakeServingPlan(in, {Workload()});
  ASSERT_TRUE(cheap.ok());
  EXPECT_EQ(cheap->workloads[0].options[0].accelerator, "slow");
  in.objective = Objective::kEarliestFinish;
  auto early = MakeServingPlan(in, {Workload()});
  ASSERT_TRUE(early.ok());
  EXPECT_EQ(early->workloads[0].options[0].accelerator, "fast");
}

TEST(ServingPlan, NotEnoughCardsIsAReason) {
  PlanInput in = Input();
  in.quotes[1].quantity = 8;  // the slow fleet needs 16
  auto result = MakeServingPlan(in, {Workload()});
  ASSERT_TRUE(result.ok());
  bool found = false;
  for (const Excluded& e : result->workloads[0].excluded) {
    found = found || (e.accelerator == "slow" && e.reason.find("16 cards") != std::string::npos);
  }
  EXPECT_TRUE(found);
}

constexpr char kMixed[] = R"(buyer: {region: CN, tier: startup, date: 2024-06-15, currency: CNY}
workloads:
  - train: {model: llama-2-7b, tokens: 100B}
  - name: chat
    serve:
      model: llama-3-70b
      traffic: {rate_rps: 5, input_len: {mean: 2000, dist: lognormal}, output_len: 500}
      slo: {ttft_ms: 2000, tpot_ms: 50}
      needed_by: 2024-10-01
objective: cheapest_by_deadline
constraints: {deadline: 2024-12-31}
)";

TEST(ServingScenario, TrainAndServeInOneScenario) {
  auto s = ParseScenario(kMixed, "mixed.yaml");
  ASSERT_TRUE(s.ok()) << s.error().message;
  ASSERT_EQ(s->workloads.size(), 1u);
  ASSERT_EQ(s->serving.size(), 1u);
  const ScenarioServe& serve = s->serving[0];
  EXPECT_EQ(serve.name, "chat");
  EXPECT_EQ(serve.input_dist, "lognormal");
  EXPECT_DOUBLE_EQ(serve.input_tokens, 2000);
  EXPECT_DOUBLE_EQ(serve.percentile, 90);
  EXPECT_DOUBLE_EQ(serve.period_months, 12);
  EXPECT_TRUE(serve.has_needed_by);
}

TEST(ServingScenario, ServeOnlyNeedsNoGlobalDeadline) {
  const std::string text = R"(buyer: {region: CN, tier: startup, date: 2024-06-15, currency: CNY}
workloads:
  - serve: {model: llama-3-70b, traffic: {rate_rps: 5, input_len: 2000, output_len: 500},
            slo: {tpot_ms: 50}, needed_by: 2024-10-01}
objective: cheapest_by_deadline
)";
  EXPECT_TRUE(ParseScenario(text, "s.yaml").ok());
  const std::string both = R"(buyer: {region: CN, tier: startup, date: 2024-06-15, currency: CNY}
workloads:
  - train: {model: llama-2-7b, tokens: 100B}
    serve: {model: llama-3-70b, traffic: {rate_rps: 5, input_len: 2000, output_len: 500}, slo: {tpot_ms: 50}}
)";
  auto s = ParseScenario(both, "s.yaml");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("trains or serves"), std::string::npos);
}

TEST(ServingScenario, ExampleParses) {
  auto s = LoadScenario(std::string(SUANLI_EXAMPLES_DIR) + "/china-2024-chat-service.yaml");
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_TRUE(s->workloads.empty());
  ASSERT_EQ(s->serving.size(), 1u);
  EXPECT_EQ(s->serving[0].model, "llama-3-70b");
}

}  // namespace
}  // namespace suanli
