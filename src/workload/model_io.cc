// Model files: the YAML schema of data/models.yaml and Hugging Face
// config.json import. Field names of each config.json family follow the
// transformers library's configuration classes (LlamaConfig, Qwen3Config,
// DeepseekV3Config, GptOssConfig, GPT2Config, ...).
#include "workload/model_io.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/text.h"

namespace suanli {
namespace {

// Sane ranges for architecture fields: large enough for any published model,
// small enough to reject typos and absurd values (1e30 layers).
constexpr int64_t kMaxLayers = 1000;  // largest published models have ~130
constexpr int64_t kMaxHidden = 1 << 20;
constexpr int64_t kMaxHeads = 1 << 16;
constexpr int64_t kMaxFfn = int64_t{1} << 24;
constexpr int64_t kMaxVocab = int64_t{1} << 26;
constexpr int64_t kMaxSeq = int64_t{1} << 30;
constexpr int64_t kMaxExperts = 1 << 16;

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
  if (*value < 0 || *value * scale > 1e16) return MakeError("parameter count out of range");
  return *value * scale;
}

Result<double> CountField(const YamlMap& map, std::string_view key) {
  if (!map.Has(key)) return 0.0;
  SUANLI_ASSIGN_OR_RETURN(const std::string text, map.String(key));
  auto value = ParseCount(text);
  if (!value.ok()) {
    return MakeError(fmt::format("'{}' is not a parameter count", text), map.Where(key),
                     "write a number such as 6.74e9 or 6.74B");
  }
  return *value;
}

// Returns 1-based line and column of byte `offset` in `text`.
std::pair<int, int> LineColumn(std::string_view text, size_t offset) {
  int line = 1, column = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

// Reads fields of a config.json object; messages locate the key in the text.
class JsonFields {
 public:
  JsonFields(const nlohmann::json& json, std::string_view text, std::string file)
      : json_(json), text_(text), file_(std::move(file)) {}

  // Returns "file:line:col key" where the key is written, or "file key".
  std::string Where(std::string_view key) const {
    const std::string quoted = fmt::format("\"{}\"", key);
    const size_t pos = text_.find(quoted);
    if (pos == std::string_view::npos) return fmt::format("{} {}", file_, key);
    const auto [line, column] = LineColumn(text_, pos);
    return fmt::format("{}:{}:{} {}", file_, line, column, key);
  }
  bool Has(std::string_view key) const {
    auto it = json_.find(std::string(key));
    return it != json_.end() && !it->is_null();
  }
  // Returns the first present key of `keys`, or "".
  std::string First(std::initializer_list<std::string_view> keys) const {
    for (std::string_view key : keys) {
      if (Has(key)) return std::string(key);
    }
    return {};
  }
  Result<int64_t> Int(std::string_view key, int64_t min, int64_t max) const {
    if (!Has(key)) {
      return MakeError(fmt::format("missing required field '{}'", key), fmt::format("{}", file_),
                       fmt::format("add \"{}\" to the config", key));
    }
    const nlohmann::json& value = json_.at(std::string(key));
    if (!value.is_number()) {
      return MakeError(fmt::format("'{}' must be a number, got {}", key, value.dump()), Where(key));
    }
    const double number = value.get<double>();
    if (!std::isfinite(number) || std::floor(number) != number) {
      return MakeError(fmt::format("'{}' must be a whole number, got {}", key, value.dump()),
                       Where(key));
    }
    if (number < static_cast<double>(min) || number > static_cast<double>(max)) {
      return MakeError(fmt::format("'{}' = {} is out of range", key, value.dump()), Where(key),
                       fmt::format("expected an integer between {} and {}", min, max));
    }
    return static_cast<int64_t>(number);
  }
  Result<int64_t> IntOr(std::string_view key, int64_t fallback, int64_t min, int64_t max) const {
    if (!Has(key)) return fallback;
    return Int(key, min, max);
  }
  // Reads the first present key of `keys`; error names the first key.
  Result<int64_t> AnyInt(std::initializer_list<std::string_view> keys, int64_t min,
                         int64_t max) const {
    const std::string key = First(keys);
    return Int(key.empty() ? *keys.begin() : key, min, max);
  }
  Result<double> Number(std::string_view key, double fallback, double min, double max) const {
    if (!Has(key)) return fallback;
    const nlohmann::json& value = json_.at(std::string(key));
    if (!value.is_number()) {
      return MakeError(fmt::format("'{}' must be a number, got {}", key, value.dump()), Where(key));
    }
    const double number = value.get<double>();
    if (!std::isfinite(number) || number < min || number > max) {
      return MakeError(fmt::format("'{}' = {} is out of range", key, value.dump()), Where(key),
                       fmt::format("expected a number between {} and {}", min, max));
    }
    return number;
  }
  Result<bool> BoolOr(std::string_view key, bool fallback) const {
    if (!Has(key)) return fallback;
    const nlohmann::json& value = json_.at(std::string(key));
    if (!value.is_boolean()) {
      return MakeError(fmt::format("'{}' must be true or false, got {}", key, value.dump()),
                       Where(key));
    }
    return value.get<bool>();
  }
  const nlohmann::json* Get(std::string_view key) const {
    return Has(key) ? &json_.at(std::string(key)) : nullptr;
  }

 private:
  const nlohmann::json& json_;
  std::string_view text_;
  std::string file_;
};

constexpr std::string_view kSupportedFamilies =
    "llama, mistral, qwen2, qwen3, qwen3_moe, mixtral, deepseek_v3, gpt_oss, gpt2, gpt_neox, "
    "bloom, mpt";

// Fills head_dim from hidden/heads when the config does not give it.
Status DefaultHeadDim(ModelSpec& spec, const JsonFields& f, std::string_view head_dim_key) {
  if (f.Has(head_dim_key)) {
    SUANLI_ASSIGN_OR_RETURN(int64_t head_dim, f.Int(head_dim_key, 1, kMaxHidden));
    spec.head_dim = static_cast<int>(head_dim);
    return OkStatus();
  }
  if (spec.heads > 0 && spec.hidden % spec.heads != 0) {
    return MakeError(fmt::format("hidden size {} is not divisible by {} attention heads and "
                                 "head_dim is not given",
                                 spec.hidden, spec.heads),
                     f.Where("num_attention_heads"),
                     fmt::format("add \"{}\" or fix the head count", head_dim_key));
  }
  if (spec.heads > 0) spec.head_dim = static_cast<int>(spec.hidden / spec.heads);
  return OkStatus();
}

// llama, mistral, qwen2, qwen3 and the shared part of qwen3_moe, mixtral,
// deepseek_v3 and gpt_oss (the "LlamaConfig" field names).
Status ReadLlamaLike(ModelSpec& spec, const JsonFields& f) {
  SUANLI_ASSIGN_OR_RETURN(int64_t layers, f.Int("num_hidden_layers", 1, kMaxLayers));
  SUANLI_ASSIGN_OR_RETURN(spec.hidden, f.Int("hidden_size", 1, kMaxHidden));
  SUANLI_ASSIGN_OR_RETURN(int64_t heads, f.Int("num_attention_heads", 1, kMaxHeads));
  SUANLI_ASSIGN_OR_RETURN(int64_t kv_heads,
                          f.IntOr("num_key_value_heads", heads, 1, kMaxHeads));
  SUANLI_ASSIGN_OR_RETURN(spec.vocab, f.Int("vocab_size", 1, kMaxVocab));
  SUANLI_ASSIGN_OR_RETURN(spec.ffn_hidden, f.IntOr("intermediate_size", 0, 0, kMaxFfn));
  SUANLI_ASSIGN_OR_RETURN(spec.max_seq_len, f.IntOr("max_position_embeddings", 0, 0, kMaxSeq));
  SUANLI_ASSIGN_OR_RETURN(spec.tied_embeddings, f.BoolOr("tie_word_embeddings", false));
  SUANLI_ASSIGN_OR_RETURN(spec.qkv_bias, f.BoolOr("attention_bias", false));
  SUANLI_ASSIGN_OR_RETURN(spec.mlp_bias, f.BoolOr("mlp_bias", false));
  spec.layers = static_cast<int>(layers);
  spec.heads = static_cast<int>(heads);
  spec.kv_heads = static_cast<int>(kv_heads);
  spec.gated_mlp = true;
  spec.norm = NormKind::kRmsNorm;
  return DefaultHeadDim(spec, f, "head_dim");
}

// Reads "sliding_window" (tokens) when present, applied to every layer.
Status ReadSlidingWindowAllLayers(ModelSpec& spec, const JsonFields& f) {
  if (!f.Has("sliding_window")) return OkStatus();
  SUANLI_ASSIGN_OR_RETURN(int64_t window, f.Int("sliding_window", 1, kMaxSeq));
  spec.sliding_window = static_cast<int>(window);
  spec.sliding_window_layers = spec.layers;
  return OkStatus();
}

Status ReadFamily(ModelSpec& spec, const std::string& family, const JsonFields& f) {
  if (family == "llama" || family == "mistral" || family == "qwen2" || family == "qwen3") {
    SUANLI_RETURN_IF_ERROR(ReadLlamaLike(spec, f));
    if (family == "qwen2") spec.qkv_bias = true;  // Qwen2 attention: bias on q, k, v only
    // Qwen2/Qwen3 configs carry a sliding_window that is off unless use_sliding_window.
    SUANLI_ASSIGN_OR_RETURN(const bool use_window, f.BoolOr("use_sliding_window", false));
    if (family == "mistral" || use_window) SUANLI_RETURN_IF_ERROR(ReadSlidingWindowAllLayers(spec, f));
    return OkStatus();
  }
  if (family == "mixtral") {
    SUANLI_RETURN_IF_ERROR(ReadLlamaLike(spec, f));
    SUANLI_ASSIGN_OR_RETURN(int64_t experts, f.Int("num_local_experts", 1, kMaxExperts));
    SUANLI_ASSIGN_OR_RETURN(int64_t topk, f.Int("num_experts_per_tok", 1, kMaxExperts));
    spec.moe.experts = static_cast<int>(experts);
    spec.moe.topk = static_cast<int>(topk);
    spec.moe.expert_ffn = spec.ffn_hidden;
    SUANLI_RETURN_IF_ERROR(ReadSlidingWindowAllLayers(spec, f));
    return OkStatus();
  }
  if (family == "qwen3_moe") {
    SUANLI_RETURN_IF_ERROR(ReadLlamaLike(spec, f));
    SUANLI_ASSIGN_OR_RETURN(int64_t experts, f.Int("num_experts", 1, kMaxExperts));
    SUANLI_ASSIGN_OR_RETURN(int64_t topk, f.Int("num_experts_per_tok", 1, kMaxExperts));
    SUANLI_ASSIGN_OR_RETURN(spec.moe.expert_ffn, f.Int("moe_intermediate_size", 1, kMaxFfn));
    SUANLI_ASSIGN_OR_RETURN(int64_t step, f.IntOr("decoder_sparse_step", 1, 1, kMaxLayers));
    spec.moe.experts = static_cast<int>(experts);
    spec.moe.topk = static_cast<int>(topk);
    // Qwen3-MoE makes layer i sparse when (i+1) % step == 0; suanli's
    // IsMoeLayer counts from the first layer, which gives the same number of
    // MoE layers when step divides the layer count (step is 1 in every
    // released Qwen3-MoE config).
    spec.moe.layer_freq = static_cast<int>(step);
    if (const nlohmann::json* dense = f.Get("mlp_only_layers")) {
      // Supported when the dense layers are a leading prefix 0..k-1.
      if (!dense->is_array()) {
        return MakeError("'mlp_only_layers' must be a list of layer indices",
                         f.Where("mlp_only_layers"));
      }
      for (size_t i = 0; i < dense->size(); ++i) {
        if (!(*dense)[i].is_number_integer() || (*dense)[i].get<int64_t>() != int64_t(i)) {
          return MakeError("'mlp_only_layers' other than a leading prefix [0, 1, ..] is not "
                           "supported",
                           f.Where("mlp_only_layers"), "write the model as a YAML model file");
        }
      }
      spec.moe.dense_layers = static_cast<int>(dense->size());
    }
    return OkStatus();
  }
  if (family == "deepseek_v3") {
    SUANLI_RETURN_IF_ERROR(ReadLlamaLike(spec, f));
    spec.use_mla = true;
    SUANLI_ASSIGN_OR_RETURN(int64_t q_lora, f.IntOr("q_lora_rank", 0, 0, kMaxHidden));
    SUANLI_ASSIGN_OR_RETURN(int64_t kv_lora, f.Int("kv_lora_rank", 1, kMaxHidden));
    SUANLI_ASSIGN_OR_RETURN(int64_t nope, f.Int("qk_nope_head_dim", 1, kMaxHidden));
    SUANLI_ASSIGN_OR_RETURN(int64_t rope, f.Int("qk_rope_head_dim", 0, kMaxHidden));
    SUANLI_ASSIGN_OR_RETURN(int64_t v_dim, f.Int("v_head_dim", 1, kMaxHidden));
    spec.mla = {static_cast<int>(q_lora), static_cast<int>(kv_lora), static_cast<int>(nope),
                static_cast<int>(rope), static_cast<int>(v_dim)};
    spec.head_dim = static_cast<int>(nope + rope);
    SUANLI_ASSIGN_OR_RETURN(int64_t experts, f.IntOr("n_routed_experts", 0, 0, kMaxExperts));
    if (experts > 0) {
      SUANLI_ASSIGN_OR_RETURN(int64_t topk, f.Int("num_experts_per_tok", 1, kMaxExperts));
      SUANLI_ASSIGN_OR_RETURN(spec.moe.expert_ffn, f.Int("moe_intermediate_size", 1, kMaxFfn));
      SUANLI_ASSIGN_OR_RETURN(int64_t shared, f.IntOr("n_shared_experts", 0, 0, kMaxExperts));
      SUANLI_ASSIGN_OR_RETURN(int64_t dense, f.IntOr("first_k_dense_replace", 0, 0, kMaxLayers));
      SUANLI_ASSIGN_OR_RETURN(int64_t freq, f.IntOr("moe_layer_freq", 1, 1, kMaxLayers));
      spec.moe.experts = static_cast<int>(experts);
      spec.moe.topk = static_cast<int>(topk);
      spec.moe.shared_experts = static_cast<int>(shared);
      spec.moe.dense_layers = static_cast<int>(dense);
      spec.moe.layer_freq = static_cast<int>(freq);
    }
    SUANLI_ASSIGN_OR_RETURN(int64_t mtp, f.IntOr("num_nextn_predict_layers", 0, 0, kMaxLayers));
    spec.mtp_layers = static_cast<int>(mtp);
    return OkStatus();
  }
  if (family == "gpt_oss") {
    SUANLI_RETURN_IF_ERROR(ReadLlamaLike(spec, f));
    SUANLI_ASSIGN_OR_RETURN(int64_t experts, f.AnyInt({"num_local_experts", "num_experts"}, 1,
                                                      kMaxExperts));
    SUANLI_ASSIGN_OR_RETURN(int64_t topk, f.AnyInt({"experts_per_token", "num_experts_per_tok"},
                                                   1, kMaxExperts));
    spec.moe.experts = static_cast<int>(experts);
    spec.moe.topk = static_cast<int>(topk);
    spec.moe.expert_ffn = spec.ffn_hidden;
    // gpt-oss: biases on q, k, v, o, the router and the experts (model card, 2025-08).
    SUANLI_ASSIGN_OR_RETURN(spec.qkv_bias, f.BoolOr("attention_bias", true));
    spec.mlp_bias = spec.qkv_bias;
    if (f.Has("sliding_window")) {
      SUANLI_ASSIGN_OR_RETURN(int64_t window, f.Int("sliding_window", 1, kMaxSeq));
      spec.sliding_window = static_cast<int>(window);
      int sliding_layers = spec.layers / 2;  // alternating when layer_types is absent
      if (const nlohmann::json* types = f.Get("layer_types"); types && types->is_array()) {
        sliding_layers = 0;
        for (const auto& t : *types) {
          sliding_layers += (t.is_string() && t.get<std::string>() == "sliding_attention") ? 1 : 0;
        }
      }
      spec.sliding_window_layers = sliding_layers;
    }
    return OkStatus();
  }
  if (family == "gpt2") {
    SUANLI_ASSIGN_OR_RETURN(int64_t layers, f.Int("n_layer", 1, kMaxLayers));
    SUANLI_ASSIGN_OR_RETURN(spec.hidden, f.Int("n_embd", 1, kMaxHidden));
    SUANLI_ASSIGN_OR_RETURN(int64_t heads, f.Int("n_head", 1, kMaxHeads));
    SUANLI_ASSIGN_OR_RETURN(spec.vocab, f.Int("vocab_size", 1, kMaxVocab));
    SUANLI_ASSIGN_OR_RETURN(spec.max_seq_len, f.AnyInt({"n_positions", "n_ctx"}, 1, kMaxSeq));
    SUANLI_ASSIGN_OR_RETURN(spec.ffn_hidden, f.IntOr("n_inner", 4 * spec.hidden, 1, kMaxFfn));
    spec.layers = static_cast<int>(layers);
    spec.heads = spec.kv_heads = static_cast<int>(heads);
    spec.gated_mlp = false;
    spec.tied_embeddings = true;
    spec.qkv_bias = spec.mlp_bias = true;
    spec.norm = NormKind::kLayerNorm;
    spec.learned_positions = true;
    return DefaultHeadDim(spec, f, "head_dim");
  }
  if (family == "gpt_neox") {
    SUANLI_ASSIGN_OR_RETURN(int64_t layers, f.Int("num_hidden_layers", 1, kMaxLayers));
    SUANLI_ASSIGN_OR_RETURN(spec.hidden, f.Int("hidden_size", 1, kMaxHidden));
    SUANLI_ASSIGN_OR_RETURN(int64_t heads, f.Int("num_attention_heads", 1, kMaxHeads));
    SUANLI_ASSIGN_OR_RETURN(spec.vocab, f.Int("vocab_size", 1, kMaxVocab));
    SUANLI_ASSIGN_OR_RETURN(spec.ffn_hidden,
                            f.IntOr("intermediate_size", 4 * spec.hidden, 1, kMaxFfn));
    SUANLI_ASSIGN_OR_RETURN(spec.max_seq_len, f.IntOr("max_position_embeddings", 0, 0, kMaxSeq));
    SUANLI_ASSIGN_OR_RETURN(spec.tied_embeddings, f.BoolOr("tie_word_embeddings", false));
    SUANLI_ASSIGN_OR_RETURN(bool bias, f.BoolOr("attention_bias", true));
    spec.layers = static_cast<int>(layers);
    spec.heads = spec.kv_heads = static_cast<int>(heads);
    spec.gated_mlp = false;
    spec.qkv_bias = bias;
    spec.mlp_bias = true;
    spec.norm = NormKind::kLayerNorm;
    return DefaultHeadDim(spec, f, "head_dim");
  }
  if (family == "bloom") {
    SUANLI_ASSIGN_OR_RETURN(int64_t layers, f.AnyInt({"n_layer", "num_hidden_layers"}, 1,
                                                     kMaxLayers));
    SUANLI_ASSIGN_OR_RETURN(spec.hidden, f.AnyInt({"hidden_size", "n_embed"}, 1, kMaxHidden));
    SUANLI_ASSIGN_OR_RETURN(int64_t heads, f.AnyInt({"n_head", "num_attention_heads"}, 1,
                                                    kMaxHeads));
    SUANLI_ASSIGN_OR_RETURN(spec.vocab, f.Int("vocab_size", 1, kMaxVocab));
    SUANLI_ASSIGN_OR_RETURN(spec.max_seq_len, f.IntOr("seq_length", 2048, 1, kMaxSeq));
    spec.layers = static_cast<int>(layers);
    spec.heads = spec.kv_heads = static_cast<int>(heads);
    spec.ffn_hidden = 4 * spec.hidden;  // BLOOM MLP: 4h (BigScience, arXiv 2211.05100 Table 3)
    spec.gated_mlp = false;
    spec.tied_embeddings = true;
    spec.qkv_bias = spec.mlp_bias = true;
    spec.norm = NormKind::kLayerNorm;  // ALiBi: no position embedding table
    return DefaultHeadDim(spec, f, "head_dim");
  }
  if (family == "mpt") {
    SUANLI_ASSIGN_OR_RETURN(int64_t layers, f.Int("n_layers", 1, kMaxLayers));
    SUANLI_ASSIGN_OR_RETURN(spec.hidden, f.Int("d_model", 1, kMaxHidden));
    SUANLI_ASSIGN_OR_RETURN(int64_t heads, f.Int("n_heads", 1, kMaxHeads));
    SUANLI_ASSIGN_OR_RETURN(spec.vocab, f.Int("vocab_size", 1, kMaxVocab));
    SUANLI_ASSIGN_OR_RETURN(spec.max_seq_len, f.IntOr("max_seq_len", 2048, 1, kMaxSeq));
    SUANLI_ASSIGN_OR_RETURN(double ratio, f.Number("expansion_ratio", 4.0, 0.01, 1000.0));
    SUANLI_ASSIGN_OR_RETURN(bool no_bias, f.BoolOr("no_bias", true));
    spec.layers = static_cast<int>(layers);
    spec.heads = spec.kv_heads = static_cast<int>(heads);
    spec.ffn_hidden = static_cast<int64_t>(std::llround(ratio * static_cast<double>(spec.hidden)));
    spec.gated_mlp = false;
    spec.tied_embeddings = true;
    spec.qkv_bias = spec.mlp_bias = !no_bias;
    // MPT's LayerNorm has no bias with no_bias: count it like an RMSNorm (h weights).
    spec.norm = no_bias ? NormKind::kRmsNorm : NormKind::kLayerNorm;
    return DefaultHeadDim(spec, f, "head_dim");
  }
  return MakeError(fmt::format("unsupported model_type '{}'", family), f.Where("model_type"),
                   fmt::format("supported: {}; or write a YAML model file (data/models.yaml "
                               "documents the fields)",
                               kSupportedFamilies));
}

std::string FileStem(const std::string& file_name) {
  std::filesystem::path path(file_name);
  std::string stem = path.stem().string();
  if (stem == "config" && path.has_parent_path()) {
    const std::string parent = path.parent_path().filename().string();
    if (!parent.empty() && parent != ".") stem = parent;
  }
  return stem;
}

}  // namespace

Status ValidateModel(const ModelSpec& spec, const std::string& where) {
  auto at = [&](std::string_view field) { return fmt::format("{} {}", where, field); };
  if (spec.layers < 1 || spec.layers > kMaxLayers) {
    return MakeError(fmt::format("layers = {} is out of range", spec.layers), at("layers"),
                     fmt::format("expected 1..{}", kMaxLayers));
  }
  if (spec.hidden < 1 || spec.hidden > kMaxHidden) {
    return MakeError(fmt::format("hidden = {} is out of range", spec.hidden), at("hidden"),
                     fmt::format("expected 1..{}", kMaxHidden));
  }
  if (spec.heads < 1 || spec.heads > kMaxHeads) {
    return MakeError(fmt::format("heads = {} is out of range", spec.heads), at("heads"));
  }
  if (spec.kv_heads < 1 || spec.kv_heads > spec.heads || spec.heads % spec.kv_heads != 0) {
    return MakeError(fmt::format("kv_heads = {} must divide heads = {}", spec.kv_heads, spec.heads),
                     at("kv_heads"), "grouped-query attention needs heads % kv_heads == 0");
  }
  if (!spec.use_mla && (spec.head_dim < 1 || spec.head_dim > kMaxHidden)) {
    return MakeError(fmt::format("head_dim = {} is out of range", spec.head_dim), at("head_dim"),
                     "give head_dim, or make heads divide hidden");
  }
  if (spec.vocab < 1 || spec.vocab > kMaxVocab) {
    return MakeError(fmt::format("vocab = {} is out of range", spec.vocab), at("vocab"));
  }
  if (spec.max_seq_len < 0 || spec.max_seq_len > kMaxSeq) {
    return MakeError(fmt::format("max_seq_len = {} is out of range", spec.max_seq_len),
                     at("max_seq_len"));
  }
  if (spec.learned_positions && spec.max_seq_len < 1) {
    return MakeError("learned position embeddings need max_seq_len", at("max_seq_len"),
                     "give the trained context length");
  }
  if (spec.MoeLayerCount() < spec.layers && spec.ffn_hidden < 1) {
    return MakeError("dense FFN layers need ffn_hidden > 0", at("ffn_hidden"));
  }
  if (spec.ffn_hidden < 0 || spec.ffn_hidden > kMaxFfn) {
    return MakeError(fmt::format("ffn_hidden = {} is out of range", spec.ffn_hidden),
                     at("ffn_hidden"));
  }
  if (spec.sliding_window < 0 || spec.sliding_window_layers < 0 ||
      spec.sliding_window_layers > spec.layers) {
    return MakeError("sliding_window_layers must be between 0 and layers",
                     at("sliding_window_layers"));
  }
  if (spec.use_mla) {
    const MlaSpec& m = spec.mla;
    if (m.kv_lora_rank < 1 || m.qk_nope_head_dim < 1 || m.v_head_dim < 1 || m.q_lora_rank < 0 ||
        m.qk_rope_head_dim < 0) {
      return MakeError("MLA needs kv_lora_rank, qk_nope_head_dim and v_head_dim > 0", at("mla"));
    }
  }
  if (spec.moe.experts < 0 || spec.moe.experts > kMaxExperts) {
    return MakeError(fmt::format("moe.experts = {} is out of range", spec.moe.experts),
                     at("moe.experts"));
  }
  if (spec.IsMoe()) {
    if (spec.moe.topk < 1 || spec.moe.topk > spec.moe.experts) {
      return MakeError(fmt::format("moe.topk = {} must be between 1 and experts = {}",
                                   spec.moe.topk, spec.moe.experts),
                       at("moe.topk"));
    }
    if (spec.moe.expert_ffn < 1 || spec.moe.expert_ffn > kMaxFfn) {
      return MakeError("moe.expert_ffn must be > 0", at("moe.expert_ffn"));
    }
    if (spec.moe.layer_freq < 1) {
      return MakeError("moe.layer_freq must be >= 1", at("moe.layer_freq"));
    }
    if (spec.moe.dense_layers < 0 || spec.moe.dense_layers >= spec.layers) {
      return MakeError(fmt::format("moe.dense_layers = {} must be below layers = {}",
                                   spec.moe.dense_layers, spec.layers),
                       at("moe.dense_layers"));
    }
  }
  return OkStatus();
}

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
    return MakeError(fmt::format("unknown norm '{}'", norm), map.Where("norm"),
                     "write rmsnorm or layernorm");
  }
  if (map.Has("head_dim")) {
    SUANLI_ASSIGN_OR_RETURN(int64_t head_dim, map.Int("head_dim", 1, kMaxHidden));
    spec.head_dim = static_cast<int>(head_dim);
  } else if (!map.Has("mla")) {
    if (spec.hidden % spec.heads != 0) {
      return MakeError(fmt::format("hidden {} is not divisible by heads {} and head_dim is not "
                                   "given",
                                   spec.hidden, spec.heads),
                       map.Where("heads"), "add head_dim or fix heads");
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
                                          "shared_expert_ffn", "dense_layers", "layer_freq"}));
    SUANLI_ASSIGN_OR_RETURN(int64_t experts, moe.Int("experts", 1, kMaxExperts));
    SUANLI_ASSIGN_OR_RETURN(int64_t topk, moe.Int("topk", 1, kMaxExperts));
    SUANLI_ASSIGN_OR_RETURN(spec.moe.expert_ffn, moe.Int("expert_ffn", 1, kMaxFfn));
    SUANLI_ASSIGN_OR_RETURN(int64_t shared, moe.IntOr("shared_experts", 0, 0, kMaxExperts));
    SUANLI_ASSIGN_OR_RETURN(spec.moe.shared_expert_ffn,
                            moe.IntOr("shared_expert_ffn", 0, 0, kMaxFfn));
    SUANLI_ASSIGN_OR_RETURN(int64_t dense, moe.IntOr("dense_layers", 0, 0, kMaxLayers));
    SUANLI_ASSIGN_OR_RETURN(int64_t freq, moe.IntOr("layer_freq", 1, 1, kMaxLayers));
    if (topk > experts) {
      return MakeError(fmt::format("topk {} exceeds experts {}", topk, experts), moe.Where("topk"),
                       "topk is the number of routed experts per token, at most experts");
    }
    spec.moe.experts = static_cast<int>(experts);
    spec.moe.topk = static_cast<int>(topk);
    spec.moe.shared_experts = static_cast<int>(shared);
    spec.moe.dense_layers = static_cast<int>(dense);
    spec.moe.layer_freq = static_cast<int>(freq);
  }
  SUANLI_ASSIGN_OR_RETURN(spec.published_params, CountField(map, "published_params"));
  SUANLI_ASSIGN_OR_RETURN(spec.published_active_params,
                          CountField(map, "published_active_params"));
  // Location of the mapping itself for cross-field checks.
  const std::string where = map.Where();
  const size_t space = where.rfind(' ');
  SUANLI_RETURN_IF_ERROR(ValidateModel(spec, space == std::string::npos ? where
                                                                         : where.substr(0, space)));
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
        return MakeError(fmt::format("duplicate model id '{}'", spec.id), item.Where("id"),
                         "each id may appear once per file");
      }
    }
    models.push_back(std::move(spec));
  }
  return models;
}

Result<ModelSpec> ImportHfConfig(std::string_view json_text, const std::string& file_name) {
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(json_text.begin(), json_text.end());
  } catch (const nlohmann::json::parse_error& e) {
    // e.byte is the 1-based position of the offending byte.
    const size_t offset = e.byte > 0 ? e.byte - 1 : 0;
    const auto [line, column] = LineColumn(json_text, offset);
    std::string what = e.what();
    const size_t detail = what.find("syntax error");
    return MakeError(fmt::format("malformed JSON: {}",
                                 detail == std::string::npos ? what : what.substr(detail)),
                     fmt::format("{}:{}:{}", file_name, line, column),
                     "fix the JSON syntax at that position");
  }
  if (!json.is_object()) {
    return MakeError("config.json must be a JSON object", file_name);
  }
  JsonFields fields(json, json_text, file_name);
  if (!fields.Has("model_type") || !json.at("model_type").is_string()) {
    return MakeError("missing field 'model_type'", file_name,
                     fmt::format("supported model types: {}", kSupportedFamilies));
  }
  ModelSpec spec;
  spec.family = json.at("model_type").get<std::string>();
  spec.id = FileStem(file_name);
  spec.name = spec.id;
  spec.source = fmt::format("Hugging Face config.json: {}", file_name);
  SUANLI_RETURN_IF_ERROR(ReadFamily(spec, spec.family, fields));
  SUANLI_RETURN_IF_ERROR(ValidateModel(spec, file_name));
  return spec;
}

Result<ModelSpec> LoadModelFile(const std::string& path) {
  SUANLI_ASSIGN_OR_RETURN(const std::string text, ReadTextFile(path));
  const std::string lower = ToLower(path);
  if (lower.ends_with(".json")) return ImportHfConfig(text, path);
  if (lower.ends_with(".yaml") || lower.ends_with(".yml")) {
    SUANLI_ASSIGN_OR_RETURN(YAML::Node root, ParseYaml(text, path));
    YamlMap top(root, path, "");
    if (root.IsMap() && top.Has("models")) {
      SUANLI_ASSIGN_OR_RETURN(std::vector<ModelSpec> models, ParseModelList(text, path));
      if (models.size() != 1) {
        return MakeError(fmt::format("a model file must hold one model, found {}", models.size()),
                         path, "use --catalog FILE for a list of presets");
      }
      return models.front();
    }
    if (!root.IsMap()) return MakeError("a model file must be a YAML mapping", path);
    return ParseModelMap(top);
  }
  return MakeError("unknown model file type", path,
                   "use a Hugging Face config.json (.json) or a YAML model file (.yaml)");
}

}  // namespace suanli
