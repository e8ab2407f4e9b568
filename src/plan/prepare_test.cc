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
