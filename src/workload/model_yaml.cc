// Reading the YAML model schema; field ranges and cross-field checks are model_check's.
#include "workload/model_yaml.h"

#include <cctype>

#include <fmt/format.h>

#include "core/text.h"
#include "workload/model_check.h"
#include "core/i18n.h"

namespace suanli {
namespace {

// Parses a parameter count: a plain number ("6.74e9") or one with a suffix
// K, M, B or T ("6.74B"). Returns the count, or an error message.
Result<double> ParseCount(const std::string& text) {
  std::string body = text;
  double scale = 1;
  if (!body.empty()) {
    const char last = body.back();
    const double scales[] = {1e3, 1e6, 1e9, 1e12};
    const std::string suffixes = "KMBT";
    const size_t pos = suffixes.find(static_cast<char>(std::toupper(last)));
    if (pos != std::string::npos) {
      scale = scales[pos];
      body.pop_back();
    }
  }
  auto value = ParseNumber(body);
  if (!value.ok()) return value.error();
  if (*value < 0 || *value * scale > 1e16) return MakeError(Tr("parameter count out of range"));
  return *value * scale;
}

// Returns the parameter count `key` (0 when absent).
Result<double> CountField(const YamlMap& map, std::string_view key) {
  if (!map.Has(key)) return 0.0;
  SUANLI_ASSIGN_OR_RETURN(const std::string text, map.String(key));
  auto value = ParseCount(text);
  if (!value.ok()) {
    return MakeError(TrFormat("'{}' is not a parameter count", text), map.Where(key),
                     Tr("write a number such as 6.74e9 or 6.74B"));
  }
  return *value;
}

}  // namespace

Result<ModelSpec> ParseModelMap(const YamlMap& map) {
  SUANLI_RETURN_IF_ERROR(map.CheckKeys(
      {"id", "name", "family", "source", "aliases", "layers", "hidden", "heads", "kv_heads",
       "head_dim", "ffn_hidden", "vocab", "gated_mlp", "tied_embeddings", "qkv_bias", "mlp_bias",
       "norm", "learned_positions", "max_seq_len", "sliding_window", "sliding_window_layers", "mla",
       "moe", "mtp_layers", "published_params", "published_active_params", "notes"}));
  ModelSpec spec;
  SUANLI_ASSIGN_OR_RETURN(spec.id, map.String("id"));
  spec.name = map.StringOr("name", spec.id);
  spec.family = map.StringOr("family", "yaml");
  spec.source = map.StringOr("source", "");
  SUANLI_ASSIGN_OR_RETURN(spec.aliases, map.StringList("aliases"));
  SUANLI_ASSIGN_OR_RETURN(int64_t layers, map.Int("layers", 1, kMaxLayers));
  SUANLI_ASSIGN_OR_RETURN(spec.hidden, map.Int("hidden", 1, kMaxHidden));
  SUANLI_ASSIGN_OR_RETURN(int64_t heads, map.Int("heads", 1, kMaxHeads));
  SUANLI_ASSIGN_OR_RETURN(int64_t kv_heads, map.IntOr("kv_heads", heads, 1, kMaxHeads));
  SUANLI_ASSIGN_OR_RETURN(spec.vocab, map.Int("vocab", 1, kMaxVocab));
  SUANLI_ASSIGN_OR_RETURN(spec.ffn_hidden, map.IntOr("ffn_hidden", 0, 0, kMaxFfn));
  SUANLI_ASSIGN_OR_RETURN(spec.gated_mlp, map.BoolOr("gated_mlp", true));
  SUANLI_ASSIGN_OR_RETURN(spec.tied_embeddings, map.BoolOr("tied_embeddings", false));
  SUANLI_ASSIGN_OR_RETURN(spec.qkv_bias, map.BoolOr("qkv_bias", false));
  SUANLI_ASSIGN_OR_RETURN(spec.mlp_bias, map.BoolOr("mlp_bias", false));
  SUANLI_ASSIGN_OR_RETURN(spec.learned_positions, map.BoolOr("learned_positions", false));
  SUANLI_ASSIGN_OR_RETURN(spec.max_seq_len, map.IntOr("max_seq_len", 0, 0, kMaxSeq));
  SUANLI_ASSIGN_OR_RETURN(int64_t window, map.IntOr("sliding_window", 0, 0, kMaxSeq));
  SUANLI_ASSIGN_OR_RETURN(int64_t window_layers,
                          map.IntOr("sliding_window_layers", window > 0 ? layers : 0, 0,
                                    kMaxLayers));
  SUANLI_ASSIGN_OR_RETURN(int64_t mtp, map.IntOr("mtp_layers", 0, 0, kMaxLayers));
  spec.layers = static_cast<int>(layers);
  spec.heads = static_cast<int>(heads);
  spec.kv_heads = static_cast<int>(kv_heads);
  spec.sliding_window = static_cast<int>(window);
  spec.sliding_window_layers = static_cast<int>(window_layers);
  spec.mtp_layers = static_cast<int>(mtp);
  const std::string norm = map.StringOr("norm", "rmsnorm");
  if (norm == "rmsnorm") {
    spec.norm = NormKind::kRmsNorm;
  } else if (norm == "layernorm") {
    spec.norm = NormKind::kLayerNorm;
  } else {
    return MakeError(TrFormat("unknown norm '{}'", norm), map.Where("norm"),
                     Tr("write rmsnorm or layernorm"));
  }
  if (map.Has("head_dim")) {
    SUANLI_ASSIGN_OR_RETURN(int64_t head_dim, map.Int("head_dim", 1, kMaxHidden));
    spec.head_dim = static_cast<int>(head_dim);
  } else if (!map.Has("mla")) {
    if (spec.hidden % spec.heads != 0) {
      return MakeError(TrFormat("hidden {} is not divisible by heads {} and head_dim is not "
                                   "given",
                                   spec.hidden, spec.heads),
                       map.Where("heads"), Tr("add head_dim or fix heads"));
    }
    spec.head_dim = static_cast<int>(spec.hidden / spec.heads);
  }
  if (map.Has("mla")) {
    SUANLI_ASSIGN_OR_RETURN(YamlMap mla, map.Map("mla"));
    SUANLI_RETURN_IF_ERROR(mla.CheckKeys({"q_lora_rank", "kv_lora_rank", "qk_nope_head_dim",
                                          "qk_rope_head_dim", "v_head_dim"}));
    spec.use_mla = true;
    SUANLI_ASSIGN_OR_RETURN(int64_t q_lora, mla.IntOr("q_lora_rank", 0, 0, kMaxHidden));
    SUANLI_ASSIGN_OR_RETURN(int64_t kv_lora, mla.Int("kv_lora_rank", 1, kMaxHidden));
    SUANLI_ASSIGN_OR_RETURN(int64_t nope, mla.Int("qk_nope_head_dim", 1, kMaxHidden));
    SUANLI_ASSIGN_OR_RETURN(int64_t rope, mla.IntOr("qk_rope_head_dim", 0, 0, kMaxHidden));
    SUANLI_ASSIGN_OR_RETURN(int64_t v_dim, mla.Int("v_head_dim", 1, kMaxHidden));
    spec.mla = {static_cast<int>(q_lora), static_cast<int>(kv_lora), static_cast<int>(nope),
                static_cast<int>(rope), static_cast<int>(v_dim)};
    if (!map.Has("head_dim")) spec.head_dim = static_cast<int>(nope + rope);
  }
  if (map.Has("moe")) {
    SUANLI_ASSIGN_OR_RETURN(YamlMap moe, map.Map("moe"));
    SUANLI_RETURN_IF_ERROR(moe.CheckKeys({"experts", "topk", "expert_ffn", "shared_experts",
                                          "shared_expert_ffn", "dense_layers", "layer_freq",
                                          "expert_groups", "groups_per_token"}));
    SUANLI_ASSIGN_OR_RETURN(int64_t experts, moe.Int("experts", 1, kMaxExperts));
    SUANLI_ASSIGN_OR_RETURN(int64_t topk, moe.Int("topk", 1, kMaxExperts));
    SUANLI_ASSIGN_OR_RETURN(spec.moe.expert_ffn, moe.Int("expert_ffn", 1, kMaxFfn));
    SUANLI_ASSIGN_OR_RETURN(int64_t shared, moe.IntOr("shared_experts", 0, 0, kMaxExperts));
    SUANLI_ASSIGN_OR_RETURN(spec.moe.shared_expert_ffn,
                            moe.IntOr("shared_expert_ffn", 0, 0, kMaxFfn));
    SUANLI_ASSIGN_OR_RETURN(int64_t dense, moe.IntOr("dense_layers", 0, 0, kMaxLayers));
    SUANLI_ASSIGN_OR_RETURN(int64_t freq, moe.IntOr("layer_freq", 1, 1, kMaxLayers));
    SUANLI_ASSIGN_OR_RETURN(int64_t groups, moe.IntOr("expert_groups", 1, 1, kMaxExperts));
    SUANLI_ASSIGN_OR_RETURN(int64_t groups_per_token, moe.IntOr("groups_per_token", 0, 0, kMaxExperts));
    if (topk > experts) {
      return MakeError(TrFormat("topk {} exceeds experts {}", topk, experts), moe.Where("topk"),
                       Tr("topk is the number of routed experts per token, at most experts"));
    }
    spec.moe.experts = static_cast<int>(experts);
    spec.moe.topk = static_cast<int>(topk);
    spec.moe.shared_experts = static_cast<int>(shared);
    spec.moe.dense_layers = static_cast<int>(dense);
    spec.moe.layer_freq = static_cast<int>(freq);
    spec.moe.expert_groups = static_cast<int>(groups);
    spec.moe.groups_per_token = static_cast<int>(groups_per_token);
  }
  SUANLI_ASSIGN_OR_RETURN(spec.published_params, CountField(map, "published_params"));
  SUANLI_ASSIGN_OR_RETURN(spec.published_active_params,
                          CountField(map, "published_active_params"));
  // Cross-field checks name the YAML keys, at their line ("moe.topk" in the moe mapping).
  const ModelFieldNames names{[](std::string_view field) { return std::string(field); },
                              [&](std::string_view field) {
                                const size_t dot = field.find('.');
                                if (dot != std::string_view::npos) {
                                  if (auto child = map.Map(field.substr(0, dot)); child.ok()) {
                                    return child->Where(field.substr(dot + 1));
                                  }
                                }
                                return map.Where(field);
                              }};
  SUANLI_RETURN_IF_ERROR(ValidateModel(spec, names));
  return spec;
}

Result<std::vector<ModelSpec>> ParseModelList(std::string_view text, const std::string& file_name) {
  SUANLI_ASSIGN_OR_RETURN(YAML::Node root, ParseYaml(text, file_name));
  YamlMap top(root, file_name, "");
  std::vector<ModelSpec> models;
  if (!root.IsMap() || !top.Has("models")) return models;
  SUANLI_ASSIGN_OR_RETURN(std::vector<YamlMap> items, top.MapList("models"));
  for (const YamlMap& item : items) {
    SUANLI_ASSIGN_OR_RETURN(ModelSpec spec, ParseModelMap(item));
    for (const ModelSpec& seen : models) {
      if (seen.id == spec.id) {
        return MakeError(TrFormat("duplicate model id '{}'", spec.id), item.Where("id"),
                         Tr("each id may appear once per file"));
      }
    }
    models.push_back(std::move(spec));
  }
  return models;
}

}  // namespace suanli
