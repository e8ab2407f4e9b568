// Cross-field checks of a model description, whichever reader produced it.
#include "workload/model_check.h"
#include "core/i18n.h"

#include <fmt/format.h>

namespace suanli {

Status ValidateModel(const ModelSpec& spec, const std::string& where) {
  auto at = [&](std::string_view field) { return fmt::format("{} {}", where, field); };
  if (spec.layers < 1 || spec.layers > kMaxLayers) {
    return MakeError(TrFormat("layers = {} is out of range", spec.layers), at("layers"),
                     TrFormat("expected 1..{}", kMaxLayers));
  }
  if (spec.hidden < 1 || spec.hidden > kMaxHidden) {
    return MakeError(TrFormat("hidden = {} is out of range", spec.hidden), at("hidden"),
                     TrFormat("expected 1..{}", kMaxHidden));
  }
  if (spec.heads < 1 || spec.heads > kMaxHeads) {
    return MakeError(TrFormat("heads = {} is out of range", spec.heads), at("heads"));
  }
  if (spec.kv_heads < 1 || spec.kv_heads > spec.heads || spec.heads % spec.kv_heads != 0) {
    return MakeError(TrFormat("kv_heads = {} must divide heads = {}", spec.kv_heads, spec.heads),
                     at("kv_heads"), Tr("grouped-query attention needs heads % kv_heads == 0"));
  }
  if (!spec.use_mla && (spec.head_dim < 1 || spec.head_dim > kMaxHidden)) {
    return MakeError(TrFormat("head_dim = {} is out of range", spec.head_dim), at("head_dim"),
                     Tr("give head_dim, or make heads divide hidden"));
  }
  if (spec.vocab < 1 || spec.vocab > kMaxVocab) {
    return MakeError(TrFormat("vocab = {} is out of range", spec.vocab), at("vocab"));
  }
  if (spec.max_seq_len < 0 || spec.max_seq_len > kMaxSeq) {
    return MakeError(TrFormat("max_seq_len = {} is out of range", spec.max_seq_len),
                     at("max_seq_len"));
  }
  if (spec.learned_positions && spec.max_seq_len < 1) {
    return MakeError(Tr("learned position embeddings need max_seq_len"), at("max_seq_len"),
                     Tr("give the trained context length"));
  }
  if (spec.MoeLayerCount() < spec.layers && spec.ffn_hidden < 1) {
    return MakeError(Tr("dense FFN layers need ffn_hidden > 0"), at("ffn_hidden"));
  }
  if (spec.ffn_hidden < 0 || spec.ffn_hidden > kMaxFfn) {
    return MakeError(TrFormat("ffn_hidden = {} is out of range", spec.ffn_hidden),
                     at("ffn_hidden"));
  }
  if (spec.sliding_window < 0 || spec.sliding_window_layers < 0 ||
      spec.sliding_window_layers > spec.layers) {
    return MakeError(Tr("sliding_window_layers must be between 0 and layers"),
                     at("sliding_window_layers"));
  }
  if (spec.use_mla) {
    const MlaSpec& m = spec.mla;
    if (m.kv_lora_rank < 1 || m.qk_nope_head_dim < 1 || m.v_head_dim < 1 || m.q_lora_rank < 0 ||
        m.qk_rope_head_dim < 0) {
      return MakeError(Tr("MLA needs kv_lora_rank, qk_nope_head_dim and v_head_dim > 0"), at("mla"));
    }
  }
  if (spec.moe.experts < 0 || spec.moe.experts > kMaxExperts) {
    return MakeError(TrFormat("moe.experts = {} is out of range", spec.moe.experts),
                     at("moe.experts"));
  }
  if (spec.IsMoe()) {
    if (spec.moe.topk < 1 || spec.moe.topk > spec.moe.experts) {
      return MakeError(TrFormat("moe.topk = {} must be between 1 and experts = {}",
                                   spec.moe.topk, spec.moe.experts),
                       at("moe.topk"));
    }
    if (spec.moe.expert_ffn < 1 || spec.moe.expert_ffn > kMaxFfn) {
      return MakeError(Tr("moe.expert_ffn must be > 0"), at("moe.expert_ffn"));
    }
    if (spec.moe.layer_freq < 1) {
      return MakeError(Tr("moe.layer_freq must be >= 1"), at("moe.layer_freq"));
    }
    if (spec.moe.expert_groups < 1 || spec.moe.experts % spec.moe.expert_groups != 0) {
      return MakeError(TrFormat("moe.expert_groups = {} must divide experts = {}", spec.moe.expert_groups,
                                spec.moe.experts),
                       at("moe.expert_groups"));
    }
    if (spec.moe.groups_per_token < 0 || spec.moe.groups_per_token > spec.moe.expert_groups) {
      return MakeError(TrFormat("moe.groups_per_token = {} must be between 0 (no limit) and expert_groups = {}",
                                spec.moe.groups_per_token, spec.moe.expert_groups),
                       at("moe.groups_per_token"));
    }
    if (spec.moe.dense_layers < 0 || spec.moe.dense_layers >= spec.layers) {
      return MakeError(TrFormat("moe.dense_layers = {} must be below layers = {}",
                                   spec.moe.dense_layers, spec.layers),
                       at("moe.dense_layers"));
    }
  }
  return OkStatus();
}

}  // namespace suanli
