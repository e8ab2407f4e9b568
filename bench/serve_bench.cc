// Speed of the serving simulator (issue target: 100,000 requests in <= 1 s
// on one core) and of one iteration-time evaluation.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>

#include "catalog/catalog.h"
#include "serve/capacity.h"

namespace suanli {
namespace {

struct Setup {
  Catalog catalog;
  std::vector<EngineSpec> engines;
};

const Setup& TheSetup() {
  static const Setup* setup = [] {
    auto catalog = Catalog::LoadEmbedded();
    auto engines = LoadEmbeddedEngines();
    if (!catalog.ok() || !engines.ok()) {
      std::fprintf(stderr, "catalog or engines failed to load\n");
      std::abort();
    }
    return new Setup{std::move(catalog).value(), std::move(engines).value()};
  }();
  return *setup;
}

// Llama-3-8B on one H100 under vLLM, bf16.
IterationModel EightBModel(ServingLayout& layout, ReplicaMemory& memory) {
  const Setup& s = TheSetup();
  const Accelerator* h100 = *s.catalog.FindAccelerator("h100-sxm-80gb");
  const ClusterSpec cluster = MakeCluster(*h100, s.catalog.DefaultSystemFor(h100->id));
  const EngineSpec& vllm = **FindEngine(s.engines, "vllm");
  layout.max_batch = vllm.max_batch;
  layout.prefill_budget_tokens = vllm.prefill_budget_tokens;
  memory = ServingMemory(**s.catalog.FindModel("llama-3-8b"), *h100, layout);
  return *IterationModel::Make(**s.catalog.FindModel("llama-3-8b"), cluster, layout, vllm);
}

void BM_IterationSeconds(benchmark::State& state) {
  ServingLayout layout;
  ReplicaMemory memory;
  const IterationModel model = EightBModel(layout, memory);
  BatchWork work;
  work.decode_seqs = 200;
  work.decode_context_tokens = 200 * 1500.0;
  work.prefill_tokens = 2000;
  work.prefill_seqs = 2;
  work.prefill_attention_pairs = 2e6;
  for (auto _ : state) {
    benchmark::DoNotOptimize(model.Seconds(work));
    work.decode_context_tokens += 1;
  }
}
BENCHMARK(BM_IterationSeconds);

// 100,000 lognormal requests (mean 1,000 in, 250 out) at 80% of one
// replica's measured capacity: the claim is <= 1 s per run.
void BM_Simulate100k(benchmark::State& state) {
  ServingLayout layout;
  ReplicaMemory memory;
  const IterationModel model = EightBModel(layout, memory);
  SchedulerLimits limits;
  limits.max_batch = layout.max_batch;
  limits.prefill_budget_tokens = layout.prefill_budget_tokens;
  limits.kv_capacity_tokens = memory.kv_capacity_tokens;
  TrafficSpec traffic;
  traffic.requests = 100000;
  traffic.input = {LengthKind::kLognormal, 1000, 0.8, 0};
  traffic.output = {LengthKind::kLognormal, 250, 0.8, 0};
  traffic.rate_rps = static_cast<double>(state.range(0));
  const std::vector<Request> requests = GenerateRequests(traffic);
  const ServingSlo slo{1.0, 0.05, 99};
  long long iterations = 0;
  for (auto _ : state) {
    const SimulationResult r = Simulate(requests, model, limits, slo);
    iterations = r.iterations;
    benchmark::DoNotOptimize(r.ttft.p99_s);
  }
  state.counters["iterations"] = static_cast<double>(iterations);
}
BENCHMARK(BM_Simulate100k)->Arg(5)->Arg(20)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace suanli
