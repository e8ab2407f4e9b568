#include "serve/capacity.h"
#include "serve/fleet_replay.h"

#include <gtest/gtest.h>

#include "catalog/catalog.h"

namespace suanli {
namespace {

class CapacityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    catalog_ = std::move(*Catalog::LoadEmbedded());
    engines_ = std::move(*LoadEmbeddedEngines());
    const Accelerator* h100 = *catalog_.FindAccelerator("h100-sxm-80gb");
    query_.cluster = MakeCluster(*h100, catalog_.DefaultSystemFor(h100->id));
    query_.engine = *FindEngine(engines_, "vllm");
    query_.model = *catalog_.FindModel("llama-3-8b");
    query_.traffic.input = {LengthKind::kFixed, 1000, 0, 0};
    query_.traffic.output = {LengthKind::kFixed, 200, 0, 0};
    query_.slo = {1.0, 0.05, 99};
    query_.weights = Precision::kBf16;
    query_.kv = Precision::kBf16;
    query_.requests_per_check = 300;
  }
  Catalog catalog_;
  std::vector<EngineSpec> engines_;
  CapacityQuery query_;
};

TEST_F(CapacityTest, FewestReplicasMeetTheSloAndOneFewerDoesNot) {
  query_.traffic.rate_rps = 150;
  query_.tp = 1;
  query_.pp = 1;
  const CapacityResult result = SearchCapacity(query_);
  ASSERT_TRUE(result.feasible) << result.reason;
  const CapacityAnswer& best = result.answers.front();
  EXPECT_TRUE(best.service.meets_slo);
  EXPECT_EQ(best.devices, best.replicas);
  ASSERT_GT(best.replicas, 1);
  const IterationModel model = *IterationModel::Make(*query_.model, query_.cluster, best.layout, *query_.engine);
  // One fewer fails as the search measures (the replica's share of the
  // stream, the middle half in steady state) or as serve replays the fleet.
  SchedulerLimits limits = ServingLimits(best.layout, best.memory, *query_.engine, /*steady_state=*/true);
  limits.arrival_rate_rps = query_.traffic.rate_rps / (best.replicas - 1);
  const SimulationResult fewer =
      Simulate(ReplicaShare(query_.traffic, best.replicas - 1, query_.requests_per_check), model, limits, query_.slo);
  const SimulationResult fewer_fleet =
      ReplayFleet(query_.traffic, model, best.layout, best.memory, *query_.engine, query_.slo, best.replicas - 1);
  EXPECT_FALSE(fewer.meets_slo && fewer_fleet.meets_slo);
  // The answer is the fleet serve --gpus replays, and its figures are the replay's.
  const SimulationResult same =
      ReplayFleet(query_.traffic, model, best.layout, best.memory, *query_.engine, query_.slo, best.replicas);
  EXPECT_TRUE(same.meets_slo);
  EXPECT_EQ(same.tpot.at_slo_percentile_s, best.service.tpot.at_slo_percentile_s);
}

TEST_F(CapacityTest, MoreTrafficNeedsMoreDevices) {
  query_.traffic.rate_rps = 20;
  const int low = SearchCapacity(query_).answers.front().devices;
  query_.traffic.rate_rps = 200;
  const int high = SearchCapacity(query_).answers.front().devices;
  EXPECT_GT(high, 3 * low);
}

TEST_F(CapacityTest, ATpotBelowTheWeightReadIsInfeasibleAndNamesTheBound) {
  query_.model = *catalog_.FindModel("llama-3-70b");
  query_.traffic.rate_rps = 1;
  query_.slo = {10.0, 0.002, 99};
  const CapacityResult result = SearchCapacity(query_);
  EXPECT_FALSE(result.feasible);
  EXPECT_NE(result.reason.find("TPOT target 2.0 ms"), std::string::npos) << result.reason;
}

TEST_F(CapacityTest, ReplicaShareTakesEveryNthRequest) {
  TrafficSpec t;
  t.rate_rps = 4;
  const std::vector<Request> share = ReplicaShare(t, 4, 100);
  ASSERT_EQ(share.size(), 100u);
  t.requests = 400;
  const std::vector<Request> all = GenerateRequests(t);
  EXPECT_EQ(share[7].arrival_s, all[28].arrival_s);
  const double rate = 99 / (share.back().arrival_s - share.front().arrival_s);
  EXPECT_NEAR(rate, 1.0, 0.15);
}

TEST_F(CapacityTest, CandidatesRespectPinsAndTheDomain) {
  query_.weights.reset();
  query_.kv.reset();
  const std::vector<ServingLayout> all = CandidateLayouts(query_);
  // tp 1, 2, 4, 8 x pp 1, 2, 4, 8 x 4 weight formats x 2 KV formats.
  EXPECT_EQ(all.size(), 4u * 4u * 4u * 2u);
  query_.tp = 2;
  query_.weights = Precision::kInt4;
  for (const ServingLayout& l : CandidateLayouts(query_)) {
    EXPECT_EQ(l.tp, 2);
    EXPECT_EQ(l.weights, Precision::kInt4);
  }
}

}  // namespace
}  // namespace suanli
