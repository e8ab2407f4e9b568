// Physical quantities with units, parsed strictly from text ("80 GiB",
// "2.039 TB/s", "989.4 TFLOPS", "400 W", "200 Gb/s") into SI base units:
// bytes, bytes/s, FLOP/s, watts, seconds.
#pragma once

#include <string>
#include <string_view>

#include "core/number.h"
#include "core/result.h"

namespace suanli {

enum class Dimension { kBytes, kBytesPerSecond, kFlopsPerSecond, kWatts, kSeconds, kTokens };

// Returns the dimension's name for messages ("bytes", "bandwidth", ...).
std::string_view DimensionName(Dimension dimension);
// Returns the units accepted for a dimension, for hints ("B, KB, MB, GB, TB, KiB, ...").
std::string_view AcceptedUnits(Dimension dimension);

// Parses "<number> <unit>" into SI base units of `dimension`; rejects unknown
// units, missing units, negative, hex, NaN, infinite and overflowing values.
Result<double> ParseQuantity(std::string_view text, Dimension dimension);

constexpr double kKiB = 1024.0;
constexpr double kMiB = 1024.0 * 1024.0;
constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;
constexpr double kGB = 1e9;
constexpr double kTera = 1e12;

// Returns `value` (SI base units of `dimension`) in the largest fitting unit
// of that dimension, for messages: "1e+06 TFLOPS" -> "1000 PFLOPS", "80 GiB".
std::string FormatQuantity(double value, Dimension dimension);
// Parses a quantity like ParseQuantity and checks it lies in [min, max] (SI
// base units); the error names the accepted range with its unit.
Result<double> ParseQuantityInRange(std::string_view text, Dimension dimension, double min, double max);

// Formats bytes for people: "79.5 GiB".
std::string FormatBytes(double bytes);
// Formats bytes as a number of GiB with one decimal and no unit, for table columns: "79.5".
std::string FormatGib(double bytes);
// Formats a duration for people in the current language (core/i18n.h):
// "3.2 days", "41.0 min"; in Chinese "3.2 天", "41.0 分钟".
std::string FormatDuration(double seconds);

}  // namespace suanli
