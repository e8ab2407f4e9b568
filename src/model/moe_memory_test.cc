// Tests of the MoE and fp8 activation terms against hand counts: the routed
// experts' inputs as Megatron-Core's alltoall dispatcher keeps them, and the
// 16-bit attention output Transformer Engine's fused attention saves beside
// the fp8 copy of the next Linear.
#include <gtest/gtest.h>

#include "model/memory.h"

namespace suanli {
namespace {

// Qwen3-235B-A22B's shape: 94 layers of width 4096, 64 query / 4 KV heads
// of 128, 128 routed experts of width 1536, top-8, SwiGLU.
ModelSpec Qwen3Moe() {
  ModelSpec m;
  m.id = "qwen3-moe-test";
  m.layers = 94;
  m.hidden = 4096;
  m.heads = 64;
  m.kv_heads = 4;
  m.head_dim = 128;
  m.ffn_hidden = 12288;
  m.vocab = 151936;
  m.gated_mlp = true;
  m.moe.experts = 128;
  m.moe.topk = 8;
  m.moe.expert_ffn = 1536;
  return m;
}

// tp4 pp4 dp16 ep16, two sequences of 4,096 tokens per micro-batch, bf16, selective.
ParallelConfig Tp4Ep16() {
  ParallelConfig c;
  c.tp = 4;
  c.pp = 4;
  c.dp = 16;
  c.ep = 16;
  c.micro_batch = 2;
  c.global_batch = 128;
  c.seq_len = 4096;
  c.recompute = Recompute::kSelective;
  return c;
}

// Returns the bytes one more routed copy per token adds to a layer: the
// difference between top-8 and top-7 routing.
double PerCopyBytes(const ParallelConfig& c) {
  ModelSpec top8 = Qwen3Moe();
  ModelSpec top7 = top8;
  top7.moe.topk = 7;
  return LayerActivationBytes(top8, c, 0) - LayerActivationBytes(top7, c, 0);
}

TEST(MoeMemory, ExpertInputsAreWholeOnEveryExpertTpRank) {
  // Megatron's alltoall dispatcher all-gathers the permuted tokens and their
  // fp32 weights over the expert-TP group after the EP all-to-all, so with
  // experts split over tp 4 each rank keeps every copy of the micro-batch's
  // 2 × 4,096 tokens: (2 × 4096 + 4) B per copy, 8 copies = 65,568 B per
  // token per layer, not 65,568 / 4 (sequence parallelism shards only the
  // dense parts). The expert intermediates (gate, up, product: 3 × 2 B ×
  // 1536) are split over the 4 ranks either way.
  const double tokens = 2 * 4096;
  const double input = 2 * 4096 + 4;
  const double intermediates = 3 * 2 * 1536 / 4.0;
  ParallelConfig split = Tp4Ep16();
  EXPECT_DOUBLE_EQ(PerCopyBytes(split), tokens * (input + intermediates));
  split.sequence_parallel = false;
  EXPECT_DOUBLE_EQ(PerCopyBytes(split), tokens * (input + intermediates));
  // Experts folded over tp (expert-TP 1): each rank dispatches its quarter.
  ParallelConfig folded = Tp4Ep16();
  folded.expert_tp = 1;
  EXPECT_DOUBLE_EQ(PerCopyBytes(folded), tokens * (input / 4 + intermediates));
  // The hand check of the whole layer: 8 copies of 8,196 B = 65,568 B per token.
  EXPECT_DOUBLE_EQ(8 * input, 65568.0);
}

TEST(MoeMemory, Fp8KeepsTheAttentionOutputBesideItsFp8Copy) {
  // With the attention core kept (none, modules) under fp8, the fused
  // attention saves its 16-bit output O (heads × head dim × 2 B per token)
  // and the output projection its own fp8 copy (1 B); in bf16 both are one
  // tensor. Selective recompute keeps neither the core's O nor its
  // log-sum-exp. So none − selective grows by 2 × heads × head dim / tp
  // per token under fp8.
  const ModelSpec m = Qwen3Moe();
  ParallelConfig c = Tp4Ep16();
  auto core_bytes = [&](Precision precision) {
    c.precision = precision;
    c.recompute = Recompute::kNone;
    const double none = LayerActivationBytes(m, c, 0);
    c.recompute = Recompute::kSelective;
    return none - LayerActivationBytes(m, c, 0);
  };
  const double tokens = 2 * 4096;
  EXPECT_DOUBLE_EQ(core_bytes(Precision::kFp8) - core_bytes(Precision::kBf16), tokens * 2 * 64 * 128 / 4.0);
  // MLA (DeepSeek-V3: 128 heads, value dim 128): heads × v_head_dim × 2 B, tp 1.
  ModelSpec mla = m;
  mla.heads = 128;
  mla.use_mla = true;
  mla.mla = MlaSpec{1536, 512, 128, 64, 128};
  ParallelConfig one;
  one.seq_len = 4096;
  auto mla_core_bytes = [&](Precision precision) {
    one.precision = precision;
    one.recompute = Recompute::kNone;
    const double none = LayerActivationBytes(mla, one, 0);
    one.recompute = Recompute::kSelective;
    return none - LayerActivationBytes(mla, one, 0);
  };
  EXPECT_DOUBLE_EQ(mla_core_bytes(Precision::kFp8) - mla_core_bytes(Precision::kBf16), 4096.0 * 2 * 128 * 128);
  // Unfused attention keeps its scores, not O: no extra term.
  one.attention = AttentionKernel::kUnfused;
  const double unfused_fp8 = mla_core_bytes(Precision::kFp8);
  EXPECT_DOUBLE_EQ(unfused_fp8, mla_core_bytes(Precision::kBf16));
}

}  // namespace
}  // namespace suanli
