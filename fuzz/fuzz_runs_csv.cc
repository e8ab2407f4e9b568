// Fuzz target: a training-runs validation CSV through ParseRunsCsv.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "validate/runs_csv.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)suanli::ParseRunsCsv(text, "fuzz-runs.csv");
  return 0;
}
