// Importing a Hugging Face config.json as a model (the families are in hf_families.h).
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"
#include "workload/model_spec.h"

namespace suanli {

// Returns the model of a Hugging Face config.json, read by the table of
// families in hf_families.h (SupportedHfFamilies lists them). Reads
// num_key_value_heads and head_dim explicitly; never guesses the
// architecture from a name. Errors name the file, line:column and field; an
// unread key that nearly spells a read one (hf_config_keys.h) gets a line in
// the model's read_notes, or "did you mean" when the key it misspells is required.
Result<ModelSpec> ImportHfConfig(std::string_view json_text, const std::string& file_name);

}  // namespace suanli
