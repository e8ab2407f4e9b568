#include "core/units.h"

#include <gtest/gtest.h>

#include "core/i18n.h"

namespace suanli {
namespace {

TEST(ParseQuantity, BinaryAndDecimalBytes) {
  EXPECT_DOUBLE_EQ(*ParseQuantity("80 GiB", Dimension::kBytes), 80.0 * 1024 * 1024 * 1024);
  EXPECT_DOUBLE_EQ(*ParseQuantity("96 GB", Dimension::kBytes), 96e9);
  EXPECT_DOUBLE_EQ(*ParseQuantity("1.5TiB", Dimension::kBytes), 1.5 * 1024.0 * 1024 * 1024 * 1024);
}

TEST(ParseQuantity, BandwidthBitsAndBytes) {
  EXPECT_DOUBLE_EQ(*ParseQuantity("2.039 TB/s", Dimension::kBytesPerSecond), 2.039e12);
  EXPECT_DOUBLE_EQ(*ParseQuantity("200 Gb/s", Dimension::kBytesPerSecond), 25e9);
  EXPECT_DOUBLE_EQ(*ParseQuantity("300 GB/s", Dimension::kBytesPerSecond), 300e9);
}

TEST(ParseQuantity, ComputeAndPower) {
  EXPECT_DOUBLE_EQ(*ParseQuantity("989.4 TFLOPS", Dimension::kFlopsPerSecond), 989.4e12);
  EXPECT_DOUBLE_EQ(*ParseQuantity("624 TOPS", Dimension::kFlopsPerSecond), 624e12);
  EXPECT_DOUBLE_EQ(*ParseQuantity("6.5 kW", Dimension::kWatts), 6500.0);
  EXPECT_DOUBLE_EQ(*ParseQuantity("1e3 W", Dimension::kWatts), 1000.0);
}

TEST(ParseQuantity, RejectsBadInput) {
  EXPECT_FALSE(ParseQuantity("80", Dimension::kBytes).ok());           // no unit
  EXPECT_FALSE(ParseQuantity("80 GHz", Dimension::kBytes).ok());       // wrong unit
  EXPECT_FALSE(ParseQuantity("-1 GB", Dimension::kBytes).ok());        // negative
  EXPECT_FALSE(ParseQuantity("nan GB", Dimension::kBytes).ok());       // not a number
  EXPECT_FALSE(ParseQuantity("1e400 GB", Dimension::kBytes).ok());     // overflow
  EXPECT_FALSE(ParseQuantity("300 GB/s", Dimension::kBytes).ok());     // bandwidth as size
  const auto error = ParseQuantity("80 GHz", Dimension::kBytes).error();
  EXPECT_NE(error.hint.find("GiB"), std::string::npos);
}

TEST(ParseNumber, Strict) {
  EXPECT_DOUBLE_EQ(*ParseNumber(" 0.85 "), 0.85);
  EXPECT_FALSE(ParseNumber("0.85x").ok());
  EXPECT_FALSE(ParseNumber("inf").ok());
  EXPECT_FALSE(ParseNumber("").ok());
}

TEST(Format, BytesAndDurations) {
  EXPECT_EQ(FormatBytes(80.0 * kGiB), "80.0 GiB");
  EXPECT_EQ(FormatGib(79.54 * kGiB), "79.5");  // the table column: GiB, no unit
  EXPECT_EQ(FormatDuration(3 * 86400.0), "3.0 days");
  EXPECT_EQ(FormatDuration(90.0), "90.00 s");
}

TEST(Format, DurationsInChinese) {
  SetLanguage(Language::kChinese);
  EXPECT_EQ(FormatDuration(3 * 86400.0), "3.0 天");
  EXPECT_EQ(FormatDuration(600.0), "10.0 分钟");
  EXPECT_EQ(FormatDuration(4 * 3600.0), "4.0 小时");
  EXPECT_EQ(FormatDuration(90.0), "90.00 秒");
  SetLanguage(Language::kEnglish);
}


TEST(UnitsTest, FormatQuantityPicksTheLargestFittingUnit) {
  EXPECT_EQ(FormatQuantity(1e15, Dimension::kTokens), "1000T tokens");
  EXPECT_EQ(FormatQuantity(4e6, Dimension::kTokens), "4M tokens");
  EXPECT_EQ(FormatQuantity(1e9, Dimension::kFlopsPerSecond), "1 GFLOPS");
  EXPECT_EQ(FormatQuantity(1e17, Dimension::kFlopsPerSecond), "100 PFLOPS");
  EXPECT_EQ(FormatQuantity(64 * kMiB, Dimension::kBytes), "64 MiB");
  EXPECT_EQ(FormatQuantity(1e7, Dimension::kWatts), "10 MW");
  EXPECT_EQ(FormatQuantity(2.5e12, Dimension::kBytesPerSecond), "2.5 TB/s");
}

TEST(UnitsTest, QuantityInRangeGivesTheAcceptedRangeWithItsUnit) {
  EXPECT_DOUBLE_EQ(*ParseQuantityInRange("2T", Dimension::kTokens, 1e6, 1e15), 2e12);
  auto huge = ParseQuantityInRange("1e20", Dimension::kTokens, 1e6, 1e15);
  ASSERT_FALSE(huge.ok());
  EXPECT_EQ(huge.error().message, "'1e20' is out of range: accepted 1M tokens to 1000T tokens");
  EXPECT_FALSE(huge.error().hint.empty());
  auto tiny = ParseQuantityInRange("1e-300 TFLOPS", Dimension::kFlopsPerSecond, 1e9, 1e17);
  ASSERT_FALSE(tiny.ok());
  EXPECT_NE(tiny.error().message.find("1 GFLOPS to 100 PFLOPS"), std::string::npos);
  // Errors from the parser itself still come first.
  EXPECT_NE(ParseQuantityInRange("80 parsecs", Dimension::kBytes, 1, 2).error().message.find("unknown unit"),
            std::string::npos);
}

TEST(UnitsTest, RangeErrorsAreTranslated) {
  SetLanguage(Language::kChinese);
  auto huge = ParseQuantityInRange("1e20", Dimension::kTokens, 1e6, 1e15);
  SetLanguage(Language::kEnglish);
  ASSERT_FALSE(huge.ok());
  EXPECT_EQ(huge.error().message, "'1e20' 超出范围：可接受 1M tokens 到 1000T tokens");
  EXPECT_EQ(huge.error().hint, "请检查数值及其单位");
}

}  // namespace
}  // namespace suanli
