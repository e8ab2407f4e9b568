// Helpers for deterministic JSON output (rounded numbers so golden files
// diff cleanly).
#pragma once

#include <cmath>

namespace suanli {

// Returns `value` rounded to `digits` significant digits (0 stays 0).
inline double RoundSig(double value, int digits = 6) {
  if (value == 0 || !std::isfinite(value)) return value;
  const double magnitude = std::ceil(std::log10(std::fabs(value)));
  const double scale = std::pow(10.0, digits - magnitude);
  return std::round(value * scale) / scale;
}

}  // namespace suanli
