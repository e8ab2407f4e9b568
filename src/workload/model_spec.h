// The architecture of a transformer language model (dense, GQA, MLA, MoE),
// independent of how it was described (preset, Hugging Face config.json,
// YAML model file).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/precision.h"

namespace suanli {

// DeepSeek-style multi-head latent attention (arXiv 2405.04434 §2.1).
struct MlaSpec {
  int q_lora_rank = 0;        // 0 = queries projected directly from hidden
  int kv_lora_rank = 0;       // latent dimension of the compressed KV (cached)
  int qk_nope_head_dim = 0;   // per-head query/key dim without rotary
  int qk_rope_head_dim = 0;   // decoupled rotary dim (shared key part is cached)
  int v_head_dim = 0;         // per-head value dim
};

// Mixture-of-experts feed-forward layers.
struct MoeSpec {
  int experts = 0;             // routed experts per MoE layer; 0 = dense model
  int topk = 0;                // routed experts per token
  int64_t expert_ffn = 0;      // inner width of one routed expert
  int shared_experts = 0;      // always-on shared experts per MoE layer
  int64_t shared_expert_ffn = 0;  // inner width of one shared expert (0 = expert_ffn)
  int dense_layers = 0;        // leading layers that use the dense FFN (DeepSeek first_k_dense_replace)
  int layer_freq = 1;          // every layer_freq-th layer after dense_layers is MoE
  int expert_groups = 1;       // groups the routed experts are split into (DeepSeek n_group)
  int groups_per_token = 0;    // groups a token's experts may come from (topk_group); 0 = all
};

// The stored format of a checkpoint's weights: config.json's
// "quantization_config" (workload/hf_quant.h). Serving and inference sizing
// use it when no flag names a format; training trains at its own precision.
struct CheckpointWeights {
  std::string quant_method;         // as written: fp8, awq, gptq, mxfp4, compressed-tensors, ...; "" = none
  std::optional<Precision> format;  // the weights' format read from it; nullopt = none or not read
  int bits = 0;                     // bits per weight the config states (awq, gptq); 0 = not stated
  int group_size = 0;               // weights per scale (awq, gptq); -1 = per output channel; 0 = not stated
  std::string detail;               // what else it says, e.g. "e4m3, 128×128 blocks"
  std::string unread;               // why it is not read (method or setting unsupported); "" = read or none
};

enum class NormKind { kRmsNorm, kLayerNorm };

struct ModelSpec {
  std::string id;       // preset id or file stem
  std::string name;     // display name
  std::string family;   // HF model_type or "yaml"
  std::string source;   // where the architecture comes from
  std::vector<std::string> aliases;  // alternative names accepted by lookups

  int layers = 0;
  int64_t hidden = 0;
  int heads = 0;          // query heads
  int kv_heads = 0;       // key/value heads (== heads for MHA)
  int head_dim = 0;       // per-head dim (may differ from hidden/heads, e.g. Qwen3)
  int64_t ffn_hidden = 0; // dense FFN inner width (one branch for gated MLPs)
  int64_t vocab = 0;
  bool gated_mlp = true;  // SwiGLU-style: 3 matrices instead of 2
  bool tied_embeddings = false;
  bool qkv_bias = false;
  bool mlp_bias = false;
  NormKind norm = NormKind::kRmsNorm;
  bool learned_positions = false;  // GPT-2 style position embedding table
  int64_t max_seq_len = 0;
  std::string rope_scaling;        // RoPE context extension: yarn, dynamic, linear, llama3; "" = none
  double rope_factor = 0;          // its context factor (> 1); 0 = none
  int64_t rope_original_context = 0;  // tokens the positions were pre-trained on before the extension
  int sliding_window = 0;          // tokens; 0 = full attention everywhere
  int sliding_window_layers = 0;   // how many layers use the sliding window
  bool use_mla = false;
  MlaSpec mla;
  MoeSpec moe;
  int mtp_layers = 0;              // multi-token-prediction modules (not in the main count)
  CheckpointWeights checkpoint;    // the config.json's quantization_config (none for presets, YAML)
  std::vector<std::string> read_notes;  // notes from reading its file (config.json keys not read); printed on stderr

  double published_params = 0;         // total parameters stated by the publisher (0 = unknown)
  double published_active_params = 0;  // active per token (MoE), 0 = unknown

  // Returns the longest context its positions reach, tokens: max_seq_len, or
  // original × factor of a yarn, dynamic or linear RoPE extension when that is
  // larger (their configs may keep the pre-training length in
  // max_position_embeddings); llama3 scaling: max_seq_len, the extended
  // length its configs state (Llama 3.2: 131,072, not 8,192 × 32); 0 = unknown.
  int64_t UsableContext() const {
    if (learned_positions || rope_factor <= 1.0 || rope_original_context <= 0) return max_seq_len;
    if (rope_scaling == "llama3") return max_seq_len;
    const auto extended = static_cast<int64_t>(static_cast<double>(rope_original_context) * rope_factor + 0.5);
    return extended > max_seq_len ? extended : max_seq_len;
  }
  bool IsMoe() const { return moe.experts > 0; }
  // Returns true when layer `index` (0-based) has an MoE FFN.
  bool IsMoeLayer(int index) const {
    if (!IsMoe() || index < moe.dense_layers) return false;
    return ((index - moe.dense_layers) % moe.layer_freq) == 0;
  }
  // Returns the number of MoE layers.
  int MoeLayerCount() const {
    if (!IsMoe() || layers <= moe.dense_layers) return 0;
    return (layers - moe.dense_layers + moe.layer_freq - 1) / moe.layer_freq;
  }
  // Returns query-projection width heads*head_dim (MLA: heads*(nope+rope)).
  int64_t QueryWidth() const {
    return use_mla ? int64_t{heads} * (mla.qk_nope_head_dim + mla.qk_rope_head_dim)
                   : int64_t{heads} * head_dim;
  }
};

// Parameter counts of one model, by part.
struct ParamCounts {
  double embedding = 0;   // input embedding (+ learned positions)
  double output = 0;      // untied output projection (0 when tied)
  double attention = 0;   // all layers
  double dense_mlp = 0;   // dense FFN layers
  double experts = 0;     // all routed experts of all MoE layers
  double shared_experts = 0;
  double router = 0;
  double norms = 0;
  double total = 0;       // everything above
  double active = 0;      // multiplied per token (topk routed experts only; no input embedding lookup)
};

// Returns parameter counts (bias and norm parameters included).
ParamCounts CountParams(const ModelSpec& spec);

// Returns attention parameters of one layer.
double AttentionParamsPerLayer(const ModelSpec& spec);
// Returns FFN parameters of one dense layer.
double DenseMlpParamsPerLayer(const ModelSpec& spec);
// Returns parameters of one routed expert.
double ExpertParams(const ModelSpec& spec);

}  // namespace suanli
