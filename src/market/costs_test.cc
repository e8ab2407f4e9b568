#include "market/costs.h"

#include <gtest/gtest.h>

#include "market/market.h"

namespace suanli {
namespace {

TEST(Costs, ReplacementCostByHand) {
  // 100 used cards at 100,000 CNY, 25%/year, 18 months, no warranty:
  // 100 x 0.25 x 1.5 = 37.5 cards x 100,000 = 3.75 M CNY.
  EXPECT_DOUBLE_EQ(ExpectedReplacementCost(100, 100000, 0.25, 18, 0), 3750000);
  // A 12-month warranty leaves 6 exposed months: 100 x 0.25 x 0.5 x 100,000.
  EXPECT_DOUBLE_EQ(ExpectedReplacementCost(100, 100000, 0.25, 18, 12), 1250000);
  // Warranty longer than the job: nothing.
  EXPECT_DOUBLE_EQ(ExpectedReplacementCost(100, 100000, 0.25, 6, 36), 0);
}

TEST(Costs, PowerCostByHand) {
  // 8 cards x 400 W x 1000 h = 3200 kWh x PUE 1.5 = 4800 kWh x 0.7 = 3360.
  EXPECT_DOUBLE_EQ(PowerCost(400, 8, 1000, 1.5, 0.7), 3360);
}

TEST(Costs, ParseRequiresSourceAndRange) {
  auto bad = ParseCosts("costs:\n  currency: CNY\n  pue:\n    value: 0.5\n    source: x\n", "c.yaml");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().where.find("c.yaml:"), std::string::npos);
}

TEST(Costs, SeedIsTheOnlySourceOfDefaults) {
  auto market = LoadSeedMarket();
  ASSERT_TRUE(market.ok()) << market.error().ToString();
  const CostSettings& c = market->costs;
  // Every key has a value and a source in data/market/costs.yaml.
  for (const CostField& field : CostFields()) EXPECT_EQ(c.sources.count(std::string(field.key)), 1u) << field.key;
  // The used-card rate is the new-card rate (Llama 3) x ~2.3, as its source says.
  EXPECT_DOUBLE_EQ(c.used_annual_failure_rate, 0.25);
  EXPECT_NEAR(c.used_annual_failure_rate / c.new_annual_failure_rate, 2.3, 0.05);
}

TEST(Costs, OverrideByKeyAndConvertOnce) {
  auto market = LoadSeedMarket();
  ASSERT_TRUE(market.ok());
  YAML::Node node = YAML::Load("{pue: 1.2, node_size: 4, setup_days: 400}");
  const YamlMap map(node, "s.yaml", "costs");
  CostSettings c = market->costs;
  ASSERT_TRUE(ReadCostOverride(map, "pue", c).ok());
  ASSERT_TRUE(ReadCostOverride(map, "node_size", c).ok());
  EXPECT_DOUBLE_EQ(c.pue, 1.2);
  EXPECT_EQ(c.node_size, 4);
  EXPECT_FALSE(ReadCostOverride(map, "setup_days", c).ok());  // over 365
  EXPECT_EQ(FindCostField("nonsense"), nullptr);
  auto usd = CostsIn(c, market->fx, "USD", *ParseDate("2023-06-15"));
  ASSERT_TRUE(usd.ok()) << usd.error().ToString();
  EXPECT_EQ(usd->currency, "USD");
  EXPECT_LT(usd->server_per_node, c.server_per_node / 6);  // money converted
  EXPECT_DOUBLE_EQ(usd->pue, 1.2);                         // ratios kept
  EXPECT_FALSE(CostsIn(c, market->fx, "EUR", *ParseDate("2023-06-15")).ok());
}

}  // namespace
}  // namespace suanli

namespace suanli {
namespace {

// A US buyer gets the US defaults (in USD, each with a source), not China's
// converted; a region without its own defaults gets the base unchanged.
TEST(Costs, RegionalDefaults) {
  auto market = LoadSeedMarket();
  ASSERT_TRUE(market.ok());
  const Date date = *ParseDate("2026-06-01");
  auto us = CostsForRegion(market->costs, market->fx, "US", date);
  ASSERT_TRUE(us.ok()) << us.error().ToString();
  EXPECT_EQ(us->region_applied, "US");
  EXPECT_EQ(us->currency, "USD");
  EXPECT_DOUBLE_EQ(us->power_price_per_kwh, 0.085);
  EXPECT_DOUBLE_EQ(us->server_per_node, 35000);
  EXPECT_NE(us->sources.at("pue"), market->costs.sources.at("pue"));
  EXPECT_DOUBLE_EQ(us->setup_days, market->costs.setup_days);  // not regional: base
  auto other = CostsForRegion(market->costs, market->fx, "EU", date);
  ASSERT_TRUE(other.ok());
  EXPECT_TRUE(other->region_applied.empty());
  EXPECT_EQ(other->currency, market->costs.currency);
}

}  // namespace
}  // namespace suanli

namespace suanli {
namespace {

TEST(Costs, ResaleFractionDeclinesWithTimeAfterTheSaleDiscount) {
  CostSettings k;
  k.annual_value_decline = 0.3;
  k.resale_discount = 0.15;
  EXPECT_DOUBLE_EQ(ResaleFraction(k, 0), 0.85);         // sold at once: only the sale's cost
  EXPECT_DOUBLE_EQ(ResaleFraction(k, 1), 0.85 * 0.7);   // one year: 59.5%
  EXPECT_DOUBLE_EQ(ResaleFraction(k, 2), 0.85 * 0.49);  // two years: 41.65%
  EXPECT_DOUBLE_EQ(ResaleFraction(k, -1), 0.85);        // no negative holding time
}

TEST(Costs, OwningUsedServersByHand) {
  // 12 used cards from 8-card servers at 1,600,000 (200,000 a card), 6-month
  // warranty, held 365.28 days (12 months) and powered 300 days.
  CostSettings k;
  k.node_size = 4;               // ignored: a server quote brings its own chassis
  k.server_per_node = 50000;
  k.network_per_card = 1000;
  k.hosting_per_card_month = 100;
  k.pue = 1.5;
  k.power_price_per_kwh = 0.5;
  k.used_annual_failure_rate = 0.1;
  k.annual_value_decline = 0.5;
  k.resale_discount = 0.2;
  OwnedPurchase p;
  p.cards = 12;
  p.unit_price = 1600000;
  p.server_unit = true;
  p.cards_per_unit = 8;
  p.used = true;
  p.warranty_months = 6;
  p.card_price = 200000;
  p.tdp_w = 400;
  p.held_days = 12 * kDaysPerMonth;
  p.run_days = 300;
  p.bundle_fraction = 0.01;
  const OwnershipCost c = CostOfOwning(p, k);
  EXPECT_DOUBLE_EQ(c.purchase, 3200000);                    // two servers
  EXPECT_DOUBLE_EQ(c.servers, 16000);                       // network ports of the 16 cards paid
  EXPECT_DOUBLE_EQ(c.bundle, 32000);
  EXPECT_NEAR(c.power, 0.4 * 12 * 300 * 24 * 1.5 * 0.5, 1e-6);  // 25,920
  EXPECT_NEAR(c.hosting, 16 * 100 * 12.0, 1e-6);             // 16 slots x 12 months
  EXPECT_NEAR(c.replacement_risk, 12 * 0.1 * 0.5 * 200000, 1e-6);  // 6 exposed months: 120,000
  EXPECT_NEAR(c.residual, 0.8 * 0.5 * 3200000, 1e-6);       // one year: 1,280,000
  EXPECT_NEAR(c.Total(), 3200000 + 32000 + 16000 + 25920 + 19200 + 120000 - 1280000, 1e-6);
}

// Loose cards pay for the server they go into and its NICs: 16 RTX 4090s
// in two PCIe servers with 2 x 100 Gb/s per 8 cards: 2 x 80,000 + 16 x
// 0.25 ports x 20,000 x (0.05 + 0.95 x 100/400) = 160,000 + 23,000; the same
// cards as SXM modules with a 400 Gb/s port each: 2 x 200,000 + 16 x 20,000.
TEST(Costs, LooseCardsPayForTheirOwnServerAndItsPorts) {
  CostSettings k;
  k.node_size = 8;
  k.server_per_node = 200000;
  k.pcie_server_per_node = 80000;
  k.network_per_card = 20000;
  k.network_port_fixed_share = 0.05;
  OwnedPurchase p;
  p.cards = 16;
  p.unit_price = 13500;
  p.card_price = 13500;
  p.pcie_host = true;
  p.network_ports_per_card = 0.25;
  p.port_gbps = 100;
  EXPECT_DOUBLE_EQ(NetworkPerCard(p, k), 1437.5);
  EXPECT_DOUBLE_EQ(CostOfOwning(p, k).servers, 183000);
  p.pcie_host = false;
  p.network_ports_per_card = 1;
  p.port_gbps = 400;
  EXPECT_DOUBLE_EQ(CostOfOwning(p, k).servers, 720000);
  p.includes_network = true;
  EXPECT_DOUBLE_EQ(CostOfOwning(p, k).servers, 400000);
}

}  // namespace
}  // namespace suanli
