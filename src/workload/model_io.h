// Reading model architectures from files: YAML model files (one model, or a
// `models:` list of presets) and Hugging Face config.json files.
#pragma once

#include <string>

#include "core/result.h"
#include "workload/hf_config.h"
#include "workload/model_check.h"
#include "workload/model_spec.h"
#include "workload/model_yaml.h"

namespace suanli {

// Returns the model of a file by extension: .json → Hugging Face config,
// .yaml/.yml → one model mapping (or a `models:` list holding exactly one).
Result<ModelSpec> LoadModelFile(const std::string& path);

}  // namespace suanli
