// The training step model. Every term is a roofline of FLOPs or bytes at an
// achievable rate (roofline.h) or a collective at an achievable bus bandwidth
// (collectives.h); docs/perf-model.md gives the derivation of each term and
// its source. One function per term of StepBreakdown; EstimateStepWithMemory
// only assembles them.
#include "model/perf.h"

#include <algorithm>
#include <cmath>

#include "model/attention_time.h"
#include "model/collectives.h"
#include "model/data_parallel_time.h"
#include "model/moe_time.h"
#include "workload/stage_layout.h"

namespace suanli {
namespace {

// Bytes of one activation element sent between ranks (16-bit).
constexpr double kActivationBytes = 2.0;
// One device's PCIe 4 x16 link to the host, bytes/s (the CPU Adam step's
// host-memory rate is kCpuAdamHostBandwidthBps, model/memory.h).
constexpr double kHostLinkBps = 25e9;

// Per-micro-batch times of the slowest pipeline stage (the most MoE layers,
// then the most layers), shared by the terms of the step.
struct StageTimes {
  int stage = 0;
  int layers = 0;
  int moe_layers = 0;
  int dense_layers = 0;
  double tokens = 0;            // per rank, per micro-batch
  AttentionTimes attention;
  MoeMlpTimes moe;
  double dense_fwd_s = 0;       // one dense layer, forward
  double dense_bwd_s = 0;
  double moe_fwd_s = 0;         // one MoE layer, forward
  double moe_bwd_s = 0;
  double fwd_s = 0;             // the stage's layers and output layer, forward
  double bwd_s = 0;
  double full_share = 0;        // share of the stage's layers fully recomputed
};

// Compute of one micro-batch on the slowest stage: per-layer GEMMs (Megatron
// column/row split over tp), attention, MoE MLPs and element-wise work, plus
// the output layer and cross-entropy.
StageTimes StageCompute(const ModelSpec& m, const ParallelConfig& c, const Accelerator& acc,
                        const PerfAssumptions& as, const DeviceRates& rates, const StageLayout& layout) {
  const Rates& r = rates.gemm;
  StageTimes st;
  st.stage = layout.SlowestStage();
  st.layers = layout.Layers(st.stage);
  st.moe_layers = layout.MoeLayers(st.stage);
  st.dense_layers = st.layers - st.moe_layers;
  st.full_share = FullRecomputeShare(c, st.layers);
  const double t = c.tp;
  const double h = static_cast<double>(m.hidden);
  st.tokens = static_cast<double>(c.micro_batch) * c.seq_len / c.cp;
  const double tokens = st.tokens;
  const double sp_tokens = c.sequence_parallel && c.tp > 1 ? tokens / t : tokens;  // norms/residuals
  st.attention = AttentionTime(m, c, acc, as, rates, tokens);
  st.moe = MoeMlpTime(m, c, rates, tokens);

  LinearTime dense_mlp;
  const double f_local = static_cast<double>(m.ffn_hidden) / t;
  Add(dense_mlp, Linear(tokens, h, (m.gated_mlp ? 2.0 : 1.0) * f_local, r));
  Add(dense_mlp, Linear(tokens, f_local, h, r));

  // Element-wise, memory-bound work per layer forward (bytes): two norms and
  // two residual adds on the sequence-parallel shard (≈10 passes over s·h),
  // rotary on q and k, the MLP activation (3 passes over the local FFN
  // width); backward moves about twice as much.
  // Stacks that run these as eager ops (docs/stacks.md §Kernels) move more:
  // an eager norm ~8 more passes each (fp32 upcast, pow, mean, rsqrt, two
  // products), eager rotary ~5x, an eager SwiGLU 5 passes over the FFN width;
  // each extra op is another kernel.
  const double norm_passes = 10.0 + (as.fused_norm ? 0.0 : 16.0);
  const double rotary_passes = as.fused_rotary ? 2.0 : 10.0;
  const double mlp_passes = as.fused_swiglu || !m.gated_mlp ? 3.0 : 5.0;
  const double kernels = 8.0 + (as.fused_norm ? 0.0 : 10.0) + (as.fused_rotary ? 0.0 : 8.0) +
                         (as.fused_swiglu ? 0.0 : 2.0);
  auto elementwise_fwd_s = [&](double mlp_width_local, double routed_rows) {
    const double elements = norm_passes * sp_tokens * h +
                            rotary_passes * tokens * (st.attention.q_width + st.attention.kv_width / 2.0) +
                            mlp_passes * (routed_rows > 0 ? routed_rows : tokens) * mlp_width_local +
                            (routed_rows > 0 ? 4.0 * routed_rows * h : 0.0);
    return elements * kActivationBytes / r.hbm_Bps + kernels * r.kernel_overhead_s;
  };
  const double dense_elem_fwd_s = elementwise_fwd_s(f_local, 0.0);
  const double moe_elem_fwd_s =
      m.IsMoe() ? elementwise_fwd_s(ExpertWidth(m, false) / c.ExpertTp(), st.moe.routed_tokens) : 0.0;

  const double attn_fwd_s = st.attention.linear.forward_s + st.attention.core_fwd_s;
  const double attn_bwd_s = st.attention.linear.backward_s + st.attention.core_bwd_s;
  st.dense_fwd_s = attn_fwd_s + dense_mlp.forward_s + dense_elem_fwd_s;
  st.dense_bwd_s = attn_bwd_s + dense_mlp.backward_s + 2.0 * dense_elem_fwd_s;
  st.moe_fwd_s = attn_fwd_s + st.moe.mlp.forward_s + moe_elem_fwd_s;
  st.moe_bwd_s = attn_bwd_s + st.moe.mlp.backward_s + 2.0 * moe_elem_fwd_s;
  st.fwd_s = st.dense_layers * st.dense_fwd_s + st.moe_layers * st.moe_fwd_s;
  st.bwd_s = st.dense_layers * st.dense_bwd_s + st.moe_layers * st.moe_bwd_s;
  // Output layer and cross-entropy on the last stage (vocab-parallel over
  // tp): a GEMM of s·b × h × V/t and ~4 fp32 passes over the logits.
  const LinearTime logits = Linear(tokens, h, static_cast<double>(m.vocab) / t, rates.bf16);
  const double ce_s = 4.0 * tokens * m.vocab / t * 4.0 / r.hbm_Bps;
  st.fwd_s += logits.forward_s + ce_s;
  st.bwd_s += logits.backward_s + ce_s;
  return st;
}

// Returns whether backward re-runs the attention core's forward in the layers
// not fully recomputed: selective recompute checkpoints it (Korthikanti et al.
// 2022 §4.2), and without flash attention the layers block recompute leaves
// store as selective.
bool AttentionCoreRecomputed(const ParallelConfig& c) {
  return c.recompute == Recompute::kSelective ||
         (c.attention == AttentionKernel::kUnfused && c.recompute == Recompute::kFull);
}

// Recomputation repeats forward work during backward, per micro-batch:
// selective repeats the attention core's forward, full repeats every layer's
// forward including its TP collectives. Block recompute (Megatron
// --recompute-method block) repeats only a share of the stage's layers.
double RecomputeTime(const ParallelConfig& c, const StageTimes& st) {
  // Selective recompute checkpoints the attention core (Korthikanti et al.
  // 2022 §4.2): its forward runs again in backward, a fused kernel's too
  // (Megatron passes checkpoint_core_attention to TransformerEngine's
  // attention, which recomputes the forward; all it saves is the
  // log-sum-exp). Without flash attention the layers block recompute leaves
  // store as selective and re-run it too. `modules` does not name the core.
  const double selective_core_s =
      AttentionCoreRecomputed(c) ? (1.0 - st.full_share) * st.layers * st.attention.core_fwd_s : 0.0;
  // Recomputed modules (Megatron --recompute-modules mla_up_proj moe_act)
  // repeat MLA's up-projection GEMMs in every layer and the routed experts'
  // activation in every MoE layer.
  const double modules_s = c.recompute == Recompute::kModules
                               ? st.layers * st.attention.up_projection_fwd_s +
                                     st.moe_layers * st.moe.activation_fwd_s
                               : 0.0;
  return st.full_share * (st.dense_layers * st.dense_fwd_s + st.moe_layers * st.moe_fwd_s) +
         selective_core_s + modules_s;
}

// Tensor/sequence-parallel collectives per micro-batch (Korthikanti et al.
// 2022 §3): per layer forward 2 all-gathers + 2 reduce-scatters of s·b·h (or
// 2 all-reduces without SP), the same again in backward and in a recomputed
// forward. An MoE layer whose experts are whole (folded over tp) has no
// tensor-parallel collectives around its MLP: only the attention's two remain.
double TensorParallelTime(const ModelSpec& m, const ParallelConfig& c, const StageTimes& st,
                          const Fabric& fabric, int domain) {
  if (c.tp <= 1) return 0.0;
  const double bytes = st.tokens * static_cast<double>(m.hidden) * kActivationBytes;
  const double fwd_s = 4.0 * HierarchicalPhase(bytes, Place(c.tp, 1, domain), fabric);
  const double layers = c.ExpertsFoldTp() ? st.layers - 0.5 * st.moe_layers : static_cast<double>(st.layers);
  return layers * (2.0 * fwd_s) + st.full_share * layers * fwd_s;
}

// Context-parallel ring exchange of K and V (forward) and of K, V, dK, dV
// (backward) per micro-batch, overlapped with each ring step's attention.
double ContextParallelTime(const ParallelConfig& c, const PerfAssumptions& as, const StageTimes& st,
                           const Fabric& fabric, int domain) {
  if (c.cp <= 1) return 0.0;
  const GroupPlacement cp_group = Place(c.cp, c.tp, domain);
  const double kv_bytes = st.tokens * st.attention.kv_width * kActivationBytes;
  const double fwd_comm = (c.cp - 1.0) * PointToPointTime(kv_bytes, cp_group.domains > 1, fabric);
  return st.layers * (OverlappedTime(fwd_comm, st.attention.core_fwd_s, as.overlap_contention) +
                      OverlappedTime(2.0 * fwd_comm, st.attention.core_bwd_s, as.overlap_contention));
}

// Expert-parallel all-to-all per micro-batch: dispatch and combine in
// forward and backward (again in a recomputed forward); the EP group strides
// over tp·cp ranks, or is consecutive when folded over tp. With EP overlap
// (Megatron's --overlap-moe-expert-parallel-comm; DeepSeek-V3's DualPipe) it
// hides behind another micro-batch's compute of the same layer, paying only
// what outlasts it and the contention of the hidden part.
double ExpertParallelTime(const ModelSpec& m, const ParallelConfig& c, const PerfAssumptions& as,
                          const StageTimes& st, const Fabric& fabric, int domain) {
  if (!m.IsMoe() || c.ep <= 1) return 0.0;
  const GroupPlacement ep_group = Place(c.ep, c.ExpertsFoldTp() ? 1 : c.tp * c.cp, domain);
  const ExpertRouting routing{static_cast<double>(std::max(1, m.moe.topk)), m.moe.expert_groups,
                              m.moe.groups_per_token};
  const double token_bytes = st.moe.routed_tokens / routing.copies * static_cast<double>(m.hidden) * kActivationBytes /
                             (c.ExpertsFoldTp() ? 1.0 : c.tp);
  const double fwd_s =
      2.0 * ExpertAllToAllTime(token_bytes, routing, ep_group, fabric, as.expert_dispatch_per_node);
  const double layer_s = 2.0 * fwd_s * (1.0 + 0.5 * st.full_share);
  const double exposed_s = c.ep_overlap && c.MicroBatches() > 1
                               ? OverlappedTime(layer_s, st.moe_fwd_s + st.moe_bwd_s, as.overlap_contention)
                               : layer_s;
  return st.moe_layers * exposed_s;
}

// Pipeline point-to-point per micro-batch: one activation send per virtual
// stage boundary, forward and backward (Narayanan et al. 2021 §2.2). The
// interleaved schedule overlaps each transfer with the next chunk's compute
// (Megatron-LM's overlap_p2p_comm, on by default and only available with
// interleaving): the latency, the part of the transfer longer than one
// chunk's forward and the contention of the hidden part stay on the
// critical path. Plain 1F1B waits for each send.
double PipelineSendTime(const ModelSpec& m, const ParallelConfig& c, const PerfAssumptions& as,
                        const StageTimes& st, const Fabric& fabric, int domain) {
  if (c.pp <= 1) return 0.0;
  const bool cross_domain = Place(c.pp, c.tp * c.cp * c.dp, domain).domains > 1;
  const double bytes = st.tokens * static_cast<double>(m.hidden) * kActivationBytes /
                       (c.sequence_parallel ? c.tp : 1.0);
  const double latency_s = cross_domain ? fabric.out_latency_s : fabric.up_latency_s;
  const double transfer_s = bytes / (cross_domain ? fabric.out_Bps : fabric.up_Bps);
  const double chunk_fwd_s = c.vp > 1 ? st.fwd_s / c.vp : 0.0;
  return 2.0 * c.vp * (OverlappedTime(transfer_s, chunk_fwd_s, as.overlap_contention) + latency_s);
}

// A dropless MoE layer carries a fixed cost per micro-batch that does not
// scale with tokens: the dispatcher reads per-expert token counts on the
// host (a device-to-host sync, 0.3-0.6 ms per layer measured on an H200)
// and issues many small routing and permutation kernels; an eager MoE layer
// without the sync already costs 2.3 ms (docs/calibration.md). Charged per
// MoE layer per micro-batch, and again for a recomputed forward.
double MoeDispatchTime(const ModelSpec& m, const PerfAssumptions& as, const StageTimes& st) {
  return m.IsMoe() ? st.moe_layers * as.moe_dispatch_overhead_s * (1.0 + st.full_share) : 0.0;
}

// 1F1B / interleaved 1F1B bubble per step: pp−1 times the work of one virtual
// stage per micro-batch, (pp−1)/vp micro-batch times when the stage's layers
// split evenly (Narayanan et al. 2021 eq. 1 and §2.2.2); with an uneven
// split the largest chunk sets the pace. `micro_batch_s` is one micro-batch.
double BubbleTime(const ParallelConfig& c, const StageLayout& layout, const StageTimes& st,
                  double micro_batch_s) {
  if (c.pp <= 1) return 0.0;
  return (c.pp - 1.0) * micro_batch_s * layout.LargestChunkLayers(st.stage, c.vp) / std::max(1, st.layers);
}

// Optimizer step: memory-bound over the rank's (ZeRO-sharded) parameters.
// With the optimizer offloaded (ZeRO-Offload, a ZeRO option: stage >= 1)
// the step streams the same bytes through host memory, shared by the node's
// devices, plus the gradient partition down and the 16-bit parameters up
// over PCIe. A stack that reduces every micro-batch (DeepSpeed ZeRO >= 2)
// moves each micro-batch's partition into the host buffer, accumulating
// through the device (stage3.py partition_grads: host->device, add,
// device->host), so 2M - 1 transfers of it per step.
double OptimizerTime(const ParallelConfig& c, const PerfAssumptions& as, const StageParams& params,
                     const Rates& r) {
  const double shard = c.zero >= 1 ? c.dp * c.cp : 1.0;
  const double expert_shard = c.zero >= 1 ? c.ExpertDataRanks() : 1.0;
  const double rank_params = params.dense / shard + params.expert / expert_shard;
  if (as.optimizer_offload && c.zero >= 1) {
    const double transfers = as.reduce_every_micro_batch && c.zero >= 2 ? 2.0 * c.MicroBatches() - 1.0 : 1.0;
    const double param_bytes = c.precision == Precision::kFp32 || c.precision == Precision::kTf32 ? 4.0 : 2.0;
    const double link_bytes = transfers * ReducedGradientBytes(c, as) + param_bytes;
    return rank_params * (as.optimizer_bytes_per_param / kCpuAdamHostBandwidthBps + link_bytes / kHostLinkBps);
  }
  return rank_params * as.optimizer_bytes_per_param / r.hbm_Bps;
}

// Fills the throughput and FLOP-rate fields of `est` from its step time.
void FillRates(const ModelSpec& m, const Accelerator& acc, const ParallelConfig& c, double full_share,
               StepEstimate& est) {
  const double step_tokens = static_cast<double>(c.global_batch) * c.seq_len;
  est.tokens_per_s = step_tokens / est.step_time_s;
  est.tokens_per_s_per_gpu = est.tokens_per_s / c.Devices();
  est.model_flops_per_token = ModelFlopsPerToken(m, c.seq_len);
  est.model_tflops_per_gpu = est.model_flops_per_token * est.tokens_per_s_per_gpu / 1e12;
  // Executed FLOPs add the recomputed forwards (RecomputeTime): a third of
  // every fully recomputed layer's, the attention core's forward in the other
  // layers where it is recomputed too, and MLA's up-projections under
  // `modules` (2 FLOPs per weight per token).
  double recomputed_per_token =
      AttentionCoreRecomputed(c) ? (1.0 - full_share) * AttentionCoreFlopsPerToken(m, c.seq_len) / 3.0 : 0.0;
  if (c.recompute == Recompute::kModules && m.use_mla) {
    const MlaSpec& a = m.mla;
    const double up_weights = static_cast<double>(a.kv_lora_rank) * m.heads * (a.qk_nope_head_dim + a.v_head_dim) +
                              static_cast<double>(a.q_lora_rank) * m.heads * (a.qk_nope_head_dim + a.qk_rope_head_dim);
    recomputed_per_token += 2.0 * m.layers * up_weights;
  }
  est.hw_tflops_per_gpu = est.model_tflops_per_gpu * (1.0 + full_share / 3.0) +
                          recomputed_per_token * est.tokens_per_s_per_gpu / 1e12;
  const double peak = GemmPeakFlops(acc, c.precision == Precision::kFp8 ? Precision::kBf16 : c.precision);
  est.mfu = peak > 0 ? est.model_tflops_per_gpu * 1e12 / peak : 0.0;
}

}  // namespace

StepEstimate EstimateStep(const ModelSpec& m, const ClusterSpec& cluster, const ParallelConfig& c,
                          const PerfAssumptions& as, const MemoryOptions& memory) {
  return EstimateStepWithMemory(m, cluster, c, TrainingMemory(m, c, memory), as);
}

PerfAssumptions StackAssumptions(const SoftwareStack& stack, PerfAssumptions base) {
  base.fused_norm = stack.fused_norm;
  base.fused_rotary = stack.fused_rotary;
  base.fused_swiglu = stack.fused_swiglu;
  base.tp_comm_overlap = stack.tp_comm_overlap;
  base.layer_host_overhead_s = stack.layer_host_overhead_s;
  base.stack_efficiency = stack.efficiency;
  // The stack's dispatcher unless --assume perf.expert_dispatch_per_node said
  // which the run used.
  if (base.expert_dispatch_per_node < 0) base.expert_dispatch_per_node = stack.per_node_expert_dispatch ? 1.0 : 0.0;
  if (stack.bf16_gradients && base.grad_bytes_per_param == 0) base.grad_bytes_per_param = 2.0;
  base.bf16_gradients_with_zero = stack.bf16_gradients_with_zero;
  base.reduce_every_micro_batch = stack.reduce_every_micro_batch;
  return base;
}

StepEstimate EstimateStepWithMemory(const ModelSpec& m, const ClusterSpec& cluster,
                                    const ParallelConfig& c, const MemoryBreakdown& memory,
                                    const PerfAssumptions& as) {
  const Accelerator& acc = *cluster.accelerator;
  StepEstimate est;
  est.memory = memory;
  est.usable_bytes = UsableBytes(acc.memory_bytes);
  est.fits = est.memory.total_bytes <= est.usable_bytes;

  const DeviceRates rates = MakeRates(acc, c, as);
  const Fabric fabric = MakeFabric(cluster, as);
  const int domain = cluster.scale_up_domain;
  const StageLayout layout(m, c);
  const StageTimes st = StageCompute(m, c, acc, as, rates, layout);

  // Per micro-batch on the slowest stage. The stack's fitted device rate
  // scales compute; its host overhead per layer adds to it (docs/stacks.md).
  const double stack_scale = 1.0 / as.stack_efficiency;
  const double compute_s = (st.fwd_s + st.bwd_s) * stack_scale + st.layers * as.layer_host_overhead_s;
  const double recompute_s = RecomputeTime(c, st) * stack_scale;
  const double tp_exposed_s = TensorParallelTime(m, c, st, fabric, domain);
  const double tp_s = as.tp_comm_overlap ? OverlappedTime(tp_exposed_s, compute_s, as.overlap_contention)
                                         : tp_exposed_s;
  const double cp_s = ContextParallelTime(c, as, st, fabric, domain);
  const double ep_s = ExpertParallelTime(m, c, as, st, fabric, domain);
  const double pp_s = PipelineSendTime(m, c, as, st, fabric, domain);
  const double dispatch_s = MoeDispatchTime(m, as, st);
  const double micro_batch_s = compute_s + recompute_s + tp_s + cp_s + ep_s + dispatch_s;
  const int micro_batches = c.MicroBatches();

  // Per step.
  const StageParams params = layout.ParamsPerRank(st.stage);
  StepBreakdown& b = est.breakdown;
  b.compute_s = micro_batches * compute_s;
  b.recompute_s = micro_batches * recompute_s;
  b.tp_comm_s = micro_batches * tp_s;
  b.cp_comm_s = micro_batches * cp_s;
  b.ep_comm_s = micro_batches * ep_s;
  est.expert_dispatch_per_node = as.expert_dispatch_per_node;
  b.pp_comm_s = micro_batches * pp_s;
  b.bubble_s = BubbleTime(c, layout, st, micro_batch_s);
  b.dp_comm_s = DataParallelExposedTime(c, as, params, fabric, domain, st.layers, micro_batches, st.fwd_s,
                                        st.bwd_s + recompute_s);
  b.optimizer_s = OptimizerTime(c, as, params, rates.gemm);
  b.moe_dispatch_s = micro_batches * dispatch_s;
  est.step_time_s = b.compute_s + b.recompute_s + b.tp_comm_s + b.cp_comm_s + b.ep_comm_s +
                    b.pp_comm_s + b.bubble_s + b.dp_comm_s + b.optimizer_s + b.moe_dispatch_s;
  FillRates(m, acc, c, st.full_share, est);
  return est;
}

}  // namespace suanli
