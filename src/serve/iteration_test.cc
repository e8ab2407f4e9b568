#include "serve/iteration.h"

#include <gtest/gtest.h>

#include "catalog/catalog.h"
#include "model/memory.h"
#include "serve/replica.h"
#include "serve/serve_test_support.h"

namespace suanli {
namespace {

class IterationTest : public ServeDataTest {
 protected:
  void SetUp() override {
    ServeDataTest::SetUp();
    h100_ = *catalog_.FindAccelerator("h100-sxm-80gb");
    cluster_ = MakeCluster(*h100_, catalog_.DefaultSystemFor(h100_->id));
  }
  IterationModel Make(const ModelSpec& m, ServingLayout layout, const char* engine = "vllm") {
    auto model = IterationModel::Make(m, cluster_, layout, **FindEngine(engines_, engine));
    EXPECT_TRUE(model.ok()) << model.error().ToString();
    return *model;
  }

  const Accelerator* h100_ = nullptr;
  ClusterSpec cluster_;
};

TEST_F(IterationTest, SeventyBAtBatchOneReadsTheWeightsOncePerToken) {
  const ModelSpec& m = Model("llama-3-70b");
  ServingLayout layout;  // tp 1, bf16 (141 GB do not fit one H100; the step time is still defined)
  const IterationBreakdown b = Make(m, layout).Breakdown(Decode(1, 1000));
  InferenceConfig config;
  config.batch = 0;
  const double weight_bytes = InferenceMemory(m, config).weights_bytes;
  const double expected_s = weight_bytes / (h100_->memory_Bps * h100_->efficiency.hbm);
  // GEMMs: the weight read plus ~4 us per kernel (80 layers x 4 GEMMs ~ 1.3 ms).
  EXPECT_NEAR(b.gemm_s, expected_s, 0.05 * expected_s);
  EXPECT_NEAR(b.total_s, expected_s, 0.10 * expected_s);
  EXPECT_EQ(b.comm_s, 0);
}

TEST_F(IterationTest, DecodeIsBandwidthBoundSmallAndComputeBoundLarge) {
  const ModelSpec& m = Model("llama-3-8b");
  const IterationModel model = Make(m, ServingLayout{});
  const double one = model.Seconds(Decode(1, 512));
  const double sixty_four = model.Seconds(Decode(64, 512));
  EXPECT_LT(sixty_four, 1.5 * one);  // weights dominate: 64 tokens cost little more than one
  // A large prefill runs near the GEMM rate: 2 x params FLOPs per token.
  BatchWork prefill;
  prefill.prefill_tokens = 8192;
  prefill.prefill_seqs = 1;
  prefill.prefill_attention_pairs = 0.5 * 8192.0 * 8193.0;
  const ParamCounts counts = CountParams(m);
  const double params = counts.total - counts.embedding - counts.output;  // one sampled row only
  const double gemm_s = 2.0 * params * 8192 / (h100_->PeakFlops(Precision::kBf16) * h100_->efficiency.gemm);
  const IterationBreakdown b = model.Breakdown(prefill);
  EXPECT_GT(b.gemm_s, gemm_s);
  EXPECT_LT(b.gemm_s, 1.3 * gemm_s);
  EXPECT_GT(b.attention_s, 0.1 * b.gemm_s);  // 8k-token causal attention is not free
}

TEST_F(IterationTest, QuantisedWeightsReadFewerBytes) {
  const ModelSpec& m = Model("llama-3-70b");
  ServingLayout bf16, int4;
  int4.weights = Precision::kInt4;
  const double t16 = Make(m, bf16).Breakdown(Decode(1, 1000)).gemm_s;
  const double t4 = Make(m, int4).Breakdown(Decode(1, 1000)).gemm_s;
  EXPECT_GT(t16 / t4, 3.0);
  EXPECT_LT(t16 / t4, 4.0);
}

TEST_F(IterationTest, TensorParallelAllReducesAreLatencyBoundInDecode) {
  const ModelSpec& m = Model("llama-3-70b");
  ServingLayout tp8;
  tp8.tp = 8;
  const IterationModel model = Make(m, tp8);
  const double one = model.Breakdown(Decode(1, 1000)).comm_s;
  const double eight = model.Breakdown(Decode(8, 1000)).comm_s;
  // 80 layers x 2 all-reduces x (reduce-scatter + all-gather latency).
  EXPECT_GT(one, 80 * 2 * 2 * 10e-6);
  EXPECT_LT(eight, 1.1 * one);
}

TEST_F(IterationTest, KvReadsGrowWithContextAndFp8HalvesThem) {
  const ModelSpec& m = Model("llama-3-8b");
  ServingLayout fp8;
  fp8.kv = Precision::kFp8;
  const IterationModel bf16_model = Make(m, ServingLayout{});
  const double short_ctx = bf16_model.Breakdown(Decode(64, 1000)).attention_s;
  const double long_ctx = bf16_model.Breakdown(Decode(64, 8000)).attention_s;
  EXPECT_NEAR(long_ctx / short_ctx, 8.0, 0.5);
  const double fp8_ctx = Make(m, fp8).Breakdown(Decode(64, 8000)).attention_s;
  EXPECT_NEAR(long_ctx / fp8_ctx, 2.0, 0.1);
}

TEST_F(IterationTest, MoeTouchesOnlyTheExpertsItsTokensPick) {
  EXPECT_DOUBLE_EQ(DistinctExperts(256, 8, 1), 8);
  EXPECT_NEAR(DistinctExperts(256, 8, 1000), 256, 1e-6);
  EXPECT_NEAR(DistinctExperts(8, 2, 2), 8 * (1 - 0.75 * 0.75), 1e-12);
  const ModelSpec& m = Model("deepseek-v3");
  ServingLayout layout;
  layout.tp = 8;
  layout.weights = Precision::kFp8;
  const IterationModel model = Make(m, layout);
  const double one = model.Breakdown(Decode(1, 1000)).experts_s;
  const double many = model.Breakdown(Decode(256, 1000)).experts_s;
  EXPECT_GT(many / one, 10.0);  // ~8 of 256 experts per layer at batch 1, nearly all at 256
}

TEST_F(IterationTest, EagerIterationsPayLaunchOverhead) {
  const ModelSpec& m = Model("llama-3-8b");
  const IterationModel model = Make(m, ServingLayout{});
  const IterationBreakdown graph = model.Breakdown(Decode(8, 500));
  const IterationBreakdown eager = model.Breakdown(Decode(600, 500));  // beyond vLLM's captured sizes
  EXPECT_NEAR(eager.overhead_s - graph.overhead_s, 32 * 60e-6, 1e-9);
}

TEST_F(IterationTest, BadLayoutsNameTheirFlag) {
  const ModelSpec& m = Model("llama-3-8b");
  ServingLayout tp3;
  tp3.tp = 3;
  auto bad = IterationModel::Make(m, cluster_, tp3, **FindEngine(engines_, "vllm"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().where, "--tp");
  ServingLayout fp8;
  fp8.weights = Precision::kFp8;
  auto unsupported = IterationModel::Make(m, cluster_, fp8, **FindEngine(engines_, "llama.cpp"));
  ASSERT_FALSE(unsupported.ok());
  EXPECT_EQ(unsupported.error().where, "--weights");
}

TEST_F(IterationTest, ReplicaMemoryLeavesTheRestForTheCache) {
  const ModelSpec& m = Model("llama-3-8b");
  const ServingLayout layout;
  const ReplicaMemory mem = ServingMemory(m, *h100_, layout);
  ASSERT_TRUE(mem.fits);
  EXPECT_DOUBLE_EQ(mem.kv_bytes_per_token, KvCacheBytesPerToken(m, Precision::kBf16));
  const double expected = (mem.usable_bytes - mem.weights_bytes - mem.reserve_bytes) / mem.kv_bytes_per_token;
  EXPECT_NEAR(mem.kv_capacity_tokens, expected, 1.0);
  EXPECT_GT(mem.kv_capacity_tokens, 400000);  // ~60 GB of 128 KiB tokens
  EXPECT_FALSE(ServingMemory(Model("llama-3-70b"), *h100_, layout).fits);
}

}  // namespace
}  // namespace suanli
