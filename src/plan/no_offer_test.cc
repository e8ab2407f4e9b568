// An accelerator named in constraints.accelerators with no quote on offer is
// listed under excluded with its reasons, never silently dropped.
#include "plan/no_offer.h"

#include <gtest/gtest.h>

#include "catalog/catalog_test_support.h"
#include "plan/market_adapter.h"

namespace suanli {
namespace {

// The tester's case: a US buyer on 2025-06-01 asks for H100, H200 and A100.
// Every seed H200 quote is observed later; every A100 quote is sold only to
// buyers in CN.
TEST(NoOfferTest, SeedMarketSaysWhyH200AndA100AreNotOnOfferToAUsBuyer) {
  auto scenario = ParseScenario(
      "buyer: {region: US, tier: enterprise, date: 2025-06-01, currency: USD}\n"
      "workload:\n  train: {model: llama-3-8b, tokens: 1T}\n"
      "constraints:\n  accelerators: [h100-sxm-80gb, h200-sxm-141gb, a100-sxm-80gb]\n",
      "s.yaml");
  ASSERT_TRUE(scenario.ok()) << scenario.error().ToString();
  auto market = LoadPlanMarket(*scenario, EmbeddedCatalog());
  ASSERT_TRUE(market.ok()) << market.error().ToString();
  const auto h200 = market->no_offer.find("h200-sxm-141gb");
  ASSERT_NE(h200, market->no_offer.end());
  EXPECT_NE(h200->second.find("observed after 2025-06-01 (the first on"), std::string::npos) << h200->second;
  const auto a100 = market->no_offer.find("a100-sxm-80gb");
  ASSERT_NE(a100, market->no_offer.end());
  EXPECT_NE(a100->second.find("sold only to buyers in CN"), std::string::npos) << a100->second;
  EXPECT_EQ(market->no_offer.count("h100-sxm-80gb"), 0u);
}

TEST(NoOfferTest, EveryAskedForAcceleratorWithoutAnOptionIsExcludedWithItsReason) {
  PlanInput in;
  in.date = ParseDate("2025-06-01").value();
  in.constraints.accelerators = {"h100-sxm-80gb", "h200-sxm-141gb", "a100-sxm-80gb", "gaudi3"};
  in.no_offer = {{"h200-sxm-141gb", "3 quotes observed after 2025-06-01 (the first on 2025-12-24)"},
                 {"a100-sxm-80gb", "2 quotes not sold to this buyer (sold only to buyers in CN)"}};
  std::vector<PlanOptionResult> options(1);
  options[0].accelerator = "h100-sxm-80gb";
  WorkloadPlan plan;
  plan.excluded.push_back(Excluded{"gaudi3", "does not fit"});  // already explained: not repeated
  ExcludeUnoffered(in, options, plan);
  ASSERT_EQ(plan.excluded.size(), 3u);
  EXPECT_EQ(plan.excluded[1].accelerator, "h200-sxm-141gb");
  EXPECT_EQ(plan.excluded[1].reason,
            "no quote on offer on 2025-06-01: 3 quotes observed after 2025-06-01 (the first on 2025-12-24)");
  EXPECT_EQ(plan.excluded[2].accelerator, "a100-sxm-80gb");
  EXPECT_NE(plan.excluded[2].reason.find("sold only to buyers in CN"), std::string::npos);
  // One the market never quotes at all.
  in.constraints.accelerators = {"mi300x"};
  ExcludeUnoffered(in, {}, plan);
  EXPECT_EQ(plan.excluded.back().accelerator, "mi300x");
  EXPECT_NE(plan.excluded.back().reason.find("no quote in the market names it"), std::string::npos);
}

}  // namespace
}  // namespace suanli
