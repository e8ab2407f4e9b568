#include "plan/ownership.h"

#include <gtest/gtest.h>

namespace suanli {
namespace {

// By hand: a 10,000 card + 8,000/8 node share + 1,000 network = 12,000 capex;
// half its value lost over 1 year (decline 0.5), 100/month hosting = 1,200;
// fixed 7,200 per card-year. Power 1 kW x 1 h x PUE 1 x 0.1 = 0.1 per hour.
// Rent 2.1 per card-hour: break-even u = 7,200 / (8,765.8 x 2.0) = 41%.
TEST(OwnershipTest, BreakEvenByHand) {
  PlanCosts k;
  k.annual_value_decline = 0.5;
  k.ownership_years = 1;
  k.utilisation = 0.5;
  k.hosting_per_card_month = 100;
  k.server_per_node = 8000;
  k.node_size = 8;
  k.network_per_card = 1000;
  k.pue = 1;
  k.power_price_per_kwh = 0.1;
  PlanQuote buy;
  buy.id = "buy-quote";
  buy.sku = "some-card";
  buy.unit_price = 10000;
  PlanQuote rent;
  rent.id = "rent-quote";
  rent.sku = "some-card";
  rent.mode = BuyMode::kRent;
  rent.unit = QuoteUnit::kGpuHour;
  rent.unit_price = 2.1;
  PlanOptionResult o;
  o.accelerator = "some-card";
  o.gpus = 8;
  o.mode = BuyMode::kBuy;
  MixPart part;
  part.quote_id = buy.id;
  part.cards = 8;
  o.mix.push_back(part);
  std::vector<PlanQuote> quotes;
  quotes.push_back(buy);
  auto none = OwnVersusRent(o, quotes, k, 1000);
  quotes.push_back(rent);
  auto b = OwnVersusRent(o, quotes, k, 1000);
  ASSERT_TRUE(b.has_value());
  EXPECT_DOUBLE_EQ(b->own_capex_per_card, 12000);
  EXPECT_DOUBLE_EQ(b->own_fixed_per_card, 7200);
  EXPECT_NEAR(b->own_power_per_hour, 0.1, 1e-12);
  EXPECT_NEAR(b->break_even_utilisation, 7200 / (24 * 30.44 * 12 * 2.0), 1e-9);
  // No rent quote for the accelerator: nothing to compare.
  EXPECT_FALSE(none.has_value());
}

}  // namespace
}  // namespace suanli
