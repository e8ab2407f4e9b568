// config.json quantization_config: the checkpoint's weight format, on the
// blocks published checkpoints write (DeepSeek-V3, AWQ/GPTQ Llamas, gpt-oss,
// compressed-tensors), and the notes on methods suanli does not read.
#include "workload/hf_quant.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "workload/hf_config.h"

namespace suanli {
namespace {

// A Llama-3.1-70B-shaped config with `quant` as its quantization_config ("" = none).
ModelSpec ImportQuantized(std::string_view quant) {
  const std::string json = fmt::format(R"({{"model_type": "llama", "hidden_size": 8192, "num_hidden_layers": 80,
  "num_attention_heads": 64, "num_key_value_heads": 8, "intermediate_size": 28672,
  "vocab_size": 128256, "max_position_embeddings": 131072{}{}}})",
                                       quant.empty() ? "" : ",\n  \"quantization_config\": ", quant);
  auto spec = ImportHfConfig(json, "llama-3.1-70b-q/config.json");
  EXPECT_TRUE(spec.ok()) << spec.error().ToString();
  return spec.ok() ? *spec : ModelSpec{};
}

TEST(QuantizationConfig, NoneLeavesBf16) {
  const ModelSpec m = ImportQuantized("");
  EXPECT_FALSE(m.checkpoint.format.has_value());
  EXPECT_TRUE(m.checkpoint.unread.empty());
  EXPECT_EQ(DefaultServingWeights(m, true), Precision::kBf16);
  EXPECT_TRUE(CheckpointNotes(m).empty());
  EXPECT_EQ(ServingWeightsFlag(m, "", false), "bf16");
}

TEST(QuantizationConfig, DeepSeekV3Fp8) {
  // deepseek-ai/DeepSeek-V3 config.json.
  const ModelSpec m = ImportQuantized(R"({"activation_scheme": "dynamic", "fmt": "e4m3", "quant_method": "fp8",
    "weight_block_size": [128, 128]})");
  EXPECT_EQ(m.checkpoint.quant_method, "fp8");
  ASSERT_TRUE(m.checkpoint.format.has_value());
  EXPECT_EQ(*m.checkpoint.format, Precision::kFp8);
  EXPECT_EQ(m.checkpoint.detail, "e4m3, 128×128 blocks");
  EXPECT_EQ(DefaultServingWeights(m, true), Precision::kFp8);
  EXPECT_EQ(ServingWeightsFlag(m, "", true), "fp8");
  EXPECT_EQ(ServingWeightsFlag(m, "auto", true), "fp8");
  EXPECT_EQ(ServingWeightsFlag(m, "int4", true), "int4");  // a flag wins
  ASSERT_EQ(CheckpointNotes(m).size(), 1u);
  EXPECT_NE(CheckpointNotes(m)[0].find("stores its weights as fp8"), std::string::npos) << CheckpointNotes(m)[0];
  EXPECT_NE(CheckpointNotes(m)[0].find("training still trains at its precision"), std::string::npos);
}

TEST(QuantizationConfig, AwqAndGptqBitsAndGroups) {
  // hugging-quants/Meta-Llama-3.1-70B-Instruct-AWQ-INT4.
  const ModelSpec awq = ImportQuantized(R"({"bits": 4, "group_size": 128, "modules_to_not_convert": null,
    "quant_method": "awq", "version": "gemm", "zero_point": true})");
  ASSERT_TRUE(awq.checkpoint.format.has_value());
  EXPECT_EQ(*awq.checkpoint.format, Precision::kInt4);
  EXPECT_EQ(awq.checkpoint.bits, 4);
  EXPECT_EQ(awq.checkpoint.group_size, 128);
  // A GPTQ 8-bit checkpoint with per-channel scales (group_size -1).
  const ModelSpec gptq = ImportQuantized(R"({"bits": 8, "group_size": -1, "desc_act": false, "quant_method": "gptq",
    "sym": true, "true_sequential": true})");
  ASSERT_TRUE(gptq.checkpoint.format.has_value());
  EXPECT_EQ(*gptq.checkpoint.format, Precision::kInt8);
  EXPECT_EQ(gptq.checkpoint.group_size, -1);
  EXPECT_EQ(gptq.checkpoint.detail, "8 bits, per output channel");
  // 3-bit GPTQ is no format suanli sizes: a note naming the field, bf16 sizing.
  const ModelSpec three = ImportQuantized(R"({"bits": 3, "group_size": 128, "quant_method": "gptq"})");
  EXPECT_FALSE(three.checkpoint.format.has_value());
  EXPECT_NE(three.checkpoint.unread.find("quantization_config"), std::string::npos) << three.checkpoint.unread;
  EXPECT_EQ(DefaultServingWeights(three, true), Precision::kBf16);
}

TEST(QuantizationConfig, GptOssMxfp4IsFp4ServedAsInt4) {
  // openai/gpt-oss-120b config.json.
  const ModelSpec m = ImportQuantized(R"({"modules_to_not_convert": ["model.layers.*.self_attn", "model.layers.*.mlp.router",
    "model.embed_tokens", "lm_head"], "quant_method": "mxfp4"})");
  ASSERT_TRUE(m.checkpoint.format.has_value());
  EXPECT_EQ(*m.checkpoint.format, Precision::kFp4);
  EXPECT_EQ(DefaultServingWeights(m, false), Precision::kFp4);  // fit --infer sizes fp4
  EXPECT_EQ(DefaultServingWeights(m, true), Precision::kInt4);  // serve's formats: the same bytes
  EXPECT_NE(CheckpointNotes(m)[0].find("serve sizes fp4 weights as int4"), std::string::npos) << CheckpointNotes(m)[0];
}

TEST(QuantizationConfig, CompressedTensorsWhenSimple) {
  // RedHatAI/Meta-Llama-3.1-70B-Instruct-FP8 (one group, 8-bit float weights).
  const ModelSpec fp8 = ImportQuantized(R"({"config_groups": {"group_0": {"input_activations": {"dynamic": true,
    "num_bits": 8, "strategy": "token", "symmetric": true, "type": "float"}, "targets": ["Linear"],
    "weights": {"dynamic": false, "num_bits": 8, "observer": "minmax", "strategy": "channel",
    "symmetric": true, "type": "float"}}}, "format": "float-quantized", "ignore": ["lm_head"],
    "quant_method": "compressed-tensors", "quantization_status": "compressed"})");
  ASSERT_TRUE(fp8.checkpoint.format.has_value());
  EXPECT_EQ(*fp8.checkpoint.format, Precision::kFp8);
  // A W4A16 group-quantized one.
  const ModelSpec w4 = ImportQuantized(R"({"config_groups": {"group_0": {"targets": ["Linear"], "weights": {"num_bits": 4,
    "type": "int", "group_size": 128, "strategy": "group", "symmetric": true}}},
    "format": "pack-quantized", "quant_method": "compressed-tensors"})");
  ASSERT_TRUE(w4.checkpoint.format.has_value());
  EXPECT_EQ(*w4.checkpoint.format, Precision::kInt4);
  EXPECT_EQ(w4.checkpoint.group_size, 128);
  // Two groups: not simple, a note.
  const ModelSpec two = ImportQuantized(R"({"config_groups": {"a": {"weights": {"num_bits": 8, "type": "float"}},
    "b": {"weights": {"num_bits": 4, "type": "int"}}}, "quant_method": "compressed-tensors"})");
  EXPECT_FALSE(two.checkpoint.format.has_value());
  EXPECT_FALSE(two.checkpoint.unread.empty());
}

TEST(QuantizationConfig, UnsupportedMethodIsANoteNamingTheField) {
  const ModelSpec m = ImportQuantized(R"({"quant_method": "hqq", "nbits": 4})");
  EXPECT_FALSE(m.checkpoint.format.has_value());
  EXPECT_EQ(m.checkpoint.quant_method, "hqq");
  ASSERT_EQ(CheckpointNotes(m).size(), 1u);
  const std::string note = CheckpointNotes(m)[0];
  EXPECT_NE(note.find("llama-3.1-70b-q/config.json:"), std::string::npos) << note;
  EXPECT_NE(note.find("quant_method 'hqq' is not read"), std::string::npos) << note;
  EXPECT_NE(note.find("sized as bf16"), std::string::npos) << note;
  // Not an object, or without a method: a note too, never an import error.
  EXPECT_FALSE(ImportQuantized("4").checkpoint.unread.empty());
  EXPECT_FALSE(ImportQuantized(R"({"bits": 4})").checkpoint.unread.empty());
}

}  // namespace
}  // namespace suanli
