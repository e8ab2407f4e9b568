#include "plan/market_adapter.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace suanli {
namespace {

const Catalog& TheCatalog() {
  static const Catalog catalog = [] {
    auto loaded = Catalog::LoadEmbedded();
    EXPECT_TRUE(loaded.ok()) << loaded.error().ToString();
    return loaded.ok() ? *loaded : Catalog();
  }();
  return catalog;
}

std::string ScenarioText(const std::string& quote_lines, bool use_seed = false) {
  return "buyer: {region: CN, tier: startup, date: 2023-06-15, currency: CNY}\n"
         "workload:\n  train: {model: aquila-7b, tokens: 1T}\n"
         "market:\n  use_seed: " + std::string(use_seed ? "true" : "false") + "\n"
         "  quotes:\n    - id: q1\n      supplier: S\n      channel: national-distributor\n" +
         quote_lines;
}

Result<PlanMarket> Load(const std::string& text) {
  auto scenario = ParseScenario(text, "s.yaml");
  if (!scenario.ok()) return scenario.error();
  return LoadPlanMarket(*scenario, TheCatalog());
}

constexpr char kGoodQuote[] =
    "      sku: A800\n      unit: card\n      unit_price: 10000\n      currency: USD\n"
    "      observed: 2023-06-01\n      lead_weeks_likely: 4\n      source: test\n";

TEST(MarketAdapterTest, ConvertsInlineQuotesToTheBuyersCurrency) {
  auto market = Load(ScenarioText(kGoodQuote));
  ASSERT_TRUE(market.ok()) << market.error().ToString();
  ASSERT_EQ(market->quotes.size(), 1u);
  const PlanQuote& q = market->quotes[0];
  EXPECT_EQ(q.sku, "a800-sxm-80gb");  // vendor spelling resolved through the catalog
  auto usd = ConvertMoney(10000, "USD", "CNY", *ParseDate("2023-06-15"));
  ASSERT_TRUE(usd.ok());
  EXPECT_DOUBLE_EQ(q.unit_price, *usd);
  EXPECT_GT(q.unit_price, 60000);  // ~7 CNY per USD in 2023
  EXPECT_TRUE(q.allowed);
  EXPECT_EQ(market->quotes_inline, 1);
}

TEST(MarketAdapterTest, BadQuotesNameTheirLine) {
  struct Case {
    std::string lines;
    std::string where;
  };
  const Case cases[] = {
      {"      sku: a900\n      unit: card\n      unit_price: 1\n      currency: CNY\n"
       "      observed: 2023-06-01\n      source: t\n",
       "s.yaml:10:12 market.quotes[0].sku"},
      {"      sku: a800-sxm-80gb\n      unit: card\n      unit_price: -1\n      currency: CNY\n"
       "      observed: 2023-06-01\n      source: t\n",
       "s.yaml:12:19 market.quotes[0].unit_price"},
      {"      sku: a800-sxm-80gb\n      unit: card\n      unit_price: 1\n      currency: CNY\n"
       "      observed: 2023-06-01\n      lead_weeks_min: 5\n      lead_weeks_likely: 4\n"
       "      lead_weeks_max: 6\n      source: t\n",
       "s.yaml:15:23 market.quotes[0].lead_weeks_min"},
      {"      sku: a800-sxm-80gb\n      unit: card\n      unit_price: 1\n      currency: XYZ\n"
       "      observed: 2023-06-01\n      source: t\n",
       "s.yaml:13:17 market.quotes[0].currency"},
  };
  for (const Case& c : cases) {
    auto market = Load(ScenarioText(c.lines));
    ASSERT_FALSE(market.ok()) << c.lines;
    EXPECT_EQ(market.error().where.substr(0, c.where.size()), c.where) << market.error().ToString();
  }
}

TEST(MarketAdapterTest, SeedQuotesFollowTheBuyersDate) {
  auto market = Load(ScenarioText(kGoodQuote, /*use_seed=*/true));
  ASSERT_TRUE(market.ok()) << market.error().ToString();
  bool bj = false, stale_a800 = false, future_h20 = false, h800_blocked = false;
  for (const PlanQuote& q : market->quotes) {
    bj = bj || q.id == "a800-bj-2023-06";
    stale_a800 = stale_a800 || q.id == "a800-cn-2022-11";
    future_h20 = future_h20 || q.sku == "h20-96gb";
    if (q.id == "h800-direct-2023-06") {
      h800_blocked = !q.allowed;
      EXPECT_NE(q.blocked_reason.find("hyperscaler"), std::string::npos) << q.blocked_reason;
    }
  }
  EXPECT_TRUE(bj);
  EXPECT_FALSE(stale_a800);  // Nov 2022 spot quote: older than 92 days
  EXPECT_FALSE(future_h20);  // observed in 2024
  EXPECT_TRUE(h800_blocked);
  EXPECT_FALSE(market->notes.empty());
  // The parts left with no quote at all are named with the fix; the A800,
  // whose 2022 quote is stale but whose 2023 one is on offer, is not.
  const auto no_current = std::find_if(market->notes.begin(), market->notes.end(), [](const std::string& note) {
    return note.rfind("no current quote for ", 0) == 0;
  });
  ASSERT_NE(no_current, market->notes.end());
  EXPECT_NE(no_current->find("xeon-x5680"), std::string::npos) << *no_current;
  EXPECT_EQ(no_current->find("a800-sxm-80gb"), std::string::npos) << *no_current;
  EXPECT_NE(no_current->find("market.max_quote_age_days"), std::string::npos) << *no_current;
}

}  // namespace
}  // namespace suanli

namespace suanli {
namespace {

// An export rule in force at delivery applies even when the order date was
// before it (A800 to China: licence from 2023-10-23); a lead-time range that
// only straddles the rule date is warned about.
TEST(MarketAdapterTest, RuleAtDeliveryBlocksOrWarns) {
  const auto quote = [](const std::string& lead) {
    return "      sku: A800\n      unit: card\n      unit_price: 10000\n      currency: USD\n"
           "      observed: 2023-06-01\n" + lead + "      source: test\n";
  };
  auto late = Load(ScenarioText(quote("      lead_weeks_min: 16\n      lead_weeks_likely: 20\n"
                                      "      lead_weeks_max: 24\n")));
  ASSERT_TRUE(late.ok()) << late.error().ToString();
  EXPECT_FALSE(late->quotes.at(0).allowed);
  EXPECT_EQ(late->quotes.at(0).blocked_category, "rule");
  EXPECT_NE(late->quotes.at(0).blocked_reason.find("likely delivery"), std::string::npos);

  auto straddle = Load(ScenarioText(quote("      lead_weeks_min: 1\n      lead_weeks_likely: 4\n"
                                          "      lead_weeks_max: 20\n")));
  ASSERT_TRUE(straddle.ok()) << straddle.error().ToString();
  EXPECT_TRUE(straddle->quotes.at(0).allowed);
  EXPECT_NE(straddle->quotes.at(0).warning.find("straddles"), std::string::npos);
}

// The share of deliveries a rule would stop is the triangular lead time's
// probability past the rule: ordered 2023-10-09, the A800 rule binds from
// 2023-10-23 (day 14), so a lead over 13/7 weeks is stopped. Hand values:
// tri(1, 1.5, 2): (2 - 13/7)^2 / ((2 - 1)(2 - 1.5)) = 4.08%;
// tri(1, 1.5, 3): (3 - 13/7)^2 / ((3 - 1)(3 - 1.5)) = 43.5%.
TEST(MarketAdapterTest, RuleAtDeliveryShareIsTheTriangularTail) {
  const auto quote = [](const std::string& lead) {
    return "      sku: A800\n      unit: card\n      unit_price: 10000\n      currency: USD\n"
           "      observed: 2023-10-05\n" + lead + "      source: test\n";
  };
  const auto scenario = [&](const std::string& lead) {
    std::string text = ScenarioText(quote(lead));
    text.replace(text.find("2023-06-15"), 10, "2023-10-09");
    return text;
  };
  auto small = Load(scenario("      lead_weeks_min: 1\n      lead_weeks_likely: 1.5\n      lead_weeks_max: 2\n"));
  ASSERT_TRUE(small.ok()) << small.error().ToString();
  const double tail_small = (2 - 13.0 / 7) * (2 - 13.0 / 7) / (1 * 0.5);
  EXPECT_NEAR(small->quotes.at(0).rule_blocked_share, tail_small, 1e-9);
  EXPECT_NE(small->quotes.at(0).warning.find("4% of deliveries"), std::string::npos) << small->quotes.at(0).warning;
  EXPECT_NE(small->quotes.at(0).warning.find("2023-10-23"), std::string::npos);

  auto large = Load(scenario("      lead_weeks_min: 1\n      lead_weeks_likely: 1.5\n      lead_weeks_max: 3\n"));
  ASSERT_TRUE(large.ok()) << large.error().ToString();
  EXPECT_NEAR(large->quotes.at(0).rule_blocked_share, (3 - 13.0 / 7) * (3 - 13.0 / 7) / (2 * 1.5), 1e-9);

  // All deliveries before the rule: no share, no warning.
  auto early = Load(scenario("      lead_weeks_min: 0\n      lead_weeks_likely: 0.5\n      lead_weeks_max: 1\n"));
  ASSERT_TRUE(early.ok()) << early.error().ToString();
  EXPECT_EQ(early->quotes.at(0).rule_blocked_share, 0);
  EXPECT_EQ(early->quotes.at(0).warning, "");
}

}  // namespace
}  // namespace suanli
