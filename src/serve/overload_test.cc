// The overload verdict, the throughput of an overloaded run and the engines'
// memory fractions (session 19 defects; docs/serving.md "Overload").
#include <gtest/gtest.h>

#include <cmath>

#include "catalog/catalog.h"
#include "serve/capacity.h"
#include "serve/fleet_replay.h"
#include "serve/steady_state.h"

namespace suanli {
namespace {

TEST(QueueWaitsGrowTest, StationaryWaitsDoNotAndALinearQueueDoes) {
  EXPECT_FALSE(QueueWaitsGrow(std::vector<double>(1000, 0.0)));  // no queue at all
  std::vector<double> noisy, growing;
  uint64_t x = 12345;
  for (int i = 0; i < 1000; ++i) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    const double u = static_cast<double>(x >> 11) / 9007199254740992.0;
    noisy.push_back(0.5 * u);
    growing.push_back(0.01 * i + 0.5 * u);
  }
  EXPECT_FALSE(QueueWaitsGrow(noisy));
  EXPECT_TRUE(QueueWaitsGrow(growing));
  EXPECT_FALSE(QueueWaitsGrow(std::vector<double>{0, 1, 2}));  // too few to tell
}

class OverloadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    catalog_ = std::move(*Catalog::LoadEmbedded());
    engines_ = std::move(*LoadEmbeddedEngines());
    vllm_ = *FindEngine(engines_, "vllm");
  }
  // Replays `replicas` replicas of `model` on `accel` as serve --gpus does.
  SimulationResult Replay(const char* model_id, const char* accel, ServingLayout layout, const TrafficSpec& traffic,
                          const ServingSlo& slo, int replicas) {
    const ModelSpec& model = **catalog_.FindModel(model_id);
    const Accelerator* a = *catalog_.FindAccelerator(accel);
    const ClusterSpec cluster = MakeCluster(*a, catalog_.DefaultSystemFor(a->id));
    layout.memory = vllm_->memory;
    const BatchDefaults defaults = vllm_->DefaultsFor(*a);
    layout.max_batch = defaults.max_batch;
    layout.prefill_budget_tokens = defaults.prefill_budget_tokens;
    memory_ = ServingMemory(model, *a, layout);
    const IterationModel cost = *IterationModel::Make(model, cluster, layout, *vllm_);
    return ReplayFleet(traffic, cost, layout, memory_, *vllm_, slo, replicas);
  }
  Catalog catalog_;
  std::vector<EngineSpec> engines_;
  const EngineSpec* vllm_ = nullptr;
  ReplicaMemory memory_;
};

// Qwen2.5-72B on H20, tp 4 fp8/fp8, 1 req/s per replica of 3,000/500: no
// queue (TTFT = the lone prefill), both P90s under target. The completions in
// the arrival window fell 7-8% short of the arrivals while the decode batch
// and its in-flight count settled, and 29, 30 and 31 req/s were flagged
// overloaded (SLO not met) where 28 and 32 were not.
TEST_F(OverloadTest, AFleetWithNoQueueIsNotOverloaded) {
  ServingLayout layout;
  layout.tp = 4;
  layout.weights = Precision::kFp8;
  layout.kv = Precision::kFp8;
  const ServingSlo slo{3.0, 0.050, 90};
  for (int rate : {28, 29, 30, 31, 32}) {
    TrafficSpec traffic;
    traffic.rate_rps = rate;
    traffic.requests = 2000;
    traffic.input = {LengthKind::kFixed, 3000, 0, 0};
    traffic.output = {LengthKind::kFixed, 500, 0, 0};
    const SimulationResult r = Replay("qwen2.5-72b", "h20-96gb", layout, traffic, slo, rate);
    EXPECT_FALSE(r.overloaded) << rate << " req/s";
    EXPECT_TRUE(r.meets_slo) << rate << " req/s: TTFT P90 " << r.ttft.at_slo_percentile_s << " s, TPOT P90 "
                             << r.tpot.at_slo_percentile_s << " s";
  }
}

// Llama-3-8B on 13 H20 at 100 req/s of 2,000/500: far past capacity. The
// throughput is what the fleet sustains, never above the offline maximum
// (every request queued at t = 0); it printed 100 req/s, 50,000 tokens/s
// where the offline maximum is about 27,000.
TEST_F(OverloadTest, OverloadedThroughputStaysWithinTheFleetsCapacity) {
  ServingLayout layout;
  layout.weights = Precision::kFp8;
  layout.kv = Precision::kFp8;
  TrafficSpec traffic;
  traffic.rate_rps = 100;
  traffic.requests = 2000;
  traffic.input = {LengthKind::kFixed, 2000, 0, 0};
  traffic.output = {LengthKind::kFixed, 500, 0, 0};
  const ServingSlo slo{2.0, 0.040, 90};
  const SimulationResult r = Replay("llama-3-8b", "h20-96gb", layout, traffic, slo, 13);
  ASSERT_TRUE(r.overloaded);
  // The offline maximum: the same requests, all at t = 0, measured whole.
  const ModelSpec& model = **catalog_.FindModel("llama-3-8b");
  const Accelerator* a = *catalog_.FindAccelerator("h20-96gb");
  const IterationModel cost = *IterationModel::Make(model, MakeCluster(*a, catalog_.DefaultSystemFor(a->id)),
                                                    [&] {
                                                      ServingLayout l = layout;
                                                      l.max_batch = vllm_->DefaultsFor(*a).max_batch;
                                                      return l;
                                                    }(), *vllm_);
  TrafficSpec offline = traffic;
  offline.rate_rps = 0;
  offline.requests = 13 * 2000;
  SchedulerLimits limits = ServingLimits(layout, memory_, *vllm_, /*steady_state=*/false);
  limits.max_batch = vllm_->DefaultsFor(*a).max_batch;
  const SimulationResult max = Simulate(GenerateRequests(offline), cost, limits, ServingSlo{}, 13);
  EXPECT_LE(r.output_tokens_per_s, max.output_tokens_per_s);
  EXPECT_GT(r.output_tokens_per_s, 0.5 * max.output_tokens_per_s);
  EXPECT_LT(r.requests_per_s, 0.5 * traffic.rate_rps);
  EXPECT_NEAR(r.output_tokens_per_s, 500 * r.requests_per_s, 1e-6 * r.output_tokens_per_s);
}

// The engine's memory fraction bounds its KV cache: Qwen2.5-72B fp8 on one
// H100 (70 GiB of weights) does not start under vLLM's 0.9 x 80 GiB; every
// engine's cache is at most what all usable memory would hold.
TEST_F(OverloadTest, TheEnginesMemoryFractionBoundsTheKvCache) {
  const ModelSpec& model = **catalog_.FindModel("qwen2.5-72b");
  const Accelerator* h100 = *catalog_.FindAccelerator("h100-sxm-80gb");
  ServingLayout layout;
  layout.weights = Precision::kFp8;
  layout.kv = Precision::kFp8;
  const ReplicaMemory all = ServingMemory(model, *h100, layout);  // fraction 1 of total: everything usable
  EXPECT_TRUE(all.fits);
  layout.memory = vllm_->memory;
  EXPECT_DOUBLE_EQ(vllm_->memory.fraction, 0.9);
  EXPECT_FALSE(ServingMemory(model, *h100, layout).fits);
  layout.tp = 2;
  const ReplicaMemory two = ServingMemory(model, *h100, layout);
  ASSERT_TRUE(two.fits);
  // vLLM: 0.9 x capacity holds the context, weights, reserve and KV.
  const double runtime = h100->memory_bytes - UsableBytes(h100->memory_bytes);
  EXPECT_DOUBLE_EQ(two.usable_bytes, 0.9 * h100->memory_bytes - runtime);  // what vLLM lets itself use
  const double kv_bytes = two.usable_bytes - two.weights_bytes - two.reserve_bytes;
  EXPECT_NEAR(two.kv_capacity_tokens, std::floor(kv_bytes / two.kv_bytes_per_token), 1);
  for (const EngineSpec& e : engines_) {
    layout.memory = e.memory;
    layout.tp = 2;
    ServingLayout whole = layout;
    whole.memory = EngineMemory{};
    EXPECT_LE(ServingMemory(model, *h100, layout).kv_capacity_tokens,
              ServingMemory(model, *h100, whole).kv_capacity_tokens)
        << e.id;
    EXPECT_LT(e.memory.fraction, 1.0 + 1e-12) << e.id;
  }
  // TensorRT-LLM: 0.9 of what the loaded engine leaves free.
  layout.memory = (*FindEngine(engines_, "trt-llm"))->memory;
  const ReplicaMemory trt = ServingMemory(model, *h100, layout);
  const double free_bytes = trt.usable_bytes - trt.weights_bytes - trt.reserve_bytes;
  EXPECT_NEAR(trt.kv_capacity_tokens, std::floor(0.9 * free_bytes / trt.kv_bytes_per_token), 1);
}

}  // namespace
}  // namespace suanli
