#include "core/units.h"

#include <gtest/gtest.h>

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
  EXPECT_EQ(FormatDuration(3 * 86400.0), "3.0 days");
  EXPECT_EQ(FormatDuration(90.0), "90.00 s");
}

}  // namespace
}  // namespace suanli
