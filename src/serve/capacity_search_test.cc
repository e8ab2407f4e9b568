// The pruned capacity searches (floors, give-ups, memoised iterations,
// shared request shares) return exactly the answers of the exhaustive
// reference (CapacityQuery::exhaustive): every layout judged, nothing pruned.
#include <algorithm>

#include <gtest/gtest.h>

#include "catalog/catalog.h"
#include "serve/capacity.h"
#include "serve/disaggregation.h"

namespace suanli {
namespace {

class CapacitySearchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    catalog_ = std::move(*Catalog::LoadEmbedded());
    engines_ = std::move(*LoadEmbeddedEngines());
  }

  // Returns a query of `model` on `accel` (its usual server, vLLM) at `rate`
  // req/s of fixed lengths within `slo`, keeping `top` answers.
  CapacityQuery Query(const char* accel, const char* model, double rate, double input, double output, ServingSlo slo,
                      int top = 3) const {
    const Accelerator* a = *catalog_.FindAccelerator(accel);
    CapacityQuery q;
    q.cluster = MakeCluster(*a, catalog_.DefaultSystemFor(a->id));
    q.engine = *FindEngine(engines_, "vllm");
    q.model = *catalog_.FindModel(model);
    q.traffic.rate_rps = rate;
    q.traffic.input = {LengthKind::kFixed, input, 0, 0};
    q.traffic.output = {LengthKind::kFixed, output, 0, 0};
    q.requests_per_check = 300;
    q.slo = slo;
    q.top = top;
    return q;
  }

  // Expects the same tp, pp, weight and KV formats.
  static void ExpectSameLayout(const ServingLayout& a, const ServingLayout& b) {
    EXPECT_EQ(a.tp, b.tp);
    EXPECT_EQ(a.pp, b.pp);
    EXPECT_EQ(a.weights, b.weights);
    EXPECT_EQ(a.kv, b.kv);
  }

  // Expects the pruned search to answer `q` as the exhaustive one does, with
  // fewer simulations; returns the exhaustive answer.
  static CapacityResult ExpectSameAnswers(CapacityQuery q) {
    q.exhaustive = false;
    const CapacityResult pruned = SearchCapacity(q);
    q.exhaustive = true;
    const CapacityResult full = SearchCapacity(q);
    EXPECT_EQ(pruned.feasible, full.feasible);
    EXPECT_EQ(pruned.reason, full.reason);
    EXPECT_EQ(pruned.fits, full.fits);
    EXPECT_EQ(pruned.layouts, full.layouts);
    EXPECT_EQ(pruned.answers.size(), full.answers.size());
    for (size_t i = 0; i < std::min(pruned.answers.size(), full.answers.size()); ++i) {
      const CapacityAnswer& a = pruned.answers[i];
      const CapacityAnswer& b = full.answers[i];
      SCOPED_TRACE(testing::Message() << "answer " << i << ": tp " << b.layout.tp << " pp " << b.layout.pp << " "
                                      << PrecisionName(b.layout.weights) << "/" << PrecisionName(b.layout.kv));
      ExpectSameLayout(a.layout, b.layout);
      EXPECT_EQ(a.replicas, b.replicas);
      EXPECT_EQ(a.devices, b.devices);
      EXPECT_EQ(a.service.ttft.at_slo_percentile_s, b.service.ttft.at_slo_percentile_s);
      EXPECT_EQ(a.service.tpot.at_slo_percentile_s, b.service.tpot.at_slo_percentile_s);
    }
    if (full.simulations > 20) {
      EXPECT_LT(pruned.simulations, full.simulations);
    }
    return full;
  }

  // Expects the pruned disaggregated search to answer `q` as the exhaustive one does.
  static DisaggregatedAnswer ExpectSamePools(CapacityQuery q) {
    q.exhaustive = false;
    const DisaggregatedAnswer pruned = SearchDisaggregated(q);
    q.exhaustive = true;
    const DisaggregatedAnswer full = SearchDisaggregated(q);
    EXPECT_EQ(pruned.feasible, full.feasible) << full.reason;
    EXPECT_EQ(pruned.reason, full.reason);
    ExpectSameLayout(pruned.prefill_layout, full.prefill_layout);
    ExpectSameLayout(pruned.decode_layout, full.decode_layout);
    EXPECT_EQ(pruned.prefill_replicas, full.prefill_replicas);
    EXPECT_EQ(pruned.decode_replicas, full.decode_replicas);
    EXPECT_EQ(pruned.devices, full.devices);
    EXPECT_EQ(pruned.ttft_at_slo_s, full.ttft_at_slo_s);
    EXPECT_LE(pruned.simulations, full.simulations);
    return full;
  }

  Catalog catalog_;
  std::vector<EngineSpec> engines_;
};

TEST_F(CapacitySearchTest, ManyTiedLayoutsOnARtx4090) {
  CapacityQuery q = Query("rtx-4090", "llama-3-8b", 20, 1000, 200, ServingSlo{1.0, 0.05, 90});
  EXPECT_TRUE(ExpectSameAnswers(q).feasible);
}

TEST_F(CapacitySearchTest, ASlowCardNeedingDozensOfDevicesKeepsTheBestOne) {
  CapacityQuery q = Query("mtt-s3000", "llama-3-8b", 20, 1000, 200, ServingSlo{1.0, 0.05, 90}, 1);
  EXPECT_TRUE(ExpectSameAnswers(q).feasible);
}

TEST_F(CapacitySearchTest, A70bModelWithLognormalLengthsKeepsTheTopFive) {
  CapacityQuery q = Query("h20-96gb", "llama-3-70b", 40, 2000, 400, ServingSlo{2.0, 0.06, 90}, 5);
  q.traffic.input.kind = LengthKind::kLognormal;
  q.traffic.output.kind = LengthKind::kLognormal;
  q.traffic.input.spread = q.traffic.output.spread = 0.8;
  q.max_devices = 256;  // the reference doubles a hopeless layout's replicas up to this
  EXPECT_TRUE(ExpectSameAnswers(q).feasible);
}

TEST_F(CapacitySearchTest, ALognormalTtftFloorEndsTheSearchQuickly) {
  // The fleet's P99 prompts take 1.78 s to prefill alone on the best share
  // answer's layout, above the 1.5 s target: the confirmation used to walk
  // every replica count up to the device limit (16,384 replays, minutes).
  CapacityQuery q = Query("h20-96gb", "qwen2.5-72b", 6, 2500, 400, ServingSlo{1.5, 0.04, 99});
  q.traffic.input.kind = LengthKind::kLognormal;
  q.traffic.input.spread = 0.5;
  q.requests_per_check = 1000;  // serve's default
  const CapacityResult r = SearchCapacity(q);
  EXPECT_TRUE(r.feasible);
  EXPECT_LT(r.simulations, 400);
}

TEST_F(CapacitySearchTest, ATtftTargetAloneOnAnH100) {
  CapacityQuery q = Query("h100-sxm-80gb", "llama-3-8b", 100, 1000, 200, ServingSlo{0.8, 0, 90}, 2);
  EXPECT_TRUE(ExpectSameAnswers(q).feasible);
}

TEST_F(CapacitySearchTest, AnInfeasibleTpotGivesTheSameReason) {
  CapacityQuery q = Query("h100-sxm-80gb", "llama-3-70b", 1, 1000, 200, ServingSlo{10.0, 0.002, 99});
  EXPECT_FALSE(ExpectSameAnswers(q).feasible);
}

TEST_F(CapacitySearchTest, DisaggregatedPoolsForLongPrompts) {
  CapacityQuery q = Query("h100-sxm-80gb", "llama-3-8b", 20, 8000, 200, ServingSlo{3.0, 0.02, 90});
  EXPECT_TRUE(ExpectSamePools(q).feasible);
}

TEST_F(CapacitySearchTest, DisaggregatedPoolsOnASlowCard) {
  CapacityQuery q = Query("ascend-910b", "llama-3-8b", 30, 2000, 300, ServingSlo{1.5, 0.04, 90});
  EXPECT_TRUE(ExpectSamePools(q).feasible);
}

TEST_F(CapacitySearchTest, SharesFromOneStreamEqualReplicaShare) {
  TrafficSpec t;
  t.rate_rps = 50;
  t.input = {LengthKind::kLognormal, 1000, 0.8, 0};
  ShareCache cache(t, 40);
  for (int replicas : {3, 1, 64, 7, 64, 200, 2}) {
    const std::vector<Request>& got = cache.Get(replicas);
    const std::vector<Request> want = ReplicaShare(t, replicas, 40);
    ASSERT_EQ(got.size(), want.size()) << replicas;
    for (size_t i = 0; i < want.size(); ++i) {
      EXPECT_EQ(got[i].arrival_s, want[i].arrival_s) << replicas << " " << i;
      EXPECT_EQ(got[i].input_tokens, want[i].input_tokens) << replicas << " " << i;
      EXPECT_EQ(got[i].output_tokens, want[i].output_tokens) << replicas << " " << i;
    }
  }
}

TEST_F(CapacitySearchTest, MemoisedCostReturnsTheInnerCostsSeconds) {
  const Accelerator* a = *catalog_.FindAccelerator("h100-sxm-80gb");
  const IterationModel model = *IterationModel::Make(**catalog_.FindModel("llama-3-8b"),
                                                     MakeCluster(*a, catalog_.DefaultSystemFor(a->id)), ServingLayout{},
                                                     **FindEngine(engines_, "vllm"));
  MemoisedCost memo(&model, 4);  // 16 slots: collisions overwrite
  for (int round = 0; round < 2; ++round) {
    for (int b = 1; b <= 64; ++b) {
      BatchWork work;
      work.decode_seqs = b;
      work.decode_context_tokens = 1000.0 * b;
      work.prefill_tokens = b % 3 == 0 ? 512 : 0;
      work.prefill_seqs = b % 3 == 0 ? 1 : 0;
      EXPECT_EQ(memo.Seconds(work), model.Seconds(work)) << b;
    }
  }
  // A new inner cost forgets the old one's numbers.
  ServingLayout fp8;
  fp8.weights = Precision::kFp8;
  const IterationModel other = *IterationModel::Make(**catalog_.FindModel("llama-3-8b"),
                                                     MakeCluster(*a, catalog_.DefaultSystemFor(a->id)), fp8,
                                                     **FindEngine(engines_, "vllm"));
  memo.Use(&other);
  BatchWork work;
  work.decode_seqs = 8;
  work.decode_context_tokens = 8000;
  EXPECT_EQ(memo.Seconds(work), other.Seconds(work));
  EXPECT_NE(other.Seconds(work), model.Seconds(work));
}

}  // namespace
}  // namespace suanli
