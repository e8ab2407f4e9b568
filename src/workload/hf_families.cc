// The readers of each Hugging Face config.json family and their table. Field
// names follow the transformers library's configuration classes (LlamaConfig,
// Qwen3Config, DeepseekV3Config, GptOssConfig, GPT2Config, ...).
#include "workload/hf_families.h"

#include <cmath>

#include <fmt/format.h>

#include "workload/model_check.h"
#include "core/i18n.h"

namespace suanli {
namespace {

// Fills head_dim from hidden/heads when the config does not give it.
Status DefaultHeadDim(ModelSpec& spec, const JsonMap& f, std::string_view head_dim_key) {
  if (f.Has(head_dim_key)) {
    SUANLI_ASSIGN_OR_RETURN(int64_t head_dim, f.Int(head_dim_key, 1, kMaxHidden));
    spec.head_dim = static_cast<int>(head_dim);
    return OkStatus();
  }
  if (spec.heads > 0 && spec.hidden % spec.heads != 0) {
    return MakeError(TrFormat("hidden size {} is not divisible by {} attention heads and "
                                 "head_dim is not given",
                                 spec.hidden, spec.heads),
                     f.Where("num_attention_heads"),
                     TrFormat("add \"{}\" or fix the head count", head_dim_key));
  }
  if (spec.heads > 0) spec.head_dim = static_cast<int>(spec.hidden / spec.heads);
  return OkStatus();
}

// Reads a RoPE context extension: "rope_scaling" of type ("rope_type" or
// "type") yarn, dynamic, linear or llama3 with its "factor" and
// "original_max_position_embeddings" (else the config's top-level one, else
// max_position_embeddings, transformers' default for linear and dynamic).
// Other types (default, longrope, ...) extend nothing here.
Status ReadRopeScaling(ModelSpec& spec, const JsonMap& f) {
  const JsonValue* scaling = f.Get("rope_scaling");
  if (scaling == nullptr) return OkStatus();
  if (scaling->kind != JsonValue::Kind::kObject) {
    return MakeError(Tr("'rope_scaling' must be an object"), f.Where("rope_scaling"),
                     Tr("write {\"rope_type\": \"yarn\", \"factor\": 4.0, ...}, or null"));
  }
  const JsonMap rope(*scaling, f.file_name());
  const JsonValue* type = rope.Get(rope.Has("rope_type") ? "rope_type" : "type");
  if (type == nullptr || type->kind != JsonValue::Kind::kString) return OkStatus();
  if (type->text != "yarn" && type->text != "dynamic" && type->text != "linear" && type->text != "llama3") {
    return OkStatus();
  }
  SUANLI_ASSIGN_OR_RETURN(const double factor, rope.NumberOr("factor", 1.0, 0.0, 1e4));
  SUANLI_ASSIGN_OR_RETURN(const int64_t top,
                          f.IntOr("original_max_position_embeddings", spec.max_seq_len, 0, kMaxSeq));
  SUANLI_ASSIGN_OR_RETURN(const int64_t original, rope.IntOr("original_max_position_embeddings", top, 0, kMaxSeq));
  if (factor <= 1.0 || original <= 0) return OkStatus();
  spec.rope_scaling = type->text;
  spec.rope_factor = factor;
  spec.rope_original_context = original;
  return OkStatus();
}

// The "LlamaConfig" field names shared by llama, mistral, qwen2, qwen3 and
// the dense part of qwen3_moe, mixtral, deepseek_v3 and gpt_oss.
Status ReadLlamaLike(ModelSpec& spec, const JsonMap& f) {
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
  SUANLI_RETURN_IF_ERROR(ReadRopeScaling(spec, f));
  return DefaultHeadDim(spec, f, "head_dim");
}

// Returns how many layers the config's "layer_types" marks
// "sliding_attention" (transformers 4.53+ writes the list), or `fallback`
// when it has none; a list of the wrong length is an error.
Result<int> SlidingLayerTypes(const ModelSpec& spec, const JsonMap& f, int fallback) {
  const JsonValue* types = f.Get("layer_types");
  if (types == nullptr) return fallback;
  if (types->kind != JsonValue::Kind::kArray || types->items.size() != static_cast<size_t>(spec.layers)) {
    return MakeError(TrFormat("'layer_types' must list one attention type per layer ({})", spec.layers),
                     f.Where("layer_types"), Tr("make it as long as num_hidden_layers, or remove it"));
  }
  int sliding = 0;
  for (const JsonValue& t : types->items) {
    sliding += (t.kind == JsonValue::Kind::kString && t.text == "sliding_attention") ? 1 : 0;
  }
  return sliding;
}

// Reads "sliding_window" and "layer_types" the same way in every family: a
// "layer_types" list, when present, must hold one entry per layer (checked
// even where no window is used) and says which layers are
// "sliding_attention"; without it `default_layers` of them are (the family's
// rule, as transformers' configuration class writes it). The window is used
// only when the family `enabled` it, the config gives a non-null
// sliding_window and some layer is windowed.
Status ReadSlidingWindow(ModelSpec& spec, const JsonMap& f, bool enabled, int default_layers) {
  SUANLI_ASSIGN_OR_RETURN(const int sliding, SlidingLayerTypes(spec, f, default_layers));
  if (!enabled || !f.Has("sliding_window") || sliding == 0) return OkStatus();
  SUANLI_ASSIGN_OR_RETURN(int64_t window, f.Int("sliding_window", 1, kMaxSeq));
  spec.sliding_window = static_cast<int>(window);
  spec.sliding_window_layers = sliding;
  return OkStatus();
}

// Qwen2, Qwen3 and Qwen3-MoE (transformers' Qwen2Config and its copies): the
// sliding_window is used only with use_sliding_window, and then only by the
// layers whose 0-based index is >= max_window_layers (default 28), unless
// "layer_types" lists the layers' kinds.
Status ReadQwenWindow(ModelSpec& spec, const JsonMap& f) {
  SUANLI_ASSIGN_OR_RETURN(const bool use_window, f.BoolOr("use_sliding_window", false));
  SUANLI_ASSIGN_OR_RETURN(int64_t full_layers, f.IntOr("max_window_layers", 28, 0, kMaxLayers));
  const int by_index = spec.layers > full_layers ? spec.layers - static_cast<int>(full_layers) : 0;
  return ReadSlidingWindow(spec, f, use_window, by_index);
}

// Which layers of a Llama-like family use the config's sliding_window when
// it has no "layer_types": none (LlamaConfig has no window of its own), every
// layer (Mistral), or Qwen's rule (ReadQwenWindow).
enum class WindowRule { kNone, kEveryLayer, kQwen };

// llama, mistral, qwen2, qwen3: Qwen2 has biases on q, k, v only.
Status ReadLlamaFamily(ModelSpec& spec, const JsonMap& f, bool qkv_bias, WindowRule rule) {
  SUANLI_RETURN_IF_ERROR(ReadLlamaLike(spec, f));
  if (qkv_bias) spec.qkv_bias = true;
  if (rule == WindowRule::kQwen) return ReadQwenWindow(spec, f);
  return ReadSlidingWindow(spec, f, true, rule == WindowRule::kEveryLayer ? spec.layers : 0);
}

Status ReadMixtral(ModelSpec& spec, const JsonMap& f) {
  SUANLI_RETURN_IF_ERROR(ReadLlamaLike(spec, f));
  SUANLI_ASSIGN_OR_RETURN(int64_t experts, f.Int("num_local_experts", 1, kMaxExperts));
  SUANLI_ASSIGN_OR_RETURN(int64_t topk, f.Int("num_experts_per_tok", 1, kMaxExperts));
  spec.moe.experts = static_cast<int>(experts);
  spec.moe.topk = static_cast<int>(topk);
  spec.moe.expert_ffn = spec.ffn_hidden;
  return ReadSlidingWindow(spec, f, true, spec.layers);
}

// Returns true when `value` is written as a whole number without '.' or exponent.
bool IsIntegerLiteral(const JsonValue& value, int64_t expected) {
  return value.kind == JsonValue::Kind::kNumber &&
         value.text.find_first_of(".eE") == std::string::npos &&
         value.number == static_cast<double>(expected);
}

Status ReadQwen3Moe(ModelSpec& spec, const JsonMap& f) {
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
  if (const JsonValue* dense = f.Get("mlp_only_layers")) {
    // Supported when the dense layers are a leading prefix 0..k-1.
    if (dense->kind != JsonValue::Kind::kArray) {
      return MakeError(Tr("'mlp_only_layers' must be a list of layer indices"),
                       f.Where("mlp_only_layers"));
    }
    for (size_t i = 0; i < dense->items.size(); ++i) {
      if (!IsIntegerLiteral(dense->items[i], static_cast<int64_t>(i))) {
        return MakeError(Tr("'mlp_only_layers' other than a leading prefix [0, 1, ..] is not "
                         "supported"),
                         f.Where("mlp_only_layers"), Tr("write the model as a YAML model file"));
      }
    }
    spec.moe.dense_layers = static_cast<int>(dense->items.size());
  }
  return ReadQwenWindow(spec, f);
}

Status ReadDeepSeekV3(ModelSpec& spec, const JsonMap& f) {
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
    // Node- or device-limited routing: a token's experts come from at most
    // topk_group of n_group groups (DeepSeek-V2 §2.2.2, V3 §2.1.2).
    SUANLI_ASSIGN_OR_RETURN(int64_t groups, f.IntOr("n_group", 1, 1, kMaxExperts));
    SUANLI_ASSIGN_OR_RETURN(int64_t groups_per_token, f.IntOr("topk_group", groups, 1, kMaxExperts));
    spec.moe.expert_groups = static_cast<int>(groups);
    spec.moe.groups_per_token = groups_per_token < groups ? static_cast<int>(groups_per_token) : 0;
  }
  SUANLI_ASSIGN_OR_RETURN(int64_t mtp, f.IntOr("num_nextn_predict_layers", 0, 0, kMaxLayers));
  spec.mtp_layers = static_cast<int>(mtp);
  return ReadSlidingWindow(spec, f, true, 0);
}

Status ReadGptOss(ModelSpec& spec, const JsonMap& f) {
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
  // Alternating when layer_types is absent.
  return ReadSlidingWindow(spec, f, true, spec.layers / 2);
}

// Sets a classic GPT block: `layers` layers of multi-head attention (kv
// heads = heads), a plain MLP, biases, LayerNorm and tied embeddings.
void SetGptBlock(ModelSpec& spec, int64_t layers, int64_t heads) {
  spec.layers = static_cast<int>(layers);
  spec.heads = spec.kv_heads = static_cast<int>(heads);
  spec.gated_mlp = false;
  spec.tied_embeddings = true;
  spec.qkv_bias = spec.mlp_bias = true;
  spec.norm = NormKind::kLayerNorm;
}

Status ReadGpt2(ModelSpec& spec, const JsonMap& f) {
  SUANLI_ASSIGN_OR_RETURN(int64_t layers, f.Int("n_layer", 1, kMaxLayers));
  SUANLI_ASSIGN_OR_RETURN(spec.hidden, f.Int("n_embd", 1, kMaxHidden));
  SUANLI_ASSIGN_OR_RETURN(int64_t heads, f.Int("n_head", 1, kMaxHeads));
  SUANLI_ASSIGN_OR_RETURN(spec.vocab, f.Int("vocab_size", 1, kMaxVocab));
  SUANLI_ASSIGN_OR_RETURN(spec.max_seq_len, f.AnyInt({"n_positions", "n_ctx"}, 1, kMaxSeq));
  SUANLI_ASSIGN_OR_RETURN(spec.ffn_hidden, f.IntOr("n_inner", 4 * spec.hidden, 1, kMaxFfn));
  SetGptBlock(spec, layers, heads);
  spec.learned_positions = true;
  SUANLI_RETURN_IF_ERROR(DefaultHeadDim(spec, f, "head_dim"));
  return ReadSlidingWindow(spec, f, true, 0);
}

Status ReadGptNeox(ModelSpec& spec, const JsonMap& f) {
  SUANLI_ASSIGN_OR_RETURN(int64_t layers, f.Int("num_hidden_layers", 1, kMaxLayers));
  SUANLI_ASSIGN_OR_RETURN(spec.hidden, f.Int("hidden_size", 1, kMaxHidden));
  SUANLI_ASSIGN_OR_RETURN(int64_t heads, f.Int("num_attention_heads", 1, kMaxHeads));
  SUANLI_ASSIGN_OR_RETURN(spec.vocab, f.Int("vocab_size", 1, kMaxVocab));
  SUANLI_ASSIGN_OR_RETURN(spec.ffn_hidden,
                          f.IntOr("intermediate_size", 4 * spec.hidden, 1, kMaxFfn));
  SUANLI_ASSIGN_OR_RETURN(spec.max_seq_len, f.IntOr("max_position_embeddings", 0, 0, kMaxSeq));
  SUANLI_ASSIGN_OR_RETURN(bool tied, f.BoolOr("tie_word_embeddings", false));
  SUANLI_ASSIGN_OR_RETURN(bool bias, f.BoolOr("attention_bias", true));
  SetGptBlock(spec, layers, heads);
  spec.tied_embeddings = tied;
  spec.qkv_bias = bias;
  SUANLI_RETURN_IF_ERROR(ReadRopeScaling(spec, f));
  SUANLI_RETURN_IF_ERROR(DefaultHeadDim(spec, f, "head_dim"));
  return ReadSlidingWindow(spec, f, true, 0);
}

Status ReadBloom(ModelSpec& spec, const JsonMap& f) {
  SUANLI_ASSIGN_OR_RETURN(int64_t layers, f.AnyInt({"n_layer", "num_hidden_layers"}, 1,
                                                   kMaxLayers));
  SUANLI_ASSIGN_OR_RETURN(spec.hidden, f.AnyInt({"hidden_size", "n_embed"}, 1, kMaxHidden));
  SUANLI_ASSIGN_OR_RETURN(int64_t heads, f.AnyInt({"n_head", "num_attention_heads"}, 1,
                                                  kMaxHeads));
  SUANLI_ASSIGN_OR_RETURN(spec.vocab, f.Int("vocab_size", 1, kMaxVocab));
  SUANLI_ASSIGN_OR_RETURN(spec.max_seq_len, f.IntOr("seq_length", 2048, 1, kMaxSeq));
  SetGptBlock(spec, layers, heads);  // ALiBi: no position embedding table
  spec.ffn_hidden = 4 * spec.hidden;  // BLOOM MLP: 4h (BigScience, arXiv 2211.05100 Table 3)
  SUANLI_RETURN_IF_ERROR(DefaultHeadDim(spec, f, "head_dim"));
  return ReadSlidingWindow(spec, f, true, 0);
}

Status ReadMpt(ModelSpec& spec, const JsonMap& f) {
  SUANLI_ASSIGN_OR_RETURN(int64_t layers, f.Int("n_layers", 1, kMaxLayers));
  SUANLI_ASSIGN_OR_RETURN(spec.hidden, f.Int("d_model", 1, kMaxHidden));
  SUANLI_ASSIGN_OR_RETURN(int64_t heads, f.Int("n_heads", 1, kMaxHeads));
  SUANLI_ASSIGN_OR_RETURN(spec.vocab, f.Int("vocab_size", 1, kMaxVocab));
  SUANLI_ASSIGN_OR_RETURN(spec.max_seq_len, f.IntOr("max_seq_len", 2048, 1, kMaxSeq));
  SUANLI_ASSIGN_OR_RETURN(double ratio, f.NumberOr("expansion_ratio", 4.0, 0.01, 1000.0));
  SUANLI_ASSIGN_OR_RETURN(bool no_bias, f.BoolOr("no_bias", true));
  SetGptBlock(spec, layers, heads);
  spec.ffn_hidden = static_cast<int64_t>(std::llround(ratio * static_cast<double>(spec.hidden)));
  spec.qkv_bias = spec.mlp_bias = !no_bias;
  // MPT's LayerNorm has no bias with no_bias: count it like an RMSNorm (h weights).
  spec.norm = no_bias ? NormKind::kRmsNorm : NormKind::kLayerNorm;
  SUANLI_RETURN_IF_ERROR(DefaultHeadDim(spec, f, "head_dim"));
  return ReadSlidingWindow(spec, f, true, 0);
}

// Gemma 2 and Gemma 3 text (Gemma2Config, Gemma3TextConfig): Llama-like with an
// explicit head_dim, a GeGLU gated MLP (3 matrices, as SwiGLU), tied
// embeddings by default and local sliding-window layers: without
// "layer_types", layer i is windowed when (i + 1) % pattern != 0 (Gemma 2:
// every other layer, pattern 2; Gemma 3: sliding_window_pattern, default 6,
// five local to one global). Logit softcapping and the extra norms change no
// matrix FLOPs.
Status ReadGemma(ModelSpec& spec, const JsonMap& f, int64_t default_pattern) {
  SUANLI_RETURN_IF_ERROR(ReadLlamaLike(spec, f));
  SUANLI_ASSIGN_OR_RETURN(spec.tied_embeddings, f.BoolOr("tie_word_embeddings", true));
  SUANLI_ASSIGN_OR_RETURN(const int64_t pattern,
                          f.IntOr("sliding_window_pattern", default_pattern, 1, kMaxLayers));
  const int global = spec.layers / static_cast<int>(pattern);
  return ReadSlidingWindow(spec, f, true, spec.layers - global);
}

// InternLM2 (remote-code InternLM2Config): Llama-like with a fused wqkv; its
// "bias" (default true) puts biases on wqkv, wo and the MLP.
Status ReadInternLm2(ModelSpec& spec, const JsonMap& f) {
  SUANLI_RETURN_IF_ERROR(ReadLlamaLike(spec, f));
  SUANLI_ASSIGN_OR_RETURN(const bool bias, f.BoolOr("bias", true));
  spec.qkv_bias = spec.mlp_bias = bias;
  return ReadSlidingWindow(spec, f, true, 0);
}

// GLM-4 in transformers (GlmConfig, Glm4Config): Llama-like with a fused
// gate_up MLP and biases on q, k, v ("attention_bias", default true);
// partial rotary changes no FLOPs.
Status ReadGlm(ModelSpec& spec, const JsonMap& f) {
  SUANLI_RETURN_IF_ERROR(ReadLlamaLike(spec, f));
  SUANLI_ASSIGN_OR_RETURN(spec.qkv_bias, f.BoolOr("attention_bias", true));
  return ReadSlidingWindow(spec, f, true, 0);
}

// ChatGLM2/3 and glm-4-9b's remote-code ChatGLMConfig: num_layers,
// ffn_hidden_size, kv_channels (head_dim), multi_query_group_num (kv heads
// when multi_query_attention), padded_vocab_size, seq_length, add_qkv_bias,
// add_bias_linear; a SwiGLU MLP and an untied output layer.
Status ReadChatGlm(ModelSpec& spec, const JsonMap& f) {
  SUANLI_ASSIGN_OR_RETURN(int64_t layers, f.Int("num_layers", 1, kMaxLayers));
  SUANLI_ASSIGN_OR_RETURN(spec.hidden, f.Int("hidden_size", 1, kMaxHidden));
  SUANLI_ASSIGN_OR_RETURN(int64_t heads, f.Int("num_attention_heads", 1, kMaxHeads));
  SUANLI_ASSIGN_OR_RETURN(const bool mqa, f.BoolOr("multi_query_attention", false));
  SUANLI_ASSIGN_OR_RETURN(int64_t groups, f.IntOr("multi_query_group_num", heads, 1, kMaxHeads));
  SUANLI_ASSIGN_OR_RETURN(spec.ffn_hidden, f.Int("ffn_hidden_size", 1, kMaxFfn));
  SUANLI_ASSIGN_OR_RETURN(spec.vocab, f.Int("padded_vocab_size", 1, kMaxVocab));
  SUANLI_ASSIGN_OR_RETURN(spec.max_seq_len, f.IntOr("seq_length", 0, 0, kMaxSeq));
  SUANLI_ASSIGN_OR_RETURN(spec.qkv_bias, f.BoolOr("add_qkv_bias", false));
  SUANLI_ASSIGN_OR_RETURN(spec.mlp_bias, f.BoolOr("add_bias_linear", false));
  SUANLI_ASSIGN_OR_RETURN(spec.tied_embeddings, f.BoolOr("tie_word_embeddings", false));
  spec.layers = static_cast<int>(layers);
  spec.heads = static_cast<int>(heads);
  spec.kv_heads = static_cast<int>(mqa ? groups : heads);
  spec.gated_mlp = true;
  spec.norm = NormKind::kRmsNorm;
  SUANLI_RETURN_IF_ERROR(DefaultHeadDim(spec, f, "kv_channels"));
  return ReadSlidingWindow(spec, f, true, 0);
}

constexpr HfFamily kFamilies[] = {
    {"llama", "LlamaForCausalLM",
     [](ModelSpec& s, const JsonMap& f) { return ReadLlamaFamily(s, f, false, WindowRule::kNone); }},
    {"mistral", "MistralForCausalLM",
     [](ModelSpec& s, const JsonMap& f) { return ReadLlamaFamily(s, f, false, WindowRule::kEveryLayer); }},
    {"qwen2", "Qwen2ForCausalLM",
     [](ModelSpec& s, const JsonMap& f) { return ReadLlamaFamily(s, f, true, WindowRule::kQwen); }},
    {"qwen3", "Qwen3ForCausalLM",
     [](ModelSpec& s, const JsonMap& f) { return ReadLlamaFamily(s, f, false, WindowRule::kQwen); }},
    {"qwen3_moe", "Qwen3MoeForCausalLM", ReadQwen3Moe},
    {"mixtral", "MixtralForCausalLM", ReadMixtral},
    {"deepseek_v3", "DeepseekV3ForCausalLM", ReadDeepSeekV3},
    {"gpt_oss", "GptOssForCausalLM", ReadGptOss},
    {"gpt2", "GPT2LMHeadModel", ReadGpt2},
    {"gpt_neox", "GPTNeoXForCausalLM", ReadGptNeox},
    {"bloom", "BloomForCausalLM", ReadBloom},
    {"mpt", "MptForCausalLM", ReadMpt},
    {"gemma2", "Gemma2ForCausalLM", [](ModelSpec& s, const JsonMap& f) { return ReadGemma(s, f, 2); }},
    {"gemma3_text", "Gemma3ForCausalLM", [](ModelSpec& s, const JsonMap& f) { return ReadGemma(s, f, 6); }},
    // Phi-3 fuses qkv_proj and gate_up_proj (the same matrices); its window is on every layer.
    {"phi3", "Phi3ForCausalLM",
     [](ModelSpec& s, const JsonMap& f) { return ReadLlamaFamily(s, f, false, WindowRule::kEveryLayer); }},
    // OLMo 2: Llama-like with q/k norms (2 vectors a layer, not counted).
    {"olmo2", "Olmo2ForCausalLM",
     [](ModelSpec& s, const JsonMap& f) { return ReadLlamaFamily(s, f, false, WindowRule::kNone); }},
    {"internlm2", "InternLM2ForCausalLM", ReadInternLm2},
    {"glm", "GlmForCausalLM", ReadGlm},
    {"glm4", "Glm4ForCausalLM", ReadGlm},
    {"chatglm", "ChatGLMModel", ReadChatGlm},
};

}  // namespace

std::span<const HfFamily> HfFamilies() { return kFamilies; }

const HfFamily* FindHfFamily(std::string_view model_type) {
  for (const HfFamily& family : kFamilies) {
    if (family.model_type == model_type) return &family;
  }
  return nullptr;
}

const HfFamily* FindHfFamilyByArchitecture(std::string_view architecture) {
  for (const HfFamily& family : kFamilies) {
    if (family.architecture == architecture) return &family;
  }
  return nullptr;
}

std::string SupportedHfFamilies() {
  std::string out;
  for (const HfFamily& family : kFamilies) {
    if (!out.empty()) out += ", ";
    out += family.model_type;
  }
  return out;
}

}  // namespace suanli
