// The cost of a mix (plan/option_cost.h): hosting is paid per card slot of
// the servers owned, whatever part of them the cluster uses.
#include "plan/option_cost.h"

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

}  // namespace
}  // namespace suanli
