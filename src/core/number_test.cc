#include "core/number.h"

#include <cmath>
#include <cstdint>

#include <gtest/gtest.h>

namespace suanli {
namespace {

TEST(ParseNumber, AcceptsDecimalForms) {
  EXPECT_DOUBLE_EQ(*ParseNumber("42"), 42.0);
  EXPECT_DOUBLE_EQ(*ParseNumber(" -0.5 "), -0.5);
  EXPECT_DOUBLE_EQ(*ParseNumber("+.5"), 0.5);
  EXPECT_DOUBLE_EQ(*ParseNumber("5."), 5.0);
  EXPECT_DOUBLE_EQ(*ParseNumber("1e12"), 1e12);
  EXPECT_DOUBLE_EQ(*ParseNumber("2.5E-3"), 2.5e-3);
}

TEST(ParseNumber, RejectsHexInfNanOverflowAndGarbage) {
  for (const char* text : {"0x10", "0X1p3", "inf", "-inf", "+Infinity", "nan", "NaN", "1e400",
                           "-1e400", "1e-400", "1e", "e5", ".", "-", "1.2.3", "12abc", "1,5",
                           "1 2", "\xE2\x88\x9E", "0x", "--1", "1e+"}) {
    EXPECT_FALSE(ParseNumber(text).ok()) << text;
  }
  EXPECT_NE(ParseNumber("1e400").error().message.find("out of range"), std::string::npos);
}

TEST(ParseInteger, WholeNumbersInRange) {
  EXPECT_EQ(*ParseInteger("42", 0, 100), 42);
  EXPECT_EQ(*ParseInteger("1e6", 0, 10'000'000), 1'000'000);
  EXPECT_EQ(*ParseInteger("-7", -10, 10), -7);
  EXPECT_EQ(*ParseInteger("9223372036854775807", 0, INT64_MAX), INT64_MAX);
  EXPECT_FALSE(ParseInteger("2.5", 0, 10).ok());
  EXPECT_FALSE(ParseInteger("11", 0, 10).ok());
  EXPECT_FALSE(ParseInteger("0x10", 0, 100).ok());
  EXPECT_FALSE(ParseInteger("9223372036854775808", 0, INT64_MAX).ok());
  EXPECT_FALSE(ParseInteger("99999999999999999999999", 0, INT64_MAX).ok());
  EXPECT_FALSE(ParseInteger("1e19", 0, INT64_MAX).ok());
  EXPECT_FALSE(ParseInteger("-1e300", INT64_MIN, INT64_MAX).ok());
}

TEST(ParseNumberInRange, NamesTheRange) {
  EXPECT_DOUBLE_EQ(*ParseNumberInRange("0.5", 0, 1), 0.5);
  const auto error = ParseNumberInRange("1.5", 0, 1).error();
  EXPECT_NE(error.hint.find("between 0 and 1"), std::string::npos);
}

TEST(CheckNumberInRange, FiniteAndBounded) {
  EXPECT_TRUE(CheckNumberInRange(0.5, 0, 1, "ratio").ok());
  EXPECT_FALSE(CheckNumberInRange(2, 0, 1, "ratio").ok());
  EXPECT_FALSE(CheckNumberInRange(std::nan(""), 0, 1, "ratio").ok());
  const auto error = CheckNumberInRange(HUGE_VAL, 0, 1, "ratio", "--mfu").error();
  EXPECT_EQ(error.where, "--mfu");
  EXPECT_NE(error.message.find("ratio"), std::string::npos);
}

}  // namespace
}  // namespace suanli
