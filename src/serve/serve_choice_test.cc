// Truths of the serving cost, the accelerator crossover and disaggregation.
#include <gtest/gtest.h>

#include "catalog/catalog.h"
#include "serve/crossover.h"
#include "serve/disaggregation.h"
#include "serve/fleet_choice.h"
#include "serve/serving_cost.h"

namespace suanli {
namespace {

TEST(ServingCostTest, OwnedCardHourIsAmortisationHostingAndPower) {
  DevicePricing p;
  p.buy_per_card = 87660;        // 87,660 / (1 year x 8,766 h) = 10 per hour
  p.server_share_per_card = 0;
  p.amortize_years = 1;
  p.hosting_per_card_month = 730.5;  // 1 per hour
  p.tdp_w = 500;
  p.pue = 2;
  p.power_price_per_kwh = 1;     // 0.5 kW x 2 x 1 = 1 per hour
  ASSERT_TRUE(OwnedCardHour(p).has_value());
  EXPECT_NEAR(*OwnedCardHour(p), 12.0, 1e-9);
  p.amortize_years = 2;          // the purchase spread over twice the hours
  EXPECT_NEAR(*OwnedCardHour(p), 7.0, 1e-9);
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

}  // namespace
}  // namespace suanli
