// Fuzz target: a Hugging Face config.json through the JSON reader and ImportHfConfig.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/json_reader.h"
#include "workload/model_io.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)suanli::ParseJson(text, "fuzz-config.json");
  auto model = suanli::ImportHfConfig(text, "fuzz-config.json");
  if (model.ok()) (void)suanli::ValidateModel(*model, "fuzz-config.json");
  return 0;
}
