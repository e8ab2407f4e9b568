// Export rules at delivery in the planner: a quote whose deliveries a rule
// would stop more often than the deadline percentile tolerates is excluded,
// one below it is kept with a warning; and the shipped example that shows
// both (examples/china-2023-rule-at-delivery.yaml) says so, with the
// near-free speed-up.
#include <algorithm>
#include <string>

#include <gtest/gtest.h>

#include "plan/prepare.h"
#include "plan/recommendation.h"

namespace suanli {
namespace {

Result<PlanResult> PlanOf(const Scenario& scenario, const Catalog& catalog) {
  auto prepared = PreparePlan(scenario, catalog, 2);
  if (!prepared.ok()) return prepared.error();
  return MakePlan(prepared->input);
}

bool AnyContains(const std::vector<std::string>& lines, const std::string& text) {
  return std::any_of(lines.begin(), lines.end(),
                     [&](const std::string& line) { return line.find(text) != std::string::npos; });
}

bool ExcludedContains(const WorkloadPlan& w, const std::string& text) {
  return std::any_of(w.excluded.begin(), w.excluded.end(),
                     [&](const Excluded& e) { return e.reason.find(text) != std::string::npos; });
}

// An A800 ordered 2023-10-09 with lead tri(1, 1.5, 3) weeks: 33% of its
// deliveries (leads of 14 days or more) fall on or after 2023-10-23. A P90 plan cannot carry it; a P50
// plan can, with the warning.
TEST(RuleAtDeliveryTest, ShareAboveThePercentileToleranceExcludes) {
  auto catalog = Catalog::LoadEmbedded();
  ASSERT_TRUE(catalog.ok());
  const auto text = [](const std::string& percentile) {
    return "buyer: {region: CN, tier: enterprise, date: 2023-10-09, currency: CNY}\n"
           "workload:\n  train: {model: llama-2-7b, tokens: 20B}\n"
           "objective: cheapest_by_deadline\n"
           "constraints: {max_devices: 16, deadline: 2024-06-30, deadline_percentile: " + percentile + "}\n"
           "options: {monte_carlo_samples: 50, cluster_sizes: [8]}\n"
           "market:\n  use_seed: false\n  quotes:\n"
           "    - {id: a800, supplier: S, channel: reseller, sku: a800-sxm-80gb, unit: card,\n"
           "       unit_price: 95000, currency: CNY, observed: 2023-10-05, lead_weeks_min: 1,\n"
           "       lead_weeks_likely: 1.5, lead_weeks_max: 3, condition: new, source: test}\n";
  };
  auto p90 = ParseScenario(text("p90"), "s.yaml");
  ASSERT_TRUE(p90.ok()) << p90.error().ToString();
  auto plan90 = PlanOf(*p90, *catalog);
  ASSERT_TRUE(plan90.ok()) << plan90.error().ToString();
  const WorkloadPlan& w90 = plan90->workloads.at(0);
  EXPECT_TRUE(w90.options.empty());
  EXPECT_TRUE(ExcludedContains(w90, "33.3% of its deliveries would be stopped by an export rule, more than a P90 "
                                    "plan tolerates (10%)"));

  auto p50 = ParseScenario(text("p50"), "s.yaml");
  ASSERT_TRUE(p50.ok()) << p50.error().ToString();
  auto plan50 = PlanOf(*p50, *catalog);
  ASSERT_TRUE(plan50.ok()) << plan50.error().ToString();
  const WorkloadPlan& w50 = plan50->workloads.at(0);
  ASSERT_FALSE(w50.options.empty());
  EXPECT_TRUE(AnyContains(w50.options[0].notes, "33% of deliveries (triangular lead time) would fall on or after "
                                                "2023-10-23"));
}

// The shipped example shows what it promises: the straddle warning on the
// RTX 4090 (whose rule binds from 2023-11-17), none on the built-to-order
// H800 (its worst lead, 2.0 weeks, arrives on the rule's date itself, with
// probability zero), and the A800 quotes excluded at delivery. The servers
// on the floor are no longer a near-free speed-up: their premium over the
// built-to-order servers was credited back at resale (session 20); the
// cards now resell at the market's price, and the note says so.
TEST(RuleAtDeliveryTest, ShippedExampleShowsWarningsAndTheNearFreeSpeedUp) {
  auto catalog = Catalog::LoadEmbedded();
  ASSERT_TRUE(catalog.ok());
  auto scenario = LoadScenario(std::string(SUANLI_EXAMPLES_DIR) + "/china-2023-rule-at-delivery.yaml");
  ASSERT_TRUE(scenario.ok()) << scenario.error().ToString();
  auto plan = PlanOf(*scenario, *catalog);
  ASSERT_TRUE(plan.ok()) << plan.error().ToString();
  const WorkloadPlan& w = plan->workloads.at(0);
  ASSERT_FALSE(w.options.empty());
  const std::vector<std::string>& reasons = w.recommendation.reasons;
  EXPECT_FALSE(AnyContains(reasons, "hgx-h800-build-2023-10: lead-time range straddles an export rule"));
  EXPECT_FALSE(AnyContains(reasons, "near-free speed-up: #"));
  std::vector<std::string> notes;
  for (const PlanOptionResult& o : w.options) notes.insert(notes.end(), o.notes.begin(), o.notes.end());
  EXPECT_TRUE(AnyContains(notes, "hgx-h800-floor-2023-10: resold at the market's price for the card (275,000 CNY"));
  EXPECT_TRUE(AnyContains(notes, "rtx4090-integrator-2023-10: lead-time range straddles an export rule: 3% of "
                                 "deliveries"));
  EXPECT_TRUE(AnyContains(notes, "2023-11-17"));
  EXPECT_TRUE(ExcludedContains(w, "quote a800-sz-stock-2023-10"));
  EXPECT_TRUE(ExcludedContains(w, "quote a800-bj-dist-2023-10 (Beijing distributor, allocation (estimate)): at the "
                                  "likely delivery"));
  // The option the speed-up names is among the options shown.
  for (const std::string& r : reasons) {
    const size_t at = r.find("near-free speed-up: #");
    if (at == std::string::npos) continue;
    const int index = std::stoi(r.substr(at + 21));
    ASSERT_GE(index, 1);
    ASSERT_LE(index, static_cast<int>(w.options.size()));
    EXPECT_EQ(w.options[index - 1].mix.at(0).quote_id, "hgx-h800-floor-2023-10");
    EXPECT_NE(r.find(Describe(w.options[index - 1])), std::string::npos) << r;
  }
}

}  // namespace
}  // namespace suanli
