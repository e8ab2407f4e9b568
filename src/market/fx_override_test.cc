// Tests of the scenario FX what-if (market.fx, cfo report item 6).
#include "market/fx_override.h"

#include <gtest/gtest.h>

#include "market/date_test_support.h"

namespace suanli {
namespace {

Result<std::vector<FxRate>> Parse(const std::string& yaml) {
  return ParseFxOverrides(YAML::Load(yaml), "s.yaml", "market.fx", D("2027-01-01"));
}

TEST(FxOverride, ReplacesThePairInBothDirectionsOnEveryDate) {
  auto rates = Parse("{USD/CNY: 7.722, source: \"what-if: CNY 10% weaker\"}");
  ASSERT_TRUE(rates.ok()) << rates.error().ToString();
  ASSERT_EQ(rates->size(), 1u);
  FxTable fx({FxRate{D("2026-12-01"), "USD", "CNY", 7.02, "seed"}, FxRate{D("2020-01-01"), "CNY", "USD", 0.14, "x"},
              FxRate{D("2026-12-01"), "EUR", "CNY", 7.6, "seed"}});
  const FxTable what_if = ApplyFxOverrides(fx, *rates);
  // A quote observed before the what-if's date converts at it too (plans convert on the buyer's date).
  for (const char* date : {"2019-01-01", "2026-12-01", "2027-06-01"}) {
    auto cny = what_if.Convert(12000, "USD", "CNY", D(date));
    ASSERT_TRUE(cny.ok());
    EXPECT_DOUBLE_EQ(*cny, 92664) << date;
  }
  auto eur = what_if.Convert(1, "EUR", "CNY", D("2027-01-01"));
  ASSERT_TRUE(eur.ok());
  EXPECT_DOUBLE_EQ(*eur, 7.6);  // other pairs untouched
  auto rate = what_if.RateOn("USD", "CNY", D("2027-01-01"));
  ASSERT_TRUE(rate.ok());
  EXPECT_EQ(rate->source, "market.fx what-if: what-if: CNY 10% weaker");
}

TEST(FxOverride, BadValuesNameTheField) {
  for (const char* yaml : {"{USD/CNY: -7, source: s}", "{USD/CNY: nan, source: s}", "{USD/CNY: abc, source: s}",
                           "{USD/CNY: 0, source: s}"}) {
    auto rates = Parse(yaml);
    ASSERT_FALSE(rates.ok()) << yaml;
    EXPECT_NE(rates.error().where.find("market.fx.USD/CNY"), std::string::npos) << rates.error().where;
  }
  auto pair = Parse("{USDCNY: 7.7, source: s}");
  ASSERT_FALSE(pair.ok());
  EXPECT_NE(pair.error().where.find("market.fx.USDCNY"), std::string::npos);
  auto same = Parse("{USD/usd: 1, source: s}");
  EXPECT_FALSE(same.ok());
  auto twice = Parse("{USD/CNY: 7.7, CNY/USD: 0.13, source: s}");
  ASSERT_FALSE(twice.ok());
  EXPECT_NE(twice.error().message.find("twice"), std::string::npos);
  auto no_source = Parse("{USD/CNY: 7.7}");
  ASSERT_FALSE(no_source.ok());
  EXPECT_NE(no_source.error().where.find("market.fx.source"), std::string::npos);
  auto not_map = Parse("[7.7]");
  EXPECT_FALSE(not_map.ok());
  auto none = Parse("~");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

}  // namespace
}  // namespace suanli
