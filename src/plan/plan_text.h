// Wording shared by the planner's reasons and the plan report; inline so
// renderers need no link dependency on the planner.
#pragma once

#include <cmath>
#include <string>

#include <fmt/format.h>

namespace suanli {

// Formats money for people: "87,500 CNY", "12.34 M CNY", "1.25 B USD".
inline std::string FormatMoney(double amount, const std::string& currency) {
  const double a = std::fabs(amount);
  const char* sign = amount < 0 ? "-" : "";
  if (a >= 1e9) return fmt::format("{}{:.2f} B {}", sign, a / 1e9, currency);
  if (a >= 1e6) return fmt::format("{}{:.2f} M {}", sign, a / 1e6, currency);
  const std::string digits = std::to_string(std::llround(a));
  std::string grouped;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) grouped += ',';
    grouped += digits[i];
  }
  return fmt::format("{}{} {}", sign, grouped, currency);
}

}  // namespace suanli
