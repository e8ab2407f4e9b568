#include "core/number.h"

#include <charconv>
#include <cmath>
#include <string>
#include <system_error>

#include <fmt/format.h>

#include "core/utf8.h"
#include "core/i18n.h"

namespace suanli {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string_view TrimSpaces(std::string_view text) {
  while (!text.empty() && IsSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsSpace(text.back())) text.remove_suffix(1);
  return text;
}

// Returns true when `text` is [+-] digits [. digits] [e [+-] digits] with at
// least one mantissa digit: the only number syntax accepted from users.
bool IsDecimalSyntax(std::string_view text) {
  size_t i = 0;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
  size_t digits = 0;
  while (i < text.size() && IsDigit(text[i])) ++i, ++digits;
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && IsDigit(text[i])) ++i, ++digits;
  }
  if (digits == 0) return false;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    size_t exponent_digits = 0;
    while (i < text.size() && IsDigit(text[i])) ++i, ++exponent_digits;
    if (exponent_digits == 0) return false;
  }
  return i == text.size();
}

// 2^63: the first double beyond int64.
constexpr double kTwoPow63 = 9223372036854775808.0;

}  // namespace

Result<double> ParseNumber(std::string_view text) {
  text = TrimSpaces(text);
  if (text.empty()) return MakeError(Tr("expected a number, found nothing"));
  if (!IsDecimalSyntax(text)) {
    return MakeError(TrFormat("'{}' is not a number", ExcerptForMessage(text)),
                     "", Tr("write a decimal number such as 42, 0.85 or 1e12"));
  }
  std::string_view digits = text;
  if (digits.front() == '+') digits.remove_prefix(1);  // from_chars takes no '+'
  double value = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec == std::errc::result_out_of_range) {
    return MakeError(TrFormat("'{}' is out of range for a number", ExcerptForMessage(text)));
  }
  if (ec != std::errc() || end != digits.data() + digits.size() || !std::isfinite(value)) {
    return MakeError(TrFormat("'{}' is not a finite number", ExcerptForMessage(text)));
  }
  return value;
}

Result<double> ParseNumberInRange(std::string_view text, double min, double max) {
  SUANLI_ASSIGN_OR_RETURN(const double value, ParseNumber(text));
  if (value < min || value > max) {
    return MakeError(TrFormat("value {} is out of range", ExcerptForMessage(TrimSpaces(text))), "",
                     TrFormat("expected a number between {} and {}", min, max));
  }
  return value;
}

Result<int64_t> ParseInteger(std::string_view text, int64_t min, int64_t max) {
  const std::string_view trimmed = TrimSpaces(text);
  const std::string shown = ExcerptForMessage(trimmed);
  const std::string range_hint = TrFormat("expected an integer between {} and {}", min, max);
  auto number = ParseNumber(trimmed);
  if (!number.ok()) {
    if (IsDecimalSyntax(trimmed)) return MakeError(TrFormat("'{}' is out of range", shown), "", range_hint);
    return MakeError(TrFormat("'{}' is not a whole number", shown), "", Tr("write an integer"));
  }
  int64_t value = 0;
  std::string_view digits = trimmed;
  if (digits.front() == '+') digits.remove_prefix(1);
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc() || end != digits.data() + digits.size()) {
    // "1e6" or "2.0": whole numbers written as decimals, exact below 2^53.
    const double d = *number;
    if (std::floor(d) != d) {
      return MakeError(TrFormat("'{}' is not a whole number", shown), "", Tr("write an integer"));
    }
    if (ec == std::errc::result_out_of_range || d >= kTwoPow63 || d < -kTwoPow63) {
      return MakeError(TrFormat("'{}' is out of range", shown), "", range_hint);
    }
    value = static_cast<int64_t>(d);
  }
  if (value < min || value > max) {
    return MakeError(TrFormat("value {} is out of range", shown), "", range_hint);
  }
  return value;
}

Status CheckNumberInRange(double value, double min, double max, std::string_view what,
                          std::string_view where) {
  if (!std::isfinite(value)) {
    return MakeError(TrFormat("{} is not a finite number", what), std::string(where));
  }
  if (value < min || value > max) {
    return MakeError(TrFormat("{} = {} is out of range", what, value), std::string(where),
                     TrFormat("expected a number between {} and {}", min, max));
  }
  return OkStatus();
}

}  // namespace suanli
