// A Hugging Face config.json's "quantization_config": the format the
// checkpoint stores its weights in (DeepSeek-V3's fp8, AWQ/GPTQ int4,
// gpt-oss's MXFP4), and what serving uses by default because of it.
#pragma once

#include <string>
#include <vector>

#include "core/json_reader.h"
#include "core/precision.h"
#include "workload/model_spec.h"

namespace suanli {

// Returns what a config's "quantization_config" says of the weights, as
// transformers' quantizers read it: quant_method fp8 / fbgemm_fp8 (fmt e4m3
// or e5m2) → fp8; awq and gptq with bits 4 or 8 → int4 / int8 (group_size
// kept); mxfp4 → fp4; compressed-tensors with one config group of weights
// (8-bit float → fp8, 4- or 8-bit int → int4 / int8, 4-bit float → fp4).
// Anything else (another method, bits 2 or 3, several groups) comes back
// with format unset and `unread` saying which field and why; never an error.
// An absent or null quantization_config gives the empty value.
CheckpointWeights ReadQuantizationConfig(const JsonMap& config);

// Returns the format serving stores the weights in when the user names none
// (serve --weights, fit --infer --weight-precision): the checkpoint's, else
// bf16. `serve_formats`: only the formats `serve` models (bf16, fp8, int8,
// int4): a 4-bit float checkpoint (MXFP4) is sized as int4 there.
Precision DefaultServingWeights(const ModelSpec& model, bool serve_formats);

// Returns the flag text of the serving weights: `flag` when given (not ""
// or "auto"), else DefaultServingWeights' name.
std::string ServingWeightsFlag(const ModelSpec& model, const std::string& flag, bool serve_formats);

// Returns the notes on how a model file's checkpoint format is used, in the
// current language: one line when a quantization_config was read (the
// format, and that serving uses it unless a flag says otherwise while
// training keeps its precision), one when it was not (the field and why,
// weights sized as bf16); none without one.
std::vector<std::string> CheckpointNotes(const ModelSpec& model);

}  // namespace suanli
