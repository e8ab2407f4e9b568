#include "market/market.h"

#include <set>

#include <gtest/gtest.h>
#include "market/date_test_support.h"

namespace suanli {
namespace {

TEST(MarketEnums, NamesRoundTrip) {
  for (ChannelTier channel : AllChannelTiers()) {
    auto parsed = ParseChannelTier(ChannelTierName(channel));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, channel);
  }
  EXPECT_EQ(ChannelTierName(ChannelTier::kGreyMarket), "grey-market");
  EXPECT_EQ(*ParseCondition("used"), Condition::kUsedPulled);
  EXPECT_EQ(*ParseQuoteUnit("server-month"), QuoteUnit::kServerMonth);
  EXPECT_EQ(*ParseExportAction("license-required"), ExportAction::kLicenceRequired);
  auto bad = ParseChannelTier("reseler");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().hint.find("reseller"), std::string::npos);
}

TEST(MarketDates, MonthMeansTheFirstAndBadDatesAreRejected) {
  EXPECT_EQ(FormatDate(*ParseMarketDate("2023-06")), "2023-06-01");
  EXPECT_EQ(FormatDate(*ParseMarketDate("2024-02-29")), "2024-02-29");
  EXPECT_FALSE(ParseMarketDate("2023-02-29").ok());
  EXPECT_FALSE(ParseMarketDate("2023-13-40").ok());
  EXPECT_FALSE(ParseMarketDate("2023-6-1").ok());
  EXPECT_NE(ParseMarketDate("June 2023").error().message.find("malformed date"), std::string::npos);
}

FxTable TestFx() {
  return FxTable({{D("2022-08-01"), "USD", "CNY", 6.8, "t"},
                  {D("2022-11-01"), "USD", "CNY", 7.2, "t"},
                  {D("2023-06-01"), "USD", "CNY", 7.1, "t"}});
}

TEST(Fx, UsesNearestEarlierDate) {
  const FxTable fx = TestFx();
  EXPECT_DOUBLE_EQ(*fx.Convert(100, "USD", "CNY", D("2022-10-31")), 680);
  EXPECT_DOUBLE_EQ(*fx.Convert(100, "USD", "CNY", D("2022-11-01")), 720);
  EXPECT_DOUBLE_EQ(*fx.Convert(100, "USD", "CNY", D("2024-01-01")), 710);
  // Before the first rate: the first rate.
  EXPECT_DOUBLE_EQ(*fx.Convert(100, "USD", "CNY", D("2010-01-01")), 680);
  // Inverse pair.
  EXPECT_NEAR(*fx.Convert(720, "CNY", "USD", D("2022-12-01")), 100, 1e-9);
  EXPECT_DOUBLE_EQ(*fx.Convert(5, "EUR", "EUR", D("2022-12-01")), 5);
}

TEST(Fx, MissingPairIsAnError) {
  auto result = TestFx().Convert(1, "EUR", "CNY", D("2023-01-01"));
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("currency without an FX rate"), std::string::npos);
}

TEST(Fx, ParseRejectsBadDateWithLocation) {
  auto fx = ParseFx("rates:\n  - {date: 2023-13-01, from: USD, to: CNY, rate: 7, source: s}\n", "fx.yaml");
  ASSERT_FALSE(fx.ok());
  EXPECT_NE(fx.error().where.find("fx.yaml:2"), std::string::npos);
}

TEST(Fx, OneValidatorForFilesStoreAndFlags) {
  // The seed/file parser and the store share ValidateFxRate: a lower-case
  // code or an empty source is refused with the field's location.
  auto fx = ParseFx("rates:\n  - {date: 2023-07-01, from: usd, to: CNY, rate: 7, source: s}\n", "fx.yaml");
  ASSERT_FALSE(fx.ok());
  EXPECT_NE(fx.error().message.find("not a currency code"), std::string::npos);
  EXPECT_NE(fx.error().where.find("fx.yaml:2"), std::string::npos);
  auto flag = [](std::string_view field) { return "--" + std::string(field); };
  EXPECT_TRUE(ValidateFxRate({D("2023-07-01"), "USD", "CNY", 7.2, "s"}, flag).ok());
  EXPECT_EQ(ValidateFxRate({D("2023-07-01"), "USD", "CNY", 7.2, ""}, flag).error().where, "--source");
  EXPECT_FALSE(IsCurrencyCode("CN"));
  EXPECT_TRUE(IsCurrencyCode("CNY"));
}

TEST(SeedMarket, LoadsAndIsConsistent) {
  auto market = LoadSeedMarket();
  ASSERT_TRUE(market.ok()) << market.error().ToString();
  EXPECT_GE(market->quotes.size(), 40u);
  EXPECT_GE(market->rules.size(), 8u);
  EXPECT_DOUBLE_EQ(market->costs.new_annual_failure_rate, 0.11);
  EXPECT_EQ(market->costs.sources.count("pue"), 1u);
  // Every quote converts to CNY and USD, and has a source.
  for (const auto& quote : market->quotes) {
    EXPECT_FALSE(quote.source.empty()) << quote.id;
    EXPECT_TRUE(QuotePriceIn(quote, market->fx, "CNY").ok()) << quote.id;
    EXPECT_TRUE(QuotePriceIn(quote, market->fx, "USD").ok()) << quote.id;
  }
  // The article's Beijing A800 quote, as seeded.
  auto it = std::find_if(market->quotes.begin(), market->quotes.end(),
                         [](const Quote& q) { return q.id == "a800-bj-2023-06"; });
  ASSERT_NE(it, market->quotes.end());
  EXPECT_DOUBLE_EQ(it->unit_price, 87500);
  EXPECT_EQ(it->observed, D("2023-06-01"));
  EXPECT_DOUBLE_EQ(it->lead_weeks_max, 8);
  // A server quote per card: 1.4 M CNY / 8.
  auto h20 = std::find_if(market->quotes.begin(), market->quotes.end(),
                          [](const Quote& q) { return q.id == "hgx-h20-server-2024-02"; });
  ASSERT_NE(h20, market->quotes.end());
  EXPECT_DOUBLE_EQ(*QuotePricePerCardIn(*h20, market->fx, "CNY"), 175000);
}

TEST(SeedMarket, SkusResolveAgainstAListResolver) {
  SkuResolver resolver = MakeListResolver({"a800-sxm-80gb", "rtx-4090"});
  EXPECT_EQ(*resolver("A800 SXM 80GB"), "a800-sxm-80gb");
  auto bad = resolver("a800-sxm-80g");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().hint.find("a800-sxm-80gb"), std::string::npos);
}

// Every seed quote says whom its seller serves: a quote seen in China's
// market, or of a China-only product (the SKUs of the launch rules, A800,
// H800, H20, L20, RTX 4090 D), lists [CN], so a buyer elsewhere is never
// offered it. Only the 2010 list prices (worldwide) serve anyone.
TEST(SeedMarket, EveryQuoteNamesTheRegionsItServes) {
  auto market = LoadSeedMarket();
  ASSERT_TRUE(market.ok()) << market.error().ToString();
  std::set<std::string> china_only;
  for (const ExportRule& rule : market->rules) {
    if (rule.action == ExportAction::kAllow && rule.id.find("launch") != std::string::npos)
      china_only.insert(rule.skus.begin(), rule.skus.end());
  }
  EXPECT_TRUE(china_only.count("h20-96gb") && china_only.count("rtx-4090d") && china_only.count("a800-sxm-80gb"));
  for (const Quote& q : market->quotes) {
    if (q.observed < D("2011-01-01")) continue;
    EXPECT_FALSE(q.regions.empty()) << q.id;
    if (china_only.count(q.sku)) {
      EXPECT_EQ(q.regions, std::vector<std::string>{"CN"}) << q.id;
    }
  }
}

}  // namespace
}  // namespace suanli
