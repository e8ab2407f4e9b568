// Speed of the serving capacity search over the whole catalog for one
// traffic profile (issue #14 target: <= 1 s): every accelerator, aggregated
// and disaggregated, llama-3-8b at 20 req/s, 1,000 in / 200 out, P90 TTFT
// <= 1 s and TPOT <= 50 ms.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>

#include "catalog/catalog.h"
#include "serve/fleet_choice.h"

namespace suanli {
namespace {

void BM_CapacitySearchWholeCatalog(benchmark::State& state) {
  static const Catalog* catalog = new Catalog(std::move(Catalog::LoadEmbedded()).value());
  static const std::vector<EngineSpec>* engines = new std::vector<EngineSpec>(std::move(LoadEmbeddedEngines()).value());
  const ModelSpec* model = *catalog->FindModel("llama-3-8b");
  const EngineSpec* engine = *FindEngine(*engines, "vllm");
  const bool disaggregate = state.range(0) != 0;
  for (auto _ : state) {
    std::vector<AcceleratorOption> options;
    for (const Accelerator& a : catalog->accelerators()) {
      CapacityQuery q;
      q.model = model;
      q.engine = engine;
      q.cluster = MakeCluster(a, catalog->DefaultSystemFor(a.id));
      q.traffic.rate_rps = 20;
      q.traffic.input = {LengthKind::kFixed, 1000, 0, 0};
      q.traffic.output = {LengthKind::kFixed, 200, 0, 0};
      q.slo = {1.0, 0.05, 90};
      q.top = 1;
      DevicePricing pricing;
      pricing.rent_per_card_hour = 10;
      options.push_back(EvaluateAccelerator(q, pricing, disaggregate));
    }
    RankAccelerators(options);
    benchmark::DoNotOptimize(options.data());
  }
}
BENCHMARK(BM_CapacitySearchWholeCatalog)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

// One search whose fleet replays meet a TTFT floor (qwen2.5-72b on h20 at
// 6 req/s, lognormal prompts of mean 2,500, sigma 0.5, P99 TTFT <= 1.5 s,
// TPOT <= 40 ms): minutes before the confirmation stopped at the floor, about
// a second after.
void BM_CapacitySearchLognormalFloor(benchmark::State& state) {
  static const Catalog* catalog = new Catalog(std::move(Catalog::LoadEmbedded()).value());
  static const std::vector<EngineSpec>* engines = new std::vector<EngineSpec>(std::move(LoadEmbeddedEngines()).value());
  const Accelerator* h20 = *catalog->FindAccelerator("h20-96gb");
  CapacityQuery q;
  q.model = *catalog->FindModel("qwen2.5-72b");
  q.engine = *FindEngine(*engines, "vllm");
  q.cluster = MakeCluster(*h20, catalog->DefaultSystemFor(h20->id));
  q.traffic.rate_rps = 6;
  q.traffic.input = {LengthKind::kLognormal, 2500, 0.5, 0};
  q.traffic.output = {LengthKind::kFixed, 400, 0, 0};
  q.slo = {1.5, 0.04, 99};
  for (auto _ : state) {
    const CapacityResult r = SearchCapacity(q);
    benchmark::DoNotOptimize(r.answers.data());
    state.counters["simulations"] = r.simulations;
  }
}
BENCHMARK(BM_CapacitySearchLognormalFloor)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace suanli
