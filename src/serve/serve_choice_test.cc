// Truths of the serving cost, the accelerator crossover and disaggregation.
#include <cmath>

#include <gtest/gtest.h>

#include "catalog/catalog.h"
#include "serve/crossover.h"
#include "serve/disaggregation.h"
#include "serve/fleet_choice.h"
#include "serve/serving_cost.h"

namespace suanli {
namespace {

TEST(ServingCostTest, BoughtFleetIsThePlannersOwnershipCostOverThePeriodsTokens) {
  // 10 loose cards at 100,000 kept one year (12 x 30.44 = 365.28 days) after
  // 7 days of setup, in 8-card nodes of 80,000, with a network port of 5,000
  // per card, 1,000 per card-slot-month hosting, 0.5 kW x PUE 2 x 1 per kWh,
  // resold at (1 - 0.1) x (1 - 0.3)^(372.28 / 365.28).
  DevicePricing p;
  p.buy_per_card = 100000;
  p.buy_terms.unit_price = 100000;
  p.buy_terms.card_price = 100000;
  p.buy_terms.tdp_w = 500;
  p.own_years = 1;
  p.costs.node_size = 8;
  p.costs.server_per_node = 80000;
  p.costs.network_per_card = 5000;
  p.costs.hosting_per_card_month = 1000;
  p.costs.pue = 2;
  p.costs.power_price_per_kwh = 1;
  p.costs.setup_days = 7;
  p.costs.annual_value_decline = 0.3;
  p.costs.resale_discount = 0.1;
  const double days = 12 * 30.44, held = days + 7;
  const double hardware = 10 * 100000.0 + 2 * 80000.0;                // two nodes
  const double running = 10 * 5000.0 + 16 * 1000.0 * held / 30.44  // 16 card slots hosted
                         + 0.5 * 10 * 24 * days * 2;                // 10 cards powered
  const double resale = 0.9 * std::pow(0.7, held / 365.28) * hardware;
  const double total = hardware + running - resale;  // 1,160,000 + 333,346.6 - 725,821.9
  EXPECT_NEAR(total, 767524.63, 0.01);
  const ServingCost c = FleetCost(p, 10, 1000);  // 1,000 tok/s: 31,560.2 Mtok over the period: 24.32 per Mtok
  ASSERT_TRUE(c.bought_per_mtok.has_value());
  EXPECT_NEAR(*c.bought_total, total, 1e-6);
  EXPECT_NEAR(*c.bought_per_mtok, 24.3194, 1e-4);
  EXPECT_NEAR(*c.bought_per_hour, total / (days * 24), 1e-9);
  p.own_years = 2;  // a longer period: more tokens, a lower resale value, a lower cost per token
  EXPECT_LT(*FleetCost(p, 10, 1000).bought_per_mtok, *c.bought_per_mtok);
}

TEST(ServingCostTest, CostPerMillionTokensScalesWithDevicesOverTokens) {
  DevicePricing p;
  p.rent_per_card_hour = 20;
  // 4 cards x 20 = 80 per hour; 1,000 tok/s = 3.6 M tokens per hour -> 22.2 per M.
  const ServingCost c = FleetCost(p, 4, 1000);
  ASSERT_TRUE(c.rented_per_mtok.has_value());
  EXPECT_NEAR(*c.rented_per_mtok, 80.0 / 3.6, 1e-9);
  EXPECT_FALSE(c.bought_per_mtok.has_value());
  EXPECT_EQ(c.BestBasis(), "rent");
}

class ServeChoiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    catalog_ = std::move(*Catalog::LoadEmbedded());
    engines_ = std::move(*LoadEmbeddedEngines());
    engine_ = *FindEngine(engines_, "vllm");
  }
  ClusterSpec Cluster(const std::string& id) {
    const Accelerator* a = *catalog_.FindAccelerator(id);
    return MakeCluster(*a, catalog_.DefaultSystemFor(a->id));
  }
  CapacityQuery Query(const std::string& accel, const std::string& model, double in, double out, double rate) {
    CapacityQuery q;
    q.cluster = Cluster(accel);
    q.engine = engine_;
    q.model = *catalog_.FindModel(model);
    q.traffic.input = {LengthKind::kFixed, in, 0, 0};
    q.traffic.output = {LengthKind::kFixed, out, 0, 0};
    q.traffic.rate_rps = rate;
    q.weights = Precision::kBf16;
    q.kv = Precision::kBf16;
    q.requests_per_check = 300;
    return q;
  }
  Catalog catalog_;
  std::vector<EngineSpec> engines_;
  const EngineSpec* engine_ = nullptr;
};

TEST_F(ServeChoiceTest, H20LeadsH800AtBatchOneAndIsOvertakenAsTheBatchGrows) {
  TrafficSpec t;
  t.input = {LengthKind::kFixed, 2000, 0, 0};
  t.output = {LengthKind::kFixed, 500, 0, 0};
  const Result<Crossover> c = FindCrossover(*catalog_.FindModel("llama-3-70b").value(), Cluster("h20-96gb"),
                                            Cluster("h800-sxm-80gb"), *engine_, Precision::kBf16, Precision::kBf16, t);
  ASSERT_TRUE(c.ok()) << c.error().message;
  // 4.0 vs 3.35 TB/s: the H20 reads the weights faster at batch 1.
  EXPECT_EQ(c->leader_at_1, 0);
  EXPECT_GE(c->first.batch1_tok_s, c->second.batch1_tok_s);
  // With ~15% of the compute it falls behind at some batch, and far behind on prefill.
  EXPECT_GT(c->crossover_batch, 1);
  EXPECT_LE(c->crossover_batch, 256);
  EXPECT_GT(c->second.prefill_tok_s, 4 * c->first.prefill_tok_s);
}

TEST_F(ServeChoiceTest, KvTransferIsBytesOverTheLink) {
  ReplicaMemory m;
  m.kv_bytes_per_token = 160e3;
  EXPECT_NEAR(KvTransferSeconds(m, 2000, 400e9), 160e3 * 2000 / 400e9, 1e-15);
}

// The KV a request holds is each layer's cache once, whatever the layout:
// DeepSeek-V3's 3,000-token prompt in bf16 is 3,000 x 61 x 576 x 2 B (the
// report printed 207 MB on H20 and 221 MB on 910B: the largest stage's
// share times the stages); Qwen2.5-72B's 80 x 8 KV heads x 128 x 2 x 2 B a token.
TEST_F(ServeChoiceTest, RequestKvBytesIsTheWholeModelsCacheOnce) {
  const ModelSpec& v3 = **catalog_.FindModel("deepseek-v3");
  EXPECT_NEAR(RequestKvBytes(v3, Precision::kBf16, 3000), 3000.0 * 61 * 576 * 2, 1);
  const ModelSpec& qwen = **catalog_.FindModel("qwen2.5-72b");
  EXPECT_NEAR(RequestKvBytes(qwen, Precision::kBf16, 3000), 3000.0 * 80 * 8 * 128 * 2 * 2, 1);
  // A tp1 pp4 replica: each device sends its stage's quarter, in parallel.
  ServingLayout l;
  l.pp = 4;
  const ReplicaMemory m = ServingMemory(qwen, **catalog_.FindAccelerator("rtx-4090"), l);
  EXPECT_NEAR(DeviceKvShareBytes(m, 3000), RequestKvBytes(qwen, Precision::kBf16, 3000) / 4, 1);
  EXPECT_NEAR(KvTransferSeconds(m, 3000, 3.125e9), DeviceKvShareBytes(m, 3000) / 3.125e9, 1e-12);
}

// An xPyD answer prints the true KV of the timed prompt, the share each
// device sends and the seconds share / link, so the line multiplies out.
TEST_F(ServeChoiceTest, DisaggregatedTransferFiguresMultiplyOut) {
  CapacityQuery q = Query("h100-sxm-80gb", "llama-3-8b", 8000, 200, 20);
  q.slo = {3.0, 0.02, 90};
  const DisaggregatedAnswer split = SearchDisaggregated(q);
  ASSERT_TRUE(split.feasible) << split.reason;
  EXPECT_DOUBLE_EQ(split.transfer_prompt_tokens, 8000);
  EXPECT_NEAR(split.transfer_kv_bytes, RequestKvBytes(*q.model, split.prefill_layout.kv, 8000), 1);
  EXPECT_NEAR(split.kv_bytes_per_request, split.transfer_kv_bytes, 1);
  EXPECT_NEAR(split.transfer_s, split.transfer_share_bytes / split.link_Bps, 1e-12);
  EXPECT_GE(split.transfer_share_bytes * split.prefill_layout.Devices(), split.transfer_kv_bytes * 0.999);
}

TEST_F(ServeChoiceTest, DisaggregationWinsForLongPromptsWithTightTpot) {
  CapacityQuery q = Query("h100-sxm-80gb", "llama-3-8b", 8000, 200, 20);
  q.slo = {3.0, 0.02, 90};
  const CapacityResult aggregated = SearchCapacity(q);
  const DisaggregatedAnswer split = SearchDisaggregated(q);
  ASSERT_TRUE(split.feasible) << split.reason;
  ASSERT_TRUE(aggregated.feasible) << aggregated.reason;
  EXPECT_LT(split.devices, aggregated.answers.front().devices);
  EXPECT_LE(split.ttft_at_slo_s, q.slo.ttft_s);
  EXPECT_LE(split.decode_service.tpot.at_slo_percentile_s, q.slo.tpot_s);
}

// Both pools serve one model: the decode pool reads the cache the prefill
// pool wrote. Llama-3-70B on H100 at 10 req/s of 2,000/500 (P90 TTFT 2 s,
// TPOT 50 ms) chose fp8 weights / bf16 KV for prefill and int4 / fp8 for
// decode before the pools had to share their formats.
TEST_F(ServeChoiceTest, DisaggregatedPoolsShareWeightAndKvFormats) {
  CapacityQuery q = Query("h100-sxm-80gb", "llama-3-70b", 2000, 500, 10);
  q.slo = {2.0, 0.05, 90};
  q.weights.reset();  // every format the engine serves, as serve's search
  q.kv.reset();
  q.requests_per_check = 1000;
  const DisaggregatedAnswer split = SearchDisaggregated(q);
  ASSERT_TRUE(split.feasible) << split.reason;
  EXPECT_EQ(split.prefill_layout.weights, split.decode_layout.weights);
  EXPECT_EQ(split.prefill_layout.kv, split.decode_layout.kv);
}

TEST_F(ServeChoiceTest, DisaggregationLosesForShortPrompts) {
  CapacityQuery q = Query("h100-sxm-80gb", "llama-3-8b", 200, 200, 20);
  q.slo = {1.0, 0.05, 90};
  const CapacityResult aggregated = SearchCapacity(q);
  const DisaggregatedAnswer split = SearchDisaggregated(q);
  ASSERT_TRUE(aggregated.feasible) << aggregated.reason;
  ASSERT_TRUE(split.feasible) << split.reason;
  EXPECT_GT(split.devices, aggregated.answers.front().devices);
}

TEST_F(ServeChoiceTest, RankingPutsTheCheapestFirstAndSaysWhyOthersLost) {
  std::vector<AcceleratorOption> options(3);
  options[0].accelerator = "a";
  options[0].feasible = true;
  options[0].devices = 8;
  options[0].cost.rented_per_mtok = 5;
  options[1].accelerator = "b";
  options[1].feasible = true;
  options[1].devices = 4;
  options[1].cost.rented_per_mtok = 2;
  options[2].accelerator = "c";
  options[2].aggregated.reason = "the TPOT target 1.0 ms is below the fastest lone decode step";
  RankAccelerators(options);
  EXPECT_EQ(options[0].accelerator, "b");
  EXPECT_TRUE(options[0].why_lost.empty());
  EXPECT_NE(options[1].why_lost.find("more devices: 8 vs 4"), std::string::npos) << options[1].why_lost;
  EXPECT_NE(options[2].why_lost.find("TPOT target"), std::string::npos) << options[2].why_lost;
}

TEST_F(ServeChoiceTest, WhyItLostWithoutAnyQuoteNamesTheDevicesNotTheQuote) {
  // Neither the winner nor the loser is priced: the rank is devices, then name; a missing quote explains nothing.
  std::vector<AcceleratorOption> options(3);
  for (AcceleratorOption& o : options) o.feasible = true;
  options[0].accelerator = "h200";
  options[0].devices = 5;
  options[1].accelerator = "b200";
  options[1].devices = 2;
  options[2].accelerator = "c";
  options[2].devices = 2;
  RankAccelerators(options);
  ASSERT_EQ(options[0].accelerator, "b200");
  EXPECT_EQ(options[1].why_lost, "as many devices as b200 (2), neither priced: listed after it by name");
  EXPECT_EQ(options[2].why_lost, "more devices: 5 vs 2 (neither has a rent or purchase quote on offer)");
  EXPECT_EQ(options[2].why_lost.find("no rent or purchase quote"), std::string::npos);
}

// An accelerator export rules bar the buyer from is ranked after one it can
// buy (neither priced), and the reason says so: a CN buyer saw H100 and H800
// first "by name" though neither can be bought.
TEST_F(ServeChoiceTest, BlockedAcceleratorsRankAfterBuyableOnesAndSaySo) {
  std::vector<AcceleratorOption> options(2);
  for (AcceleratorOption& o : options) o.feasible = true;
  options[0].accelerator = "h100-sxm-80gb";
  options[0].devices = 8;
  options[0].pricing.blocked_reason = "banned for CN buyers";
  options[1].accelerator = "ascend-910b";
  options[1].devices = 16;
  RankAccelerators(options);
  ASSERT_EQ(options[0].accelerator, "ascend-910b");
  EXPECT_NE(options[1].why_lost.find("the buyer cannot buy it: banned for CN buyers"), std::string::npos)
      << options[1].why_lost;
}

// Lengths drawn from a trace's rows, paired, at a Poisson rate.
TEST_F(ServeChoiceTest, TraceLengthTrafficDrawsTheTracesRows) {
  const std::vector<Request> trace = {{0, 100, 10}, {1, 5000, 700}, {2, 300, 50}};
  TrafficSpec t = TraceLengthTraffic(trace, 4);
  EXPECT_DOUBLE_EQ(t.input.mean_tokens, 1800);
  EXPECT_EQ(t.input.max_tokens, 5000);
  t.requests = 300;
  int long_rows = 0;
  for (const Request& r : GenerateRequests(t)) {
    const bool row = (r.input_tokens == 100 && r.output_tokens == 10) || (r.input_tokens == 5000 && r.output_tokens == 700) ||
                     (r.input_tokens == 300 && r.output_tokens == 50);
    EXPECT_TRUE(row) << r.input_tokens << "/" << r.output_tokens;
    long_rows += r.input_tokens == 5000;
  }
  EXPECT_GT(long_rows, 60);
  EXPECT_LT(long_rows, 140);
  // A pool that fixes one side (the prefill pool's one output token) keeps it.
  t.output = {LengthKind::kFixed, 1, 0, 0};
  for (const Request& r : GenerateRequests(t)) EXPECT_EQ(r.output_tokens, 1);
}

}  // namespace
}  // namespace suanli
