// The YAML model schema: one model mapping (data/models.yaml entries) or a `models:` list.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/yaml_reader.h"
#include "workload/model_spec.h"

namespace suanli {

// Returns the model of one mapping (the schema of data/models.yaml entries).
Result<ModelSpec> ParseModelMap(const YamlMap& map);

// Returns the models of a YAML document holding a `models:` list (empty
// without one); ids must be unique within the file.
Result<std::vector<ModelSpec>> ParseModelList(std::string_view text, const std::string& file_name);

}  // namespace suanli
