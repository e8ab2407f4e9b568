// Strict parsing of numbers from user text and range checks on numbers read
// elsewhere: decimal only (no hex, inf, nan), no trailing text, no overflow,
// never an exception.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/result.h"

namespace suanli {

// Parses a plain finite decimal number ("0.85", "-3", "1e12", "+.5");
// surrounding spaces are allowed. Rejects hex, inf/nan, digit-less text,
// trailing characters and values that overflow or underflow a double.
Result<double> ParseNumber(std::string_view text);

// Parses a number as ParseNumber does and returns it when it lies in
// [min, max]; the error says the allowed range.
Result<double> ParseNumberInRange(std::string_view text, double min, double max);

// Parses a whole number in [min, max] ("42", "-7", "1e6", "2.0"); rejects
// fractions, hex and values beyond int64.
Result<int64_t> ParseInteger(std::string_view text, int64_t min, int64_t max);

// Returns OK when `value` is finite and in [min, max], else an error at
// `where` naming `what` and the range: for values computed or read by other
// stages (JSON numbers, sums, CLI options).
Status CheckNumberInRange(double value, double min, double max, std::string_view what,
                          std::string_view where = {});

}  // namespace suanli
