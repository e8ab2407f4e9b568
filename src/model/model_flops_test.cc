// Model FLOPs per token against the published GPT formula.
#include "model/model_flops.h"

#include <gtest/gtest.h>

#include "catalog/catalog.h"

namespace suanli {
namespace {

TEST(ModelFlopsTest, MatchGptFormula) {
  auto catalog = Catalog::LoadEmbedded();
  ASSERT_TRUE(catalog.ok()) << catalog.error().ToString();
  // GPT-3 175B: 72·l·h²·(1 + s/(6h) + V/(12·l·h)) per token (Korthikanti 2022 §6).
  const ModelSpec& m = **catalog->FindModel("gpt3-175b");
  const double l = m.layers, h = static_cast<double>(m.hidden), s = 2048, v = static_cast<double>(m.vocab);
  const double expected = 72.0 * l * h * h * (1.0 + s / (6.0 * h) + v / (12.0 * l * h));
  // The preset has biases and learned positions; the formula counts matmuls only.
  EXPECT_NEAR(ModelFlopsPerToken(m, 2048) / expected, 1.0, 1e-9);
}

TEST(ModelFlopsTest, MatmulParamsByHand) {
  auto catalog = Catalog::LoadEmbedded();
  ASSERT_TRUE(catalog.ok()) << catalog.error().ToString();
  // Llama-2-70B: h 8192, 64 query and 8 KV heads of 128, gated FFN 28672.
  const ModelSpec& m = **catalog->FindModel("llama-2-70b");
  EXPECT_DOUBLE_EQ(ParamsAttention(m), 8192.0 * 128 * (2 * 64 + 2 * 8));
  EXPECT_DOUBLE_EQ(ParamsDenseMlp(m), 3.0 * 8192 * 28672);
  EXPECT_DOUBLE_EQ(MlpMatrices(m), 3.0);
}

}  // namespace
}  // namespace suanli
