// Tests of the pipeline-stage layout: the split rule, MoE layers per stage,
// the embedding/output-head stages and the parameters per rank.
#include "workload/stage_layout.h"

#include <gtest/gtest.h>

namespace suanli {
namespace {

// A small dense model: RMSNorm, gated MLP, no biases, untied output head.
ModelSpec Dense(int layers) {
  ModelSpec m;
  m.id = "dense-test";
  m.layers = layers;
  m.hidden = 1024;
  m.heads = 8;
  m.kv_heads = 8;
  m.head_dim = 128;
  m.ffn_hidden = 4096;
  m.vocab = 32000;
  m.gated_mlp = true;
  m.norm = NormKind::kRmsNorm;
  return m;
}

// The dense model with 8 experts (top-2) in every layer after the first.
ModelSpec Moe(int layers) {
  ModelSpec m = Dense(layers);
  m.id = "moe-test";
  m.moe.experts = 8;
  m.moe.topk = 2;
  m.moe.expert_ffn = 2048;
  m.moe.dense_layers = 1;
  m.moe.layer_freq = 1;
  return m;
}

TEST(StageLayoutTest, FirstStagesTakeTheRemainder) {
  const ModelSpec m = Dense(10);
  const StageLayout layout(m, 1, 4, 1, 1);
  EXPECT_EQ(layout.Layers(0), 3);
  EXPECT_EQ(layout.Layers(1), 3);
  EXPECT_EQ(layout.Layers(2), 2);
  EXPECT_EQ(layout.Layers(3), 2);
  EXPECT_EQ(layout.FirstLayer(0), 0);
  EXPECT_EQ(layout.FirstLayer(2), 6);
  EXPECT_EQ(layout.FirstLayer(3), 8);
  EXPECT_EQ(layout.MaxLayers(), 3);
  // No stage is left empty where a ceil split would leave one (10 on 6: 2,2,2,2,2,0).
  const StageLayout six(m, 1, 6, 1, 1);
  for (int s = 0; s < 6; ++s) EXPECT_GE(six.Layers(s), 1) << s;
  EXPECT_EQ(six.Layers(5), 1);
}

TEST(StageLayoutTest, VirtualChunksAndEnds) {
  const ModelSpec dense = Dense(10);
  const StageLayout layout(dense, 1, 4, 1, 1);
  EXPECT_EQ(layout.LargestChunkLayers(0, 2), 2);  // 3 layers in 2 chunks: 2 + 1
  EXPECT_EQ(layout.LargestChunkLayers(2, 2), 1);
  EXPECT_TRUE(layout.HoldsEmbedding(0));
  EXPECT_FALSE(layout.HoldsEmbedding(3));
  EXPECT_TRUE(layout.HoldsOutputHead(3));
  EXPECT_TRUE(layout.SameLayerKinds(0, 1));
  EXPECT_FALSE(layout.SameLayerKinds(1, 2));
}

TEST(StageLayoutTest, MoeLayersAndSlowestStage) {
  // 9 layers on 3 stages: layer 0 is dense, so stage 0 holds 2 MoE layers, the others 3.
  const ModelSpec moe = Moe(9);
  const StageLayout layout(moe, 1, 3, 1, 1);
  EXPECT_EQ(layout.MoeLayers(0), 2);
  EXPECT_EQ(layout.MoeLayers(1), 3);
  EXPECT_EQ(layout.SlowestStage(), 1);
  EXPECT_FALSE(layout.SameLayerKinds(0, 1));
  EXPECT_TRUE(layout.SameLayerKinds(1, 2));
}

TEST(StageLayoutTest, DenseParamsPerRankByHand) {
  // h = 1024, 8 heads of 128 (MHA, no biases): attention 4h² = 4,194,304;
  // gated MLP 3·h·4096 = 12,582,912; two RMSNorms 2h = 2048 per layer.
  const ModelSpec m = Dense(4);
  const double attention = 4.0 * 1024 * 1024;
  const double mlp = 3.0 * 1024 * 4096;
  const double norms = 2.0 * 1024;
  const double vocab = 32000.0 * 1024;
  // tp 2, pp 2: stage 0 has 2 layers and half the embedding; stage 1 has 2
  // layers, the final norm and half the output head.
  const StageLayout layout(m, 2, 2, 1, 2);
  const StageParams first = layout.ParamsPerRank(0);
  EXPECT_DOUBLE_EQ(first.dense, 2 * ((attention + mlp) / 2 + norms) + vocab / 2);
  EXPECT_DOUBLE_EQ(first.expert, 0.0);
  EXPECT_DOUBLE_EQ(first.largest_layer, (attention + mlp) / 2 + norms);
  EXPECT_DOUBLE_EQ(first.embedding, 2 * norms + vocab / 2);
  const StageParams last = layout.ParamsPerRank(1);
  EXPECT_DOUBLE_EQ(last.dense, 2 * ((attention + mlp) / 2 + norms) + 1024 + vocab / 2);
  // One stage holds the embedding and the untied head.
  const StageParams whole = StageLayout(m, 1, 1, 1, 1).ParamsPerRank(0);
  EXPECT_DOUBLE_EQ(whole.dense, 4 * (attention + mlp + norms) + 1024 + 2 * vocab);
}

TEST(StageLayoutTest, ExpertParamsShardOverEpAndExpertTp) {
  // One routed expert: gated 3·h·2048 = 6,291,456; 8 experts per MoE layer.
  const ModelSpec m = Moe(2);  // layer 0 dense, layer 1 MoE
  const double expert = 3.0 * 1024 * 2048;
  // Experts split over ep 4 and tp 2 (expert tp = tp).
  EXPECT_DOUBLE_EQ(StageLayout(m, 2, 1, 4, 2).ParamsPerRank(0).expert, 8 * expert / (4 * 2));
  // Folded: whole experts (expert tp 1) over ep 8.
  EXPECT_DOUBLE_EQ(StageLayout(m, 2, 1, 8, 1).ParamsPerRank(0).expert, expert);
  // The router h·E is replicated over tp and counted as dense.
  ParallelConfig c;
  c.tp = 2;
  c.ep = 8;
  c.dp = 8;
  c.expert_tp = 1;
  const StageParams p = StageLayout(m, c).ParamsPerRank(0);
  EXPECT_DOUBLE_EQ(p.expert, expert);
  EXPECT_GT(p.embedding, 1024.0 * 8);
}

}  // namespace
}  // namespace suanli
