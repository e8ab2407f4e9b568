// The serving half of the memory model: weights at serving precision, the KV
// cache (Pope et al. 2022, arXiv 2211.05102, §3.1; MLA: DeepSeek-V2, arXiv
// 2405.04434, §2.1) and the activations of the largest prefill chunk, in bytes
// per device. docs/memory-model.md §Serving derives each term.
#include <algorithm>
#include <cmath>

#include "model/memory.h"
#include "model/memory_parts.h"
#include "workload/stage_layout.h"

namespace suanli {

using memory_parts::CommBuffers;
using memory_parts::Fragmentation;
using memory_parts::Total;

// Bytes per weight of transformer-layer matrices at serving precision: the
// element size plus one fp16 scale per kQuantGroupSize weights for
// group-wise quantised formats (int8, int4, fp4).
double ServingWeightBytes(Precision p) {
  double bytes = BytesPerElement(p);
  if (p == Precision::kInt8 || p == Precision::kInt4 || p == Precision::kFp4) {
    bytes += 2.0 / kQuantGroupSize;
  }
  return bytes;
}

// Returns KV bytes per token of one layer on one device (tp-way split).
double LayerKvBytesPerToken(const ModelSpec& m, int tp, double element_bytes) {
  if (m.use_mla) {
    // The latent c^KV and the shared rotary key k^R; replicated over tp.
    return (m.mla.kv_lora_rank + m.mla.qk_rope_head_dim) * element_bytes;
  }
  // KV heads split over tp; replicated when tp exceeds the KV heads.
  const double kv_heads = std::max(1.0, static_cast<double>(m.kv_heads) / tp);
  return 2.0 * kv_heads * m.head_dim * element_bytes;
}

double KvWindow::LayerTokens(double context) const {
  if (!Active()) return layers * context;
  return (layers - window_layers) * context + window_layers * std::min(context, window);
}

double KvWindow::Keys(double context) const {
  if (!Active() || layers <= 0) return context;
  return LayerTokens(context) / layers;
}

double KvWindow::CausalPairs(double start, double chunk) const {
  // Flash attention's causal pairs: query p sees p keys, Σ p over the chunk.
  const double full = chunk * start + 0.5 * chunk * (chunk + 1.0);
  if (!Active() || layers <= 0 || start + chunk <= window) return full;
  // A sliding layer: query p sees min(p, window) keys (Beltagy et al. 2020,
  // Longformer §3.1; Jiang et al. 2023, Mistral 7B §2).
  double windowed = 0;
  if (start >= window) {
    windowed = chunk * window;
  } else {
    windowed = 0.5 * window * (window + 1.0) - 0.5 * start * (start + 1.0) + (start + chunk - window) * window;
  }
  return ((layers - window_layers) * full + window_layers * windowed) / layers;
}

KvWindow StageKvWindow(const ModelSpec& m, int stage_layers) {
  KvWindow w;
  w.layers = stage_layers;
  if (m.sliding_window > 0 && m.sliding_window_layers > 0 && m.layers > 0) {
    w.window_layers = std::round(static_cast<double>(stage_layers) * m.sliding_window_layers / m.layers);
    w.window = m.sliding_window;
  }
  return w;
}

namespace {

MemoryBreakdown StageInferenceMemory(const ModelSpec& m, const InferenceConfig& c, int stage,
                                     const MemoryOptions& o) {
  MemoryBreakdown b;
  const StageLayout layout(m, c.tp, c.pp, /*ep=*/1, /*expert_tp=*/c.tp);
  const StageParams p = layout.ParamsPerRank(stage);
  const double high_bytes =
      BytesPerElement(c.weight_precision) >= 4.0 ? 4.0 : 2.0;  // embeddings, norms, router
  const double layer_params = p.dense + p.expert - p.embedding;
  b.weights_bytes = layer_params * ServingWeightBytes(c.weight_precision) + p.embedding * high_bytes;

  const int stage_layers = layout.Layers(stage);
  const double kv_bytes = LayerKvBytesPerToken(m, c.tp, BytesPerElement(c.kv_precision));
  const double context = static_cast<double>(c.context);
  // Sliding-window layers hold at most the window (spread evenly over the stages).
  b.kv_cache_bytes = c.batch * kv_bytes * StageKvWindow(m, stage_layers).LayerTokens(context);

  // Activations of the largest prefill chunk: the residual stream and norm
  // output (2 tensors of h), plus the widest TP-split intermediate (QKV+O or
  // the MLP tensors); logits of the last token of every sequence in fp32.
  const double e = 2.0;
  const double h = static_cast<double>(m.hidden);
  const double chunk = static_cast<double>(
      c.prefill_chunk > 0 ? std::min<int64_t>(c.prefill_chunk, c.context) : c.context);
  const double attn_width = m.use_mla ? 2.0 * m.QueryWidth() + 2.0 * m.heads * m.mla.v_head_dim
                                      : 2.0 * m.QueryWidth() + 2.0 * m.kv_heads * m.head_dim;
  const double ffn_tensors = m.gated_mlp ? 3.0 : 2.0;
  double mlp_width = ffn_tensors * static_cast<double>(m.ffn_hidden);
  if (m.IsMoe()) {
    const double shared_ffn = static_cast<double>(m.moe.shared_expert_ffn > 0 ? m.moe.shared_expert_ffn
                                                                              : m.moe.expert_ffn);
    mlp_width = std::max(mlp_width, ffn_tensors * (m.moe.topk * static_cast<double>(m.moe.expert_ffn) +
                                                   m.moe.shared_experts * shared_ffn) +
                                        2.0 * m.moe.topk * h * c.tp);
  }
  b.activations_bytes = chunk * e * (2.0 * h + std::max(attn_width, mlp_width) / c.tp);
  if (!o.flash_attention) b.activations_bytes += chunk * context * m.heads / c.tp * 2.0 * e;
  if (layout.HoldsOutputHead(stage)) b.activations_bytes += c.batch * static_cast<double>(m.vocab) * 4.0 / c.tp;
  b.other_bytes = CommBuffers(o, c.tp * c.pp) + Fragmentation(o) * b.activations_bytes;
  Total(b);
  return b;
}

}  // namespace

MemoryBreakdown InferenceMemory(const ModelSpec& model, const InferenceConfig& config,
                                const MemoryOptions& options) {
  MemoryBreakdown peak = StageInferenceMemory(model, config, 0, options);
  for (int stage = 1; stage < config.pp; ++stage) {
    MemoryBreakdown b = StageInferenceMemory(model, config, stage, options);
    if (b.total_bytes > peak.total_bytes) peak = b;
  }
  return peak;
}

double KvCacheBytesPerToken(const ModelSpec& model, Precision kv_precision) {
  return model.layers * LayerKvBytesPerToken(model, 1, BytesPerElement(kv_precision));
}

}  // namespace suanli
