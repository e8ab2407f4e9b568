// The cost of a mix (plan/option_cost.h): hosting is paid per card slot of
// the servers owned, whatever part of them the cluster uses.
#include "plan/option_cost.h"
#include "serve/serving_cost.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace suanli {
namespace {

PlanCosts Costs() {
  PlanCosts k;
  k.hosting_per_card_month = 750;  // CNY, data/market/costs.yaml base
  k.node_size = 8;
  k.setup_days = 7;
  return k;
}

double Hosting(const PlanQuote& q, int cards, double finish_days) {
  std::vector<std::string> notes;
  const Candidate mix{{{&q, cards}}, BuyMode::kBuy};
  return PriceMix(mix, PlanAccelerator{"h800-sxm-80gb", "NVIDIA", 700}, Costs(), false, finish_days, "CNY", notes)
      .hosting;
}

// 21 cards from 8-card servers are three servers: 24 slots hosted, as many
// as for 24 cards. Hand value: 24 × 750 CNY × (100 - 14 days) / 30.44.
TEST(OptionCostTest, ServerQuoteHostsWholeServers) {
  PlanQuote q;
  q.id = "hgx";
  q.unit = QuoteUnit::kServer;
  q.cards_per_unit = 8;
  q.unit_price = 2'200'000;
  q.lead_weeks_likely = 2;
  const double expected = 24 * 750.0 * (100 - 14) / kDaysPerMonth;
  EXPECT_NEAR(Hosting(q, 21, 100), expected, 1e-6);
  EXPECT_NEAR(Hosting(q, 24, 100), expected, 1e-6);
  EXPECT_NEAR(Hosting(q, 25, 100), 32 * 750.0 * 86 / kDaysPerMonth, 1e-6);
}

// Loose cards go into nodes of costs.node_size: 9 cards fill two nodes.
TEST(OptionCostTest, LooseCardsHostWholeNodes) {
  PlanQuote q;
  q.id = "cards";
  q.unit = QuoteUnit::kCard;
  q.unit_price = 95'000;
  q.lead_weeks_likely = 1;
  EXPECT_NEAR(Hosting(q, 9, 67), 16 * 750.0 * 60 / kDaysPerMonth, 1e-6);
  EXPECT_NEAR(Hosting(q, 16, 67), 16 * 750.0 * 60 / kDaysPerMonth, 1e-6);
  EXPECT_NEAR(Hosting(q, 8, 67), 8 * 750.0 * 60 / kDaysPerMonth, 1e-6);
}

// `serve` prices a bought fleet with the planner's ownership model: the same
// 10 cards kept for the same year (12 months) in the same region cost the
// same per million output tokens in both. The planner prices a serving
// option as PriceMix to the end of the period after the likely start
// (plan/serving_plan.cc), over rate x output x the period's seconds.
// Hand value (serve_choice_test.cc): 767,524.63 over 31,560.2 Mtok = 24.3194.
TEST(OptionCostTest, ServeAndPlanPriceABoughtFleetAlike) {
  PlanQuote q;
  q.id = "cards";
  q.unit = QuoteUnit::kCard;
  q.unit_price = 100000;
  q.lead_weeks_likely = 3;
  PlanCosts k;
  k.node_size = 8;
  k.server_per_node = 80000;
  k.network_per_card = 5000;
  k.hosting_per_card_month = 1000;
  k.pue = 2;
  k.power_price_per_kwh = 1;
  k.setup_days = 7;
  k.annual_value_decline = 0.3;
  k.resale_discount = 0.1;
  const PlanAccelerator accel{"h800-sxm-80gb", "NVIDIA", 500};
  const double period_days = 12 * kDaysPerMonth, tokens_per_s = 1000;
  std::vector<std::string> notes;
  const double ready_days = WeeksToDays(q.lead_weeks_likely) + k.setup_days;
  const CostBreakdown plan =
      PriceMix(Candidate{{{&q, 10}}, BuyMode::kBuy}, accel, k, false, ready_days + period_days, "CNY", notes);
  const double plan_per_mtok = plan.total / (tokens_per_s * period_days * kSecondsPerDay / 1e6);

  DevicePricing p;
  p.buy_per_card = q.unit_price;
  p.buy_terms = OwnedTerms(q, accel.tdp_w);
  p.costs = k;
  p.own_years = 1;
  const ServingCost serve = FleetCost(p, 10, tokens_per_s);
  ASSERT_TRUE(serve.bought_per_mtok.has_value());
  EXPECT_NEAR(plan_per_mtok, 24.3194, 1e-4);
  EXPECT_NEAR(*serve.bought_per_mtok, plan_per_mtok, 1e-9 * plan_per_mtok);
  EXPECT_NEAR(*serve.bought_total, plan.total, 1e-9 * plan.total);
}

}  // namespace
}  // namespace suanli
