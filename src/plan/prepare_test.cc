#include "plan/prepare.h"

#include <algorithm>

#include <gtest/gtest.h>

#include "search/min_fit.h"

namespace suanli {
namespace {

// fit, compare and plan give one minimum: llama-2-70b on ascend-910b needs 20
// cards (`suanli fit` says so), and the plan tries exactly that size first.
TEST(PrepareTest, PlanMinimumIsFitsAnswer) {
  auto catalog = Catalog::LoadEmbedded();
  ASSERT_TRUE(catalog.ok());
  auto scenario = ParseScenario(
      "buyer: {region: CN, tier: startup, date: 2024-03-01, currency: CNY}\n"
      "workload:\n  train: {model: llama-2-70b, tokens: 20B}\n"
      "constraints: {max_devices: 48}\n"
      "options: {monte_carlo_samples: 50, horizon_days: 3650}\n"
      "market:\n  use_seed: false\n  quotes:\n"
      "    - {id: q910, supplier: S, channel: national-distributor, sku: ascend-910b, unit: card,\n"
      "       unit_price: 120000, currency: CNY, observed: 2024-02-01, lead_weeks_min: 1,\n"
      "       lead_weeks_likely: 2, lead_weeks_max: 3, condition: new, source: test}\n",
      "s.yaml");
  ASSERT_TRUE(scenario.ok()) << scenario.error().ToString();
  auto prepared = PreparePlan(*scenario, *catalog, 2);
  ASSERT_TRUE(prepared.ok()) << prepared.error().ToString();
  auto plan = MakePlan(prepared->input);
  ASSERT_TRUE(plan.ok()) << plan.error().ToString();
  const WorkloadPlan& w = plan->workloads.at(0);
  ASSERT_EQ(w.min_cards.size(), 1u);
  EXPECT_EQ(w.min_cards[0].accelerator, "ascend-910b");
  EXPECT_EQ(w.min_cards[0].cards, 20);

  const ModelSpec& model = **catalog->FindModel("llama-2-70b");
  SearchOptions fit_options;  // as `suanli fit` builds them without flags
  fit_options.seq_len = 4096;
  const MinFit fit =
      MinTrainingDevicesOf(*catalog, model, **catalog->FindAccelerator("ascend-910b"), fit_options, 48);
  EXPECT_EQ(fit.devices, 20);
  int smallest = 0;
  for (const PlanOptionResult& o : w.options) smallest = smallest == 0 ? o.gpus : std::min(smallest, o.gpus);
  EXPECT_EQ(smallest, 20);
}

}  // namespace
}  // namespace suanli

namespace suanli {
namespace {

Result<PlanResult> PlanScenario(const Scenario& scenario, const Catalog& catalog) {
  auto prepared = PreparePlan(scenario, catalog, 2);
  if (!prepared.ok()) return prepared.error();
  return MakePlan(prepared->input);
}

// The size search misses no cheaper plan: over every shipped example, the
// recommendation's accelerator on a grid of 1/16 of the recommended size
// (from half of it up to it) has no option that finishes as early (or by the
// deadline) and costs 2% less. As early is in days, not calendar dates: an
// option 0.9 days later can land on the same date.
TEST(PrepareTest, NoCheaperSizeOnTheFineGrid) {
  auto catalog = Catalog::LoadEmbedded();
  ASSERT_TRUE(catalog.ok());
  for (const char* name : {"china-2023-startup.yaml", "china-2023-rule-at-delivery.yaml", "google-2010.yaml",
                           "us-2026-rent-or-own.yaml"}) {
    auto scenario = LoadScenario(std::string(SUANLI_EXAMPLES_DIR) + "/" + name);
    ASSERT_TRUE(scenario.ok()) << scenario.error().ToString();
    Catalog with_extra = *catalog;
    for (const std::string& file : scenario->catalog_files) {
      ASSERT_TRUE(with_extra.MergeFile(file).ok()) << file;
    }
    auto plan = PlanScenario(*scenario, with_extra);
    ASSERT_TRUE(plan.ok()) << plan.error().ToString();
    for (const WorkloadPlan& w : plan->workloads) {
      if (w.options.empty()) continue;
      const PlanOptionResult& best = w.options[w.recommendation.option];
      Scenario grid = *scenario;
      grid.constraints.accelerators = {best.accelerator};
      grid.options.cluster_sizes.clear();
      const int step = std::max(1, best.gpus / 16);
      for (int n = best.gpus; n >= std::max(1, best.gpus / 2); n -= step) grid.options.cluster_sizes.push_back(n);
      grid.workloads = {scenario->workloads[&w - plan->workloads.data()]};
      auto fine = PlanScenario(grid, with_extra);
      ASSERT_TRUE(fine.ok()) << fine.error().ToString();
      for (const PlanOptionResult& o : fine->workloads.at(0).options) {
        const bool in_time = scenario->constraints.has_deadline
                                 ? o.finish_p50_date <= scenario->constraints.deadline
                                 : o.finish_p50_days <= best.finish_p50_days;
        if (!in_time) continue;
        EXPECT_GE(o.cost.total, 0.98 * best.cost.total)
            << name << " " << w.name << ": " << o.gpus << " x " << o.accelerator << " vs recommended "
            << best.gpus;
      }
    }
  }
}

}  // namespace
}  // namespace suanli
