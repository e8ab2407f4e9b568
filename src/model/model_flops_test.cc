// Model FLOPs per token against the published GPT formula.
#include "model/model_flops.h"

#include <gtest/gtest.h>

#include "catalog/catalog.h"
#include "model/perf.h"

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

TEST(ModelFlopsTest, SlidingWindowLayersCountTheirWindow) {
  auto catalog = Catalog::LoadEmbedded();
  ASSERT_TRUE(catalog.ok()) << catalog.error().ToString();
  ModelSpec m = **catalog->FindModel("llama-2-7b");
  const double full = AttentionCoreFlopsPerToken(m, 32768);
  EXPECT_DOUBLE_EQ(AttendedKeysPerQuery(m, 32768), 32.0 * 32768);
  m.sliding_window = 4096;
  m.sliding_window_layers = 32;
  // Every layer windowed: w keys per query instead of s.
  EXPECT_DOUBLE_EQ(AttendedKeysPerQuery(m, 32768), 32.0 * 4096);
  EXPECT_DOUBLE_EQ(AttentionCoreFlopsPerToken(m, 32768), full * 4096 / 32768);
  // Half the layers windowed (gpt-oss, Gemma 2).
  m.sliding_window_layers = 16;
  EXPECT_DOUBLE_EQ(AttendedKeysPerQuery(m, 32768), 16.0 * 32768 + 16.0 * 4096);
  // A window as long as the sequence is full attention: no jump at w = s.
  EXPECT_DOUBLE_EQ(AttendedKeysPerQuery(m, 4096), 32.0 * 4096);
  EXPECT_DOUBLE_EQ(AttendedKeysPerQuery(m, 2048), 32.0 * 2048);
}

// Model FLOPs must count the attention the step computes: a windowed model at
// long sequences once reported 92% and 190% MFU (the step windowed, the
// FLOPs did not).
TEST(ModelFlopsTest, WindowedLongSequencesStayBelowPeak) {
  auto catalog = Catalog::LoadEmbedded();
  ASSERT_TRUE(catalog.ok()) << catalog.error().ToString();
  ModelSpec m = **catalog->FindModel("llama-2-7b");  // Mistral 7B's shape with its window
  m.kv_heads = 8;
  m.ffn_hidden = 14336;
  m.sliding_window = 4096;
  m.sliding_window_layers = m.layers;
  const Accelerator& h100 = **catalog->FindAccelerator("h100-sxm-80gb");
  const ClusterSpec cluster = MakeCluster(h100, catalog->DefaultSystemFor(h100.id));
  struct Case {
    int seq_len, cp;
    Recompute recompute;
  };
  for (const Case& k : {Case{8192, 1, Recompute::kSelective}, Case{32768, 2, Recompute::kSelective},
                        Case{131072, 4, Recompute::kFull}, Case{131072, 4, Recompute::kSelective}}) {
    ParallelConfig c;
    c.tp = 2;
    c.cp = k.cp;
    c.dp = 8 / (c.tp * c.cp);
    c.global_batch = 16;
    c.seq_len = k.seq_len;
    c.recompute = k.recompute;
    c.zero = 1;
    const StepEstimate e = EstimateStep(m, cluster, c);
    EXPECT_GT(e.mfu, 0.05) << k.seq_len;
    EXPECT_LT(e.mfu, 1.0) << k.seq_len;
    EXPECT_LE(e.model_tflops_per_gpu, e.hw_tflops_per_gpu) << k.seq_len;
  }
}

}  // namespace
}  // namespace suanli
