// YAML model schema and Hugging Face config.json import, bad input included.
#include "workload/model_io.h"

#include <cstdio>

#include <gtest/gtest.h>

#include "workload/import_test_support.h"

namespace suanli {
namespace {

ModelSpec Import(const std::string& json) {
  auto spec = ImportHfConfig(json, "config.json");
  EXPECT_TRUE(spec.ok()) << spec.error().ToString();
  return spec.ok() ? *spec : ModelSpec{};
}

TEST(ImportHfConfig, LlamaTwoSeventyB) {
  const ModelSpec spec = Import(R"({"model_type": "llama", "hidden_size": 8192,
    "num_hidden_layers": 80, "num_attention_heads": 64, "num_key_value_heads": 8,
    "intermediate_size": 28672, "vocab_size": 32000, "max_position_embeddings": 4096,
    "torch_dtype": "float16"})");
  EXPECT_EQ(spec.layers, 80);
  EXPECT_EQ(spec.kv_heads, 8);
  EXPECT_EQ(spec.head_dim, 128);
  EXPECT_NEAR(CountParams(spec).total / 68.98e9, 1.0, 0.01);
}

TEST(ImportHfConfig, Qwen3ExplicitHeadDim) {
  // Qwen3-0.6B: hidden 1024, 16 heads but head_dim 128 (not 64).
  const ModelSpec spec = Import(R"({"model_type": "qwen3", "hidden_size": 1024,
    "num_hidden_layers": 28, "num_attention_heads": 16, "num_key_value_heads": 8,
    "head_dim": 128, "intermediate_size": 3072, "vocab_size": 151936,
    "tie_word_embeddings": true, "max_position_embeddings": 40960})");
  EXPECT_EQ(spec.head_dim, 128);
  EXPECT_EQ(spec.QueryWidth(), 2048);
  EXPECT_TRUE(spec.tied_embeddings);
  // Published 0.6B total (0.44B without embeddings).
  EXPECT_NEAR(CountParams(spec).total / 0.596e9, 1.0, 0.02);
}

TEST(ImportHfConfig, Qwen2HasQkvBias) {
  const ModelSpec spec = Import(R"({"model_type": "qwen2", "hidden_size": 8192,
    "num_hidden_layers": 80, "num_attention_heads": 64, "num_key_value_heads": 8,
    "intermediate_size": 29568, "vocab_size": 152064, "use_sliding_window": false,
    "sliding_window": 131072})");
  EXPECT_TRUE(spec.qkv_bias);
  EXPECT_EQ(spec.sliding_window, 0);
  EXPECT_NEAR(CountParams(spec).total / 72.7e9, 1.0, 0.01);
}

TEST(ImportHfConfig, Qwen3Moe) {
  const ModelSpec spec = Import(R"({"model_type": "qwen3_moe", "hidden_size": 2048,
    "num_hidden_layers": 48, "num_attention_heads": 32, "num_key_value_heads": 4, "head_dim": 128,
    "intermediate_size": 6144, "moe_intermediate_size": 768, "num_experts": 128,
    "num_experts_per_tok": 8, "decoder_sparse_step": 1, "mlp_only_layers": [],
    "vocab_size": 151936})");
  EXPECT_EQ(spec.MoeLayerCount(), 48);
  const ParamCounts c = CountParams(spec);
  EXPECT_NEAR(c.total / 30.5e9, 1.0, 0.01);
  EXPECT_NEAR((c.active + c.embedding) / 3.3e9, 1.0, 0.02);  // Qwen's 3.3B counts the embedding
}

TEST(ImportHfConfig, Mixtral) {
  const ModelSpec spec = Import(R"({"model_type": "mixtral", "hidden_size": 4096,
    "num_hidden_layers": 32, "num_attention_heads": 32, "num_key_value_heads": 8,
    "intermediate_size": 14336, "num_local_experts": 8, "num_experts_per_tok": 2,
    "vocab_size": 32000, "sliding_window": null})");
  EXPECT_EQ(spec.moe.experts, 8);
  EXPECT_NEAR(CountParams(spec).total / 46.7e9, 1.0, 0.01);
  // Mistral's 12.9B counts the input embedding; suanli's active does not.
  EXPECT_NEAR((CountParams(spec).active + CountParams(spec).embedding) / 12.9e9, 1.0, 0.01);
}

TEST(ImportHfConfig, DeepSeekV3) {
  const ModelSpec spec = Import(R"({"model_type": "deepseek_v3", "hidden_size": 7168,
    "num_hidden_layers": 61, "num_attention_heads": 128, "num_key_value_heads": 128,
    "intermediate_size": 18432, "moe_intermediate_size": 2048, "n_routed_experts": 256,
    "n_shared_experts": 1, "num_experts_per_tok": 8, "first_k_dense_replace": 3,
    "moe_layer_freq": 1, "q_lora_rank": 1536, "kv_lora_rank": 512, "qk_nope_head_dim": 128,
    "qk_rope_head_dim": 64, "v_head_dim": 128, "vocab_size": 129280,
    "num_nextn_predict_layers": 1, "n_group": 8, "topk_group": 4})");
  EXPECT_TRUE(spec.use_mla);
  EXPECT_EQ(spec.mtp_layers, 1);
  EXPECT_EQ(spec.moe.dense_layers, 3);
  EXPECT_EQ(spec.moe.expert_groups, 8);
  EXPECT_EQ(spec.moe.groups_per_token, 4);
  EXPECT_NEAR(CountParams(spec).total / 671e9, 1.0, 0.01);
}

TEST(ImportHfConfig, GroupLimitOnlyWhenNarrowerThanTheGroups) {
  // Kimi K2 style: n_group 1, topk_group 1 is no limit at all.
  const std::string base = R"({"model_type": "deepseek_v3", "hidden_size": 64,
    "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 128,
    "moe_intermediate_size": 32, "n_routed_experts": 12, "num_experts_per_tok": 2,
    "kv_lora_rank": 16, "qk_nope_head_dim": 16, "qk_rope_head_dim": 8, "v_head_dim": 16,
    "vocab_size": 100, )";
  ModelSpec spec = Import(base + R"("n_group": 1, "topk_group": 1})");
  EXPECT_EQ(spec.moe.groups_per_token, 0);
  // 12 experts in 5 groups cannot be split evenly: the config.json keys are
  // named, at the line of n_group.
  const Error e = ImportError(base + R"("n_group": 5, "topk_group": 2})");
  EXPECT_EQ(e.where, "m/config.json:5:24 n_group") << e.ToString();
  EXPECT_EQ(e.message, "n_group = 5 must divide n_routed_experts = 12") << e.ToString();
}

TEST(ImportHfConfig, GptOss) {
  const ModelSpec spec = Import(R"({"model_type": "gpt_oss", "hidden_size": 2880,
    "num_hidden_layers": 4, "num_attention_heads": 64, "num_key_value_heads": 8, "head_dim": 64,
    "intermediate_size": 2880, "num_local_experts": 128, "experts_per_token": 4,
    "vocab_size": 201088, "sliding_window": 128, "attention_bias": true,
    "layer_types": ["sliding_attention", "full_attention", "sliding_attention", "full_attention"]})");
  EXPECT_EQ(spec.sliding_window, 128);
  EXPECT_EQ(spec.sliding_window_layers, 2);
  EXPECT_EQ(spec.moe.topk, 4);
  EXPECT_TRUE(spec.mlp_bias);
}

TEST(ImportHfConfig, Gpt2Family) {
  // GPT-2 small: 124.4M parameters (tied, learned positions, biases everywhere).
  const ModelSpec spec = Import(R"({"model_type": "gpt2", "n_layer": 12, "n_embd": 768,
    "n_head": 12, "n_positions": 1024, "n_inner": null, "vocab_size": 50257})");
  EXPECT_EQ(spec.ffn_hidden, 3072);
  EXPECT_TRUE(spec.learned_positions);
  EXPECT_NEAR(CountParams(spec).total, 124439808, 1);
}

TEST(ImportHfConfig, NeoxBloomMpt) {
  // Pythia-160M style (GPT-NeoX, untied): 162.3M.
  const ModelSpec neox = Import(R"({"model_type": "gpt_neox", "num_hidden_layers": 12,
    "hidden_size": 768, "num_attention_heads": 12, "intermediate_size": 3072,
    "vocab_size": 50304, "max_position_embeddings": 2048, "tie_word_embeddings": false})");
  EXPECT_FALSE(neox.tied_embeddings);
  EXPECT_NEAR(CountParams(neox).total / 162.3e6, 1.0, 0.01);
  // BLOOM-560M: 24 layers, 1024 hidden, 16 heads, 250880 vocab: 559M.
  const ModelSpec bloom = Import(R"({"model_type": "bloom", "n_layer": 24, "hidden_size": 1024,
    "n_head": 16, "vocab_size": 250880})");
  EXPECT_NEAR(CountParams(bloom).total / 559.2e6, 1.0, 0.01);
  // MPT-7B: 32 layers, d_model 4096, expansion 4, vocab 50432, no bias: 6.65B.
  const ModelSpec mpt = Import(R"({"model_type": "mpt", "n_layers": 32, "d_model": 4096,
    "n_heads": 32, "expansion_ratio": 4, "max_seq_len": 2048, "vocab_size": 50432,
    "no_bias": true})");
  EXPECT_EQ(mpt.ffn_hidden, 16384);
  EXPECT_NEAR(CountParams(mpt).total / 6.65e9, 1.0, 0.01);
}

TEST(ImportHfConfig, MissingLayersNamesField) {
  const Error e = ImportError(R"({"model_type": "llama", "hidden_size": 4096,
    "num_attention_heads": 32, "vocab_size": 32000})");
  EXPECT_NE(e.message.find("num_hidden_layers"), std::string::npos) << e.ToString();
}

TEST(ImportHfConfig, MalformedJsonHasLineColumn) {
  const Error e = ImportError("{\n  \"model_type\": \"llama\",\n  \"hidden_size\": 40 96\n}");
  // The position is the end of the offending token ("96" ends at column 22).
  EXPECT_EQ(e.where, "m/config.json:3:22") << e.ToString();
  EXPECT_NE(e.message.find("malformed JSON"), std::string::npos);
}

TEST(ImportHfConfig, HeadsNotDividingHidden) {
  const Error e = ImportError(R"({"model_type": "llama", "hidden_size": 4000,
    "num_hidden_layers": 2, "num_attention_heads": 96, "vocab_size": 100,
    "intermediate_size": 10})");
  EXPECT_NE(e.message.find("not divisible"), std::string::npos) << e.ToString();
  EXPECT_NE(e.where.find("m/config.json:2:"), std::string::npos) << e.ToString();
}

TEST(ImportHfConfig, NegativeAndAbsurdValues) {
  Error e = ImportError(R"({"model_type": "llama", "hidden_size": 4096,
    "num_hidden_layers": -4, "num_attention_heads": 32, "vocab_size": 32000})");
  EXPECT_NE(e.where.find("num_hidden_layers"), std::string::npos) << e.ToString();
  e = ImportError(R"({"model_type": "llama", "hidden_size": 1e30,
    "num_hidden_layers": 4, "num_attention_heads": 32, "vocab_size": 32000})");
  EXPECT_NE(e.where.find("hidden_size"), std::string::npos) << e.ToString();
}

// Cross-field errors speak config.json's language: its key, at its line, or
// the file and the key when the key is missing.
TEST(ImportHfConfig, CrossFieldErrorsNameConfigKeysAndLines) {
  const std::string head = R"({"model_type": "llama", "hidden_size": 4096,
    "num_hidden_layers": 2, "num_attention_heads": 32, "vocab_size": 100,
)";
  Error e = ImportError(head + R"(    "num_key_value_heads": 5, "intermediate_size": 64})");
  EXPECT_EQ(e.where, "m/config.json:3:5 num_key_value_heads") << e.ToString();
  EXPECT_EQ(e.message, "num_key_value_heads = 5 must divide num_attention_heads = 32");
  EXPECT_EQ(e.hint, "grouped-query attention needs num_attention_heads % num_key_value_heads == 0");
  e = ImportError(head + R"(    "num_key_value_heads": 8})");
  EXPECT_EQ(e.where, "m/config.json intermediate_size") << e.ToString();
  EXPECT_EQ(e.message, "dense FFN layers need intermediate_size > 0");
  e = ImportError(R"({"model_type": "mixtral", "hidden_size": 64, "num_hidden_layers": 2,
    "num_attention_heads": 4, "vocab_size": 100, "intermediate_size": 64,
    "num_local_experts": 4, "num_experts_per_tok": 8})");
  EXPECT_EQ(e.where, "m/config.json:3:29 num_experts_per_tok") << e.ToString();
  EXPECT_EQ(e.message, "num_experts_per_tok = 8 must be between 1 and num_local_experts = 4");
}

TEST(ImportHfConfig, UnknownModelTypeListsSupported) {
  const Error e = ImportError(R"({"model_type": "rwkv", "hidden_size": 4096})");
  EXPECT_NE(e.hint.find("qwen3_moe"), std::string::npos) << e.ToString();
}

Result<ModelSpec> ParseOne(const std::string& yaml) {
  auto root = ParseYaml(yaml, "m.yaml");
  EXPECT_TRUE(root.ok());
  return ParseModelMap(YamlMap(*root, "m.yaml", ""));
}

TEST(ParseModelMap, DefaultsAndErrors) {
  auto spec = ParseOne("id: tiny\nlayers: 2\nhidden: 64\nheads: 4\nffn_hidden: 128\nvocab: 100\n");
  ASSERT_TRUE(spec.ok()) << spec.error().ToString();
  EXPECT_EQ(spec->kv_heads, 4);
  EXPECT_EQ(spec->head_dim, 16);

  auto bad = ParseOne("id: t\nlayers: 2\nhidden: 64\nheads: 4\nffn_hiden: 128\nvocab: 100\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().where, "m.yaml:5:1 ffn_hiden");
  EXPECT_NE(bad.error().hint.find("ffn_hidden"), std::string::npos);

  bad = ParseOne("id: t\nlayers: 2\nhidden: 60\nheads: 8\nffn_hidden: 128\nvocab: 100\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("not divisible"), std::string::npos);

  bad = ParseOne("id: t\nlayers: 1e30\nhidden: 64\nheads: 4\nffn_hidden: 128\nvocab: 100\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().where, "m.yaml:2:9 layers");

  bad = ParseOne("id: t\nlayers: 2\nhidden: 64\nheads: 4\nkv_heads: 3\nffn_hidden: 8\nvocab: 9\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().where.find("kv_heads"), std::string::npos);

  bad = ParseOne("id: t\nlayers: 2\nhidden: 64\nheads: 4\nvocab: 9\n"
                 "moe: {experts: 4, topk: 8, expert_ffn: 32}\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().where.find("moe.topk"), std::string::npos);

  bad = ParseOne("id: t\nlayers: 2\nhidden: 64\nheads: 4\nvocab: 9\n"
                 "moe: {experts: 8, topk: 2, expert_ffn: 32, expert_groups: 4, groups_per_token: 5}\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().where.find("moe.groups_per_token"), std::string::npos) << bad.error().ToString();

  bad = ParseOne("id: t\nlayers: .nan\nhidden: 64\nheads: 4\nffn_hidden: 8\nvocab: 9\n");
  EXPECT_FALSE(bad.ok());

  // Windowed layers without the window's size: an error at the layers' line.
  bad = ParseOne("id: t\nlayers: 16\nhidden: 64\nheads: 4\nffn_hidden: 8\nvocab: 9\nsliding_window_layers: 16\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().where, "m.yaml:7:24 sliding_window_layers") << bad.error().ToString();
  EXPECT_NE(bad.error().message.find("sliding_window is not given"), std::string::npos) << bad.error().ToString();
  spec = ParseOne("id: t\nlayers: 16\nhidden: 64\nheads: 4\nffn_hidden: 8\nvocab: 9\nsliding_window: 512\n"
                  "sliding_window_layers: 8\n");
  ASSERT_TRUE(spec.ok()) << spec.error().ToString();
  EXPECT_EQ(spec->sliding_window_layers, 8);
}

}  // namespace
}  // namespace suanli

namespace suanli {
namespace {

TEST(LoadModelFile, ByExtension) {
  const std::string dir = ::testing::TempDir();
  const std::string yaml_path = dir + "/suanli_wl_model.yaml";
  {
    std::FILE* f = std::fopen(yaml_path.c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::fputs("models:\n  - {id: one, layers: 2, hidden: 64, heads: 4, ffn_hidden: 8, "
               "vocab: 10}\n", f);
    std::fclose(f);
  }
  auto spec = LoadModelFile(yaml_path);
  ASSERT_TRUE(spec.ok()) << spec.error().ToString();
  EXPECT_EQ(spec->id, "one");
  const std::string txt_path = dir + "/suanli_wl_model.txt";
  {
    std::FILE* f = std::fopen(txt_path.c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::fputs("x", f);
    std::fclose(f);
  }
  auto bad = LoadModelFile(txt_path);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("unknown model file type"), std::string::npos);
  EXPECT_FALSE(LoadModelFile(dir + "/does_not_exist.json").ok());
}

TEST(ParseModelList, DuplicateIdAndMla) {
  auto list = ParseModelList(
      "models:\n"
      "  - {id: a, layers: 2, hidden: 64, heads: 4, ffn_hidden: 8, vocab: 10}\n"
      "  - {id: a, layers: 2, hidden: 64, heads: 4, ffn_hidden: 8, vocab: 10}\n",
      "l.yaml");
  ASSERT_FALSE(list.ok());
  EXPECT_EQ(list.error().where, "l.yaml:3:10 models[1].id");
  list = ParseModelList(
      "models:\n  - id: m\n    layers: 2\n    hidden: 64\n    heads: 4\n    ffn_hidden: 8\n"
      "    vocab: 10\n    mla: {kv_lora_rank: 16, qk_nope_head_dim: 8, qk_rope_head_dim: 4,"
      " v_head_dim: 8, q_rank: 3}\n",
      "l.yaml");
  ASSERT_FALSE(list.ok());
  EXPECT_NE(list.error().where.find("models[0].mla.q_rank"), std::string::npos)
      << list.error().ToString();
}

}  // namespace
}  // namespace suanli
