// Speed of the step model and of full layout searches (issue 3 targets:
// one evaluation <= 1 us on one core; the GPT-3 175B / 1,024-GPU exhaustive
// search <= 1 s wall on a 2-core machine).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>

#include "catalog/catalog.h"
#include "search/search.h"

namespace suanli {
namespace {

const Catalog& TheCatalog() {
  static const Catalog* catalog = [] {
    auto loaded = Catalog::LoadEmbedded();
    if (!loaded.ok()) {
      std::fprintf(stderr, "catalog: %s\n", loaded.error().ToString().c_str());
      std::abort();
    }
    return new Catalog(std::move(loaded).value());
  }();
  return *catalog;
}

ClusterSpec Cluster(const char* id) {
  const Accelerator* a = *TheCatalog().FindAccelerator(id);
  return MakeCluster(*a, TheCatalog().DefaultSystemFor(a->id));
}

void BM_EstimateStep(benchmark::State& state) {
  const ModelSpec& model = **TheCatalog().FindModel("gpt3-175b");
  const ClusterSpec cluster = Cluster("a100-sxm-80gb");
  ParallelConfig c;
  c.tp = 8;
  c.pp = 8;
  c.dp = 16;
  c.vp = 2;
  c.global_batch = 1536;
  c.seq_len = 2048;
  for (auto _ : state) {
    c.micro_batch = 1 + (state.iterations() & 1);
    benchmark::DoNotOptimize(EstimateStep(model, cluster, c));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EstimateStep);

void RunSearch(benchmark::State& state, const char* model_id, const char* accel, int gpus,
               int global_batch, int seq_len, Precision precision) {
  const ModelSpec& model = **TheCatalog().FindModel(model_id);
  const ClusterSpec cluster = Cluster(accel);
  SearchOptions options;
  options.gpus = gpus;
  options.global_batch = global_batch;
  options.seq_len = seq_len;
  options.precision = precision;
  options.threads = static_cast<int>(state.range(0));
  int64_t layouts = 0;
  for (auto _ : state) {
    const SearchResult result = SearchLayouts(model, cluster, options);
    layouts += result.configs_evaluated;
    benchmark::DoNotOptimize(result.top.data());
  }
  state.counters["layouts"] = benchmark::Counter(static_cast<double>(layouts) / state.iterations());
  state.counters["layouts_per_s"] = benchmark::Counter(static_cast<double>(layouts), benchmark::Counter::kIsRate);
}

void BM_SearchGpt3_175B_1024xA100(benchmark::State& state) {
  RunSearch(state, "gpt3-175b", "a100-sxm-80gb", 1024, 1536, 2048, Precision::kBf16);
}
BENCHMARK(BM_SearchGpt3_175B_1024xA100)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_SearchLlama31_405B_16384xH100(benchmark::State& state) {
  RunSearch(state, "llama-3.1-405b", "h100-sxm-80gb", 16384, 2048, 8192, Precision::kBf16);
}
BENCHMARK(BM_SearchLlama31_405B_16384xH100)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_SearchDeepSeekV3_2048xH800(benchmark::State& state) {
  RunSearch(state, "deepseek-v3", "h800-sxm-80gb", 2048, 15360, 4096, Precision::kFp8);
}
BENCHMARK(BM_SearchDeepSeekV3_2048xH800)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace suanli

BENCHMARK_MAIN();
