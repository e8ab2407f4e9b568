// Reading model architectures: YAML model files (one model, or a `models:`
// list of presets) and Hugging Face config.json files.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/yaml_reader.h"
#include "workload/model_spec.h"

namespace suanli {

// Parses one model mapping (the schema of data/models.yaml entries).
Result<ModelSpec> ParseModelMap(const YamlMap& map);

// Parses a YAML document holding a `models:` list.
Result<std::vector<ModelSpec>> ParseModelList(std::string_view text, const std::string& file_name);

// Imports a Hugging Face config.json (llama, mistral, qwen2, qwen3,
// qwen3_moe, mixtral, deepseek_v3, gpt_oss, gpt2, gpt_neox, bloom, mpt).
// Reads num_key_value_heads and head_dim explicitly; never guesses the
// architecture from a name. Errors name the file, line:column and field.
Result<ModelSpec> ImportHfConfig(std::string_view json_text, const std::string& file_name);

// Loads a model file by extension: .json → Hugging Face config, .yaml/.yml →
// one model mapping.
Result<ModelSpec> LoadModelFile(const std::string& path);

// Checks a model for missing, contradictory or absurd values (heads not
// dividing hidden when head_dim is absent, zero layers, ...).
Status ValidateModel(const ModelSpec& spec, const std::string& where);

}  // namespace suanli
