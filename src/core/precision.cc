#include "core/precision.h"

#include <string>

#include "core/text.h"
#include "core/i18n.h"

namespace suanli {

std::string_view PrecisionName(Precision precision) {
  switch (precision) {
    case Precision::kFp32: return "fp32";
    case Precision::kTf32: return "tf32";
    case Precision::kBf16: return "bf16";
    case Precision::kFp16: return "fp16";
    case Precision::kFp8: return "fp8";
    case Precision::kFp4: return "fp4";
    case Precision::kInt8: return "int8";
    case Precision::kInt4: return "int4";
  }
  return "?";
}

Result<Precision> ParsePrecision(std::string_view text) {
  if (auto found = FindByName<Precision>(text, AllPrecisions(), PrecisionName)) return *found;
  return MakeError(TrFormat("unknown precision '{}'", text), "",
                   Tr("use one of fp32, tf32, bf16, fp16, fp8, fp4, int8, int4"));
}

double BytesPerElement(Precision precision) {
  switch (precision) {
    case Precision::kFp32:
    case Precision::kTf32: return 4.0;
    case Precision::kBf16:
    case Precision::kFp16: return 2.0;
    case Precision::kFp8:
    case Precision::kInt8: return 1.0;
    case Precision::kFp4:
    case Precision::kInt4: return 0.5;
  }
  return 2.0;
}

}  // namespace suanli
