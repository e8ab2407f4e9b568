// The memory model. Sources, per formula:
//  - model states: Rajbhandari et al. 2020, "ZeRO" (arXiv 1910.02054), Fig. 1 and §5;
//  - activations: Korthikanti et al. 2022, "Reducing Activation Recomputation in
//    Large Transformer Models" (arXiv 2205.05198), §4, Table 2, §4.2.3, §4.3;
//  - MoE dispatch: Megatron-Core's alltoall token dispatcher
//    (megatron/core/transformer/moe/token_dispatcher.py).
// Serving (weights, KV cache) is in inference_memory.cc.
// docs/memory-model.md derives every per-tensor term used here.
#include "model/memory.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "model/memory_parts.h"
#include "workload/stage_layout.h"

namespace suanli {
namespace {

using memory_parts::CommBuffers;
using memory_parts::Fragmentation;
using memory_parts::Total;

// Returns the bytes of one stored activation element: 2 for 16-bit and fp8
// recipes (fp8 keeps activations between GEMMs in bf16), 4 for fp32.
double ActivationElementBytes(Precision precision) {
  return precision == Precision::kFp32 || precision == Precision::kTf32 ? 4.0 : 2.0;
}

MemoryBreakdown Add(MemoryBreakdown a, const MemoryBreakdown& b) {
  a.weights_bytes += b.weights_bytes;
  a.gradients_bytes += b.gradients_bytes;
  a.optimizer_bytes += b.optimizer_bytes;
  a.activations_bytes += b.activations_bytes;
  a.kv_cache_bytes += b.kv_cache_bytes;
  a.other_bytes += b.other_bytes;
  a.host_bytes += b.host_bytes;
  return a;
}

// Per-token activation bytes of one layer, split into the part that tensor
// parallelism replicates (unless sequence parallelism splits it), the part
// it splits, and the part every tensor-parallel rank keeps for every token of
// the micro-batch whatever sequence parallelism does (the routed experts'
// inputs after the dispatcher's all-gather over the expert-TP group); see
// docs/memory-model.md §Activations for the per-tensor list.
struct TokenBytes {
  double replicated = 0;
  double split = 0;
  double whole = 0;
};

TokenBytes LayerTokenBytes(const ModelSpec& m, const ParallelConfig& c, int layer,
                           const MemoryOptions& o) {
  const double e = ActivationElementBytes(c.precision);
  const double h = static_cast<double>(m.hidden);
  const double mask = 1.0;  // dropout masks: 1 byte per element (Korthikanti §4.1)
  // Inputs of the linear layers are kept for their weight-gradient GEMMs;
  // under fp8 recipes TransformerEngine keeps the quantised 1-byte copy it
  // already made for the forward GEMM instead of the bf16 tensor.
  const double g = c.precision == Precision::kFp8 ? 1.0 : e;
  TokenBytes t;
  // Two norm inputs, the attention input (LN output, shared by Q/K/V), its
  // output dropout mask, the MLP input and its dropout mask: 4+2+1+2+1 = 10h
  // for 2-byte activations (Table 2, the "10" of sbh(10 + 24/t)).
  t.replicated += 2 * e * h + g * h + mask * h + g * h + mask * h;
  // Attention, split over tp.
  const double heads = m.heads;
  if (m.use_mla) {
    const MlaSpec& a = m.mla;
    // Down-projection outputs (norm inputs) and normed latents (up-projection
    // inputs) are computed whole on every TP rank.
    if (a.q_lora_rank > 0) t.replicated += 2 * e * a.q_lora_rank;
    t.replicated += e * (a.kv_lora_rank + a.qk_rope_head_dim) + e * a.kv_lora_rank;
    const double qk = heads * (a.qk_nope_head_dim + a.qk_rope_head_dim);
    const double v = heads * a.v_head_dim;
    // Recomputing the up-projections (Megatron --recompute-modules
    // mla_up_proj) rebuilds Q, K and V from the kept latents in backward.
    if (c.recompute != Recompute::kModules) t.split += e * qk /*Q*/ + e * qk /*K*/ + e * v /*V*/;
    t.split += g * v /*out-proj input*/;
  } else {
    const double q = heads * m.head_dim;
    const double kv = static_cast<double>(m.kv_heads) * m.head_dim;
    t.split += e * q /*Q*/ + e * kv /*K*/ + e * kv /*V*/ + g * q /*out-proj input*/;
  }
  // Only selective recompute (or its layers under block recompute) drops the
  // attention core's saved tensors; `modules` keeps them.
  const bool core_kept = c.recompute == Recompute::kNone || c.recompute == Recompute::kModules;
  if (core_kept && c.precision == Precision::kFp8 && c.attention != AttentionKernel::kUnfused) {
    // The fused attention's backward needs its output O: Transformer Engine
    // (FusedAttnFunc, attention/dot_product_attention/backends.py) saves the
    // 16-bit O unless the attention itself runs in fp8 (fp8_dpa, off in
    // Megatron's fp8 recipes), besides the fp8 copy the output projection's
    // Linear saves as its input (module/linear.py, saved_inputmat). In 16-bit
    // recipes the two are one tensor (the out-proj input above).
    t.split += e * heads * (m.use_mla ? m.mla.v_head_dim : m.head_dim);
  }
  if (core_kept) {
    if (c.attention != AttentionKernel::kUnfused) {
      t.split += 4.0 * heads;  // fp32 log-sum-exp per head per query (FlashAttention-2 §3.1)
    } else {
      // Softmax output (e), dropout mask (1), dropout output (e) per score:
      // 5·a·s per token for e = 2 (Table 2, "5as/h"). Keys: the whole sequence.
      t.split += (2 * e + mask) * heads * static_cast<double>(c.seq_len);
    }
  }
  // MLP: plain has the GeLU input and output (2 f-wide tensors; 16h for
  // f = 4h), gated has the gate and up outputs and their product (3 f-wide);
  // the last of them is the down projection's input.
  const double ffn_bytes = (m.gated_mlp ? 2.0 : 1.0) * e + g;
  if (m.IsMoeLayer(layer)) {
    const double shared_ffn = static_cast<double>(m.moe.shared_expert_ffn > 0 ? m.moe.shared_expert_ffn
                                                                              : m.moe.expert_ffn);
    // Each token is copied to topk experts: the permuted input (kept for the
    // first expert GEMM's weight gradient) and its fp32 routing weight per
    // copy, plus the fp32 router scores over all experts. Megatron-core
    // multiplies the routing weights inside the expert activation
    // (experts.py, activation_func_with_probs), so the weight gradient comes
    // from the activation's saved input and the expert output is not kept for
    // the combine. With experts split over tp (expert-TP = tp), Megatron's
    // alltoall dispatcher all-gathers the permuted tokens and their weights
    // over the expert-TP group after the EP all-to-all
    // (token_dispatcher.py, gather_from_sequence_parallel_region of
    // global_input_tokens and global_probs), so every TP rank keeps the copies
    // of all the micro-batch's tokens whether or not SP shards the dense
    // parts; with experts folded over tp each rank dispatches only its share.
    (c.ExpertsFoldTp() ? t.split : t.whole) += m.moe.topk * (g * h + 4.0);
    t.replicated += 4.0 * m.moe.experts;
    // Recomputing the routed experts' activation (--recompute-modules
    // moe_act) rebuilds the second expert GEMM's input from the first's output.
    const double routed_ffn_bytes = c.recompute == Recompute::kModules ? ffn_bytes - g : ffn_bytes;
    t.split += m.moe.topk * routed_ffn_bytes * static_cast<double>(m.moe.expert_ffn) +
               m.moe.shared_experts * ffn_bytes * shared_ffn;
  } else {
    t.split += ffn_bytes * static_cast<double>(m.ffn_hidden);
  }
  return t;
}

double TokensPerMicroBatch(const ParallelConfig& c) {
  return static_cast<double>(c.seq_len) / c.cp * c.micro_batch;
}

bool SequenceParallel(const ParallelConfig& c) { return c.sequence_parallel && c.tp > 1; }

// Returns the activation bytes of stage `stage` (in-flight micro-batches,
// embedding/logit terms and the recompute working set included).
double StageActivationBytes(const ModelSpec& m, const ParallelConfig& c, int stage,
                            const MemoryOptions& o) {
  const double tokens = TokensPerMicroBatch(c);
  const double t = c.tp;
  const bool sp = SequenceParallel(c);
  const double e = ActivationElementBytes(c.precision);
  const double h = static_cast<double>(m.hidden);
  const StageLayout layout(m, c);
  const int first_layer = layout.FirstLayer(stage);
  const int stage_layers = layout.Layers(stage);
  double per_micro_batch = 0;
  double largest_layer_none = 0;
  // Block recompute (recompute_layers > 0): the first layers of the stage
  // keep only their input, the others are stored as under selective recompute.
  // A layer's bytes depend only on whether it is a MoE layer: each of the
  // (kind, treatment) values is computed once.
  ParallelConfig kept = c;
  kept.recompute = Recompute::kSelective;
  ParallelConfig none = c;
  none.recompute = Recompute::kNone;
  double cached[2][3] = {{-1, -1, -1}, {-1, -1, -1}};  // [moe][as c, as selective, as none]
  auto bytes_of = [&](int layer, int treatment) {
    double& slot = cached[m.IsMoeLayer(layer) ? 1 : 0][treatment];
    if (slot < 0) {
      const ParallelConfig& as = treatment == 0 ? c : treatment == 1 ? kept : none;
      slot = LayerActivationBytes(m, as, layer, o);
    }
    return slot;
  };
  for (int i = first_layer; i < first_layer + stage_layers; ++i) {
    const bool recomputed = c.recompute == Recompute::kFull &&
                            (c.recompute_layers <= 0 || i - first_layer < c.recompute_layers);
    const bool stored_as_selective = c.recompute == Recompute::kFull && !recomputed;
    // Checkpoints offloaded to host memory (DeepSpeed cpu_checkpointing)
    // leave only the layer being recomputed on the device.
    if (recomputed && o.checkpoint_offload) {
      largest_layer_none = std::max(largest_layer_none, bytes_of(i, 0));
    } else {
      per_micro_batch += bytes_of(i, stored_as_selective ? 1 : 0);
    }
    if (recomputed) largest_layer_none = std::max(largest_layer_none, bytes_of(i, 2));
  }
  // 1F1B: stage i runs pp - i warm-up forwards before its first backward
  // (Korthikanti §4.2.3), bounded by the micro-batches of the step.
  const int micro_batches = std::max(1, c.MicroBatches());
  const double in_flight = std::min(c.pp - stage, micro_batches);
  const double factor = stage == 0 ? InterleaveFactor(c.pp, c.vp) : 1.0;
  double bytes = per_micro_batch * in_flight * factor;
  // Full recompute rebuilds one layer's activations during its backward.
  bytes += largest_layer_none;
  if (layout.HoldsEmbedding(stage)) {
    // Input-embedding dropout mask, one byte per element (Korthikanti §4.3: sbhp/t).
    bytes += tokens * h / (sp ? t : 1.0) * in_flight;
  }
  if (layout.HoldsOutputHead(stage)) {
    // Final norm input and output-layer input (2·e·h), fp32 logits and the
    // cross-entropy gradient buffer of the same size, vocab-parallel
    // (Korthikanti §4.3: 4sbh/t·(1 + v/h), plus the loss buffer).
    // A fused (chunked) cross-entropy keeps neither the fp32 logits nor their gradient.
    const double logit_bytes = o.fused_cross_entropy ? 0.0 : 8.0 * static_cast<double>(m.vocab) / t;
    bytes += tokens * (2 * e * h / (sp ? t : 1.0) + logit_bytes);
  }
  return bytes;
}

MemoryBreakdown StageTrainingMemory(const ModelSpec& m, const ParallelConfig& c, int stage,
                                    const MemoryOptions& o) {
  const StageParams p = StageLayout(m, c).ParamsPerRank(stage);
  const int shard = c.dp * c.cp;
  const int expert_shard = c.ExpertDataRanks();
  MemoryBreakdown b = Add(ModelStateBytes(p.dense, c.zero, shard, c.precision, o),
                          ModelStateBytes(p.expert, c.zero, expert_shard, c.precision, o));
  b.activations_bytes = StageActivationBytes(m, c, stage, o);
  b.other_bytes = CommBuffers(o, c.Devices()) + Fragmentation(o) * b.activations_bytes;
  if (c.zero >= 3 && shard > 1) {
    // ZeRO-3 gathers the full weights of the current and the prefetched layer.
    b.other_bytes += 2.0 * p.largest_layer * ActivationElementBytes(c.precision);
  }
  Total(b);
  return b;
}

}  // namespace


double InterleaveFactor(int pp, int vp) {
  if (vp <= 1 || pp <= 1) return 1.0;
  return 1.0 + static_cast<double>(pp - 1) / (static_cast<double>(pp) * vp);
}

double GradientBytes(Precision precision, bool bf16_gradients) {
  // Megatron-LM forces fp32 gradient accumulation and all-reduce for bf16
  // ("bfloat16 requires gradient accumulation and all-reduce to be done in
  // fp32", megatron/training/arguments.py); fp8 recipes keep bf16 parameters
  // and the same fp32 main grads; fp16 training keeps fp16 gradients (the
  // ZeRO paper's 2Ψ).
  if (precision == Precision::kFp16) return 2.0;
  if (precision == Precision::kBf16 || precision == Precision::kFp8) return bf16_gradients ? 2.0 : 4.0;
  return 4.0;
}

MemoryOptions StackMemoryOptions(const SoftwareStack& stack) {
  MemoryOptions o;
  o.bf16_gradients = stack.bf16_gradients;
  o.bf16_gradients_with_zero = stack.bf16_gradients_with_zero;
  o.master_weights = stack.master_weights;
  o.fused_cross_entropy = stack.fused_cross_entropy;
  return o;
}

MemoryBreakdown ModelStateBytes(double params, int zero, int shard_ranks, Precision precision,
                                const MemoryOptions& options) {
  // ZeRO Fig. 1: mixed-precision Adam keeps 2Ψ (fp16 weights) + 2Ψ (fp16
  // gradients) + KΨ optimizer states, K = 12 (fp32 master, momentum, variance).
  const bool fp32 = precision == Precision::kFp32 || precision == Precision::kTf32;
  double weight_bytes = fp32 ? 4.0 : 2.0;
  // fp8 (TransformerEngine): bf16 parameters plus a cached fp8 copy of each
  // GEMM weight reused across micro-batches (+1 B/param).
  if (precision == Precision::kFp8) weight_bytes += 1.0;
  // DeepSpeed accumulates bf16 gradients in fp32 only without ZeRO; with
  // ZeRO 1-3 they stay in the model dtype (engine.get_data_types()).
  const double grad_bytes =
      GradientBytes(precision, options.bf16_gradients || (options.bf16_gradients_with_zero && zero >= 1));
  double optimizer_bytes = (fp32 || !options.fp32_master_weights) ? 8.0 : 12.0;
  if (!fp32 && options.master_weights == MasterWeights::kNone) {
    // No fp32 master (NeMo AutoModel builds its models in bf16): the
    // optimizer updates the 16-bit parameters in place and torch.optim.Adam
    // keeps its two moments in the parameter's dtype (zeros_like), 2 x 2 B.
    optimizer_bytes = 4.0;
  }
  const double n = std::max(1, shard_ranks);
  if (!fp32 && options.master_weights == MasterWeights::kShardedFp32 && zero >= 3) {
    // FSDP mixed precision: the sharded fp32 parameters are the master; the
    // 16-bit copies exist only while a layer runs (the gather term of
    // StageTrainingMemory), so no persistent 16-bit weights remain.
    weight_bytes -= 2.0;
  } else if (!fp32 && options.master_weights == MasterWeights::kReused) {
    // MindSpeed --reuse-fp32-param: the 16-bit copy of the parameters this
    // rank updates shares the fp32 master's memory, saving 2 bytes per
    // parameter, divided by dp under the distributed optimizer.
    weight_bytes -= 2.0 / (zero >= 1 ? n : 1.0);
  }
  MemoryBreakdown b;
  b.weights_bytes = params * weight_bytes / (zero >= 3 ? n : 1.0);
  // Optimizer offload (a ZeRO option) moves the fp32 master, Adam's moments
  // and from stage 2 the gradient partition to the host (DeepSpeed stage3.py
  // grad_partitions_flat_buffer, stage_1_and_2.py cpu_offload); stage 1
  // keeps the full gradients on the device until the step.
  const bool offload = options.optimizer_offload && zero >= 1;
  b.gradients_bytes = offload && zero >= 2 ? 0.0 : params * grad_bytes / (zero >= 2 ? n : 1.0);
  b.optimizer_bytes = offload ? 0.0 : params * optimizer_bytes / (zero >= 1 ? n : 1.0);
  // The host keeps this rank's shard of the fp32 master and moments plus the
  // fp32 gradient partition (16 B/param over N_d, as DeepSpeed's estimator),
  // times its pinned-buffer factor; not part of the device total.
  if (offload) b.host_bytes = params * (optimizer_bytes + kOffloadHostGradientBytes) / n * kOffloadHostBufferFactor;
  Total(b);
  return b;
}

double LayerActivationBytes(const ModelSpec& model, const ParallelConfig& c, int layer,
                            const MemoryOptions& options) {
  const double tokens = TokensPerMicroBatch(c);
  const bool sp = SequenceParallel(c);
  const double t = c.tp;
  if (c.recompute == Recompute::kFull) {
    // Only the layer input is kept: 2sbh (Table 2), split by SP.
    return tokens * ActivationElementBytes(c.precision) * static_cast<double>(model.hidden) /
           (sp ? t : 1.0);
  }
  const TokenBytes b = LayerTokenBytes(model, c, layer, options);
  return tokens * (b.whole + (sp ? (b.replicated + b.split) / t : b.replicated + b.split / t));
}

MemoryBreakdown TrainingMemory(const ModelSpec& model, const ParallelConfig& config,
                               const MemoryOptions& options) {
  // Every stage: MoE models with leading dense layers (DeepSeek) load the
  // middle stages more than the first or the last.
  // A middle stage whose layers are laid out exactly like the previous
  // stage's holds the same parameters and fewer in-flight micro-batches, so
  // it cannot be the peak and is skipped.
  const StageLayout layout(model, config);
  MemoryBreakdown peak = StageTrainingMemory(model, config, 0, options);
  for (int stage = 1; stage < config.pp; ++stage) {
    if (stage < config.pp - 1 && layout.SameLayerKinds(stage - 1, stage)) continue;
    MemoryBreakdown b = StageTrainingMemory(model, config, stage, options);
    if (b.total_bytes > peak.total_bytes) peak = b;
  }
  return peak;
}


double UsableBytes(double capacity_bytes, const MemoryOptions& options) {
  // Small (pre-2015) cards have proportionally smaller contexts and
  // workspaces: the default reserve is capped at a tenth of the capacity.
  const double reserve =
      options.runtime_reserve_bytes > 0
          ? options.runtime_reserve_bytes
          : std::min(kDefaultRuntimeReserveBytes, kMaxRuntimeReserveFraction * capacity_bytes);
  return std::max(0.0, capacity_bytes - reserve);
}

double UsableBytesWithReserve(double capacity_bytes, double runtime_reserve_bytes) {
  MemoryOptions options;
  options.runtime_reserve_bytes = runtime_reserve_bytes;
  return UsableBytes(capacity_bytes, options);
}

double HostBytesPerNode(const MemoryBreakdown& memory, int devices, int devices_per_node) {
  const int on_node = std::max(1, devices_per_node > 0 ? std::min(devices, devices_per_node) : devices);
  return memory.host_bytes * on_node;
}

bool FitsHost(double host_bytes_per_node, double host_capacity_bytes) {
  return host_capacity_bytes <= 0 || host_bytes_per_node <= host_capacity_bytes;
}

bool TightFit(double total_bytes, double usable_bytes) {
  return total_bytes <= usable_bytes && usable_bytes - total_bytes < kFitHeadroomFraction * usable_bytes;
}

bool PreferWithMargin(double a_step_s, double a_free_bytes, double b_step_s, double b_free_bytes) {
  const double slower = std::max(a_step_s, b_step_s);
  if (std::abs(a_step_s - b_step_s) > kFitMarginSpeedFraction * slower) return a_step_s < b_step_s;
  if (a_free_bytes != b_free_bytes) return a_free_bytes > b_free_bytes;
  return a_step_s < b_step_s;
}

}  // namespace suanli
