// Attention time per layer: Megatron's tensor-parallel projections (MLA's
// low-rank ones), flash attention (Dao 2022) or materialised scores.
#include "model/attention_time.h"

#include <algorithm>

namespace suanli {

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

AttentionTimes AttentionTime(const ModelSpec& m, const ParallelConfig& c, const Accelerator& acc,
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

}  // namespace suanli
