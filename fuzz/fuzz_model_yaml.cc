// Fuzz target: a YAML model file (one mapping or a `models:` list), parsed and checked as LoadModelFile does.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/yaml_reader.h"
#include "workload/model_io.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::string file_name = "fuzz-model.yaml";
  auto list = suanli::ParseModelList(text, file_name);
  if (list.ok()) {
    for (const suanli::ModelSpec& model : *list) (void)suanli::ValidateModel(model, file_name);
  }
  auto root = suanli::ParseYaml(text, file_name);
  if (!root.ok() || !root->IsMap()) return 0;
  const suanli::YamlMap top(*root, file_name, "");
  auto model = suanli::ParseModelMap(top);
  if (model.ok()) (void)suanli::ValidateModel(*model, file_name);
  return 0;
}
