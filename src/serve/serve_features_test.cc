// Expert parallelism, DP attention, speculative decoding, weight-only int4
// and the serving truths of issue #14, against hand-computed values.
#include <gtest/gtest.h>

#include <cmath>

#include "catalog/catalog.h"
#include "model/collectives.h"
#include "model/memory.h"
#include "serve/iteration.h"
#include "serve/replica.h"
#include "serve/serve_test_support.h"
#include "serve/simulator.h"

namespace suanli {
namespace {

class ServeFeaturesTest : public ServeDataTest {
 protected:
  ClusterSpec Cluster(const char* acc) {
    const Accelerator* a = *catalog_.FindAccelerator(acc);
    return MakeCluster(*a, catalog_.DefaultSystemFor(a->id));
  }
  IterationModel Make(const ModelSpec& m, const ServingLayout& layout, const char* acc = "h100-sxm-80gb",
                      const char* engine = "vllm") {
    auto model = IterationModel::Make(m, Cluster(acc), layout, **FindEngine(engines_, engine));
    EXPECT_TRUE(model.ok()) << model.error().ToString();
    return *model;
  }
  static BatchWork Prefill(double tokens) {
    BatchWork w;
    w.prefill_tokens = tokens;
    w.prefill_seqs = 1;
    w.prefill_attention_pairs = 0.5 * tokens * (tokens + 1);
    return w;
  }
};

TEST(SpeculativeTest, TokensPerStepHandComputed) {
  // (1 − α^(k+1)) / (1 − α): k = 1, α = 0.85 → 1.85; k = 3, α = 0.75 → 2.734375.
  EXPECT_DOUBLE_EQ((SpeculativeSpec{1, 0.85, 0}.TokensPerStep()), 1.85);
  EXPECT_NEAR((SpeculativeSpec{3, 0.75, 0}.TokensPerStep()), 2.734375, 1e-12);
  EXPECT_DOUBLE_EQ((SpeculativeSpec{}.TokensPerStep()), 1.0);
  EXPECT_DOUBLE_EQ((SpeculativeSpec{4, 1.0, 0}.TokensPerStep()), 5.0);
}

TEST_F(ServeFeaturesTest, SpeculativeVerifiesKPlusOnePositionsAndPaysTheDraft) {
  const ModelSpec& m = Model("llama-3-8b");
  ServingLayout plain;
  ServingLayout spec;
  spec.speculative = {3, 0.75, 0.05};
  const IterationBreakdown a = Make(m, plain).Breakdown(Decode(1, 1000));
  const IterationBreakdown b = Make(m, spec).Breakdown(Decode(1, 1000));
  // At batch 1 the step is weight-bound: 4 positions cost about what 1 does ...
  EXPECT_LT(b.gemm_s, 1.1 * a.gemm_s);
  // ... the draft adds k · c of the target's work per verified position.
  EXPECT_NEAR(b.draft_s, 3 * 0.05 * (b.gemm_s + b.experts_s + b.attention_s) / 4, 1e-12);
  // Per emitted token the speculative step is faster (2.73 tokens a step).
  EXPECT_LT(b.total_s / spec.speculative.TokensPerStep(), 0.5 * a.total_s);
}

TEST_F(ServeFeaturesTest, SimulatorEmitsTokensPerStepUnderSpeculation) {
  // A 10 ms step: 101 tokens at 2 tokens a step take 50 steps after the first.
  const FlatCost cost(0.010);
  SchedulerLimits limits;
  limits.kv_capacity_tokens = 1e6;
  limits.tokens_per_step = 2.0;
  const SimulationResult r = Simulate({Request{0, 100, 101}}, cost, limits, ServingSlo{});
  EXPECT_NEAR(r.e2e.p50_s, 0.010 + 50 * 0.010, 1e-9);
  EXPECT_NEAR(r.tpot.p50_s, 50 * 0.010 / 100, 1e-12);
}

TEST_F(ServeFeaturesTest, FirstTokenFromTheFirstDecodeStep) {
  // 10 ms a step: prefill, then the first decode step samples token 1; 11
  // tokens take 11 decode steps (TurboMind v0.1).
  const FlatCost cost(0.010);
  SchedulerLimits limits;
  limits.kv_capacity_tokens = 1e6;
  limits.first_token_in_decode = true;
  const SimulationResult r = Simulate({Request{0, 100, 11}}, cost, limits, ServingSlo{});
  EXPECT_NEAR(r.ttft.p50_s, 0.020, 1e-12);
  EXPECT_NEAR(r.e2e.p50_s, 0.010 + 11 * 0.010, 1e-12);
  EXPECT_NEAR(r.tpot.p50_s, 0.010, 1e-12);
  limits.first_token_in_decode = false;
  const SimulationResult p = Simulate({Request{0, 100, 11}}, cost, limits, ServingSlo{});
  EXPECT_NEAR(p.ttft.p50_s, 0.010, 1e-12);
  EXPECT_NEAR(p.e2e.p50_s, 0.010 + 10 * 0.010, 1e-12);
}

TEST_F(ServeFeaturesTest, ReserveAdmissionNeverPreempts) {
  const FlatCost cost(0.010);
  SchedulerLimits limits;
  limits.block_tokens = 1;
  limits.kv_capacity_tokens = 3000;  // two requests of 1000 + 500 at a time
  std::vector<Request> requests(6, Request{0, 1000, 500});
  const SimulationResult greedy = Simulate(requests, cost, limits, ServingSlo{});
  limits.reserve_output = true;
  const SimulationResult reserve = Simulate(requests, cost, limits, ServingSlo{});
  EXPECT_GT(greedy.preemptions, 0);
  EXPECT_EQ(reserve.preemptions, 0);
  EXPECT_EQ(reserve.completed, 6);
  EXPECT_LE(reserve.mean_decode_batch, 2.0 + 1e-9);
}

TEST_F(ServeFeaturesTest, ExpertParallelSpreadsExpertsAndAddsAllToAll) {
  const ModelSpec& m = Model("qwen3-235b-a22b");
  ServingLayout tp8;
  tp8.tp = 8;
  tp8.weights = Precision::kFp8;
  ServingLayout ep8 = tp8;
  ep8.ep = 8;
  const IterationModel a = Make(m, tp8);
  const IterationModel b = Make(m, ep8);
  const BatchWork work = Decode(256, 2000);
  const IterationBreakdown ba = a.Breakdown(work), bb = b.Breakdown(work);
  // All-to-all: dispatch (fp8) + combine (bf16) of 256·8/8 rows of h per rank per MoE layer.
  const ClusterSpec cluster = Cluster("h100-sxm-80gb");
  const Fabric fabric = MakeFabric(cluster, PerfAssumptions{});
  const double row = 4096.0 * 8 * 256 / 8;
  const GroupPlacement group = Place(8, 1, cluster.scale_up_domain);
  const double a2a = AllToAllTime(row * 1.0, group, fabric) + AllToAllTime(row * 2.0, group, fabric);
  EXPECT_NEAR(bb.comm_s - ba.comm_s, 94 * a2a, 1e-9);
  EXPECT_GT(a2a, 0);
  // The same weights are read either way; whole experts make fuller GEMMs.
  EXPECT_LT(bb.experts_s, 1.2 * ba.experts_s);
  // Memory: experts split over ep instead of tp leave the per-device total equal.
  const Accelerator& h100 = **catalog_.FindAccelerator("h100-sxm-80gb");
  EXPECT_NEAR(ServingMemory(m, h100, ep8).weights_bytes, ServingMemory(m, h100, tp8).weights_bytes,
              0.01 * ServingMemory(m, h100, tp8).weights_bytes);
  ServingLayout bad = tp8;
  bad.ep = 3;
  EXPECT_FALSE(IterationModel::Make(m, cluster, bad, **FindEngine(engines_, "vllm")).ok());
}

TEST_F(ServeFeaturesTest, DpAttentionSplitsSequencesAndMultipliesTheCache) {
  const ModelSpec& m = Model("deepseek-v3");
  ServingLayout dp;
  dp.tp = 1;
  dp.dp_attention = 8;
  dp.ep = 8;
  dp.weights = Precision::kFp8;
  EXPECT_EQ(dp.Devices(), 8);
  const IterationModel model = Make(m, dp, "h200-sxm-141gb");
  const IterationBreakdown b = model.Breakdown(Decode(64, 4000));
  ServingLayout one = dp;
  one.dp_attention = 1;
  one.ep = 1;
  one.tp = 1;
  // Each group attends over its 8 sequences: the same attention time as 8 on one device.
  const IterationBreakdown eight = Make(m, one, "h200-sxm-141gb").Breakdown(Decode(8, 4000));
  EXPECT_NEAR(b.attention_s, eight.attention_s, 1e-12);
  // The cache of every group counts: 8 groups hold 8x the tokens one device's free memory holds.
  const Accelerator& h200 = **catalog_.FindAccelerator("h200-sxm-141gb");
  const ReplicaMemory mem = ServingMemory(m, h200, dp);
  ASSERT_TRUE(mem.fits);
  const double free_bytes = mem.usable_bytes - mem.weights_bytes - mem.reserve_bytes;
  EXPECT_NEAR(mem.kv_capacity_tokens, 8 * std::floor(free_bytes / mem.kv_bytes_per_token), 8);
}

TEST(DpAttentionTest, BusiestGroupHoldsTheCeilingShare) {
  EXPECT_DOUBLE_EQ(BusiestGroupShare(1, 8), 1.0);        // a lone request is all on one group
  EXPECT_DOUBLE_EQ(BusiestGroupShare(8, 8), 1.0 / 8);    // one each
  EXPECT_DOUBLE_EQ(BusiestGroupShare(9, 8), 2.0 / 9);    // one group holds two of the nine
  EXPECT_DOUBLE_EQ(BusiestGroupShare(5, 1), 1.0);        // no DP attention
  EXPECT_DOUBLE_EQ(BusiestGroupShare(0, 4), 0.25);       // no count: the even split
}

TEST_F(ServeFeaturesTest, DpAttentionRunsALonePromptOnOneGroup) {
  const ModelSpec& m = Model("deepseek-v3");
  ServingLayout dp;
  dp.tp = 1;
  dp.dp_attention = 8;
  dp.ep = 8;
  dp.weights = Precision::kFp8;
  ServingLayout one = dp;  // the same attention group alone: tp 1 on one device
  one.dp_attention = 1;
  one.ep = 1;
  const IterationModel dp_model = Make(m, dp, "h200-sxm-141gb");
  const IterationModel one_model = Make(m, one, "h200-sxm-141gb");
  // One 8,000-token prompt: its group computes all of its attention and
  // attention-side GEMMs, as a lone tp-1 device would (not an eighth).
  const IterationBreakdown lone = dp_model.Breakdown(Prefill(8000));
  const IterationBreakdown alone = one_model.Breakdown(Prefill(8000));
  EXPECT_DOUBLE_EQ(lone.attention_s, alone.attention_s);
  EXPECT_DOUBLE_EQ(lone.gemm_s, alone.gemm_s);
  // Eight 1,000-token prompts: one per group, each group's work is one prompt's.
  BatchWork eight;
  eight.prefill_tokens = 8000;
  eight.prefill_seqs = 8;
  eight.prefill_attention_pairs = 8 * 0.5 * 1000.0 * 1001.0;
  const IterationBreakdown spread = dp_model.Breakdown(eight);
  EXPECT_DOUBLE_EQ(spread.attention_s, one_model.Breakdown(Prefill(1000)).attention_s);
  EXPECT_DOUBLE_EQ(spread.gemm_s, one_model.Breakdown(Prefill(1000)).gemm_s);
  // The routed experts see all 8,000 tokens either way.
  EXPECT_DOUBLE_EQ(spread.experts_s, lone.experts_s);
  // A lone long prompt is slower on tp 1 x dp 8 than on tp 8 (heads split 8 ways).
  ServingLayout tp8;
  tp8.tp = 8;
  tp8.weights = Precision::kFp8;
  EXPECT_GT(lone.total_s, Make(m, tp8, "h200-sxm-141gb").Breakdown(Prefill(8000)).total_s);
}

TEST_F(ServeFeaturesTest, WeightOnlyInt4ReadsAQuarterAtTheEnginesBandwidth) {
  const ModelSpec& m = Model("llama-3-70b");  // the bf16 LM head is 1.5% of the bytes
  ServingLayout bf16, int4;
  int4.weights = Precision::kInt4;
  const EngineSpec& cpp = **FindEngine(engines_, "llama.cpp");
  EXPECT_DOUBLE_EQ(WeightOnlyBandwidthFactor(cpp, Precision::kInt4), cpp.weight_only_bandwidth);
  EXPECT_DOUBLE_EQ(WeightOnlyBandwidthFactor(cpp, Precision::kBf16), 1.0);
  const double a = Make(m, bf16, "rtx-4090", "llama.cpp").Breakdown(Decode(1, 100)).gemm_s;
  const double b = Make(m, int4, "rtx-4090", "llama.cpp").Breakdown(Decode(1, 100)).gemm_s;
  // Bytes per weight 2 vs ServingWeightBytes(int4), read at 0.8 of the rate.
  const double expected = ServingWeightBytes(Precision::kInt4) / 2.0 / cpp.weight_only_bandwidth;
  EXPECT_NEAR(b / a, expected, 0.05 * expected);
}

// Truth: per-device decode throughput grows with batch until compute or the cache binds.
TEST_F(ServeFeaturesTest, DecodeThroughputGrowsWithBatchThenSaturates) {
  const IterationModel model = Make(Model("llama-3-8b"), ServingLayout{});
  double last = 0;
  for (int batch : {1, 4, 16, 64, 256}) {
    const double rate = batch / model.Seconds(Decode(batch, 1000));
    EXPECT_GT(rate, last) << batch;
    last = rate;
  }
  // The gain from 256 to 1024 is far below 4x: KV reads and compute bind.
  const double r256 = 256 / model.Seconds(Decode(256, 1000));
  const double r1024 = 1024 / model.Seconds(Decode(1024, 1000));
  EXPECT_LT(r1024 / r256, 2.0);
}

// Truth: TTFT rises steeply as the rate nears capacity.
TEST_F(ServeFeaturesTest, TtftRisesSteeplyNearCapacity) {
  const ModelSpec& m = Model("llama-3-8b");
  const IterationModel model = Make(m, ServingLayout{});
  const Accelerator& h100 = **catalog_.FindAccelerator("h100-sxm-80gb");
  const ReplicaMemory mem = ServingMemory(m, h100, ServingLayout{});
  SchedulerLimits limits;
  limits.kv_capacity_tokens = mem.kv_capacity_tokens;
  auto ttft = [&](double rate) {
    TrafficSpec t;
    t.rate_rps = rate;
    t.input = {LengthKind::kFixed, 2000, 0, 0};
    t.output = {LengthKind::kFixed, 200, 0, 0};
    t.requests = 1500;
    return Simulate(GenerateRequests(t), model, limits, ServingSlo{}).ttft.mean_s;
  };
  const double low = ttft(2), mid = ttft(10), high = ttft(40);
  EXPECT_LT(mid, 3 * low);
  EXPECT_GT(high, 10 * mid);
}

// Truth: the H20 decodes at batch 1 at least as fast as the H800, falls behind as the batch grows
// and far behind on prefill.
TEST_F(ServeFeaturesTest, H20BeatsH800AtBatchOneOnly) {
  const ModelSpec& m = Model("llama-3-8b");
  const IterationModel h20 = Make(m, ServingLayout{}, "h20-96gb");
  const IterationModel h800 = Make(m, ServingLayout{}, "h800-sxm-80gb");
  EXPECT_LE(h20.Seconds(Decode(1, 1000)), h800.Seconds(Decode(1, 1000)));
  EXPECT_GT(h20.Seconds(Decode(256, 1000)), 1.5 * h800.Seconds(Decode(256, 1000)));
  EXPECT_GT(h20.Seconds(Prefill(4096)), 4.0 * h800.Seconds(Prefill(4096)));
}

// Truth: MLA's KV per token is a fraction of GQA's.
TEST_F(ServeFeaturesTest, MlaCacheIsAFractionOfGqa) {
  const ModelSpec& mla = Model("deepseek-v3");
  ModelSpec gqa = mla;
  gqa.use_mla = false;
  gqa.kv_heads = 8;  // a GQA-8 model of the same width and depth, head_dim 128
  gqa.head_dim = 128;
  const double a = KvCacheBytesPerToken(mla, Precision::kBf16);
  const double b = KvCacheBytesPerToken(gqa, Precision::kBf16);
  // (512 + 64) vs 2 · 8 · 128 per layer: 576 / 2048.
  EXPECT_NEAR(a / b, 576.0 / 2048.0, 1e-9);
  EXPECT_LT(a, 0.3 * b);
}

}  // namespace
}  // namespace suanli
