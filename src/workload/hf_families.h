// The table of Hugging Face model families suanli reads: model_type → how to read its config.json.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "core/json_reader.h"
#include "core/result.h"
#include "workload/model_spec.h"

namespace suanli {

// One supported family. Field names follow the transformers library's
// configuration class of the family (LlamaConfig, Qwen3Config, GPT2Config, ...).
struct HfFamily {
  std::string_view model_type;    // config.json "model_type"
  std::string_view architecture;  // the transformers class in config.json "architectures"
  // Fills the architecture fields of `spec` from the config; errors name the field.
  Status (*read)(ModelSpec& spec, const JsonMap& config);
};

// Returns every supported family, in the order messages list them.
std::span<const HfFamily> HfFamilies();

// Returns the family whose model_type is `model_type`, or nullptr.
const HfFamily* FindHfFamily(std::string_view model_type);

// Returns the family whose architecture class is `architecture`, or nullptr.
const HfFamily* FindHfFamilyByArchitecture(std::string_view architecture);

// Returns the supported model types as "llama, mistral, ...".
std::string SupportedHfFamilies();

}  // namespace suanli
