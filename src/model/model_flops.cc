// Model FLOPs per token (the definition in docs/perf-model.md).
#include "model/model_flops.h"

#include <algorithm>

namespace suanli {

// Matmul weights only (no biases or norms, unlike CountParams in
// workload/model_spec.h): the FLOP-bearing parameters of the model-FLOPs
// definition in docs/perf-model.md.
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

// Model FLOPs per token, docs/perf-model.md:
//   6·P_active + 6·V·h + 6·K·a·(d_qk + d_v)  (no causal halving, no recompute),
// with P_active the non-embedding parameters used per token and K the keys a
// query attends summed over the layers (AttendedKeysPerQuery): l·s without a
// sliding window, a window's w in place of s in each windowed layer.
double ModelFlopsPerToken(const ModelSpec& m, int seq_len) {
  const double moe_layers = m.MoeLayerCount();
  const double moe_mlp = m.moe.topk * MlpMatrices(m) * m.hidden * ExpertWidth(m, false) +
                         m.moe.shared_experts * MlpMatrices(m) * m.hidden * ExpertWidth(m, true);
  const double active = m.layers * ParamsAttention(m) + moe_layers * moe_mlp +
                        (m.layers - moe_layers) * ParamsDenseMlp(m);
  return 6.0 * active + 6.0 * static_cast<double>(m.vocab) * m.hidden + AttentionCoreFlopsPerToken(m, seq_len);
}

double AttentionCoreFlopsPerToken(const ModelSpec& m, int seq_len) {
  const double head_dims = m.use_mla ? (m.mla.qk_nope_head_dim + m.mla.qk_rope_head_dim + m.mla.v_head_dim)
                                     : 2.0 * m.head_dim;
  return 6.0 * AttendedKeysPerQuery(m, seq_len) * m.heads * head_dims;
}

double AttendedKeysPerQuery(const ModelSpec& m, int seq_len) {
  const double s = static_cast<double>(seq_len);
  const int window_layers = std::clamp(m.sliding_window_layers, 0, m.layers);
  if (m.sliding_window <= 0 || window_layers == 0 || m.sliding_window >= seq_len) return m.layers * s;
  // A windowed layer counts the w keys of its band, without the start-of-
  // sequence triangle, as a full layer counts s without causal halving.
  return (m.layers - window_layers) * s + window_layers * static_cast<double>(m.sliding_window);
}

}  // namespace suanli
