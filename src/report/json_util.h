// Helpers for deterministic JSON output: numbers rounded to 10 significant
// digits (exact for money to the cent below 100 M, free of floating-point
// noise so golden files diff cleanly); whole numbers (counts, bytes) exact.
#pragma once

#include <cmath>
#include <cstdint>

#include <nlohmann/json.hpp>

namespace suanli {

// Returns `value` rounded to `digits` significant digits (0 stays 0).
// A whole number below 2^53 (a count of parameters, bytes, tokens) is kept
// exact: 71,873,593,344 stays 71873593344, not 71873593340.
inline double RoundSig(double value, int digits = 10) {
  if (value == 0 || !std::isfinite(value)) return value;
  if (std::fabs(value) < 9007199254740992.0 && value == std::trunc(value)) return value;
  const int exponent = digits - static_cast<int>(std::ceil(std::log10(std::fabs(value))));
  // Divide by an exact power of ten when rounding above the units digit, so
  // 5e10 stays 50000000000 instead of 49999999999.99999.
  if (exponent >= 0) {
    const double scale = std::pow(10.0, exponent);
    return std::round(value * scale) / scale;
  }
  const double unit = std::pow(10.0, -exponent);
  return std::round(value / unit) * unit;
}

// Returns `value` as a JSON integer when it is a whole number below 2^53
// (counts print as 71873593344, not 71873593344.0), else RoundSig(value).
inline nlohmann::json JsonNumber(double value) {
  if (std::isfinite(value) && std::fabs(value) < 9007199254740992.0 && value == std::trunc(value)) {
    return static_cast<int64_t>(value);
  }
  return RoundSig(value);
}

// Returns a byte count as a whole number.
inline int64_t RoundBytes(double bytes) { return static_cast<int64_t>(std::llround(bytes)); }

}  // namespace suanli
