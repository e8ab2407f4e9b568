#include "plan/market_adapter.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "catalog/catalog_test_support.h"
#include "market/store.h"

namespace suanli {
namespace {

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
  return LoadPlanMarket(*scenario, EmbeddedCatalog());
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
  const auto no_current = std::find_if(market->drop_notes.begin(), market->drop_notes.end(), [](const std::string& note) {
    return note.rfind("no current quote for ", 0) == 0;
  });
  ASSERT_NE(no_current, market->drop_notes.end());
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
// probability past the rule. A lead of w weeks delivers on day floor(7w)
// after the order (the day that contains its end), and a delivery on the
// effective date is stopped. Ordered 2023-10-01, the A800 rule binds from
// 2023-10-23 = day 22: a 3.0-week lead (day 21, 10-22) arrives before it,
// leads of 22 days or more do not. Hand value, tri(1, 3, 6):
// (6 - 22/7)^2 / ((6 - 1)(6 - 3)) = 54.4% (the old day-rounding said 60%).
// Ordered 2023-10-09 (rule on day 14): tri(1, 1.5, 3) stops
// (3 - 2)^2 / ((3 - 1)(3 - 1.5)) = 33.3%; tri(1, 1.5, 2) touches day 14 only
// at its maximum: no share, no warning.
TEST(MarketAdapterTest, RuleAtDeliveryShareIsTheTriangularTail) {
  const auto quote = [](const std::string& lead) {
    return "      sku: A800\n      unit: card\n      unit_price: 10000\n      currency: USD\n"
           "      observed: 2023-09-25\n" + lead + "      source: test\n";
  };
  const auto scenario = [&](const std::string& date, const std::string& lead) {
    std::string text = ScenarioText(quote(lead));
    text.replace(text.find("2023-06-15"), 10, date);
    return text;
  };
  auto tester = Load(scenario("2023-10-01", "      lead_weeks_min: 1\n      lead_weeks_likely: 3\n      lead_weeks_max: 6\n"));
  ASSERT_TRUE(tester.ok()) << tester.error().ToString();
  EXPECT_NEAR(tester->quotes.at(0).rule_blocked_share, (6 - 22.0 / 7) * (6 - 22.0 / 7) / (5 * 3), 1e-9);
  const std::string& warning = tester->quotes.at(0).warning;
  EXPECT_NE(warning.find("54% of deliveries"), std::string::npos) << warning;
  EXPECT_NE(warning.find("on or after 2023-10-23 (a lead of 22 days, 3.14 weeks, or more)"), std::string::npos)
      << warning;

  auto large = Load(scenario("2023-10-09", "      lead_weeks_min: 1\n      lead_weeks_likely: 1.5\n      lead_weeks_max: 3\n"));
  ASSERT_TRUE(large.ok()) << large.error().ToString();
  EXPECT_NEAR(large->quotes.at(0).rule_blocked_share, 1.0 / 3, 1e-9);

  auto touching = Load(scenario("2023-10-09", "      lead_weeks_min: 1\n      lead_weeks_likely: 1.5\n      lead_weeks_max: 2\n"));
  ASSERT_TRUE(touching.ok()) << touching.error().ToString();
  EXPECT_EQ(touching->quotes.at(0).rule_blocked_share, 0);
  EXPECT_EQ(touching->quotes.at(0).warning, "");

  // All deliveries before the rule: no share, no warning.
  auto early = Load(scenario("2023-10-09", "      lead_weeks_min: 0\n      lead_weeks_likely: 0.5\n      lead_weeks_max: 1\n"));
  ASSERT_TRUE(early.ok()) << early.error().ToString();
  EXPECT_EQ(early->quotes.at(0).rule_blocked_share, 0);
  EXPECT_EQ(early->quotes.at(0).warning, "");
}

}  // namespace
}  // namespace suanli

namespace suanli {
namespace {

// A US buyer is not offered the quotes of China's market: H20, RTX 4090 D,
// the Shanghai RTX 4090 spike, the H100 grey market. They come back blocked
// with category "region" (counted, not listed).
TEST(MarketAdapterTest, BuyerOutsideChinaIsNotOfferedChinaQuotes) {
  auto market = Load("buyer: {region: US, tier: startup, date: 2024-06-01, currency: USD}\n"
                     "workload:\n  train: {model: aquila-7b, tokens: 1T}\n"
                     "market: {use_seed: true, max_quote_age_days: 3650}\n");
  ASSERT_TRUE(market.ok()) << market.error().ToString();
  int china_quotes = 0;
  for (const PlanQuote& q : market->quotes) {
    const bool china = q.sku == "h20-96gb" || q.sku == "rtx-4090d" || q.id == "rtx4090-spike-sh-2023-10" ||
                       q.id == "h100-grey-peak-2023";
    if (!china) continue;
    ++china_quotes;
    EXPECT_FALSE(q.allowed) << q.id;
    EXPECT_EQ(q.blocked_category, "region") << q.id;
  }
  EXPECT_GT(china_quotes, 3);
}

}  // namespace
}  // namespace suanli

namespace suanli {
namespace {

TEST(MarketAdapterTest, SeedQuotesAStoreHoldsCountOnce) {
  // A store is seeded from the seed market: with use_seed and the store both
  // on, each seed quote counts once, as a seed quote (was: seed 75 + store 82,
  // then every one as the store's); with use_seed off the store's copies of
  // the seed are left out too (was: "seed 0, store 76" from a one-quote book).
  const std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("suanli_adapter_store_" + std::to_string(::getpid()) + ".db");
  std::filesystem::remove(path);
  {
    auto seed = LoadSeedMarket();
    ASSERT_TRUE(seed.ok()) << seed.error().ToString();
    StoreOptions options;
    options.seed = &*seed;
    auto store = QuoteStore::Open(path.string(), options);
    ASSERT_TRUE(store.ok()) << store.error().ToString();
  }
  auto with_store = Load(ScenarioText(kGoodQuote, true) + "  store: " + path.string() + "\n");
  auto without_seed = Load(ScenarioText(kGoodQuote, false) + "  store: " + path.string() + "\n");
  auto seed_only = Load(ScenarioText(kGoodQuote, true));
  std::filesystem::remove(path);
  ASSERT_TRUE(with_store.ok()) << with_store.error().ToString();
  ASSERT_TRUE(without_seed.ok()) << without_seed.error().ToString();
  ASSERT_TRUE(seed_only.ok()) << seed_only.error().ToString();
  EXPECT_EQ(with_store->quotes_store, 0);  // the store holds only the seed's copies
  EXPECT_EQ(with_store->quotes_seed, seed_only->quotes_seed);
  EXPECT_EQ(with_store->quotes.size(), seed_only->quotes.size());
  EXPECT_EQ(without_seed->quotes_seed, 0);
  EXPECT_EQ(without_seed->quotes_store, 0);
  EXPECT_EQ(without_seed->quotes.size(), 1u);  // the scenario's own quote
}

}  // namespace
}  // namespace suanli
