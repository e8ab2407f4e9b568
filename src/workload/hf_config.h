// Importing a Hugging Face config.json as a model (the families are in hf_families.h).
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"
#include "workload/model_spec.h"

namespace suanli {

// Returns the model of a Hugging Face config.json, read by the table of
// families in hf_families.h (llama, mistral, qwen2, qwen3, qwen3_moe,
// mixtral, deepseek_v3, gpt_oss, gpt2, gpt_neox, bloom, mpt). Reads
// num_key_value_heads and head_dim explicitly; never guesses the
// architecture from a name. Errors name the file, line:column and field.
Result<ModelSpec> ImportHfConfig(std::string_view json_text, const std::string& file_name);

}  // namespace suanli
