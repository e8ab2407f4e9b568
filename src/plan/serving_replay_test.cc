// The planner's serving fleet, replayed as `suanli serve --gpus` runs it,
// meets the SLOs the planner sized it for (one question, one answer).
#include <gtest/gtest.h>

#include "catalog/catalog.h"
#include "model/cluster.h"
#include "plan/scenario.h"
#include "plan/serving_plan.h"
#include "serve/engine.h"
#include "serve/fleet_replay.h"
#include "serve/replica.h"

namespace suanli {
namespace {

// A tester's scenario: 72B dense chat on H20 near the TPOT limit. Before the
// search confirmed its answers with the fleet replay, plan chose 5 x tp4
// fp8/fp8 (TPOT P90 57.0 ms in one replica's share, traffic seed 42) and
// `serve --gpus 20 --tp 4 --weights fp8 --kv fp8` replayed TPOT P90 73.9 ms.
constexpr char kDenseChat[] = R"(buyer: {region: CN, tier: enterprise, date: 2025-03-01, currency: CNY}
workloads:
  - name: dense chat
    serve:
      model: qwen2.5-72b
      traffic: {rate_rps: 5, input_len: 3000, output_len: 600}
      slo: {ttft_ms: 3000, tpot_ms: 60, percentile: 90}
      period_months: 12
      utilisation: 1
objective: lowest_cost
constraints: {max_devices: 256, accelerators: [h20-96gb]}
market: {use_seed: true, max_quote_age_days: 400}
)";

TEST(ServingReplay, PlannersFleetMeetsTheSloWhenServeReplaysIt) {
  const Catalog catalog = *Catalog::LoadEmbedded();
  auto scenario = ParseScenario(kDenseChat, "s.yaml");
  ASSERT_TRUE(scenario.ok()) << scenario.error().message;
  auto workloads = PrepareServing(*scenario, catalog);
  ASSERT_TRUE(workloads.ok()) << workloads.error().message;
  ASSERT_EQ(workloads->size(), 1u);
  const ServingNeed chosen = workloads->front().capacity("h20-96gb");
  ASSERT_TRUE(chosen.feasible) << chosen.reason;
  // Since session 19 the planner keeps serve's choice, here xPyD pools
  // (fewer devices); the aggregated answer is still what serve prints and
  // replays with --gpus, and it must replay within the SLOs.
  ASSERT_GT(chosen.aggregated_devices, 0);
  struct {
    int devices, replicas;
    ServingLayout layout;
    double ttft_ms, tpot_ms;
    std::string engine;
  } need{chosen.aggregated_devices, chosen.aggregated_replicas, chosen.aggregated_layout,
         chosen.aggregated_ttft_ms, chosen.aggregated_tpot_ms, chosen.engine};

  // What `serve --model qwen2.5-72b --accel h20 --gpus N --tp T --pp P --weights W --kv K --rate 5
  // --input-len 3000 --output-len 600 --ttft-ms 3000 --tpot-ms 60 --percentile 90` simulates, with
  // serve's defaults (engine vllm on H20, seed 1, its steady-state length).
  const Accelerator* h20 = *catalog.FindAccelerator("h20-96gb");
  const ClusterSpec cluster = MakeCluster(*h20, catalog.DefaultSystemFor(h20->id));
  const std::vector<EngineSpec> engines = *LoadEmbeddedEngines();
  const EngineSpec* engine = *FindEngine(engines, need.engine);
  const ModelSpec model = *ResolveModelArg(catalog, "qwen2.5-72b");
  auto iteration = IterationModel::Make(model, cluster, need.layout, *engine);
  ASSERT_TRUE(iteration.ok());
  const ReplicaMemory memory = ServingMemory(model, *h20, need.layout);
  TrafficSpec traffic;  // serve's defaults: seed 1, 2,000 requests at least
  traffic.rate_rps = 5;
  traffic.input = {LengthKind::kFixed, 3000, 0, 0};
  traffic.output = {LengthKind::kFixed, 600, 0, 0};
  const ServingSlo slo{3.0, 0.060, 90};
  const SimulationResult replay = ReplayFleet(traffic, *iteration, need.layout, memory, *engine, slo, need.replicas);
  EXPECT_TRUE(replay.meets_slo) << "TPOT P90 " << replay.tpot.p90_s * 1e3 << " ms on " << need.devices << " devices";
  EXPECT_LE(replay.tpot.at_slo_percentile_s, 0.060);
  EXPECT_LE(replay.ttft.at_slo_percentile_s, 3.0);
  // The planner prints the replay's figures, not one replica's share.
  EXPECT_NEAR(need.tpot_ms, replay.tpot.at_slo_percentile_s * 1e3, 1e-9);
  EXPECT_NEAR(need.ttft_ms, replay.ttft.at_slo_percentile_s * 1e3, 1e-9);
}

// Long prompts (7,000 of llama-3-8b's 8,192 tokens) under a tight TPOT:
// serve chooses disaggregated pools (xPyD) for fewer devices (5 vs 6); plan sized the aggregated fleet alone (a tester saw
// serve answer 66 H20 in xPyD and plan 80 aggregated for one workload).
constexpr char kLongPrompts[] = R"(buyer: {region: CN, tier: enterprise, date: 2025-03-01, currency: CNY}
workloads:
  - name: long prompts
    serve:
      model: llama-3-8b
      traffic: {rate_rps: 20, input_len: 7000, output_len: 200}
      slo: {ttft_ms: 3000, tpot_ms: 15, percentile: 90}
      requests_per_check: 300
objective: lowest_cost
constraints: {accelerators: [h100-sxm-80gb]}
market: {use_seed: true, max_quote_age_days: 400}
)";

TEST(ServingReplay, PlannerChoosesXpydAsServeDoes) {
  const Catalog catalog = *Catalog::LoadEmbedded();
  auto scenario = ParseScenario(kLongPrompts, "s.yaml");
  ASSERT_TRUE(scenario.ok()) << scenario.error().message;
  auto workloads = PrepareServing(*scenario, catalog);
  ASSERT_TRUE(workloads.ok()) << workloads.error().message;
  const ServingNeed need = workloads->front().capacity("h100-sxm-80gb");
  ASSERT_TRUE(need.feasible) << need.reason;
  EXPECT_TRUE(need.disaggregated);
  EXPECT_GT(need.aggregated_devices, 0);
  EXPECT_LT(need.devices, need.aggregated_devices);
  EXPECT_EQ(need.devices, need.xpyd_devices);
  EXPECT_EQ(need.devices, need.prefill_replicas * need.prefill_layout.Devices() +
                              need.decode_replicas * need.decode_layout.Devices());
  EXPECT_LE(need.ttft_ms, 3000);
  EXPECT_LE(need.tpot_ms, 15);
}

}  // namespace
}  // namespace suanli
