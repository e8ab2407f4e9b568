#include "plan/ownership.h"

#include <string>

#include <gtest/gtest.h>

namespace suanli {
namespace {

// The hand-computed costs both tests start from: 50% value decline over one
// year, 100/month hosting, 8,000 per 8-card node, 1,000 network per card,
// PUE 1, 0.1 per kWh.
PlanCosts HandCosts() {
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
  return k;
}

// A buy quote of 10,000 a card, and a rent quote of 2.1 per card-hour.
PlanQuote BuyQuote(const std::string& id) {
  PlanQuote buy;
  buy.id = id;
  buy.sku = "some-card";
  buy.unit_price = 10000;
  return buy;
}

PlanQuote RentQuote() {
  PlanQuote rent;
  rent.id = "rent-quote";
  rent.sku = "some-card";
  rent.mode = BuyMode::kRent;
  rent.unit = QuoteUnit::kGpuHour;
  rent.unit_price = 2.1;
  return rent;
}

// A bought option of 8 cards from `buy`.
PlanOptionResult BoughtOption(const PlanQuote& buy) {
  PlanOptionResult o;
  o.accelerator = "some-card";
  o.gpus = 8;
  o.mode = BuyMode::kBuy;
  MixPart part;
  part.quote_id = buy.id;
  part.cards = 8;
  o.mix.push_back(part);
  return o;
}

// By hand: a 10,000 card + 8,000/8 node share + 1,000 network = 12,000 capex;
// half the card and node value lost over 1 year (decline 0.5; the network
// port is not resold, as in the option cost): resale 5,500; 100/month
// hosting = 1,200; fixed 12,000 - 5,500 + 1,200 = 7,700 per card-year.
// Power 1 kW x 1 h x PUE 1 x 0.1 = 0.1 per hour.
// Rent 2.1 per card-hour: break-even u = 7,700 / (8,766.7 x 2.0) = 44%.
TEST(OwnershipTest, BreakEvenByHand) {
  const PlanCosts k = HandCosts();
  const PlanQuote buy = BuyQuote("buy-quote");
  const PlanQuote rent = RentQuote();
  const PlanOptionResult o = BoughtOption(buy);
  std::vector<PlanQuote> quotes;
  quotes.push_back(buy);
  auto none = OwnVersusRent(o, quotes, k, PlanAccelerator{"x", "", 1000});
  quotes.push_back(rent);
  auto b = OwnVersusRent(o, quotes, k, PlanAccelerator{"x", "", 1000});
  ASSERT_TRUE(b.has_value());
  EXPECT_DOUBLE_EQ(b->own_capex_per_card, 12000);
  EXPECT_DOUBLE_EQ(b->own_fixed_per_card, 7700);
  EXPECT_NEAR(b->own_power_per_hour, 0.1, 1e-12);
  EXPECT_NEAR(b->break_even_utilisation, 7700 / (24 * 30.44 * 12 * 2.0), 1e-9);
  // No rent quote for the accelerator: nothing to compare.
  EXPECT_FALSE(none.has_value());
}

// The break-even carries every term the option cost does. By hand, the same
// card bought used without warranty (0.25 failures a card-year, each
// replaced at 10,000: 2,500 a card-year) with a 10% bundle (1,000 a card,
// not resold): capex 10,000 + 1,000 bundle + 1,000 node + 1,000 network =
// 13,000; resale 0.5 x (10,000 + 1,000) = 5,500; hosting 1,200; fixed
// 13,000 + 1,200 + 2,500 - 5,500 = 11,200 per card-year; break-even
// u = 11,200 / (8,766.7 x 2.0) = 64% (it was 41%, as if new and unbundled).
TEST(OwnershipTest, BreakEvenCountsUsedCardReplacementsAndBundles) {
  PlanCosts k = HandCosts();
  k.used_annual_failure_rate = 0.25;
  PlanQuote buy = BuyQuote("used-quote");
  buy.condition = Condition::kUsedPulled;
  buy.warranty_months = 0;
  buy.bundle_fraction = 0.1;
  const PlanQuote rent = RentQuote();
  const PlanOptionResult o = BoughtOption(buy);
  auto b = OwnVersusRent(o, {buy, rent}, k, PlanAccelerator{"x", "", 1000});
  ASSERT_TRUE(b.has_value());
  EXPECT_NEAR(b->own_capex_per_card, 13000, 1e-6);
  EXPECT_NEAR(b->own_replacement_per_card, 2500, 1e-6);
  EXPECT_NEAR(b->own_fixed_per_card, 11200, 1e-6);
  EXPECT_NEAR(b->break_even_utilisation, 11200 / (24 * 30.44 * 12 * 2.0), 1e-9);
  EXPECT_NE(BreakEvenText(*b, k, "USD").find("replacements past the warranty"), std::string::npos);
}

}  // namespace
}  // namespace suanli
