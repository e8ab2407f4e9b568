// Cross-field checks of a model description, whichever reader produced it.
#include "workload/model_check.h"
#include "core/i18n.h"

#include <fmt/format.h>

namespace suanli {

Status ValidateModel(const ModelSpec& spec, const std::string& where) {
  return ValidateModel(spec, ModelFieldNames{[](std::string_view field) { return std::string(field); },
                                             [&](std::string_view field) {
                                               return fmt::format("{} {}", where, field);
                                             }});
}

Status ValidateModel(const ModelSpec& spec, const ModelFieldNames& names) {
  const auto& at = names.where;
  const auto& name = names.name;
  if (spec.layers < 1 || spec.layers > kMaxLayers) {
    return MakeError(TrFormat("{} = {} is out of range", name("layers"), spec.layers), at("layers"),
                     TrFormat("expected 1..{}", kMaxLayers));
  }
  if (spec.hidden < 1 || spec.hidden > kMaxHidden) {
    return MakeError(TrFormat("{} = {} is out of range", name("hidden"), spec.hidden), at("hidden"),
                     TrFormat("expected 1..{}", kMaxHidden));
  }
  if (spec.heads < 1 || spec.heads > kMaxHeads) {
    return MakeError(TrFormat("{} = {} is out of range", name("heads"), spec.heads), at("heads"),
                     TrFormat("expected 1..{}", kMaxHeads));
  }
  if (spec.kv_heads < 1 || spec.kv_heads > spec.heads || spec.heads % spec.kv_heads != 0) {
    return MakeError(TrFormat("{} = {} must divide {} = {}", name("kv_heads"), spec.kv_heads, name("heads"),
                              spec.heads),
                     at("kv_heads"),
                     TrFormat("grouped-query attention needs {} % {} == 0", name("heads"), name("kv_heads")));
  }
  if (!spec.use_mla && (spec.head_dim < 1 || spec.head_dim > kMaxHidden)) {
    return MakeError(TrFormat("{} = {} is out of range", name("head_dim"), spec.head_dim), at("head_dim"),
                     TrFormat("give {}, or make {} divide {}", name("head_dim"), name("heads"), name("hidden")));
  }
  if (spec.vocab < 1 || spec.vocab > kMaxVocab) {
    return MakeError(TrFormat("{} = {} is out of range", name("vocab"), spec.vocab), at("vocab"),
                     TrFormat("expected 1..{}", kMaxVocab));
  }
  if (spec.max_seq_len < 0 || spec.max_seq_len > kMaxSeq) {
    return MakeError(TrFormat("{} = {} is out of range", name("max_seq_len"), spec.max_seq_len),
                     at("max_seq_len"), TrFormat("expected 0..{}", kMaxSeq));
  }
  if (spec.learned_positions && spec.max_seq_len < 1) {
    return MakeError(TrFormat("learned position embeddings need {}", name("max_seq_len")), at("max_seq_len"),
                     Tr("give the trained context length"));
  }
  if (spec.MoeLayerCount() < spec.layers && spec.ffn_hidden < 1) {
    return MakeError(TrFormat("dense FFN layers need {} > 0", name("ffn_hidden")), at("ffn_hidden"),
                     TrFormat("give {}, the FFN's inner width", name("ffn_hidden")));
  }
  if (spec.ffn_hidden < 0 || spec.ffn_hidden > kMaxFfn) {
    return MakeError(TrFormat("{} = {} is out of range", name("ffn_hidden"), spec.ffn_hidden),
                     at("ffn_hidden"), TrFormat("expected 1..{}", kMaxFfn));
  }
  if (spec.sliding_window < 0 || spec.sliding_window_layers < 0 ||
      spec.sliding_window_layers > spec.layers) {
    return MakeError(TrFormat("{} must be between 0 and {}", name("sliding_window_layers"), name("layers")),
                     at("sliding_window_layers"));
  }
  if (spec.sliding_window == 0 && spec.sliding_window_layers > 0) {
    return MakeError(TrFormat("{} = {} names windowed layers but {} is not given", name("sliding_window_layers"),
                              spec.sliding_window_layers, name("sliding_window")),
                     at("sliding_window_layers"),
                     TrFormat("add {} (the window in tokens), or remove {}", name("sliding_window"),
                              name("sliding_window_layers")));
  }
  if (spec.use_mla) {
    const MlaSpec& m = spec.mla;
    if (m.kv_lora_rank < 1 || m.qk_nope_head_dim < 1 || m.v_head_dim < 1 || m.q_lora_rank < 0 ||
        m.qk_rope_head_dim < 0) {
      return MakeError(Tr("MLA needs kv_lora_rank, qk_nope_head_dim and v_head_dim > 0"), at("mla"));
    }
  }
  if (spec.moe.experts < 0 || spec.moe.experts > kMaxExperts) {
    return MakeError(TrFormat("{} = {} is out of range", name("moe.experts"), spec.moe.experts),
                     at("moe.experts"), TrFormat("expected 1..{}", kMaxExperts));
  }
  if (spec.IsMoe()) {
    if (spec.moe.topk < 1 || spec.moe.topk > spec.moe.experts) {
      return MakeError(TrFormat("{} = {} must be between 1 and {} = {}", name("moe.topk"), spec.moe.topk,
                                name("moe.experts"), spec.moe.experts),
                       at("moe.topk"));
    }
    if (spec.moe.expert_ffn < 1 || spec.moe.expert_ffn > kMaxFfn) {
      return MakeError(TrFormat("{} must be > 0", name("moe.expert_ffn")), at("moe.expert_ffn"));
    }
    if (spec.moe.layer_freq < 1) {
      return MakeError(TrFormat("{} must be >= 1", name("moe.layer_freq")), at("moe.layer_freq"));
    }
    if (spec.moe.expert_groups < 1 || spec.moe.experts % spec.moe.expert_groups != 0) {
      return MakeError(TrFormat("{} = {} must divide {} = {}", name("moe.expert_groups"), spec.moe.expert_groups,
                                name("moe.experts"), spec.moe.experts),
                       at("moe.expert_groups"));
    }
    if (spec.moe.groups_per_token < 0 || spec.moe.groups_per_token > spec.moe.expert_groups) {
      return MakeError(TrFormat("{} = {} must be between 0 (no limit) and {} = {}", name("moe.groups_per_token"),
                                spec.moe.groups_per_token, name("moe.expert_groups"), spec.moe.expert_groups),
                       at("moe.groups_per_token"));
    }
    if (spec.moe.dense_layers < 0 || spec.moe.dense_layers >= spec.layers) {
      return MakeError(TrFormat("{} = {} must be below {} = {}", name("moe.dense_layers"), spec.moe.dense_layers,
                                name("layers"), spec.layers),
                       at("moe.dense_layers"));
    }
  }
  return OkStatus();
}

}  // namespace suanli
