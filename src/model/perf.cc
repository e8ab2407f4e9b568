// The training step model. Every term is a roofline of FLOPs or bytes at an
// achievable rate (peak × a per-accelerator efficiency from the catalog) or a
// collective at an achievable bus bandwidth; docs/perf-model.md gives the
// derivation of each term and its source.
#include "model/perf.h"

#include <algorithm>
#include <cmath>

#include "workload/stage_layout.h"

namespace suanli {
namespace {

// Achievable rates of one device for one precision.
struct Rates {
  double gemm_flops;      // FLOP/s for large GEMMs
  double hbm_Bps;         // bytes/s for streaming kernels
  double element_bytes;   // bytes per GEMM operand element
  double kernel_overhead_s;
  double half_dim;        // dimension at which a GEMM reaches half its large-size rate
  double cast_bytes = 0;  // bytes moved per element to quantise a GEMM input (fp8), else 0
};

// Time of Y[m,n] = X[m,k]·W[k,n]: the larger of its FLOP time and its
// operand traffic time, plus a fixed per-kernel cost (roofline, Williams et
// al. 2009). Small or skinny GEMMs become bandwidth-bound this way.
//
// Narrow GEMMs lose efficiency to tile quantisation and pipeline fill and
// drain: the rate is scaled by d/(d + d½) for the smaller of the output width
// and the reduction depth (n, k), a saturating form fitted by GEMM
// microbenchmarks across sizes.
double GemmTime(double m, double n, double k, const Rates& r) {
  const double flops = 2.0 * m * n * k;
  const double narrow = std::min(n, k);
  const double shape = narrow / (narrow + r.half_dim);
  const double bytes = (m * k + k * n + m * n) * r.element_bytes;
  return std::max(flops / (r.gemm_flops * shape), bytes / r.hbm_Bps) + r.kernel_overhead_s;
}

// Flash-attention rate relative to a large GEMM for heads of `head_dim`
// elements (the mean of the query/key and value head dims). Each score tile
// does work in proportion to the head dim against a fixed softmax and
// load/store cost per tile, so the rate saturates as d/(d + d½), normalised
// to the calibrated efficiency at d = 128 and not extrapolated above it.
// d½ = 34 from our H200 forward + backward timings at equal FLOPs: head dim
// 64 took 1.344 ms, head dim 128 took 1.109 ms (bench/device/).
double AttentionEfficiency(const PerfAssumptions& as, double head_dim) {
  const double d_half = as.attention_head_dim_half;
  const double relative = (head_dim / (head_dim + d_half)) / (128.0 / (128.0 + d_half));
  return as.attention_efficiency * std::min(1.0, relative);
}

// Time added to the critical path by `comm_s` of communication run beside
// `window_s` of compute: the part longer than the window, plus the slowdown
// the hidden part inflicts on the compute beside it (NCCL kernels take SMs
// and memory bandwidth; Lee et al. 2025, arXiv 2507.03114, measured an
// average 18.9% compute slowdown under overlap on A100/H100/MI250/MI210).
// `min_visible_s` is a part that can never hide (a last bucket).
double OverlappedTime(double comm_s, double window_s, const PerfAssumptions& as,
                      double min_visible_s = 0.0) {
  const double visible_s = std::max({0.0, comm_s - window_s, std::min(comm_s, min_visible_s)});
  return visible_s + as.overlap_contention * (comm_s - visible_s);
}

// Forward, input-gradient and weight-gradient GEMMs of one linear layer.
struct LinearTime {
  double forward_s = 0;
  double backward_s = 0;
};

// Under fp8 recipes every GEMM input produced in the step (activations in
// forward, output gradients in backward) is quantised first: one
// memory-bound pass (TransformerEngine; weights are cast once per step).
double CastTime(double elements, const Rates& r) {
  return r.cast_bytes > 0 ? elements * r.cast_bytes / r.hbm_Bps + r.kernel_overhead_s : 0.0;
}

LinearTime Linear(double tokens, double in, double out, const Rates& r) {
  LinearTime t;
  t.forward_s = GemmTime(tokens, out, in, r) + CastTime(tokens * in, r);
  t.backward_s = GemmTime(tokens, in, out, r) + GemmTime(in, out, tokens, r) + CastTime(tokens * out, r);
  return t;
}

// `groups` equal GEMMs issued as one grouped kernel (the experts of one MoE
// layer): the FLOPs and bytes of all groups, each group's shape efficiency,
// the grouped kernel's rate relative to one dense GEMM, one launch.
double GroupedGemmTime(double groups, double m, double n, double k, const Rates& r) {
  Rates one = r;
  one.kernel_overhead_s = 0.0;
  return groups * GemmTime(m, n, k, one) + r.kernel_overhead_s;
}

LinearTime GroupedLinear(double groups, double rows, double in, double out, const Rates& r) {
  LinearTime t;
  t.forward_s = GroupedGemmTime(groups, rows, out, in, r) + CastTime(groups * rows * in, r);
  t.backward_s = GroupedGemmTime(groups, rows, in, out, r) + GroupedGemmTime(groups, in, out, rows, r) +
                 CastTime(groups * rows * out, r);
  return t;
}

void Add(LinearTime& total, const LinearTime& part, double count = 1.0) {
  total.forward_s += part.forward_s * count;
  total.backward_s += part.backward_s * count;
}

// Ring all-reduce / reduce-scatter / all-gather cost over `ranks` ranks at a
// bus bandwidth (Thakur et al. 2005; NCCL's busbw convention): each rank
// moves (n-1)/n of the buffer per reduce-scatter or all-gather phase.
double RingPhaseTime(double bytes, int ranks, double bus_Bps) {
  if (ranks <= 1 || bytes <= 0) return 0.0;
  return (ranks - 1.0) / ranks * bytes / bus_Bps;
}

// How a communication group maps onto the two fabric tiers.
struct GroupPlacement {
  int ranks = 1;             // group size
  int ranks_per_domain = 1;  // members sharing one scale-up domain
  int domains = 1;           // scale-up domains the group spans
};

// Ranks are laid out Megatron-style: a group whose members are `stride`
// ranks apart puts domain/stride of them in one scale-up domain.
GroupPlacement Place(int ranks, int stride, int domain) {
  GroupPlacement p;
  p.ranks = ranks;
  const int per_domain = std::max(1, domain / std::max(1, stride));
  p.ranks_per_domain = std::min(ranks, per_domain);
  p.domains = (ranks + p.ranks_per_domain - 1) / p.ranks_per_domain;
  return p;
}

struct Fabric {
  double up_Bps;     // achievable per-device scale-up bus bandwidth
  double out_Bps;    // achievable per-device scale-out bus bandwidth
  double up_latency_s;
  double out_latency_s;
};

// Hierarchical reduce-scatter (or all-gather) of `bytes` per rank: a phase
// inside each scale-up domain, then a phase across domains on 1/g of the
// data, where every member uses its own NIC (rail-optimised clusters; NCCL
// runs one ring per NIC). Returns seconds.
double HierarchicalPhase(double bytes, const GroupPlacement& p, const Fabric& f) {
  if (p.ranks <= 1) return 0.0;
  double time = 0.0;
  if (p.ranks_per_domain > 1) {
    time += RingPhaseTime(bytes, p.ranks_per_domain, f.up_Bps) + f.up_latency_s;
  }
  if (p.domains > 1) {
    time += RingPhaseTime(bytes / p.ranks_per_domain, p.domains, f.out_Bps) + f.out_latency_s;
  }
  return time;
}

// All-to-all of `bytes` per rank (each rank keeps 1/n): peers inside the
// domain go over scale-up, the rest over the NIC.
double AllToAllTime(double bytes, const GroupPlacement& p, const Fabric& f) {
  if (p.ranks <= 1) return 0.0;
  const double peers = p.ranks - 1.0;
  const double near = p.ranks_per_domain - 1.0;
  const double far = peers - near;
  const double per_peer = bytes / p.ranks;
  double time = 0.0;
  if (near > 0) time += near * per_peer / f.up_Bps + f.up_latency_s;
  if (far > 0) time += far * per_peer / f.out_Bps + f.out_latency_s;
  return time;
}

// Matmul weights only (no biases or norms, unlike CountParams in
// workload/model_spec.h): the FLOP-bearing parameters of the model-FLOPs
// definition in shared/validation/README.md.
double ParamsAttention(const ModelSpec& m) {
  const double h = static_cast<double>(m.hidden);
  if (m.use_mla) {
    const MlaSpec& a = m.mla;
    const double qk = a.qk_nope_head_dim + a.qk_rope_head_dim;
    const double q = a.q_lora_rank > 0 ? h * a.q_lora_rank + a.q_lora_rank * m.heads * qk
                                       : h * m.heads * qk;
    const double kv = h * (a.kv_lora_rank + a.qk_rope_head_dim) +
                      static_cast<double>(a.kv_lora_rank) * m.heads * (a.qk_nope_head_dim + a.v_head_dim);
    const double o = static_cast<double>(m.heads) * a.v_head_dim * h;
    return q + kv + o;
  }
  return h * m.head_dim * (2.0 * m.heads + 2.0 * m.kv_heads);
}

double ParamsDenseMlp(const ModelSpec& m) {
  return (m.gated_mlp ? 3.0 : 2.0) * static_cast<double>(m.hidden) * static_cast<double>(m.ffn_hidden);
}

double ExpertWidth(const ModelSpec& m, bool shared) {
  if (shared && m.moe.shared_expert_ffn > 0) return static_cast<double>(m.moe.shared_expert_ffn);
  return static_cast<double>(m.moe.expert_ffn);
}

double MlpMatrices(const ModelSpec& m) { return m.gated_mlp ? 3.0 : 2.0; }

// Achievable rates of one device for a layout's precision: `gemm` for the
// layer GEMMs (fp8 where the recipe and the part have it), `bf16` for
// attention, norms and element-wise work (16-bit under fp8 recipes too),
// `grouped` for a MoE layer's grouped expert GEMMs.
struct DeviceRates {
  Rates gemm;
  Rates bf16;
  Rates grouped;
};

DeviceRates MakeRates(const Accelerator& acc, const ParallelConfig& c, const PerfAssumptions& as) {
  DeviceRates out;
  Rates& r = out.gemm;
  const bool fp8 = c.precision == Precision::kFp8 && acc.PeakFlops(Precision::kFp8) > 0;
  r.gemm_flops = GemmPeakFlops(acc, c.precision) * acc.efficiency.gemm * (fp8 ? as.fp8_gemm_relative : 1.0);
  r.hbm_Bps = acc.memory_Bps * acc.efficiency.hbm;
  r.element_bytes = fp8 ? 1.0 : 2.0;
  r.kernel_overhead_s = as.kernel_overhead_s;
  r.half_dim = as.gemm_half_dim;
  r.cast_bytes = fp8 ? as.fp8_cast_bytes_per_element : 0.0;
  out.bf16 = r;
  out.bf16.gemm_flops = GemmPeakFlops(acc, Precision::kBf16) * acc.efficiency.gemm;
  out.bf16.element_bytes = 2.0;
  out.bf16.cast_bytes = 0.0;
  out.grouped = r;
  out.grouped.gemm_flops *= as.grouped_gemm_relative;
  return out;
}

// Achievable per-device bus bandwidths and latencies of the two fabric tiers.
Fabric MakeFabric(const ClusterSpec& cluster, const PerfAssumptions& as) {
  const Accelerator& acc = *cluster.accelerator;
  Fabric fabric;
  fabric.up_Bps = std::max(1.0, cluster.scale_up_Bps * acc.efficiency.scale_up);
  fabric.out_Bps = std::max(1.0, cluster.scale_out_Bps * acc.efficiency.scale_out);
  if (fabric.out_Bps <= 1.0) fabric.out_Bps = fabric.up_Bps;  // single-domain parts
  fabric.up_latency_s = as.scale_up_latency_s;
  fabric.out_latency_s = as.scale_out_latency_s;
  return fabric;
}

// Attention's linear layers (Megatron column/row split over tp; MLA's low-rank
// projections) and its core (scores and weighted values) for one layer and
// one micro-batch of `tokens` per rank: times in seconds, and the local
// query and key/value widths the element-wise work streams.
struct AttentionTimes {
  LinearTime linear;
  double core_fwd_s = 0.0;
  double core_bwd_s = 0.0;
  double q_width = 0.0;
  double kv_width = 0.0;
  double up_projection_fwd_s = 0.0;  // MLA: forward of the Q and KV up-projections
};

AttentionTimes Attention(const ModelSpec& m, const ParallelConfig& c, const Accelerator& acc,
                         const PerfAssumptions& as, const DeviceRates& rates, double tokens) {
  const Rates& r = rates.gemm;
  const Rates& r16 = rates.bf16;
  const double t = c.tp;
  const double h = static_cast<double>(m.hidden);
  AttentionTimes out;
  double v_head = 0.0, qk_head = 0.0;
  const double heads_local = m.heads / t;
  if (m.use_mla) {
    const MlaSpec& a = m.mla;
    qk_head = a.qk_nope_head_dim + a.qk_rope_head_dim;
    v_head = a.v_head_dim;
    const LinearTime kv_up = Linear(tokens, a.kv_lora_rank, heads_local * (a.qk_nope_head_dim + v_head), r);
    out.up_projection_fwd_s = kv_up.forward_s;
    if (a.q_lora_rank > 0) {
      const LinearTime q_up = Linear(tokens, a.q_lora_rank, heads_local * qk_head, r);
      Add(out.linear, Linear(tokens, h, a.q_lora_rank, r));
      Add(out.linear, q_up);
      out.up_projection_fwd_s += q_up.forward_s;
    } else {
      Add(out.linear, Linear(tokens, h, heads_local * qk_head, r));
    }
    Add(out.linear, Linear(tokens, h, a.kv_lora_rank + a.qk_rope_head_dim, r));
    Add(out.linear, kv_up);
    Add(out.linear, Linear(tokens, heads_local * v_head, h, r));
    out.q_width = heads_local * qk_head;
    out.kv_width = heads_local * (qk_head + v_head);
  } else {
    qk_head = v_head = m.head_dim;
    const double kv_local = std::max(1.0, m.kv_heads / t);
    Add(out.linear, Linear(tokens, h, (heads_local + 2.0 * kv_local) * m.head_dim, r));
    Add(out.linear, Linear(tokens, heads_local * m.head_dim, h, r));
    out.q_width = heads_local * m.head_dim;
    out.kv_width = 2.0 * kv_local * m.head_dim;
  }
  // Flash attention (Dao 2022): causal, so on average half of the s×s score
  // tile is computed; with context parallelism each rank holds s/cp queries
  // against the full sequence (load-balanced ring, Liu et al. 2023). Layers
  // with a sliding window of w tokens see min(w, position) keys, w − w²/2s on
  // average; the window layers are taken as spread evenly over the stages.
  const double queries = static_cast<double>(c.seq_len) / c.cp;
  const double keys = static_cast<double>(c.seq_len);
  if (c.attention != AttentionKernel::kUnfused) {
    double mean_keys = 0.5 * keys;
    if (m.sliding_window > 0 && m.sliding_window < c.seq_len && m.sliding_window_layers > 0) {
      const double w = m.sliding_window;
      const double window_share = std::min(1.0, static_cast<double>(m.sliding_window_layers) / m.layers);
      mean_keys = (1.0 - window_share) * 0.5 * keys + window_share * (w - w * w / (2.0 * keys));
    }
    const double flops = 2.0 * c.micro_batch * queries * mean_keys * heads_local * (qk_head + v_head);
    // A FlashAttention-2-class kernel runs at the accelerator's
    // attention_flash2 share of its fastest fused kernel (below 1 from Hopper on).
    const double kernel_share =
        c.attention == AttentionKernel::kFlash2 ? acc.efficiency.attention_flash2 : 1.0;
    out.core_fwd_s =
        flops / (r16.gemm_flops * AttentionEfficiency(as, 0.5 * (qk_head + v_head)) * kernel_share) +
        2.0 * r.kernel_overhead_s;
    out.core_bwd_s = out.core_fwd_s * as.attention_backward_factor;
  } else {
    // Materialised attention (Megatron-LM before FlashAttention; stacks
    // without a fused kernel): batched GEMMs over the whole s×s score matrix
    // (the causal mask is applied after, so nothing is skipped), narrow in the
    // head dim; the scale-mask-softmax and the attention dropout stream every
    // 2-byte score through HBM: forward softmax read + write (4 B), dropout
    // read + write + 1-byte mask (5 B); backward dropout (5 B) and softmax
    // (read output and gradient, write gradient: 6 B).
    // Backward: dS·K, dSᵀ·Q, dO·Vᵀ, Pᵀ·dO.
    const double rows = c.micro_batch * heads_local * queries;  // batched over b·a/t
    const double key_rows = c.micro_batch * heads_local * keys;
    const double scores = rows * keys;
    out.core_fwd_s = GemmTime(rows, keys, qk_head, r16) + GemmTime(rows, v_head, keys, r16) +
                      scores * as.unfused_score_bytes_forward / r.hbm_Bps + 2.0 * r.kernel_overhead_s;
    out.core_bwd_s = GemmTime(rows, qk_head, keys, r16) + GemmTime(key_rows, qk_head, queries, r16) +
                      GemmTime(rows, keys, v_head, r16) + GemmTime(key_rows, v_head, queries, r16) +
                      scores * as.unfused_score_bytes_backward / r.hbm_Bps + 2.0 * r.kernel_overhead_s;
  }
  return out;
}

// The MLP of one MoE layer for one micro-batch of `tokens` per rank: routed
// experts as grouped GEMMs, shared experts, the router; and the token copies
// this rank permutes and dispatches. Zero for a dense model.
//
// Each rank computes its tokens' top-k experts on average (balanced
// routing); experts are split over ep, and each local expert GEMM sees
// tokens·ep·topk/E rows. The local experts run as one grouped GEMM. With
// experts split over tp, every tensor-parallel rank routes all of the
// micro-batch's tokens through its slice of each expert; with expert
// parallelism folded over tp (expert tp 1) each rank routes only its
// sequence shard (tokens/tp) through whole experts: the same FLOPs in
// shorter, wider GEMMs, and a tp-th of the permutation traffic.
struct MoeMlpTimes {
  LinearTime mlp;
  double routed_tokens = 0.0;
  double activation_fwd_s = 0.0;  // the routed experts' activation, one pass
};

MoeMlpTimes MoeMlp(const ModelSpec& m, const ParallelConfig& c, const DeviceRates& rates, double tokens) {
  MoeMlpTimes out;
  if (!m.IsMoe()) return out;
  const double t = c.tp;
  const double h = static_cast<double>(m.hidden);
  const double local_experts = static_cast<double>(m.moe.experts) / c.ep;
  const double dispatched_tokens = c.ExpertsFoldTp() ? tokens / t : tokens;
  const double rows = dispatched_tokens * c.ep * m.moe.topk / m.moe.experts;
  const double fe = ExpertWidth(m, false) / c.ExpertTp();
  Add(out.mlp, GroupedLinear(local_experts, rows, h, (m.gated_mlp ? 2.0 : 1.0) * fe, rates.grouped));
  Add(out.mlp, GroupedLinear(local_experts, rows, fe, h, rates.grouped));
  if (m.moe.shared_experts > 0) {
    const double fs = ExpertWidth(m, true) * m.moe.shared_experts / t;
    Add(out.mlp, Linear(tokens, h, (m.gated_mlp ? 2.0 : 1.0) * fs, rates.gemm));
    Add(out.mlp, Linear(tokens, fs, h, rates.gemm));
  }
  Add(out.mlp, Linear(tokens, h, m.moe.experts, rates.bf16));  // router
  out.routed_tokens = dispatched_tokens * m.moe.topk;
  // The activation reads the first GEMM's output (2 or 1 widths) and writes
  // the second's input, in 16-bit.
  out.activation_fwd_s = out.routed_tokens * ((m.gated_mlp ? 2.0 : 1.0) + 1.0) * fe * 2.0 / rates.bf16.hbm_Bps +
                         rates.bf16.kernel_overhead_s;
  return out;
}

// Time the data-parallel traffic adds to a step: the gradient reduction and
// ZeRO parameter gathers over the dp·cp ranks (stride tp) and over the
// expert data-parallel ranks, hierarchical over the two tiers, less what
// hides behind the forward (`fwd_s`) and backward (`backward_window_s`,
// recomputation included) of the micro-batches around it.
double DataParallelExposedTime(const ParallelConfig& c, const PerfAssumptions& as, const StageParams& params,
                               const Fabric& fabric, int domain, int stage_layers, int micro_batches,
                               double fwd_s, double backward_window_s) {
  const int dp_ranks = c.dp * c.cp;
  // Expert data parallelism: the ranks holding the same experts, over dp·cp
  // (stride tp·ep), or over tp·dp·cp when folded (stride ep).
  const int edp = c.ExpertDataRanks();
  if (dp_ranks <= 1 && (params.expert <= 0 || edp <= 1)) return 0.0;
  const GroupPlacement dp_group = Place(dp_ranks, c.tp, domain);
  const double grad_bytes =
      as.grad_bytes_per_param > 0 ? as.grad_bytes_per_param : GradientBytes(c.precision);
  const GroupPlacement edp_group = Place(edp, c.ExpertsFoldTp() ? c.ep : c.tp * c.ep, domain);
  // One reduce-scatter or all-gather phase over the dense parameters (DP
  // group) and the routed experts (expert-DP group) at `bytes` per element.
  auto phase = [&](double bytes) {
    return HierarchicalPhase(params.dense * bytes, dp_group, fabric) +
           (params.expert > 0 ? HierarchicalPhase(params.expert * bytes, edp_group, fabric) : 0.0);
  };
  // Parameters are gathered in their 16-bit training copy (fp8 recipes keep
  // bf16 parameters), in fp32 for fp32/tf32 training.
  const double param_bytes =
      c.precision == Precision::kFp32 || c.precision == Precision::kTf32 ? 4.0 : 2.0;
  const double reduce_s = phase(grad_bytes);
  // Exposure (Megatron overlap-grad-reduce / overlap-param-gather, FSDP
  // prefetch): gradient buckets reduce while the last micro-batch's
  // backward proceeds, and updated parameters are gathered while the next
  // step's first forward proceeds; the last bucket (one layer) is always
  // exposed. ZeRO 0 all-reduces (reduce-scatter + all-gather of gradients);
  // ZeRO 1/2 reduce-scatter gradients and all-gather parameters; ZeRO 3
  // re-gathers parameters for the forward and the backward of every
  // micro-batch (FSDP) and reduce-scatters gradients once at the end; the
  // gathers and the reduce-scatter share the same links, so the last
  // micro-batch's backward must hide both.
  const double overlap = c.dp_overlap ? as.dp_overlap : 0.0;
  const int buckets = c.dp_overlap ? std::max(1, stage_layers) : 1;
  auto exposed = [&](double comm_s, double window_s) {
    return OverlappedTime(comm_s, overlap * window_s, as, comm_s / buckets);
  };
  if (c.zero == 0) return exposed(2.0 * reduce_s, backward_window_s);
  if (c.zero <= 2) return exposed(reduce_s, backward_window_s) + exposed(phase(param_bytes), fwd_s);
  const double gather_s = phase(param_bytes);
  return micro_batches * exposed(gather_s, fwd_s) + (micro_batches - 1) * exposed(gather_s, backward_window_s) +
         exposed(gather_s + reduce_s, backward_window_s);
}

}  // namespace

double GemmPeakFlops(const Accelerator& a, Precision precision) {
  const Precision chain[] = {precision, Precision::kBf16, Precision::kFp16, Precision::kFp32};
  for (Precision p : chain) {
    if (p == Precision::kFp8 && precision != Precision::kFp8) continue;
    const double peak = a.PeakFlops(p);
    if (peak > 0) return peak;
  }
  return 0.0;
}

ClusterSpec MakeCluster(const Accelerator& accelerator, const System* system) {
  ClusterSpec c;
  c.accelerator = &accelerator;
  c.scale_up_domain = std::max(1, accelerator.scale_up_domain);
  c.scale_up_Bps = accelerator.scale_up_Bps;
  c.scale_out_Bps = accelerator.scale_out_Bps;
  if (system != nullptr) {
    c.scale_up_domain = std::max(1, system->scale_up_domain);
    if (system->scale_up_Bps > 0) c.scale_up_Bps = system->scale_up_Bps;
    if (system->ScaleOutBpsPerDevice() > 0) c.scale_out_Bps = system->ScaleOutBpsPerDevice();
    c.rail_optimized = system->rail_optimized;
  }
  return c;
}

// Model FLOPs per token, shared/validation/README.md:
//   6·P_active + 6·V·h + 12·l·s·a·d  (no causal halving, no recompute),
// with P_active the non-embedding parameters used per token; for MLA the
// attention term uses the query/key and value head dims: 6·l·s·a·(d_qk+d_v).
double ModelFlopsPerToken(const ModelSpec& m, int seq_len) {
  const double moe_layers = m.MoeLayerCount();
  const double moe_mlp = m.moe.topk * MlpMatrices(m) * m.hidden * ExpertWidth(m, false) +
                         m.moe.shared_experts * MlpMatrices(m) * m.hidden * ExpertWidth(m, true);
  const double active = m.layers * ParamsAttention(m) + moe_layers * moe_mlp +
                        (m.layers - moe_layers) * ParamsDenseMlp(m);
  const double head_dims = m.use_mla ? (m.mla.qk_nope_head_dim + m.mla.qk_rope_head_dim + m.mla.v_head_dim)
                                     : 2.0 * m.head_dim;
  const double attention = 6.0 * m.layers * static_cast<double>(seq_len) * m.heads * head_dims;
  return 6.0 * active + 6.0 * static_cast<double>(m.vocab) * m.hidden + attention;
}

StepEstimate EstimateStep(const ModelSpec& m, const ClusterSpec& cluster, const ParallelConfig& c,
                          const PerfAssumptions& as) {
  return EstimateStepWithMemory(m, cluster, c, TrainingMemory(m, c), as);
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
  const Rates& r = rates.gemm;
  const Rates& r16 = rates.bf16;
  const Fabric fabric = MakeFabric(cluster, as);
  const int domain = cluster.scale_up_domain;

  const double t = c.tp;
  const double h = static_cast<double>(m.hidden);
  const double tokens = static_cast<double>(c.micro_batch) * c.seq_len / c.cp;  // per rank, per micro-batch
  const double sp_tokens = c.sequence_parallel && c.tp > 1 ? tokens / t : tokens;  // norms/residuals
  const double act_bytes = 2.0;

  // --- Per-layer GEMMs (Megatron column/row split over tp).
  const AttentionTimes attention = Attention(m, c, acc, as, rates, tokens);
  const LinearTime& attn_linear = attention.linear;
  const double attn_core_fwd_s = attention.core_fwd_s;
  const double attn_core_bwd_s = attention.core_bwd_s;
  const double q_width = attention.q_width;
  const double kv_width = attention.kv_width;

  LinearTime dense_mlp;
  const double f_local = static_cast<double>(m.ffn_hidden) / t;
  Add(dense_mlp, Linear(tokens, h, (m.gated_mlp ? 2.0 : 1.0) * f_local, r));
  Add(dense_mlp, Linear(tokens, f_local, h, r));

  const double expert_t = c.ExpertTp();
  const MoeMlpTimes moe = MoeMlp(m, c, rates, tokens);
  const LinearTime& moe_mlp = moe.mlp;
  const double moe_tokens_routed = moe.routed_tokens;

  // Element-wise, memory-bound work per layer forward (bytes): two norms and
  // two residual adds on the sequence-parallel shard (≈10 passes over s·h),
  // rotary on q and k, the MLP activation (3 passes over the local FFN
  // width); backward moves about twice as much.
  auto elementwise_fwd_s = [&](double mlp_width_local, double routed_rows) {
    const double elements = 10.0 * sp_tokens * h + 2.0 * tokens * (q_width + kv_width / 2.0) +
                            3.0 * (routed_rows > 0 ? routed_rows : tokens) * mlp_width_local +
                            (routed_rows > 0 ? 4.0 * routed_rows * h : 0.0);
    return elements * act_bytes / r.hbm_Bps + 8.0 * r.kernel_overhead_s;
  };
  const double dense_elem_fwd_s = elementwise_fwd_s(f_local, 0.0);
  const double moe_elem_fwd_s =
      m.IsMoe() ? elementwise_fwd_s(ExpertWidth(m, false) / expert_t, moe_tokens_routed) : 0.0;

  // --- Tensor/sequence-parallel collectives per layer (Korthikanti et al.
  // 2022 §3): forward 2 all-gathers + 2 reduce-scatters of s·b·h (or 2
  // all-reduces without SP), the same again in backward.
  double tp_fwd_s = 0.0;
  if (c.tp > 1) {
    const double bytes = tokens * h * act_bytes;
    const GroupPlacement tp_group = Place(c.tp, 1, domain);
    tp_fwd_s = 4.0 * HierarchicalPhase(bytes, tp_group, fabric);
  }
  const double tp_bwd_s = tp_fwd_s;

  // --- Context-parallel ring exchange of K and V (forward) and of K, V, dK,
  // dV (backward), overlapped with the attention compute of each ring step.
  double cp_fwd_exposed_s = 0.0, cp_bwd_exposed_s = 0.0;
  if (c.cp > 1) {
    const GroupPlacement cp_group = Place(c.cp, c.tp, domain);
    const double kv_bytes = tokens * kv_width * act_bytes;
    const double per_step_bw = cp_group.domains > 1 ? fabric.out_Bps : fabric.up_Bps;
    const double latency = cp_group.domains > 1 ? fabric.out_latency_s : fabric.up_latency_s;
    const double fwd_comm = (c.cp - 1.0) * (kv_bytes / per_step_bw + latency);
    cp_fwd_exposed_s = OverlappedTime(fwd_comm, attn_core_fwd_s, as);
    cp_bwd_exposed_s = OverlappedTime(2.0 * fwd_comm, attn_core_bwd_s, as);
  }

  // --- Expert-parallel all-to-all: dispatch and combine in forward, the
  // same in backward; the EP group strides over tp·cp ranks.
  double ep_fwd_s = 0.0;
  if (m.IsMoe() && c.ep > 1) {
    // Folded over tp, the expert-parallel ranks are consecutive (stride 1);
    // otherwise they stride over the tp·cp ranks. Either way each rank sends
    // tokens·topk·h/tp.
    const GroupPlacement ep_group = Place(c.ep, c.ExpertsFoldTp() ? 1 : c.tp * c.cp, domain);
    const double bytes = moe_tokens_routed * h * act_bytes / (c.ExpertsFoldTp() ? 1.0 : t);
    ep_fwd_s = 2.0 * AllToAllTime(bytes, ep_group, fabric);
  }
  const double ep_bwd_s = ep_fwd_s;

  // --- Assemble the per-micro-batch time of the slowest pipeline stage.
  // The slowest stage: the most MoE layers, then the most layers.
  const StageLayout layout(m, c);
  const int slowest_stage = layout.SlowestStage();
  const int stage_layers = layout.Layers(slowest_stage);
  const int moe_layers_stage = layout.MoeLayers(slowest_stage);
  const int dense_layers_stage = stage_layers - moe_layers_stage;

  const double attn_fwd_s = attn_linear.forward_s + attn_core_fwd_s;
  const double attn_bwd_s = attn_linear.backward_s + attn_core_bwd_s;
  const double dense_fwd_s = attn_fwd_s + dense_mlp.forward_s + dense_elem_fwd_s;
  const double dense_bwd_s = attn_bwd_s + dense_mlp.backward_s + 2.0 * dense_elem_fwd_s;
  const double moe_fwd_s = attn_fwd_s + moe_mlp.forward_s + moe_elem_fwd_s;
  const double moe_bwd_s = attn_bwd_s + moe_mlp.backward_s + 2.0 * moe_elem_fwd_s;

  double fwd_s = dense_layers_stage * dense_fwd_s + moe_layers_stage * moe_fwd_s;
  double bwd_s = dense_layers_stage * dense_bwd_s + moe_layers_stage * moe_bwd_s;
  // Output layer and cross-entropy on the last stage (vocab-parallel over
  // tp): a GEMM of s·b × h × V/t and ~4 fp32 passes over the logits.
  {
    const LinearTime logits = Linear(tokens, h, static_cast<double>(m.vocab) / t, r16);
    const double ce_s = 4.0 * tokens * m.vocab / t * 4.0 / r.hbm_Bps;
    fwd_s += logits.forward_s + ce_s;
    bwd_s += logits.backward_s + ce_s;
  }

  // Recomputation repeats forward work during backward: selective repeats
  // the attention core's forward, full repeats every layer's forward
  // including its TP collectives. Block recompute (Megatron
  // --recompute-method block) repeats only a share of the stage's layers.
  const double full_share = FullRecomputeShare(c, stage_layers);
  // Selective recompute checkpoints the attention core (Korthikanti et al.
  // 2022 §4.2): its forward runs again in backward, a fused kernel's too
  // (Megatron passes checkpoint_core_attention to TransformerEngine's
  // attention, which recomputes the forward; all it saves is the
  // log-sum-exp). Without flash attention the layers block recompute leaves
  // store as selective and re-run it too. `modules` does not name the core.
  const bool core_recomputed = c.recompute == Recompute::kSelective ||
                               (c.attention == AttentionKernel::kUnfused && c.recompute == Recompute::kFull);
  const double selective_core_s = core_recomputed ? (1.0 - full_share) * stage_layers * attn_core_fwd_s : 0.0;
  // Recomputed modules (Megatron --recompute-modules mla_up_proj moe_act)
  // repeat MLA's up-projection GEMMs in every layer and the routed experts'
  // activation in every MoE layer.
  const double modules_s = c.recompute == Recompute::kModules
                               ? stage_layers * attention.up_projection_fwd_s +
                                     moe_layers_stage * moe.activation_fwd_s
                               : 0.0;
  const double recompute_s = full_share * (dense_layers_stage * dense_fwd_s + moe_layers_stage * moe_fwd_s) +
                             selective_core_s + modules_s;
  // An MoE layer whose experts are whole (folded over tp) has no
  // tensor-parallel collectives around its MLP: the all-to-all moves the
  // sequence shards; only the attention's two remain.
  const double tp_collective_layers =
      c.ExpertsFoldTp() ? stage_layers - 0.5 * moe_layers_stage : static_cast<double>(stage_layers);
  const double tp_recompute_s = full_share * tp_collective_layers * tp_fwd_s;

  const double tp_mb_s = tp_collective_layers * (tp_fwd_s + tp_bwd_s) + tp_recompute_s;
  const double cp_mb_s = stage_layers * (cp_fwd_exposed_s + cp_bwd_exposed_s);
  // Expert all-to-all: on the critical path, or, with EP overlap (Megatron's
  // --overlap-moe-expert-parallel-comm pairs one micro-batch's forward with
  // another's backward; DeepSeek-V3's DualPipe), hidden behind the other
  // micro-batch's compute of the same layer, paying only what outlasts it
  // and the contention of the hidden part.
  const double ep_layer_s = (ep_fwd_s + ep_bwd_s) * (1.0 + 0.5 * full_share);
  const double ep_mb_s =
      moe_layers_stage * (c.ep_overlap && c.MicroBatches() > 1
                              ? OverlappedTime(ep_layer_s, moe_fwd_s + moe_bwd_s, as)
                              : ep_layer_s);

  // Pipeline point-to-point: one activation send per micro-batch per virtual
  // stage boundary, forward and backward (Narayanan et al. 2021 §2.2). The
  // interleaved schedule overlaps each transfer with the next chunk's
  // compute (Megatron-LM's overlap_p2p_comm, on by default and only
  // available with interleaving): the latency, the part of the transfer
  // longer than one chunk's forward and the contention of the hidden part
  // stay on the critical path. Plain 1F1B waits for each send.
  double pp_mb_s = 0.0;
  if (c.pp > 1) {
    const GroupPlacement pp_group = Place(c.pp, c.tp * c.cp * c.dp, domain);
    const double bytes = tokens * h * act_bytes / (c.sequence_parallel ? t : 1.0);
    const double bw = pp_group.domains > 1 ? fabric.out_Bps : fabric.up_Bps;
    const double latency = pp_group.domains > 1 ? fabric.out_latency_s : fabric.up_latency_s;
    const double chunk_fwd_s = c.vp > 1 ? fwd_s / c.vp : 0.0;
    pp_mb_s = 2.0 * c.vp * (OverlappedTime(bytes / bw, chunk_fwd_s, as) + latency);
  }

  // A dropless MoE layer carries a fixed cost per micro-batch that does not
  // scale with tokens: the dispatcher reads per-expert token counts on the
  // host (a device-to-host sync, 0.3-0.6 ms per layer measured on an H200)
  // and issues many small routing and permutation kernels; an eager MoE layer
  // without the sync already costs 2.3 ms (docs/calibration.md). Charged per
  // MoE layer per micro-batch, and again for a recomputed forward.
  const double dispatch_mb_s =
      m.IsMoe() ? moe_layers_stage * as.moe_dispatch_overhead_s * (1.0 + full_share) : 0.0;

  const double compute_mb_s = fwd_s + bwd_s;
  const double mb_s = compute_mb_s + recompute_s + tp_mb_s + cp_mb_s + ep_mb_s + dispatch_mb_s;
  const int micro_batches = c.MicroBatches();
  // 1F1B / interleaved 1F1B bubble: pp−1 times the work of one virtual
  // stage per micro-batch, (pp−1)/vp micro-batch times when the stage's
  // layers split evenly (Narayanan et al. 2021 eq. 1 and §2.2.2); with an
  // uneven split the largest chunk sets the pace.
  const int largest_chunk_layers = layout.LargestChunkLayers(slowest_stage, c.vp);
  const double bubble_s =
      c.pp > 1 ? (c.pp - 1.0) * mb_s * largest_chunk_layers / std::max(1, stage_layers) : 0.0;

  // --- Data-parallel gradient reduction and ZeRO parameter gathers.
  const StageParams params = layout.ParamsPerRank(slowest_stage);
  const double dp_exposed_s = DataParallelExposedTime(c, as, params, fabric, domain, stage_layers,
                                                      micro_batches, fwd_s, bwd_s + recompute_s);

  // --- Optimizer step: memory-bound over the rank's (sharded) parameters.
  const double shard = c.zero >= 1 ? c.dp * c.cp : 1.0;
  const double expert_shard = c.zero >= 1 ? c.ExpertDataRanks() : 1.0;
  const double optimizer_s = (params.dense / shard + params.expert / expert_shard) *
                             as.optimizer_bytes_per_param / r.hbm_Bps;

  StepBreakdown& b = est.breakdown;
  b.compute_s = micro_batches * compute_mb_s;
  b.recompute_s = micro_batches * recompute_s;
  b.tp_comm_s = micro_batches * tp_mb_s;
  b.cp_comm_s = micro_batches * cp_mb_s;
  b.ep_comm_s = micro_batches * ep_mb_s;
  b.pp_comm_s = c.pp > 1 ? micro_batches * pp_mb_s : 0.0;
  b.bubble_s = bubble_s;
  b.dp_comm_s = dp_exposed_s;
  b.optimizer_s = optimizer_s;
  b.moe_dispatch_s = micro_batches * dispatch_mb_s;
  est.step_time_s = b.compute_s + b.recompute_s + b.tp_comm_s + b.cp_comm_s + b.ep_comm_s +
                    b.pp_comm_s + b.bubble_s + b.dp_comm_s + b.optimizer_s + b.moe_dispatch_s;

  const double step_tokens = static_cast<double>(c.global_batch) * c.seq_len;
  const int devices = c.Devices();
  est.tokens_per_s = step_tokens / est.step_time_s;
  est.tokens_per_s_per_gpu = est.tokens_per_s / devices;
  est.model_flops_per_token = ModelFlopsPerToken(m, c.seq_len);
  est.model_tflops_per_gpu = est.model_flops_per_token * est.tokens_per_s_per_gpu / 1e12;
  const double recompute_fraction = full_share / 3.0;  // one extra forward of three passes
  est.hw_tflops_per_gpu = est.model_tflops_per_gpu * (1.0 + recompute_fraction);
  const double peak = GemmPeakFlops(acc, c.precision == Precision::kFp8 ? Precision::kBf16 : c.precision);
  est.mfu = peak > 0 ? est.model_tflops_per_gpu * 1e12 / peak : 0.0;
  return est;
}

}  // namespace suanli
