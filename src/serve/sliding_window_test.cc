// Sliding-window attention in serving: the KV a request holds, the attention
// it reads and the concurrency the cache allows, hand-computed.
#include <gtest/gtest.h>

#include "model/memory.h"
#include "serve/capacity.h"
#include "serve/disaggregation.h"
#include "serve/iteration.h"
#include "serve/replica.h"
#include "serve/serve_test_support.h"
#include "serve/simulator.h"

namespace suanli {
namespace {

// Mistral 7B v0.1's shape: Llama-3-8B's 32 layers of 8 KV heads × 128, all
// with a 4,096-token window (its config.json "sliding_window": 4096).
ModelSpec Mistral(const ModelSpec& llama) {
  ModelSpec m = llama;
  m.sliding_window = 4096;
  m.sliding_window_layers = 32;
  return m;
}

TEST(KvWindowTest, KeysAndPairsHandComputed) {
  const KvWindow none{2, 0, 0};
  EXPECT_EQ(none.Keys(30000), 30000);
  EXPECT_EQ(none.CausalPairs(2, 4), 18);  // 3 + 4 + 5 + 6
  // One of two layers sliding over 4 tokens.
  const KvWindow half{2, 1, 4};
  EXPECT_EQ(half.Keys(3), 3);
  EXPECT_EQ(half.Keys(10), 7);               // (10 + 4) / 2
  EXPECT_EQ(half.LayerTokens(10), 14);
  EXPECT_EQ(half.CausalPairs(0, 6), 19.5);   // full 21, sliding 1+2+3+4+4+4 = 18
  EXPECT_EQ(half.CausalPairs(2, 4), 16.5);   // full 18, sliding 3+4+4+4 = 15
  EXPECT_EQ(half.CausalPairs(5, 2), 10.5);   // full 6+7 = 13, sliding 4+4 = 8
  EXPECT_EQ(half.CausalPairs(0, 3), 6);      // inside the window: as full attention
}

TEST_F(ServeDataTest, KvBytesPerRequestWithAndWithoutWindow) {
  const ModelSpec llama = Model("llama-3-8b");
  const ModelSpec mistral = Mistral(llama);
  InferenceConfig c;
  c.batch = 1;
  c.context = 30100;  // 30,000 in + 100 out
  // 32 layers × 2 × 8 heads × 128 × 2 bytes = 131,072 B per token.
  EXPECT_EQ(InferenceMemory(llama, c).kv_cache_bytes, 131072.0 * 30100);     // 3,945,267,200 B
  EXPECT_EQ(InferenceMemory(mistral, c).kv_cache_bytes, 131072.0 * 4096);    // 536,870,912 B
  // gpt-oss style: every second layer slides over 128 tokens.
  ModelSpec alternating = llama;
  alternating.sliding_window = 128;
  alternating.sliding_window_layers = 16;
  // 4,096 B per token per layer × (16 × 30,100 + 16 × 128) = 1,981,022,208 B.
  EXPECT_EQ(InferenceMemory(alternating, c).kv_cache_bytes, 1981022208.0);
}

TEST_F(ServeDataTest, CacheHoldsSevenTimesTheRequestsWithAWindow) {
  const ModelSpec llama = Model("llama-3-8b");
  const ModelSpec mistral = Mistral(llama);
  const Accelerator& h100 = **catalog_.FindAccelerator("h100-sxm-80gb");
  ServingLayout layout;
  const ReplicaMemory full = ServingMemory(llama, h100, layout);
  const ReplicaMemory windowed = ServingMemory(mistral, h100, layout);
  // The same slots (tokens of all 32 layers); a request holds 30,100 or 4,096 of them.
  ASSERT_EQ(full.kv_capacity_tokens, windowed.kv_capacity_tokens);
  EXPECT_EQ(full.window.Keys(30100), 30100);
  EXPECT_EQ(windowed.window.Keys(30100), 4096);
  const double requests_full = std::floor(full.kv_capacity_tokens / 30100);
  const double requests_windowed = std::floor(windowed.kv_capacity_tokens / 4096);
  EXPECT_NEAR(requests_windowed / requests_full, 30100.0 / 4096, 0.6);  // 7.35×: ~129 vs ~17
  // Disaggregation sends a prompt's KV: a sliding layer only its window.
  EXPECT_EQ(KvTransferSeconds(windowed, 30000, 400e9), 131072.0 * 4096 / 400e9);
  EXPECT_EQ(KvTransferSeconds(full, 30000, 400e9), 131072.0 * 30000 / 400e9);
}

// 20 prompts of 30,000 tokens with 1,000 outputs on a cache of 84,000 slots:
// with the window each holds at most 4,096 (+ half a 16-token block), so all
// 20 run at once; without, two at a time, preempting.
TEST(SlidingWindowSimulatorTest, WindowedRequestsRunTogether) {
  FlatCost cost(1e-3);
  SchedulerLimits limits;
  limits.max_batch = 256;
  limits.prefill_budget_tokens = 8192;
  limits.kv_capacity_tokens = 84000;
  const std::vector<Request> requests(20, Request{0.0, 30000, 1000});
  const SimulationResult full = Simulate(requests, cost, limits, ServingSlo{});
  limits.window = KvWindow{32, 32, 4096};
  limits.window_frees_kv = true;
  const SimulationResult windowed = Simulate(requests, cost, limits, ServingSlo{});
  ASSERT_EQ(full.completed, 20);
  ASSERT_EQ(windowed.completed, 20);
  EXPECT_EQ(windowed.preemptions, 0);
  EXPECT_GT(windowed.mean_decode_batch, 15);
  EXPECT_LT(full.mean_decode_batch, 3);
  // Prefill 600,000 tokens over 8,192-token iterations (~74) plus 999 decode steps.
  EXPECT_LT(windowed.iterations, 1200);
  EXPECT_GT(full.iterations, 5 * windowed.iterations);
  // An engine that keeps every token's KV gains nothing in memory.
  limits.window_frees_kv = false;
  const SimulationResult kept = Simulate(requests, cost, limits, ServingSlo{});
  EXPECT_EQ(kept.iterations, full.iterations);
  EXPECT_EQ(kept.preemptions, full.preemptions);
}

// Reserve admission (TensorRT-LLM) reserves the window, not the whole context.
TEST(SlidingWindowSimulatorTest, ReserveAdmissionReservesTheWindow) {
  FlatCost cost(1e-3);
  SchedulerLimits limits;
  limits.prefill_budget_tokens = 8192;
  limits.kv_capacity_tokens = 84000;
  limits.reserve_output = true;
  limits.window = KvWindow{32, 32, 4096};
  limits.window_frees_kv = true;
  const SimulationResult r = Simulate(std::vector<Request>(20, Request{0.0, 30000, 1000}), cost, limits, ServingSlo{});
  ASSERT_EQ(r.completed, 20);
  EXPECT_EQ(r.preemptions, 0);
  EXPECT_GT(r.mean_decode_batch, 15);
}

// A sliding layer's decode reads at most the window: the lone step at a
// 30,050-token mean context costs what a 4,096-token one does without a window.
TEST_F(ServeDataTest, DecodeAttentionReadsTheWindow) {
  const ModelSpec llama = Model("llama-3-8b");
  const ModelSpec mistral = Mistral(llama);
  const EngineSpec& vllm = **FindEngine(engines_, "vllm");
  const ClusterSpec cluster = MakeCluster(**catalog_.FindAccelerator("h100-sxm-80gb"), catalog_.DefaultSystemFor("h100-sxm-80gb"));
  ServingLayout layout;
  const IterationModel windowed = *IterationModel::Make(mistral, cluster, layout, vllm);
  const IterationModel full = *IterationModel::Make(llama, cluster, layout, vllm);
  TrafficSpec long_prompt;
  long_prompt.input.mean_tokens = 30000;
  long_prompt.output.mean_tokens = 100;
  TrafficSpec short_prompt = long_prompt;
  short_prompt.input.mean_tokens = 4046;  // + 50 = 4,096
  const KvWindow window = StageKvWindow(mistral, 32);
  EXPECT_EQ(LoneDecodeSeconds(windowed, long_prompt, window), LoneDecodeSeconds(full, short_prompt, KvWindow{}));
  EXPECT_LT(LoneDecodeSeconds(windowed, long_prompt, window), LoneDecodeSeconds(full, long_prompt, KvWindow{}));
  // Prefill: 30,000 queries against at most 4,096 keys each, 114,493,440
  // pairs (4,096·4,097/2 + 25,904·4,096) instead of 450,015,000; the GEMMs stay.
  EXPECT_EQ(window.CausalPairs(0, 30000), 114493440.0);
  EXPECT_LT(LonePrefillSeconds(windowed, layout, long_prompt, window),
            0.75 * LonePrefillSeconds(full, layout, long_prompt, KvWindow{}));
}

TEST_F(ServeDataTest, EnginesSayWhetherTheyFreeTheWindow) {
  EXPECT_TRUE((*FindEngine(engines_, "vllm"))->window_frees_kv);
  EXPECT_TRUE((*FindEngine(engines_, "trt-llm"))->window_frees_kv);
  EXPECT_FALSE((*FindEngine(engines_, "lmdeploy"))->window_frees_kv);
}

}  // namespace
}  // namespace suanli
