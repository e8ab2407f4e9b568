// Parameter counts against published totals (within 1% unless noted), on the
// embedded presets, plus hand-computed per-part counts.
#include "workload/model_spec.h"

#include <gtest/gtest.h>

#include "core/embedded.h"
#include "workload/model_io.h"

namespace suanli {
namespace {

const std::vector<ModelSpec>& Presets() {
  static const std::vector<ModelSpec> presets = [] {
    auto parsed = ParseModelList(FindEmbeddedFile("models.yaml"), "data/models.yaml");
    EXPECT_TRUE(parsed.ok()) << parsed.error().ToString();
    return parsed.ok() ? *parsed : std::vector<ModelSpec>{};
  }();
  return presets;
}

const ModelSpec& Preset(const std::string& id) {
  for (const ModelSpec& spec : Presets()) {
    if (spec.id == id) return spec;
  }
  static const ModelSpec kEmpty;
  ADD_FAILURE() << "missing preset " << id;
  return kEmpty;
}

void ExpectNear(double actual, double expected, double tolerance, const std::string& what) {
  EXPECT_NEAR(actual / expected, 1.0, tolerance)
      << what << ": got " << actual / 1e9 << "B, published " << expected / 1e9 << "B";
}

TEST(ModelSpec, MoeLayerCountMatchesTheLayerPattern) {
  // The closed form against IsMoeLayer over every layer, for leading dense
  // layers and every-n-th-layer MoE patterns.
  ModelSpec m;
  m.moe.experts = 8;
  m.moe.topk = 2;
  for (int layers : {1, 3, 7, 48, 61}) {
    for (int dense : {0, 1, 3, 61}) {
      for (int freq : {1, 2, 3}) {
        m.layers = layers;
        m.moe.dense_layers = dense;
        m.moe.layer_freq = freq;
        int count = 0;
        for (int i = 0; i < layers; ++i) count += m.IsMoeLayer(i) ? 1 : 0;
        EXPECT_EQ(m.MoeLayerCount(), count) << layers << " " << dense << " " << freq;
      }
    }
  }
}

TEST(CountParams, PublishedTotals) {
  const std::pair<const char*, double> cases[] = {
      {"llama-2-7b", 6.74e9},     {"llama-2-13b", 13.0e9},   {"llama-2-70b", 68.98e9},
      {"llama-3-8b", 8.03e9},     {"llama-3-70b", 70.6e9},   {"llama-3.1-405b", 405.9e9},
      {"gpt3-175b", 174.6e9},     {"mixtral-8x7b", 46.7e9},  {"deepseek-v3", 671e9},
      {"qwen3-235b-a22b", 235e9}, {"qwen2.5-72b", 72.7e9},   {"gpt-oss-120b", 116.83e9},
      {"qwen3-30b-a3b", 30.5e9}};
  for (const auto& [id, published] : cases) {
    ExpectNear(CountParams(Preset(id)).total, published, 0.01, id);
  }
}

TEST(CountParams, PublishedActive) {
  // Active parameters are the ones a token multiplies by, as model FLOPs count
  // them: no input-embedding lookup. OpenAI (gpt-oss model card: 5.13B of
  // 116.83B) and DeepSeek (37B of 671B) state them so.
  ExpectNear(CountParams(Preset("gpt-oss-120b")).active, 5.13e9, 0.01, "gpt-oss-120b active");
  // DeepSeek states "37B" (two digits): our 36.6B is within 2%.
  ExpectNear(CountParams(Preset("deepseek-v3")).active, 37e9, 0.02, "deepseek-v3 active");
  // Mistral and Qwen count the input embedding in their active figure.
  const auto with_lookup = [](const char* id) {
    const ParamCounts c = CountParams(Preset(id));
    return c.active + c.embedding;
  };
  ExpectNear(with_lookup("mixtral-8x7b"), 12.9e9, 0.01, "mixtral active with the embedding");
  ExpectNear(with_lookup("qwen3-235b-a22b"), 22e9, 0.02, "qwen3-235b active with the embedding");
  ExpectNear(with_lookup("qwen3-30b-a3b"), 3.3e9, 0.02, "qwen3-30b active with the embedding");
}

// The active count is what model FLOPs multiply by: a dense untied model's
// active parameters are its total less the input embedding; a tied one keeps
// the matrix once (the output projection), a learned position table is a lookup.
TEST(CountParams, ActiveLeavesOutTheLookups) {
  const ParamCounts llama = CountParams(Preset("llama-2-7b"));
  EXPECT_DOUBLE_EQ(llama.active, llama.total - 32000.0 * 4096);
  const ParamCounts gpt3 = CountParams(Preset("gpt3-175b"));
  EXPECT_DOUBLE_EQ(gpt3.active, gpt3.total - 2048.0 * 12288);
}

TEST(CountParams, EveryPresetMatchesItsPublishedCount) {
  for (const ModelSpec& spec : Presets()) {
    ASSERT_GT(spec.published_params, 0) << spec.id;
    // Nominal names (1.7B, 7B, 13B, 22B, 530B, 1T) are rounded: 5%.
    ExpectNear(CountParams(spec).total, spec.published_params, 0.05, spec.id);
  }
}

TEST(CountParams, Gpt3HandComputed) {
  // GPT-3 175B per layer: 12h² + 13h (4h² attention + 4h biases, 8h² MLP + 5h
  // biases, two LayerNorms 4h); plus V·h + s·h embeddings and the final 2h.
  const ModelSpec& spec = Preset("gpt3-175b");
  const double h = 12288;
  const ParamCounts c = CountParams(spec);
  EXPECT_DOUBLE_EQ(c.total, 96 * (12 * h * h + 13 * h) + 50257 * h + 2048 * h + 2 * h);
  EXPECT_DOUBLE_EQ(c.output, 0);
  EXPECT_DOUBLE_EQ(c.active, c.total - 2048 * h);  // the position table is a lookup
}

TEST(CountParams, MlaHandComputed) {
  // DeepSeek-V3 attention per layer (arXiv 2405.04434 §2.1).
  const ModelSpec& spec = Preset("deepseek-v3");
  const double expected = 7168.0 * 1536 + 1536 + 1536.0 * 128 * 192 + 7168.0 * 576 + 512 +
                          512.0 * 128 * 256 + 128.0 * 128 * 7168;
  EXPECT_DOUBLE_EQ(AttentionParamsPerLayer(spec), expected);
  EXPECT_EQ(spec.MoeLayerCount(), 58);
  ModelSpec direct = spec;
  direct.mla.q_lora_rank = 0;  // DeepSeek-V2-Lite style: q projected from hidden
  EXPECT_DOUBLE_EQ(AttentionParamsPerLayer(direct),
                   expected - (7168.0 * 1536 + 1536 + 1536.0 * 128 * 192) + 7168.0 * 128 * 192);
}

TEST(CountParams, GqaAndBiases) {
  ModelSpec spec;
  spec.layers = 1;
  spec.hidden = 8;
  spec.heads = 4;
  spec.kv_heads = 2;
  spec.head_dim = 2;
  spec.ffn_hidden = 16;
  spec.vocab = 10;
  // q 8x8, k,v 8x4 each, o 8x8 = 192.
  EXPECT_DOUBLE_EQ(AttentionParamsPerLayer(spec), 192);
  spec.qkv_bias = true;  // + 8 + 4 + 4 (Qwen2 style: no o bias)
  EXPECT_DOUBLE_EQ(AttentionParamsPerLayer(spec), 208);
  spec.mlp_bias = true;  // + o bias 8
  EXPECT_DOUBLE_EQ(AttentionParamsPerLayer(spec), 216);
  EXPECT_DOUBLE_EQ(DenseMlpParamsPerLayer(spec), 3 * 8 * 16 + 2 * 16 + 8);
  spec.gated_mlp = false;
  EXPECT_DOUBLE_EQ(DenseMlpParamsPerLayer(spec), 2 * 8 * 16 + 16 + 8);
  spec.tied_embeddings = true;
  spec.norm = NormKind::kLayerNorm;
  const ParamCounts c = CountParams(spec);
  EXPECT_DOUBLE_EQ(c.output, 0);
  EXPECT_DOUBLE_EQ(c.norms, 3 * 16);
  EXPECT_DOUBLE_EQ(c.embedding, 80);
}

}  // namespace
}  // namespace suanli
