// The cost of a mix (plan/option_cost.h): hosting is paid per card slot of
// the servers owned, whatever part of them the cluster uses.
#include "plan/option_cost.h"
#include "catalog/catalog.h"
#include "market/market.h"
#include "plan/mixes.h"
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
  return PriceMix(mix, PlanAccelerator{"h800-sxm-80gb", "NVIDIA", 700}, Costs(), false, finish_days, "CNY", notes,
                  {q})
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

// One purchase split across two quotes of loose cards shares host servers:
// 202 + 22 cards are ceil(224 / 8) = 28 nodes, not 26 + 3 = 29 (cfo item 8).
// Hand values: 28 x 200,000 CNY of servers; 28 nodes hosted (224 slots).
TEST(OptionCostTest, SplitPurchaseSharesNodesAcrossQuotes) {
  PlanQuote early, late;
  early.id = "early";
  late.id = "late";
  for (PlanQuote* q : {&early, &late}) {
    q->unit = QuoteUnit::kCard;
    q->unit_price = 180'000;
    q->lead_weeks_likely = 10;
  }
  PlanCosts k = Costs();
  k.server_per_node = 200'000;
  k.network_per_card = 0;
  std::vector<std::string> notes;
  const PlanAccelerator accel{"ascend-910c", "Huawei", 800};
  const double finish = 70 + 100;
  const CostBreakdown split =
      PriceMix(Candidate{{{&early, 202}, {&late, 22}}, BuyMode::kBuy}, accel, k, false, finish, "CNY", notes, {early, late});
  const CostBreakdown one = PriceMix(Candidate{{{&early, 224}}, BuyMode::kBuy}, accel, k, false, finish, "CNY", notes, {early});
  EXPECT_NEAR(split.servers, 28 * 200'000.0, 1e-6);
  EXPECT_NEAR(split.servers, one.servers, 1e-6);
  EXPECT_NEAR(split.hosting, one.hosting, 1e-6);
  EXPECT_NEAR(split.residual, one.residual, 1e-6);
  EXPECT_NEAR(split.cash, one.cash, 1e-3);
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
      PriceMix(Candidate{{{&q, 10}}, BuyMode::kBuy}, accel, k, false, ready_days + period_days, "CNY", notes, {q});
  const double plan_per_mtok = plan.total / (tokens_per_s * period_days * kSecondsPerDay / 1e6);

  DevicePricing p;
  p.buy_per_card = q.unit_price;
  p.buy_terms = OwnedTerms(q, accel);
  p.costs = k;
  p.own_years = 1;
  const ServingCost serve = FleetCost(p, 10, tokens_per_s);
  ASSERT_TRUE(serve.bought_per_mtok.has_value());
  EXPECT_NEAR(plan_per_mtok, 24.3194, 1e-4);
  EXPECT_NEAR(*serve.bought_per_mtok, plan_per_mtok, 1e-9 * plan_per_mtok);
  EXPECT_NEAR(*serve.bought_total, plan.total, 1e-9 * plan.total);
}

// Costs of the defects below: power 1 CNY/kWh at PUE 1, no hosting, no host
// servers, network 20,000 per port, a 1,000 W card.
PlanCosts MoneyCosts() {
  PlanCosts k;
  k.node_size = 8;
  k.network_per_card = 20000;
  k.pue = 1;
  k.power_price_per_kwh = 1;
  k.idle_power_fraction = 0.15;
  k.setup_days = 0;
  k.annual_value_decline = 0.3;
  k.resale_discount = 0.15;
  k.new_annual_failure_rate = 0.11;
  k.used_annual_failure_rate = 0.25;
  return k;
}

CostBreakdown Price(const PlanQuote& q, int cards, double finish_days, const PlanCosts& k,
                    const std::vector<PlanQuote>& market, std::vector<std::string>* notes_out = nullptr) {
  std::vector<std::string> notes;
  const CostBreakdown cost = PriceMix(Candidate{{{&q, cards}}, BuyMode::kBuy},
                                      PlanAccelerator{"ascend-910c", "Huawei", 1000}, k, false, finish_days, "CNY",
                                      notes, market);
  if (notes_out != nullptr) *notes_out = notes;
  return cost;
}

PlanQuote Supernode() {
  PlanQuote q;
  q.id = "supernode";
  q.sku = "ascend-910c";
  q.unit = QuoteUnit::kServer;
  q.cards_per_unit = 384;
  q.unit_price = 384 * 150000.0;
  q.lead_weeks_likely = 0;
  q.warranty_months = 60;
  return q;
}

// Defect 1: a 384-card supernode bought for a 192-card job pays network for
// all 384 ports and idle power for the 192 idle cards. Hand values over 10
// days: network 384 x 20,000 = 7,680,000; power 192 x 1 kW x 240 h x 1 CNY
// = 46,080 plus 0.15 x 46,080 = 6,912 for the idle half.
TEST(OptionCostTest, WholeServerBillsNetworkAndIdlePowerOnEveryPaidCard) {
  const PlanQuote q = Supernode();
  const PlanCosts k = MoneyCosts();
  std::vector<std::string> notes;
  const CostBreakdown half = Price(q, 192, 10, k, {q}, &notes);
  EXPECT_NEAR(half.purchase, 384 * 150000.0, 1e-6);
  EXPECT_NEAR(half.servers, 7'680'000, 1e-6);
  EXPECT_NEAR(half.power, 46'080 + 6'912, 1e-6);
  bool paid_note = false;
  for (const std::string& note : notes) paid_note = paid_note || note.find("384 cards paid") != std::string::npos;
  EXPECT_TRUE(paid_note) << "the option says how many cards are paid and used";
  // All 384 cards, half the time: the same network, power 384 x 120 h = 46,080.
  const CostBreakdown full = Price(q, 384, 5, k, {q});
  EXPECT_NEAR(full.servers, 7'680'000, 1e-6);
  EXPECT_NEAR(full.power, 46'080, 1e-6);
  // Using every paid card in half the time is never dearer.
  EXPECT_LT(full.total, half.total);
  EXPECT_LT(full.cash, half.cash);
}

// A quote whose price includes its network (CloudMatrix's optics) is not
// charged network_per_card again.
TEST(OptionCostTest, QuoteIncludingItsNetworkPaysNoNetwork) {
  PlanQuote q = Supernode();
  q.includes_network = true;
  EXPECT_NEAR(Price(q, 384, 5, MoneyCosts(), {q}).servers, 0, 1e-9);
}

// Defect 2: a card resells at the market's price, not at a delivery premium
// paid. 10 cards at 125,000 held one year, the same card quoted at 95,000:
// resale = 0.85 x 0.7 x 95,000 x 10 = 565,250 (was 743,750 on 125,000).
TEST(OptionCostTest, ResaleFollowsTheMarketPriceNotThePremiumPaid) {
  PlanQuote fast;
  fast.id = "fast";
  fast.sku = "ascend-910c";
  fast.unit_price = 125000;
  fast.warranty_months = 36;
  PlanQuote slow = fast;
  slow.id = "slow";
  slow.unit_price = 95000;
  slow.lead_weeks_likely = 10;
  const PlanCosts k = MoneyCosts();
  const double year = 12 * kDaysPerMonth;
  EXPECT_NEAR(Price(fast, 10, year, k, {fast, slow}).residual, 565'250, 1e-6);
  // The cheaper quote resells at its own price; a blocked or used quote, or a
  // server, is not the same market.
  EXPECT_NEAR(Price(slow, 10, 70 + year, k, {fast, slow}).residual, 565'250, 1e-6);
  PlanQuote blocked = slow;
  blocked.allowed = false;
  PlanQuote used = slow;
  used.condition = Condition::kUsedPulled;
  EXPECT_NEAR(Price(fast, 10, year, k, {fast, blocked, used}).residual, 743'750, 1e-6);
  EXPECT_NEAR(MarketCardPrice(fast, {fast, slow}), 95000, 1e-9);
  EXPECT_NEAR(MarketCardPrice(slow, {fast, slow}), 95000, 1e-9);
}

// Defect 3: new cards past their warranty are replaced at the new-card rate.
// 10 new cards at 100,000 stated without warranty held 12 months:
// 10 x 0.11 x 12/12 x 100,000 = 110,000; with 12 months' warranty, none;
// used cards at the used rate: 10 x 0.25 x 100,000 = 250,000.
TEST(OptionCostTest, NewCardsWithoutWarrantyCarryReplacements) {
  PlanQuote q;
  q.id = "grey";
  q.sku = "ascend-910c";
  q.unit_price = 100000;
  q.warranty_stated = true;  // warranty_months: 0 in the quote
  const PlanCosts k = MoneyCosts();
  const double year = 12 * kDaysPerMonth;
  EXPECT_NEAR(Price(q, 10, year, k, {q}).replacement_risk, 110'000, 1e-6);
  q.warranty_months = 12;
  EXPECT_NEAR(Price(q, 10, year, k, {q}).replacement_risk, 0, 1e-9);
  q.warranty_months = 0;
  q.condition = Condition::kUsedPulled;
  EXPECT_NEAR(Price(q, 10, year, k, {q}).replacement_risk, 250'000, 1e-6);
}

// A new card's warranty: stated, none on the grey market, else the maker's
// warranty assumed (new_card_warranty_months_assumed, 36 here). 10 new cards
// at 100,000, new rate 0.11/year, held 48 months:
//   stated 24 months:           10 x 0.11 x (48-24)/12 x 100,000 = 220,000
//   grey market, not stated:    10 x 0.11 x 48/12 x 100,000      = 440,000
//   distributor, not stated:    10 x 0.11 x (48-36)/12 x 100,000 = 110,000
//   distributor, stated 0:      440,000 (none, as the quote says)
//   used, not stated:           10 x 0.25 x 48/12 x 100,000      = 1,000,000
// Held 12 months, the assumed warranty covers it all: none.
TEST(OptionCostTest, NewCardWarrantyStatedGreyOrAssumed) {
  PlanQuote q;
  q.id = "new";
  q.sku = "ascend-910c";
  q.unit_price = 100000;
  q.channel = ChannelTier::kNationalDistributor;
  PlanCosts k = MoneyCosts();
  k.new_card_warranty_months_assumed = 36;
  const double four_years = 48 * kDaysPerMonth;
  const auto says_assumed = [](const std::vector<std::string>& notes) {
    for (const std::string& note : notes)
      if (note.find("36-month warranty assumed") != std::string::npos) return true;
    return false;
  };
  std::vector<std::string> notes;

  q.warranty_months = 24;
  q.warranty_stated = true;
  EXPECT_NEAR(Price(q, 10, four_years, k, {q}, &notes).replacement_risk, 220'000, 1e-6);
  EXPECT_FALSE(says_assumed(notes));

  q.warranty_months = 0;
  q.warranty_stated = false;
  q.channel = ChannelTier::kGreyMarket;
  EXPECT_NEAR(Price(q, 10, four_years, k, {q}, &notes).replacement_risk, 440'000, 1e-6);
  EXPECT_FALSE(says_assumed(notes));
  bool grey_said = false;
  for (const std::string& note : notes) grey_said = grey_said || note.find("grey market") != std::string::npos;
  EXPECT_TRUE(grey_said);

  q.channel = ChannelTier::kNationalDistributor;
  EXPECT_NEAR(Price(q, 10, four_years, k, {q}, &notes).replacement_risk, 110'000, 1e-6);
  EXPECT_TRUE(says_assumed(notes));
  EXPECT_NEAR(Price(q, 10, 12 * kDaysPerMonth, k, {q}, &notes).replacement_risk, 0, 1e-9);
  EXPECT_TRUE(says_assumed(notes));

  q.warranty_stated = true;
  EXPECT_NEAR(Price(q, 10, four_years, k, {q}, &notes).replacement_risk, 440'000, 1e-6);
  EXPECT_FALSE(says_assumed(notes));

  q.warranty_stated = false;
  q.condition = Condition::kUsedPulled;
  EXPECT_NEAR(Price(q, 10, four_years, k, {q}, &notes).replacement_risk, 1'000'000, 1e-6);
  EXPECT_FALSE(says_assumed(notes));
}

// Defect 4: an export rule stopping a delivery takes what was paid before
// it. 10 cards at 100,000 (1,000,000), 20% of deliveries stopped: cash up
// front loses 200,000, a 30% deposit 60,000, net 60 nothing.
TEST(OptionCostTest, RuleStopLossFollowsThePaymentTerms) {
  PlanQuote q;
  q.id = "q";
  q.sku = "ascend-910c";
  q.unit_price = 100000;
  q.warranty_months = 36;
  q.rule_blocked_share = 0.2;
  const PlanCosts k = MoneyCosts();
  q.paid_before_delivery = PaidBeforeDeliveryShare(PaymentTerms{true, 0, 0});
  EXPECT_NEAR(Price(q, 10, 30, k, {q}).rule_stop_loss, 200'000, 1e-6);
  q.paid_before_delivery = PaidBeforeDeliveryShare(PaymentTerms{false, 0.3, 30});
  EXPECT_NEAR(Price(q, 10, 30, k, {q}).rule_stop_loss, 60'000, 1e-6);
  q.paid_before_delivery = PaidBeforeDeliveryShare(PaymentTerms{false, 0, 60});
  std::vector<std::string> notes;
  EXPECT_NEAR(Price(q, 10, 30, k, {q}, &notes).rule_stop_loss, 0, 1e-9);
  bool said = false;
  for (const std::string& note : notes) said = said || note.find("paid before delivery") != std::string::npos;
  EXPECT_TRUE(said);
  // Unstated terms: paid in full before the goods cross the border.
  EXPECT_DOUBLE_EQ(PaidBeforeDeliveryShare(PaymentTerms{}), 1.0);
}

// The host server and network of loose cards follow the card's usual server
// (data/systems.yaml): an 8 x RTX 4090 PCIe box with 2 x 100 Gb/s, a DGX H100
// with one 400 Gb/s NIC per GPU.
TEST(OptionCostTest, HostTermsFollowTheUsualServer) {
  const Catalog catalog = *Catalog::LoadEmbedded();
  const Accelerator& rtx = **catalog.FindAccelerator("rtx-4090");
  const PlanAccelerator pcie = PlanAcceleratorOf(rtx, catalog.DefaultSystemFor(rtx.id));
  EXPECT_TRUE(pcie.pcie_host);
  EXPECT_DOUBLE_EQ(pcie.network_ports_per_card, 0.25);
  EXPECT_NEAR(pcie.port_gbps, 100, 1e-9);
  const Accelerator& h100 = **catalog.FindAccelerator("h100-sxm-80gb");
  const PlanAccelerator sxm = PlanAcceleratorOf(h100, catalog.DefaultSystemFor(h100.id));
  EXPECT_FALSE(sxm.pcie_host);
  EXPECT_DOUBLE_EQ(sxm.network_ports_per_card, 1);
  EXPECT_NEAR(sxm.port_gbps, 400, 1e-9);
  EXPECT_EQ(sxm.tdp_w, h100.tdp_w);
  const PlanAccelerator none = PlanAcceleratorOf(h100, nullptr);  // no server known: baseboard, one 400G port
  EXPECT_FALSE(none.pcie_host);
  EXPECT_DOUBLE_EQ(none.network_ports_per_card, 1);
}

}  // namespace
}  // namespace suanli
