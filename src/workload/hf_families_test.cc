// The table of Hugging Face families, and config.json import on bad input.
#include "workload/hf_families.h"

#include <set>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "workload/hf_config.h"
#include "workload/import_test_support.h"

namespace suanli {
namespace {

TEST(HfFamilies, TableIsUniqueAndFindable) {
  std::set<std::string_view> types, classes;
  for (const HfFamily& family : HfFamilies()) {
    EXPECT_TRUE(types.insert(family.model_type).second) << family.model_type;
    EXPECT_TRUE(classes.insert(family.architecture).second) << family.architecture;
    EXPECT_EQ(FindHfFamily(family.model_type), &family);
    EXPECT_EQ(FindHfFamilyByArchitecture(family.architecture), &family);
    EXPECT_NE(family.read, nullptr);
  }
  EXPECT_EQ(HfFamilies().size(), 20u);
  EXPECT_EQ(FindHfFamily("rwkv"), nullptr);
  EXPECT_EQ(SupportedHfFamilies(),
            "llama, mistral, qwen2, qwen3, qwen3_moe, mixtral, deepseek_v3, gpt_oss, gpt2, "
            "gpt_neox, bloom, mpt, gemma2, gemma3_text, phi3, olmo2, internlm2, glm, glm4, chatglm");
}

// A minimal llama-shaped config that every LlamaConfig-named family accepts.
constexpr const char* kLlamaFields = R"("hidden_size": 512, "num_hidden_layers": 4,
  "num_attention_heads": 8, "intermediate_size": 1024, "vocab_size": 1000,
  "sliding_window": 256)";

TEST(HfFamilies, LlamaVariantsDifferOnlyWhereTheirConfigsDo) {
  auto read = [](std::string_view type) {
    auto spec = ImportHfConfig(fmt::format(R"({{"model_type": "{}", {}}})", type, kLlamaFields),
                               "x/config.json");
    EXPECT_TRUE(spec.ok()) << spec.error().ToString();
    return spec.ok() ? *spec : ModelSpec{};
  };
  const ModelSpec llama = read("llama"), mistral = read("mistral"), qwen2 = read("qwen2"),
                  qwen3 = read("qwen3");
  EXPECT_EQ(llama.id, "x");
  EXPECT_EQ(llama.sliding_window, 0);  // off unless use_sliding_window
  EXPECT_EQ(mistral.sliding_window, 256);
  EXPECT_EQ(mistral.sliding_window_layers, 4);
  EXPECT_TRUE(qwen2.qkv_bias);
  EXPECT_FALSE(qwen3.qkv_bias);
  EXPECT_EQ(qwen3.family, "qwen3");
}

// transformers' Qwen2Config: the window is used only with use_sliding_window,
// and then by the layers with index >= max_window_layers (default 28), or by
// those "layer_types" marks "sliding_attention".
TEST(HfFamilies, QwenWindowFollowsMaxWindowLayers) {
  auto read = [](std::string_view type, std::string_view extra) {
    auto spec = ImportHfConfig(fmt::format(R"({{"model_type": "{}", "hidden_size": 512,
      "num_hidden_layers": 28, "num_attention_heads": 8, "intermediate_size": 1024,
      "vocab_size": 1000, "sliding_window": 4096{}}})", type, extra), "q/config.json");
    EXPECT_TRUE(spec.ok()) << spec.error().ToString();
    return spec.ok() ? *spec : ModelSpec{};
  };
  for (const char* type : {"qwen2", "qwen3"}) {
    EXPECT_EQ(read(type, "").sliding_window, 0) << type;
    EXPECT_EQ(read(type, R"(, "use_sliding_window": false, "max_window_layers": 0)").sliding_window, 0);
    // Every layer index is below 28: no layer windowed (stock Qwen2.5-7B).
    ModelSpec m = read(type, R"(, "use_sliding_window": true, "max_window_layers": 28)");
    EXPECT_EQ(m.sliding_window, 0) << type;
    EXPECT_EQ(m.sliding_window_layers, 0) << type;
    m = read(type, R"(, "use_sliding_window": true)");  // the default is 28 too
    EXPECT_EQ(m.sliding_window_layers, 0) << type;
    m = read(type, R"(, "use_sliding_window": true, "max_window_layers": 14)");
    EXPECT_EQ(m.sliding_window, 4096) << type;
    EXPECT_EQ(m.sliding_window_layers, 14) << type;
    m = read(type, R"(, "use_sliding_window": true, "max_window_layers": 0)");
    EXPECT_EQ(m.sliding_window_layers, 28) << type;
  }
  std::string types = R"(, "use_sliding_window": true, "max_window_layers": 0, "layer_types": [)";
  for (int i = 0; i < 28; ++i) types += i % 4 == 3 ? "\"sliding_attention\"," : "\"full_attention\",";
  types.back() = ']';
  EXPECT_EQ(read("qwen2", types).sliding_window_layers, 7);
  const Error e = ImportError(R"({"model_type": "qwen2", "hidden_size": 512, "num_hidden_layers": 2,
    "num_attention_heads": 8, "intermediate_size": 1024, "vocab_size": 1000, "sliding_window": 64,
    "use_sliding_window": true, "layer_types": ["full_attention"]})");
  EXPECT_EQ(e.where, "m/config.json:3:33 layer_types") << e.ToString();
}

// Every family reads "layer_types" through one function: it says which
// layers use the window (llama included, whose LlamaConfig has no window
// rule of its own), and a list of the wrong length is an error in every
// family, even where the window is off.
TEST(HfFamilies, EveryFamilyReadsLayerTypesTheSameWay) {
  const std::string types = R"(, "layer_types": ["sliding_attention", "full_attention",
    "sliding_attention", "full_attention"])";
  for (const char* type : {"llama", "mistral", "qwen2", "qwen3"}) {
    const std::string extra = std::string(type).starts_with("qwen") ? R"(, "use_sliding_window": true)" : "";
    auto spec = ImportHfConfig(fmt::format(R"({{"model_type": "{}", {}{}{}}})", type, kLlamaFields, extra, types),
                               "x/config.json");
    ASSERT_TRUE(spec.ok()) << type << ": " << spec.error().ToString();
    EXPECT_EQ(spec->sliding_window, 256) << type;
    EXPECT_EQ(spec->sliding_window_layers, 2) << type;
    const Error e = ImportError(fmt::format(R"({{"model_type": "{}", {},
      "layer_types": ["full_attention"]}})", type, kLlamaFields));
    EXPECT_EQ(e.where, "m/config.json:4:7 layer_types") << type << ": " << e.ToString();
  }
}

// rope_scaling (yarn, dynamic, linear, llama3) extends the usable context to
// original × factor, or max_position_embeddings when that is larger.
TEST(HfFamilies, RopeScalingExtendsTheUsableContext) {
  auto read = [](std::string_view extra) {
    auto spec = ImportHfConfig(fmt::format(R"({{"model_type": "qwen2", {}, "max_position_embeddings": 32768{}}})",
                                           kLlamaFields, extra),
                               "q/config.json");
    EXPECT_TRUE(spec.ok()) << spec.error().ToString();
    return spec.ok() ? *spec : ModelSpec{};
  };
  EXPECT_EQ(read("").UsableContext(), 32768);
  ModelSpec m = read(R"(, "rope_scaling": {"type": "yarn", "factor": 4.0, "original_max_position_embeddings": 32768})");
  EXPECT_EQ(m.rope_scaling, "yarn");
  EXPECT_EQ(m.max_seq_len, 32768);
  EXPECT_EQ(m.UsableContext(), 131072);
  // Without its own original length, linear and dynamic scale max_position_embeddings.
  EXPECT_EQ(read(R"(, "rope_scaling": {"rope_type": "linear", "factor": 2})").UsableContext(), 65536);
  // An extension shorter than max_position_embeddings leaves it standing
  // (Llama 3.1: 8 × 8,192 < 131,072).
  EXPECT_EQ(read(R"(, "rope_scaling": {"rope_type": "llama3", "factor": 2.0,
    "original_max_position_embeddings": 8192})").UsableContext(), 32768);
  EXPECT_EQ(read(R"(, "rope_scaling": {"rope_type": "default"})").UsableContext(), 32768);
  EXPECT_EQ(read(R"(, "rope_scaling": null)").UsableContext(), 32768);
  const Error e = ImportError(fmt::format(R"({{"model_type": "llama", {}, "rope_scaling": 4}})", kLlamaFields));
  EXPECT_EQ(e.message, "'rope_scaling' must be an object") << e.ToString();
}

// Per rope type, as transformers' modeling_rope_utils reads it: llama3's
// max_position_embeddings is already the extended length (Llama 3.2 1B's
// config.json: 131,072 with factor 32 of 8,192; Meta publishes 128K), so
// original × factor (262,144) is not the limit; yarn's max_position_embeddings
// may be the pre-training length (Qwen2.5: 32,768, factor 4 → 131,072) or the
// extended one (DeepSeek-V3: 163,840 = 40 × 4,096).
TEST(HfFamilies, RopeScalingPerTypeFollowsTransformers) {
  auto read = [](std::string_view fields) {
    auto spec = ImportHfConfig(fmt::format(R"({{"model_type": "llama", {}, {}}})", kLlamaFields, fields),
                               "l/config.json");
    EXPECT_TRUE(spec.ok()) << spec.error().ToString();
    return spec.ok() ? *spec : ModelSpec{};
  };
  const ModelSpec llama32 = read(R"("max_position_embeddings": 131072, "rope_scaling": {"factor": 32.0,
    "high_freq_factor": 4.0, "low_freq_factor": 1.0, "original_max_position_embeddings": 8192,
    "rope_type": "llama3"})");
  EXPECT_EQ(llama32.rope_scaling, "llama3");
  EXPECT_EQ(llama32.UsableContext(), 131072);
  EXPECT_EQ(read(R"("max_position_embeddings": 163840, "rope_scaling": {"type": "yarn", "factor": 40,
    "original_max_position_embeddings": 4096})").UsableContext(), 163840);
  EXPECT_EQ(read(R"("max_position_embeddings": 32768, "rope_scaling": {"type": "yarn", "factor": 4.0,
    "original_max_position_embeddings": 32768})").UsableContext(), 131072);
  EXPECT_EQ(read(R"("max_position_embeddings": 4096, "rope_scaling": {"type": "dynamic", "factor": 2.0})")
                .UsableContext(), 8192);
}

TEST(ImportHfConfigBadInput, DuplicateKeyNamesTheSecond) {
  const Error e = ImportError("{\"model_type\": \"llama\",\n \"hidden_size\": 1,\n \"hidden_size\": 2}");
  EXPECT_EQ(e.where, "m/config.json:3:2 hidden_size") << e.ToString();
  EXPECT_NE(e.message.find("duplicate key"), std::string::npos);
}

TEST(ImportHfConfigBadInput, OverflowingNumberNamesTheFile) {
  const Error e = ImportError("{\"model_type\": \"llama\", \"hidden_size\": 1e400}");
  EXPECT_EQ(e.where, "m/config.json:1:40 hidden_size") << e.ToString();
  EXPECT_NE(e.message.find("too large"), std::string::npos);
}

TEST(ImportHfConfigBadInput, WrongTypesAndMissingModelType) {
  Error e = ImportError(R"({"model_type": "llama", "hidden_size": "4096"})");
  EXPECT_EQ(e.message, "missing required field 'num_hidden_layers'");
  e = ImportError(R"({"model_type": "llama", "num_hidden_layers": 2, "hidden_size": "4096"})");
  EXPECT_EQ(e.message, "'hidden_size' must be a number, got \"4096\"");
  EXPECT_EQ(e.where, "m/config.json:1:49 hidden_size");
  e = ImportError(R"({"architectures": ["Qwen2ForCausalLM"], "hidden_size": 8})");
  EXPECT_EQ(e.message, "missing field 'model_type'");
  EXPECT_NE(e.hint.find("\"model_type\": \"qwen2\""), std::string::npos) << e.hint;
  e = ImportError("[1, 2]");
  EXPECT_EQ(e.message, "config.json must be a JSON object");
  e = ImportError(R"({"model_type": "qwen3_moe", "hidden_size": 64, "num_hidden_layers": 4,
    "num_attention_heads": 4, "vocab_size": 10, "num_experts": 4, "num_experts_per_tok": 1,
    "moe_intermediate_size": 8, "mlp_only_layers": [0, 2]})");
  EXPECT_NE(e.message.find("leading prefix"), std::string::npos) << e.ToString();
  EXPECT_EQ(e.where, "m/config.json:3:33 mlp_only_layers");
}

// Returns the model of a config.json text that must import.
ModelSpec MustImport(std::string_view json, std::string_view path = "m/config.json") {
  auto spec = ImportHfConfig(json, std::string(path));
  EXPECT_TRUE(spec.ok()) << (spec.ok() ? "" : spec.error().ToString());
  return spec.ok() ? *spec : ModelSpec{};
}

// Official config.json values (Hugging Face model repos, read 2026-12-07);
// published sizes from the model cards / the Hub's safetensors count.
TEST(HfFamilies, NewFamiliesMatchPublishedSizes) {
  // google/gemma-2-9b: 9.24 B; GeGLU, head_dim 256, tied, every other layer local (4096).
  const ModelSpec gemma2 = MustImport(R"({"architectures":["Gemma2ForCausalLM"],"attention_bias":false,
    "attn_logit_softcapping":50.0,"cache_implementation":"hybrid","final_logit_softcapping":30.0,"head_dim":256,
    "hidden_act":"gelu_pytorch_tanh","hidden_activation":"gelu_pytorch_tanh","hidden_size":3584,
    "intermediate_size":14336,"max_position_embeddings":8192,"model_type":"gemma2","num_attention_heads":16,
    "num_hidden_layers":42,"num_key_value_heads":8,"query_pre_attn_scalar":256,"rms_norm_eps":1e-06,
    "rope_theta":10000.0,"sliding_window":4096,"torch_dtype":"float32","vocab_size":256000})");
  EXPECT_NEAR(CountParams(gemma2).total / 1e9, 9.24, 0.005);
  EXPECT_TRUE(gemma2.tied_embeddings);
  EXPECT_TRUE(gemma2.gated_mlp);
  EXPECT_EQ(gemma2.head_dim, 256);
  EXPECT_EQ(gemma2.sliding_window, 4096);
  EXPECT_EQ(gemma2.sliding_window_layers, 21);  // layers 0, 2, .., 40
  EXPECT_TRUE(gemma2.read_notes.empty());
  // microsoft/Phi-3-medium-4k-instruct: 13.96 B; fused qkv_proj, 10 kv heads.
  const ModelSpec phi3 = MustImport(R"({"architectures":["Phi3ForCausalLM"],"embd_pdrop":0.0,
    "hidden_act":"silu","hidden_size":5120,"intermediate_size":17920,"max_position_embeddings":4096,
    "model_type":"phi3","num_attention_heads":40,"num_hidden_layers":40,"num_key_value_heads":10,
    "original_max_position_embeddings":4096,"resid_pdrop":0.0,"rope_scaling":null,"sliding_window":2047,
    "tie_word_embeddings":false,"vocab_size":32064})");
  EXPECT_NEAR(CountParams(phi3).total / 1e9, 13.96, 0.005);
  EXPECT_EQ(phi3.kv_heads, 10);
  EXPECT_EQ(phi3.sliding_window_layers, 40);
  // google/gemma-3-1b-pt (gemma3_text): 1.00 B; five local layers to one global.
  const ModelSpec gemma3 = MustImport(R"({"model_type":"gemma3_text","hidden_size":1152,"intermediate_size":6912,
    "num_hidden_layers":26,"num_attention_heads":4,"num_key_value_heads":1,"head_dim":256,"vocab_size":262144,
    "max_position_embeddings":32768,"sliding_window":512,"sliding_window_pattern":6,"query_pre_attn_scalar":256,
    "rope_local_base_freq":10000})");
  EXPECT_NEAR(CountParams(gemma3).total / 1e9, 1.00, 0.005);
  EXPECT_EQ(gemma3.sliding_window_layers, 22);
  // allenai/OLMo-2-1124-7B: 7.30 B.
  const ModelSpec olmo2 = MustImport(R"({"model_type":"olmo2","hidden_size":4096,"intermediate_size":11008,
    "num_hidden_layers":32,"num_attention_heads":32,"num_key_value_heads":32,"vocab_size":100352,
    "max_position_embeddings":4096,"tie_word_embeddings":false,"attention_bias":false})");
  EXPECT_NEAR(CountParams(olmo2).total / 1e9, 7.30, 0.005);
  // internlm/internlm2-chat-7b: 7.74 B.
  const ModelSpec internlm2 = MustImport(R"({"model_type":"internlm2","bias":false,"hidden_size":4096,
    "intermediate_size":14336,"num_hidden_layers":32,"num_attention_heads":32,"num_key_value_heads":8,
    "vocab_size":92544,"max_position_embeddings":32768,"tie_word_embeddings":false})");
  EXPECT_NEAR(CountParams(internlm2).total / 1e9, 7.74, 0.005);
  // THUDM/glm-4-9b-chat-hf: 9.40 B; THUDM/chatglm3-6b: 6.24 B.
  const ModelSpec glm = MustImport(R"({"model_type":"glm","attention_bias":true,"head_dim":128,"hidden_size":4096,
    "intermediate_size":13696,"num_hidden_layers":40,"num_attention_heads":32,"num_key_value_heads":2,
    "vocab_size":151552,"max_position_embeddings":131072,"partial_rotary_factor":0.5,"tie_word_embeddings":false})");
  EXPECT_NEAR(CountParams(glm).total / 1e9, 9.40, 0.005);
  EXPECT_TRUE(glm.qkv_bias);
  const ModelSpec chatglm = MustImport(R"({"model_type":"chatglm","num_layers":28,"hidden_size":4096,
    "ffn_hidden_size":13696,"kv_channels":128,"num_attention_heads":32,"multi_query_attention":true,
    "multi_query_group_num":2,"padded_vocab_size":65024,"seq_length":8192,"add_qkv_bias":true,
    "add_bias_linear":false,"original_rope":true,"rmsnorm":true,"layernorm_epsilon":1e-05})");
  EXPECT_NEAR(CountParams(chatglm).total / 1e9, 6.24, 0.005);
  EXPECT_EQ(chatglm.kv_heads, 2);
}

// A key no reader reads that nearly spells one it does gets a note naming the
// file, line, the key and the nearest known key; legitimate ignored keys get none.
TEST(ImportHfConfigKeys, NearMissOfAKnownKeyGetsANote) {
  const ModelSpec typo = MustImport(R"({"model_type": "llama", "hidden_size": 4096, "num_hidden_layers": 32,
  "num_attention_heads": 32, "num_key_value_head": 8, "intermediate_size": 14336, "vocab_size": 128256,
  "rope_theta": 500000.0, "pretraining_tp": 1, "my_own_key": 3})");
  EXPECT_EQ(typo.kv_heads, 32);  // still read as transformers reads it; the note says why
  ASSERT_EQ(typo.read_notes.size(), 1u);
  EXPECT_NE(typo.read_notes[0].find("m/config.json:2:30 num_key_value_head"), std::string::npos) << typo.read_notes[0];
  EXPECT_NE(typo.read_notes[0].find("'num_key_value_heads'"), std::string::npos);
  // A missing required key whose near-miss is present: "did you mean", at the misspelled key.
  const Error error = ImportError(R"({"model_type": "llama", "hidden_size": 4096, "num_hiden_layers": 32,
  "num_attention_heads": 32, "intermediate_size": 14336, "vocab_size": 128256})");
  EXPECT_NE(error.where.find("m/config.json:1:46 num_hiden_layers"), std::string::npos) << error.where;
  EXPECT_NE(error.hint.find("did you mean 'num_hidden_layers'?"), std::string::npos) << error.hint;
}

}  // namespace
}  // namespace suanli
