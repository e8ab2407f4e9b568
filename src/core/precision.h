// Numeric precisions of weights, activations and GEMMs, with their byte sizes.
#pragma once

#include <array>
#include <string_view>

#include "core/result.h"

namespace suanli {

enum class Precision { kFp32, kTf32, kBf16, kFp16, kFp8, kFp4, kInt8, kInt4 };
inline constexpr int kNumPrecisions = 8;

// Returns the lower-case name ("bf16").
std::string_view PrecisionName(Precision precision);
// Parses "bf16", "BF16", "fp8", ... ; error lists the accepted names.
Result<Precision> ParsePrecision(std::string_view text);
// Returns storage bytes per element (fp4/int4 = 0.5, tf32 stored as 4).
double BytesPerElement(Precision precision);
// Returns every precision in enum order.
constexpr std::array<Precision, kNumPrecisions> AllPrecisions() {
  return {Precision::kFp32, Precision::kTf32, Precision::kBf16, Precision::kFp16,
          Precision::kFp8,  Precision::kFp4,  Precision::kInt8, Precision::kInt4};
}

}  // namespace suanli
