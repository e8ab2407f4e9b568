// Tests of the memory model against the published formulas: Korthikanti et
// al. 2022 (arXiv 2205.05198) Table 2/§4.2.3, ZeRO (arXiv 1910.02054) Fig. 1,
// and KV-cache sizes computed from the model cards.
#include "model/memory.h"

#include <gtest/gtest.h>

namespace suanli {
namespace {

// A GPT-3 style model (MHA, f = 4h, plain GeLU MLP, LayerNorm, biases).
ModelSpec Gpt(int layers, int64_t hidden, int heads) {
  ModelSpec m;
  m.id = "gpt-test";
  m.layers = layers;
  m.hidden = hidden;
  m.heads = heads;
  m.kv_heads = heads;
  m.head_dim = static_cast<int>(hidden / heads);
  m.ffn_hidden = 4 * hidden;
  m.vocab = 51200;
  m.gated_mlp = false;
  m.qkv_bias = true;
  m.mlp_bias = true;
  m.norm = NormKind::kLayerNorm;
  m.learned_positions = true;
  m.max_seq_len = 2048;
  return m;
}

ModelSpec Llama2_70b() {
  ModelSpec m;
  m.id = "llama-2-70b";
  m.layers = 80;
  m.hidden = 8192;
  m.heads = 64;
  m.kv_heads = 8;
  m.head_dim = 128;
  m.ffn_hidden = 28672;
  m.vocab = 32000;
  m.max_seq_len = 4096;
  return m;
}

ParallelConfig Layout(int tp, int pp, int dp, int seq, Recompute recompute) {
  ParallelConfig c;
  c.tp = tp;
  c.pp = pp;
  c.dp = dp;
  c.seq_len = seq;
  c.micro_batch = 1;
  c.global_batch = dp * pp;
  c.recompute = recompute;
  return c;
}

// Korthikanti Table 3 (a, h, L, t, p), s = 2048, b = 1.
struct KorthikantiModel {
  const char* name;
  int heads;
  int64_t hidden;
  int layers;
  int tp;
  int pp;
};
constexpr KorthikantiModel kKorthikanti[] = {{"22B", 64, 6144, 48, 8, 1},
                                             {"175B", 96, 12288, 96, 8, 8},
                                             {"530B", 128, 20480, 105, 8, 35},
                                             {"1T", 160, 25600, 128, 8, 64}};

TEST(MemoryTest, KorthikantiTable2PerLayer) {
  for (const auto& k : kKorthikanti) {
    SCOPED_TRACE(k.name);
    const ModelSpec m = Gpt(k.layers, k.hidden, k.heads);
    const double s = 2048, b = 1, h = static_cast<double>(k.hidden), a = k.heads, t = k.tp;
    ParallelConfig c = Layout(k.tp, k.pp, 1, 2048, Recompute::kSelective);
    ParallelConfig flash = c;
    c.attention = AttentionKernel::kUnfused;  // Korthikanti's Megatron materialised the scores
    // Selective + SP: 34sbh/t, with or without flash attention.
    EXPECT_DOUBLE_EQ(LayerActivationBytes(m, c, 0), 34 * s * b * h / t);
    EXPECT_DOUBLE_EQ(LayerActivationBytes(m, flash, 0), 34 * s * b * h / t);
    // No recompute, no flash attention, SP: sbh(34 + 5as/h)/t.
    c.recompute = Recompute::kNone;
    EXPECT_DOUBLE_EQ(LayerActivationBytes(m, c, 0), s * b * h * (34 + 5 * a * s / h) / t);
    // No SP, no recompute: sbh(10 + 24/t + 5as/(ht)).
    c.sequence_parallel = false;
    EXPECT_DOUBLE_EQ(LayerActivationBytes(m, c, 0),
                     s * b * h * (10 + 24 / t + 5 * a * s / (h * t)));
    // Selective without SP: sbh(10 + 24/t).
    c.recompute = Recompute::kSelective;
    EXPECT_DOUBLE_EQ(LayerActivationBytes(m, c, 0), s * b * h * (10 + 24 / t));
    // Full recompute: 2sbh, divided by t with SP.
    c.recompute = Recompute::kFull;
    EXPECT_DOUBLE_EQ(LayerActivationBytes(m, c, 0), 2 * s * b * h);
    c.sequence_parallel = true;
    EXPECT_DOUBLE_EQ(LayerActivationBytes(m, c, 0), 2 * s * b * h / t);
  }
}

TEST(MemoryTest, FirstStageHoldsAllLayersWorthOfActivations) {
  // Korthikanti §4.2.3: with 1F1B the first stage stores p micro-batches of
  // L/p layers, i.e. L layers' worth (+ the embedding dropout mask sbhp/t).
  const ModelSpec m = Gpt(96, 12288, 96);
  ParallelConfig c = Layout(8, 8, 1, 2048, Recompute::kSelective);
  c.global_batch = 64;
  MemoryOptions o;
  const double s = 2048, h = 12288, t = 8;
  const MemoryBreakdown mem = TrainingMemory(m, c, o);
  EXPECT_DOUBLE_EQ(mem.activations_bytes, 96 * 34 * s * h / t + s * h * 8 / t);
  // A single micro-batch in flight holds only its own layers.
  c.global_batch = 1;
  EXPECT_DOUBLE_EQ(TrainingMemory(m, c, o).activations_bytes, 12 * 34 * s * h / t + s * h / t);
}

TEST(MemoryTest, InterleavingMultipliesFirstStageActivations) {
  const ModelSpec m = Gpt(96, 12288, 96);
  ParallelConfig plain = Layout(8, 8, 1, 2048, Recompute::kSelective);
  plain.global_batch = 64;
  ParallelConfig interleaved = plain;
  interleaved.vp = 4;
  const double layer_part = 96 * 34 * 2048.0 * 12288 / 8;
  const double factor = 1.0 + 7.0 / (8.0 * 4.0);
  EXPECT_DOUBLE_EQ(InterleaveFactor(8, 4), factor);
  EXPECT_DOUBLE_EQ(InterleaveFactor(8, 1), 1.0);
  const double delta = TrainingMemory(m, interleaved).activations_bytes - TrainingMemory(m, plain).activations_bytes;
  EXPECT_NEAR(delta, layer_part * (factor - 1.0), 1.0);
}

TEST(MemoryTest, ZeroPaperPerParameterBytes) {
  // ZeRO Fig. 1: Ψ = 7.5B, Nd = 64: 120 GB, 31.4 GB, 16.6 GB, 1.9 GB.
  const double psi = 7.5e9;
  const double expected_gb[] = {120.0, 31.4, 16.6, 1.9};
  // The paper trains in fp16 (2-byte gradients).
  for (int zero = 0; zero <= 3; ++zero) {
    const MemoryBreakdown b = ModelStateBytes(psi, zero, 64, Precision::kFp16);
    EXPECT_NEAR(b.total_bytes / 1e9, expected_gb[zero], 0.05) << "stage " << zero;
  }
  EXPECT_DOUBLE_EQ(ModelStateBytes(psi, 0, 64, Precision::kFp16).total_bytes, 16 * psi);
  EXPECT_DOUBLE_EQ(ModelStateBytes(psi, 1, 64, Precision::kFp16).total_bytes, 4 * psi + 12 * psi / 64);
  EXPECT_DOUBLE_EQ(ModelStateBytes(psi, 2, 64, Precision::kFp16).total_bytes, 2 * psi + 14 * psi / 64);
  EXPECT_DOUBLE_EQ(ModelStateBytes(psi, 3, 64, Precision::kFp16).total_bytes, 16 * psi / 64);
  // bf16 training keeps fp32 main grads (Megatron-LM): 18Ψ at stage 0.
  EXPECT_DOUBLE_EQ(ModelStateBytes(psi, 0, 64, Precision::kBf16).total_bytes, 18 * psi);
  MemoryOptions bf16_grads;
  bf16_grads.bf16_gradients = true;
  EXPECT_DOUBLE_EQ(ModelStateBytes(psi, 0, 64, Precision::kBf16, bf16_grads).total_bytes, 16 * psi);
}

TEST(MemoryTest, MoreZeroNeverIncreasesMemory) {
  const ModelSpec m = Llama2_70b();
  for (int dp : {1, 2, 8}) {
    double previous = -1;
    for (int zero = 0; zero <= 3; ++zero) {
      ParallelConfig c = Layout(8, 2, dp, 4096, Recompute::kSelective);
      c.zero = zero;
      const double total = TrainingMemory(m, c).total_bytes;
      if (previous >= 0) {
        // ZeRO-3 adds a gather buffer of two layers; it must still win for dp >= 2.
        if (dp > 1) {
          EXPECT_LT(total, previous) << "dp " << dp << " zero " << zero;
        }
        if (dp == 1 && zero < 3) {
          EXPECT_DOUBLE_EQ(total, previous);
        }
      }
      previous = total;
    }
  }
}

TEST(MemoryTest, WholeModelStatesOnOneDevice) {
  // tp = pp = dp = 1, zero 0: 18 bytes for every parameter (bf16 weights,
  // fp32 main grads, Adam with fp32 master).
  const ModelSpec m = Gpt(24, 2048, 16);
  const ParallelConfig c = Layout(1, 1, 1, 2048, Recompute::kSelective);
  const MemoryBreakdown b = TrainingMemory(m, c);
  const double params = CountParams(m).total;
  EXPECT_DOUBLE_EQ(b.weights_bytes, 2 * params);
  EXPECT_DOUBLE_EQ(b.gradients_bytes, 4 * params);
  EXPECT_DOUBLE_EQ(b.optimizer_bytes, 12 * params);
  EXPECT_DOUBLE_EQ(b.other_bytes, 0.10 * b.activations_bytes);  // one device: no communication buffers
  EXPECT_DOUBLE_EQ(b.total_bytes, b.weights_bytes + b.gradients_bytes + b.optimizer_bytes + b.activations_bytes + b.other_bytes);
}

TEST(MemoryTest, TensorAndPipelineSplitWeights) {
  const ModelSpec m = Llama2_70b();
  const double one = TrainingMemory(m, Layout(1, 1, 1, 4096, Recompute::kFull)).weights_bytes;
  const double tp8 = TrainingMemory(m, Layout(8, 1, 1, 4096, Recompute::kFull)).weights_bytes;
  const double pp2 = TrainingMemory(m, Layout(8, 2, 1, 4096, Recompute::kFull)).weights_bytes;
  // Norms are replicated, so tp8 is slightly more than a eighth.
  EXPECT_GT(tp8, one / 8);
  EXPECT_LT(tp8, one / 8 * 1.001);
  EXPECT_LT(pp2, tp8 * 0.55);
  EXPECT_GT(pp2, tp8 * 0.45);
}

TEST(MemoryTest, Fp8KeepsBf16WeightsPlusCachedCopy) {
  const double psi = 1e9;
  const MemoryBreakdown bf16 = ModelStateBytes(psi, 0, 1, Precision::kBf16);
  const MemoryBreakdown fp8 = ModelStateBytes(psi, 0, 1, Precision::kFp8);
  EXPECT_DOUBLE_EQ(fp8.weights_bytes, bf16.weights_bytes + psi);
  EXPECT_DOUBLE_EQ(fp8.gradients_bytes, bf16.gradients_bytes);
  EXPECT_DOUBLE_EQ(fp8.optimizer_bytes, bf16.optimizer_bytes);
  EXPECT_DOUBLE_EQ(fp8.gradients_bytes, 4 * psi);  // fp32 main grads
}

TEST(MemoryTest, GatedMlpAndGqaActivations) {
  // Llama-2-70B, selective + SP: per token 10h + (2q + 4kv + 6f)·2/... all over t.
  const ModelSpec m = Llama2_70b();
  const ParallelConfig c = Layout(8, 1, 1, 4096, Recompute::kSelective);
  const double h = 8192, q = 64 * 128, kv = 8 * 128, f = 28672;
  const double per_token = 10 * h + 2 * (2 * q + 2 * kv) + 3 * 2 * f;
  EXPECT_DOUBLE_EQ(LayerActivationBytes(m, c, 0), 4096 * per_token / 8);
}

TEST(MemoryTest, Fp8KeepsOneByteCopiesOfGemmInputs) {
  // Under fp8 the inputs of the QKV, output, up/gate and down projections are
  // kept as 1-byte copies: per token h + h + q + f bytes fewer (tp 1).
  const ModelSpec m = Llama2_70b();
  ParallelConfig c = Layout(1, 1, 1, 4096, Recompute::kSelective);
  const double bf16 = LayerActivationBytes(m, c, 0);
  c.precision = Precision::kFp8;
  const double fp8 = LayerActivationBytes(m, c, 0);
  const double h = 8192, q = 64 * 128, f = 28672;
  EXPECT_DOUBLE_EQ(bf16 - fp8, 4096 * (2 * h + q + f));
}

TEST(MemoryTest, KvCacheBytesPerToken) {
  EXPECT_DOUBLE_EQ(KvCacheBytesPerToken(Llama2_70b(), Precision::kBf16), 327680);
  EXPECT_DOUBLE_EQ(KvCacheBytesPerToken(Llama2_70b(), Precision::kFp8), 163840);
  // Qwen3-style: head_dim 128 while hidden/heads = 4096/64 = 64.
  ModelSpec qwen;
  qwen.layers = 94;
  qwen.hidden = 4096;
  qwen.heads = 64;
  qwen.kv_heads = 4;
  qwen.head_dim = 128;
  EXPECT_DOUBLE_EQ(KvCacheBytesPerToken(qwen, Precision::kBf16), 94.0 * 2 * 4 * 128 * 2);
  // DeepSeek-V3 MLA: 61 × (512 + 64) × 2.
  ModelSpec ds;
  ds.layers = 61;
  ds.hidden = 7168;
  ds.heads = 128;
  ds.kv_heads = 128;
  ds.use_mla = true;
  ds.mla.kv_lora_rank = 512;
  ds.mla.qk_rope_head_dim = 64;
  ds.mla.qk_nope_head_dim = 128;
  ds.mla.v_head_dim = 128;
  ds.mla.q_lora_rank = 1536;
  EXPECT_DOUBLE_EQ(KvCacheBytesPerToken(ds, Precision::kBf16), 70272);
}

TEST(MemoryTest, InferenceKvCacheSplitsOverTpAndPp) {
  const ModelSpec m = Llama2_70b();
  InferenceConfig c;
  c.batch = 4;
  c.context = 4096;
  c.tp = 2;
  c.pp = 2;
  EXPECT_DOUBLE_EQ(InferenceMemory(m, c).kv_cache_bytes, 4.0 * 4096 * 327680 / 4);
  // tp = 16 > 8 KV heads: each rank keeps one KV head (replicated).
  c.tp = 16;
  c.pp = 1;
  EXPECT_DOUBLE_EQ(InferenceMemory(m, c).kv_cache_bytes, 4.0 * 4096 * 80 * 2 * 128 * 2);
}

TEST(MemoryTest, SlidingWindowLayersCacheOnlyTheWindow) {
  ModelSpec m = Llama2_70b();
  m.sliding_window = 1024;
  m.sliding_window_layers = 40;
  InferenceConfig c;
  c.context = 8192;
  const double per_layer_token = 2.0 * 8 * 128 * 2;
  EXPECT_DOUBLE_EQ(InferenceMemory(m, c).kv_cache_bytes, per_layer_token * (40 * 8192 + 40 * 1024));
}

TEST(MemoryTest, Int4WeightsWithGroupScales) {
  const ModelSpec m = Llama2_70b();
  InferenceConfig bf16;
  InferenceConfig int4;
  int4.weight_precision = Precision::kInt4;
  const ParamCounts p = CountParams(m);
  const double high = p.embedding + p.output + p.norms;
  EXPECT_NEAR(InferenceMemory(m, bf16).weights_bytes, 2 * p.total, 1.0);
  EXPECT_NEAR(InferenceMemory(m, int4).weights_bytes, (p.total - high) * (0.5 + 2.0 / 128) + 2 * high, 1.0);
}

TEST(MemoryTest, UsableBytesSubtractsRuntimeReserve) {
  EXPECT_DOUBLE_EQ(UsableBytes(80.0 * (1 << 30)), 79.0 * (1 << 30));
  MemoryOptions o;
  o.runtime_reserve_bytes = 2.0 * (1 << 30);
  EXPECT_DOUBLE_EQ(UsableBytes(80.0 * (1 << 30), o), 78.0 * (1 << 30));
}

// A Llama-style MoE model: `layers` layers of width `hidden`, heads of 128,
// every layer with `experts` routed experts of width `expert_ffn`, top-`topk`.
ModelSpec Moe(int layers, int64_t hidden, int heads, int kv_heads, int experts, int topk, int64_t expert_ffn) {
  ModelSpec m = Llama2_70b();
  m.layers = layers;
  m.hidden = hidden;
  m.heads = heads;
  m.kv_heads = kv_heads;
  m.head_dim = 128;
  m.moe.experts = experts;
  m.moe.topk = topk;
  m.moe.expert_ffn = expert_ffn;
  return m;
}

TEST(MemoryTest, MoeExpertsShardOverEp) {
  const ModelSpec m = Moe(32, 4096, 32, 8, 8, 2, 14336);  // Mixtral-8x7B shape
  ParallelConfig c = Layout(1, 1, 8, 4096, Recompute::kSelective);
  c.global_batch = 8;
  c.zero = 0;
  const double ep1 = TrainingMemory(m, c).weights_bytes;
  c.ep = 8;
  const double ep8 = TrainingMemory(m, c).weights_bytes;
  const double expert_weights = 32 * 8 * ExpertParams(m) * 2;
  EXPECT_NEAR(ep1 - ep8, expert_weights * 7 / 8, 1.0);
  // Routed-token activations scale with topk.
  ParallelConfig one = c;
  ModelSpec top1 = m;
  top1.moe.topk = 1;
  EXPECT_GT(LayerActivationBytes(m, one, 0), LayerActivationBytes(top1, one, 0));
}

TEST(MemoryTest, MoeLayerKeepsPermutedInputsNotExpertOutputs) {
  // Qwen3-30B-A3B shape (h 2048, 32 query / 4 KV heads of 128, 128 experts,
  // top-8, expert width 768), bf16, selective, tp 1. Per token: 10h of norms
  // and masks; Q, K, V and the out-projection input; per routed copy the
  // permuted input (h) and its fp32 routing weight; fp32 router scores over
  // all experts; per copy the gate and up outputs and their product (3 × 768).
  // Megatron-core weights the copies inside the expert activation, so no
  // expert output is kept for the combine.
  const ModelSpec m = Moe(48, 2048, 32, 4, 128, 8, 768);
  const ParallelConfig c = Layout(1, 1, 1, 4096, Recompute::kSelective);
  const double h = 2048, q = 32 * 128, kv = 4 * 128;
  const double per_token = 10 * h + 2 * (2 * q + 2 * kv) + 8 * (2 * h + 4) + 4 * 128 + 8 * 3 * 2 * 768;
  EXPECT_DOUBLE_EQ(LayerActivationBytes(m, c, 0), 4096 * per_token);
}

TEST(MemoryTest, RecomputedModulesDropTheirOutputs) {
  // Against no recomputation, recomputing the experts' activation (moe_act)
  // drops its output, the second expert GEMM's input: topk × expert width per
  // token (2 bytes in bf16); nothing else changes for a model without MLA.
  const ModelSpec m = Moe(48, 2048, 32, 4, 128, 8, 768);
  ParallelConfig c = Layout(1, 1, 1, 4096, Recompute::kNone);
  const double none = LayerActivationBytes(m, c, 0);
  c.recompute = Recompute::kModules;
  EXPECT_DOUBLE_EQ(none - LayerActivationBytes(m, c, 0), 4096.0 * 8 * 768 * 2);
  // Recomputing MLA's up-projections (mla_up_proj) drops Q, K and V:
  // DeepSeek-V3's 128 heads of 128 + 64 (query/key) and 128 (value) dims,
  // 2 × 128·192 + 128·128 elements of 2 bytes per token.
  ModelSpec mla = Moe(61, 7168, 128, 128, 256, 8, 2048);
  mla.use_mla = true;
  mla.mla = MlaSpec{1536, 512, 128, 64, 128};
  c.recompute = Recompute::kNone;
  const double mla_none = LayerActivationBytes(mla, c, 0);
  c.recompute = Recompute::kModules;
  const double moe_act = 4096.0 * 8 * 2048 * 2;
  EXPECT_DOUBLE_EQ(mla_none - LayerActivationBytes(mla, c, 0), 4096.0 * 2 * (2 * 128 * 192 + 128 * 128) + moe_act);
}

TEST(MemoryTest, MiddleStageWithExpertsCanBeTheMostLoaded) {
  // DeepSeek-style: the first layer is dense, the rest MoE; with one layer
  // per stage a middle stage (MoE) holds far more weights than the first.
  ModelSpec m = Llama2_70b();
  m.layers = 4;
  m.hidden = 1024;
  m.heads = 8;
  m.kv_heads = 8;
  m.ffn_hidden = 4096;
  m.vocab = 1000;
  m.moe.experts = 64;
  m.moe.topk = 4;
  m.moe.expert_ffn = 1024;
  m.moe.dense_layers = 1;
  ParallelConfig c = Layout(1, 4, 1, 1024, Recompute::kSelective);
  c.zero = 0;
  const double moe_layer = AttentionParamsPerLayer(m) + 2.0 * 1024 + 64 * ExpertParams(m) + 1024.0 * 64;
  EXPECT_DOUBLE_EQ(TrainingMemory(m, c).weights_bytes, 2 * moe_layer);
}

}  // namespace
}  // namespace suanli

namespace suanli {
namespace {

TEST(UsableBytes, ReserveIsCappedForSmallCards) {
  // 80 GiB card: the full 1 GiB reserve.
  EXPECT_DOUBLE_EQ(UsableBytes(80.0 * (1 << 30)), 79.0 * (1 << 30));
  // 1.5 GiB card (GTX 580 class): a tenth of the capacity.
  EXPECT_DOUBLE_EQ(UsableBytes(1.5 * (1 << 30)), 1.35 * (1 << 30));
}

}  // namespace
}  // namespace suanli

namespace suanli {
namespace {

TEST(MemoryTest, StacksKeepTheirOwnModelStates) {
  const double psi = 7e9;
  // Megatron's distributed optimizer, bf16: 6 + 12/d bytes per parameter.
  const MemoryOptions megatron = StackMemoryOptions(**FindStack("megatron"));
  EXPECT_DOUBLE_EQ(ModelStateBytes(psi, 1, 64, Precision::kBf16, megatron).total_bytes, 6 * psi + 12 * psi / 64);
  // FSDP full shard: the sharded fp32 parameters are the master, so only
  // 16 bytes per parameter, all sharded (no persistent 16-bit copy).
  const MemoryOptions fsdp = StackMemoryOptions(**FindStack("torchtitan"));
  EXPECT_DOUBLE_EQ(ModelStateBytes(psi, 3, 64, Precision::kBf16, fsdp).total_bytes, 16 * psi / 64);
  // MindSpeed --reuse-fp32-param saves 2 bytes per parameter, / dp with the distributed optimizer.
  const MemoryOptions mindspeed = StackMemoryOptions(**FindStack("mindspeed"));
  EXPECT_DOUBLE_EQ(ModelStateBytes(psi, 0, 1, Precision::kBf16, mindspeed).total_bytes, 16 * psi);
  EXPECT_DOUBLE_EQ(ModelStateBytes(psi, 1, 8, Precision::kBf16, mindspeed).total_bytes,
                   (6 - 2.0 / 8) * psi + 12 * psi / 8);
  // NeMo AutoModel trains bf16 parameters without an fp32 master: 2 B
  // weights + 2 B gradients + 2 x 2 B Adam moments, all sharded by FSDP.
  const MemoryOptions automodel = StackMemoryOptions(**FindStack("automodel"));
  const MemoryBreakdown am = ModelStateBytes(psi, 3, 64, Precision::kBf16, automodel);
  EXPECT_DOUBLE_EQ(am.weights_bytes, 2 * psi / 64);
  EXPECT_DOUBLE_EQ(am.gradients_bytes, 2 * psi / 64);
  EXPECT_DOUBLE_EQ(am.optimizer_bytes, 4 * psi / 64);
  // Qwen3-30B-A3B's 30.5 B parameters over FSDP 8 (AutoModel's published
  // 8 x H100 run): 28.4 GiB of model states where an fp32 master keeps 56.9.
  EXPECT_NEAR(ModelStateBytes(30.53e9, 3, 8, Precision::kBf16, automodel).total_bytes / (1 << 30), 28.4, 0.1);
  EXPECT_NEAR(ModelStateBytes(30.53e9, 3, 8, Precision::kBf16, fsdp).total_bytes / (1 << 30), 56.9, 0.1);
  // Offloaded optimizer states leave the device.
  MemoryOptions offload = megatron;
  offload.optimizer_offload = true;
  EXPECT_DOUBLE_EQ(ModelStateBytes(psi, 3, 64, Precision::kBf16, offload).optimizer_bytes, 0.0);
}

TEST(MemoryTest, OffloadHostBytesAndFitMargin) {  // 8e9 params, ZeRO-2 offload over 8: 16 B/param x 1.5 on the host
  MemoryOptions o;
  o.optimizer_offload = true;
  const MemoryBreakdown b = ModelStateBytes(8e9, 2, 8, Precision::kBf16, o);
  EXPECT_DOUBLE_EQ(b.host_bytes, 8e9 * 16 * 1.5 / 8);
  EXPECT_DOUBLE_EQ(HostBytesPerNode(b, 16, 8), 8e9 * 24);           // one node holds 8 of the 16 shards
  EXPECT_FALSE(FitsHost(HostBytesPerNode(b, 8, 8), 128e9));          // 192 GB > 128 GB
  EXPECT_EQ(ModelStateBytes(8e9, 2, 8, Precision::kBf16).host_bytes, 0.0);
  EXPECT_DOUBLE_EQ(UsableBytesWithReserve(64.0 * (1 << 30), 3.0 * (1 << 30)), 61.0 * (1 << 30));
  EXPECT_TRUE(TightFit(62.99, 63.0) && !TightFit(60.0, 63.0));
  EXPECT_TRUE(PreferWithMargin(1.0005, 5.0, 1.0, 1.0));  // within 1% of the speed: more free memory wins
  EXPECT_TRUE(PreferWithMargin(1.0, 1.0, 1.05, 5.0));    // 5% faster wins
}

}  // namespace
}  // namespace suanli
