// Loading a model file by its extension; the readers live in model_yaml and hf_config.
#include "workload/model_io.h"

#include <fmt/format.h>

#include "core/text.h"
#include "core/i18n.h"

namespace suanli {

Result<ModelSpec> LoadModelFile(const std::string& path) {
  SUANLI_ASSIGN_OR_RETURN(const std::string text, ReadTextFile(path));
  const std::string lower = ToLower(path);
  if (lower.ends_with(".json")) return ImportHfConfig(text, path);
  if (lower.ends_with(".yaml") || lower.ends_with(".yml")) {
    SUANLI_ASSIGN_OR_RETURN(YAML::Node root, ParseYaml(text, path));
    YamlMap top(root, path, "");
    if (root.IsMap() && top.Has("models")) {
      SUANLI_ASSIGN_OR_RETURN(std::vector<ModelSpec> models, ParseModelList(text, path));
      if (models.size() != 1) {
        return MakeError(TrFormat("a model file must hold one model, found {}", models.size()),
                         path, Tr("use --catalog FILE for a list of presets"));
      }
      return models.front();
    }
    if (!root.IsMap()) return MakeError(Tr("a model file must be a YAML mapping"), path);
    return ParseModelMap(top);
  }
  return MakeError(Tr("unknown model file type"), path,
                   Tr("use a Hugging Face config.json (.json) or a YAML model file (.yaml)"));
}

}  // namespace suanli
