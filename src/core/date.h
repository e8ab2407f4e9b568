// Calendar dates (days since 1970-01-01, proleptic Gregorian) parsed strictly
// from YYYY-MM-DD, and the day/week/second conversions of durations.
#pragma once

#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace suanli {

// A calendar date as a day number (0 = 1970-01-01).
struct Date {
  int days = 0;  // days since 1970-01-01
  auto operator<=>(const Date&) const = default;
};

constexpr double kDaysPerWeek = 7.0;       // days in a week
constexpr double kHoursPerDay = 24.0;      // hours in a day
constexpr double kSecondsPerDay = 86400.0; // seconds in a day
constexpr double kDaysPerMonth = 30.44;    // mean Gregorian month, days (365.2425 / 12, rounded)
constexpr double kMonthsPerYear = 12.0;    // months in a year

// Returns the days in `weeks` weeks.
constexpr double WeeksToDays(double weeks) { return weeks * kDaysPerWeek; }
// Returns the weeks in `days` days.
constexpr double DaysToWeeks(double days) { return days / kDaysPerWeek; }
// Returns the days in `seconds` seconds.
constexpr double SecondsToDays(double seconds) { return seconds / kSecondsPerDay; }
// Returns the seconds in `days` days.
constexpr double DaysToSeconds(double days) { return days * kSecondsPerDay; }
// Returns the hours in `days` days.
constexpr double DaysToHours(double days) { return days * kHoursPerDay; }

// Parses "YYYY-MM-DD" (month 1-12, day valid for the month); the error says
// what is wrong and expects `where` to be added by the caller.
Result<Date> ParseDate(std::string_view text);
// Parses "YYYY-MM-DD" or "YYYY-MM" (the first of the month), as market data
// files write observation dates; errors as ParseDate.
Result<Date> ParseMonthOrDate(std::string_view text);
// Returns "YYYY-MM-DD" (civil_from_days, H. Hinnant, "chrono-Compatible
// Low-Level Date Algorithms"); inline so renderers need no link dependency.
inline std::string FormatDate(Date date) {
  int z = date.days + 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int y = static_cast<int>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2 ? 1 : 0;
  char text[32];
  std::snprintf(text, sizeof(text), "%04d-%02u-%02u", y, m, d);
  return text;
}
// Returns "YYYY-MM-DD", or "" for nullopt (an open-ended date).
inline std::string FormatDate(const std::optional<Date>& date) { return date ? FormatDate(*date) : ""; }
// Returns the date `days` (fractional days round up to the next whole day) later.
Date AddDays(Date date, double days);
// Returns whole days from `from` to `to` (negative when `to` is earlier).
inline int DaysBetween(Date from, Date to) { return to.days - from.days; }

// Returns today's date (UTC) from the system clock.
Date TodayUtc();

}  // namespace suanli
