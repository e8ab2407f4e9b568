// Wall time of a whole plan (issue 4 target: the whole catalog x cluster
// sizes 8..16,384 x all quotes in <= 5 s on a 2-core machine).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "catalog/catalog.h"
#include "plan/prepare.h"

namespace suanli {
namespace {

void PlanScenario(benchmark::State& state, const std::string& path, int max_devices) {
  auto scenario = LoadScenario(path);
  if (!scenario.ok()) {
    state.SkipWithError(scenario.error().ToString().c_str());
    return;
  }
  if (max_devices > 0) scenario->constraints.max_devices = max_devices;
  auto catalog = Catalog::LoadEmbedded();
  if (!catalog.ok()) {
    state.SkipWithError(catalog.error().ToString().c_str());
    return;
  }
  for (const std::string& file : scenario->catalog_files) {
    if (!catalog->MergeFile(file).ok()) {
      state.SkipWithError("catalog file of the scenario");
      return;
    }
  }
  int64_t options = 0;
  for (auto _ : state) {
    auto prepared = PreparePlan(*scenario, *catalog, 2);
    if (!prepared.ok()) {
      state.SkipWithError(prepared.error().ToString().c_str());
      return;
    }
    auto result = MakePlan(prepared->input);
    benchmark::DoNotOptimize(result.ok());
    if (result.ok()) {
      for (const auto& workload : result->workloads) options += workload.options_evaluated;
    }
  }
  state.counters["options"] = benchmark::Counter(static_cast<double>(options) / state.iterations());
}

void BM_PlanChina2023(benchmark::State& state) {
  PlanScenario(state, SUANLI_SOURCE_DIR "/examples/china-2023-startup.yaml", 0);
}
BENCHMARK(BM_PlanChina2023)->Unit(benchmark::kSecond)->UseRealTime()->Iterations(1);

void BM_PlanChina2023Upto16384(benchmark::State& state) {
  PlanScenario(state, SUANLI_SOURCE_DIR "/examples/china-2023-startup.yaml", 16384);
}
BENCHMARK(BM_PlanChina2023Upto16384)->Unit(benchmark::kSecond)->UseRealTime()->Iterations(1);

}  // namespace
}  // namespace suanli
