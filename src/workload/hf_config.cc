// config.json import: parse with positions, pick the family by model_type, validate.
#include "workload/hf_config.h"

#include <filesystem>

#include <fmt/format.h>

#include "core/json_reader.h"
#include "workload/hf_families.h"
#include "workload/model_check.h"
#include "core/i18n.h"

namespace suanli {
namespace {

// Returns the model id of a config file: its stem, or the folder name for "config.json".
std::string FileStem(const std::string& file_name) {
  std::filesystem::path path(file_name);
  std::string stem = path.stem().string();
  if (stem == "config" && path.has_parent_path()) {
    const std::string parent = path.parent_path().filename().string();
    if (!parent.empty() && parent != ".") stem = parent;
  }
  return stem;
}

// Returns the hint for a config without model_type: the family its
// "architectures" names, or the supported list.
std::string MissingModelTypeHint(const JsonMap& config) {
  if (const JsonValue* classes = config.Get("architectures");
      classes != nullptr && classes->kind == JsonValue::Kind::kArray) {
    for (const JsonValue& name : classes->items) {
      if (const HfFamily* family = FindHfFamilyByArchitecture(name.text);
          family != nullptr && name.kind == JsonValue::Kind::kString) {
        return fmt::format("add \"model_type\": \"{}\" ({} is that family)", family->model_type,
                           name.text);
      }
    }
  }
  return fmt::format("supported model types: {}", SupportedHfFamilies());
}

}  // namespace

Result<ModelSpec> ImportHfConfig(std::string_view json_text, const std::string& file_name) {
  SUANLI_ASSIGN_OR_RETURN(const JsonValue root, ParseJson(json_text, file_name));
  if (root.kind != JsonValue::Kind::kObject) {
    return MakeError(Tr("config.json must be a JSON object"), file_name);
  }
  const JsonMap config(root, file_name);
  const JsonValue* model_type = config.Get("model_type");
  if (model_type == nullptr || model_type->kind != JsonValue::Kind::kString) {
    return MakeError(Tr("missing field 'model_type'"), file_name, MissingModelTypeHint(config));
  }
  const HfFamily* family = FindHfFamily(model_type->text);
  if (family == nullptr) {
    return MakeError(TrFormat("unsupported model_type '{}'", model_type->text),
                     config.Where("model_type"),
                     TrFormat("supported: {}; or write a YAML model file (data/models.yaml "
                                 "documents the fields)",
                                 SupportedHfFamilies()));
  }
  ModelSpec spec;
  spec.family = model_type->text;
  spec.id = FileStem(file_name);
  spec.name = spec.id;
  spec.source = fmt::format("Hugging Face config.json: {}", file_name);
  SUANLI_RETURN_IF_ERROR(family->read(spec, config));
  SUANLI_RETURN_IF_ERROR(ValidateModel(spec, file_name));
  return spec;
}

}  // namespace suanli
