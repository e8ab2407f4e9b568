// Calendar dates for the planner: days since 1970-01-01 (proleptic
// Gregorian), parsed strictly from YYYY-MM-DD.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

#include "core/result.h"

namespace suanli {

// A calendar date as a day number (0 = 1970-01-01).
struct Date {
  int days = 0;  // days since 1970-01-01
  auto operator<=>(const Date&) const = default;
};

// Parses "YYYY-MM-DD" (month 1-12, day valid for the month); the error says
// what is wrong and expects `where` to be added by the caller.
Result<Date> ParseDate(std::string_view text);
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
// Returns the date `days` (fractional days round up to the next whole day) later.
Date AddDays(Date date, double days);

}  // namespace suanli
