// Date parsing (days_from_civil) and day arithmetic.
#include "core/date.h"
#include "core/i18n.h"

#include <cmath>
#include <cstdio>
#include <ctime>

#include <fmt/format.h>

namespace suanli {
namespace {

// Days from civil date (H. Hinnant, "chrono-Compatible Low-Level Date
// Algorithms", days_from_civil).
int DaysFromCivil(int y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int>(doe) - 719468;
}

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

}  // namespace

Result<Date> ParseDate(std::string_view text) {
  const auto bad = [&](std::string why) {
    return MakeError(TrFormat("'{}' is not a date: {}", text, why), "",
                     Tr("write the date as YYYY-MM-DD, e.g. 2023-06-15"));
  };
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return bad(Tr("expected YYYY-MM-DD"));
  for (size_t i = 0; i < text.size(); ++i) {
    if (i == 4 || i == 7) continue;
    if (text[i] < '0' || text[i] > '9') return bad(Tr("expected digits"));
  }
  const auto num = [&](size_t pos, size_t len) {
    int value = 0;
    for (size_t i = pos; i < pos + len; ++i) value = value * 10 + (text[i] - '0');
    return value;
  };
  const int y = num(0, 4), m = num(5, 2), d = num(8, 2);
  if (y < 1900 || y > 2200) return bad(Tr("year out of range 1900-2200"));
  if (m < 1 || m > 12) return bad(TrFormat("month {} is not 1-12", m));
  static constexpr int kMonthDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const int days_in_month = kMonthDays[m - 1] + (m == 2 && IsLeap(y) ? 1 : 0);
  if (d < 1 || d > days_in_month) return bad(TrFormat("day {} is not in month {}", d, m));
  return Date{DaysFromCivil(y, static_cast<unsigned>(m), static_cast<unsigned>(d))};
}

Result<Date> ParseMonthOrDate(std::string_view text) {
  if (text.size() == 7) {
    auto first = ParseDate(std::string(text) + "-01");
    if (first.ok()) return first;
    return MakeError(TrFormat("'{}' is not a date: expected YYYY-MM-DD or YYYY-MM", text), "",
                     Tr("write the date as YYYY-MM-DD or YYYY-MM, e.g. 2023-06-15"));
  }
  return ParseDate(text);
}

Date AddDays(Date date, double days) {
  return Date{date.days + static_cast<int>(std::ceil(days - 1e-9))};
}

Date TodayUtc() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  auto date = ParseDate(fmt::format("{:04}-{:02}-{:02}", utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday));
  return date.ok() ? *date : Date{};
}

}  // namespace suanli
