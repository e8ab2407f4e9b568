#include "core/date.h"

#include <gtest/gtest.h>

namespace suanli {
namespace {

TEST(DateTest, RoundTripsAndCountsDays) {
  auto d = ParseDate("2023-06-15");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(FormatDate(*d), "2023-06-15");
  EXPECT_EQ(ParseDate("1970-01-01")->days, 0);
  EXPECT_EQ(ParseDate("2000-03-01")->days - ParseDate("2000-02-28")->days, 2);  // leap year
  EXPECT_EQ(FormatDate(AddDays(*d, 30)), "2023-07-15");
  EXPECT_EQ(FormatDate(AddDays(*d, 0.2)), "2023-06-16");  // partial days round up
  EXPECT_EQ(FormatDate(AddDays(*d, 200)), "2024-01-01");
}

TEST(DateTest, RejectsMalformedDates) {
  EXPECT_FALSE(ParseDate("2023-6-15").ok());
  EXPECT_FALSE(ParseDate("2023-13-01").ok());
  EXPECT_FALSE(ParseDate("2023-02-29").ok());
  EXPECT_TRUE(ParseDate("2024-02-29").ok());
  EXPECT_FALSE(ParseDate("June 2023").ok());
  EXPECT_NE(ParseDate("2023-02-30").error().message.find("day 30"), std::string::npos);
}

TEST(DateTest, MonthMeansTheFirstAndDurationsConvert) {
  EXPECT_EQ(FormatDate(*ParseMonthOrDate("2023-07")), "2023-07-01");
  EXPECT_EQ(FormatDate(*ParseMonthOrDate("2023-07-09")), "2023-07-09");
  EXPECT_FALSE(ParseMonthOrDate("2023-13").ok());
  EXPECT_FALSE(ParseDate("2023-07").ok());
  EXPECT_EQ(DaysBetween(*ParseDate("2023-06-15"), *ParseDate("2023-07-15")), 30);
  EXPECT_DOUBLE_EQ(WeeksToDays(2), 14);
  EXPECT_DOUBLE_EQ(DaysToWeeks(14), 2);
  EXPECT_DOUBLE_EQ(SecondsToDays(172800), 2);
  EXPECT_DOUBLE_EQ(DaysToHours(2), 48);
}

}  // namespace
}  // namespace suanli
