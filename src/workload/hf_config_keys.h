// The config.json keys suanli knows: those its family readers read, and the
// legitimate Hugging Face keys it deliberately ignores (no effect on size or
// FLOPs). A key in neither list that is a near-miss of a read key gets a note
// (ImportHfConfig); a key in neither list that is near nothing is left alone.
#pragma once

#include <string_view>

namespace suanli {

// Every top-level key some family reader of hf_families.cc (or hf_quant.cc) reads.
inline constexpr std::string_view kHfReadKeys[] = {
    "model_type", "architectures", "quantization_config", "num_hidden_layers", "hidden_size",
    "num_attention_heads", "num_key_value_heads", "vocab_size", "intermediate_size",
    "max_position_embeddings", "tie_word_embeddings", "attention_bias", "mlp_bias", "head_dim",
    "rope_scaling", "original_max_position_embeddings", "layer_types", "sliding_window",
    "use_sliding_window", "max_window_layers", "sliding_window_pattern", "num_local_experts",
    "num_experts_per_tok", "num_experts", "moe_intermediate_size", "decoder_sparse_step",
    "mlp_only_layers", "q_lora_rank", "kv_lora_rank", "qk_nope_head_dim", "qk_rope_head_dim",
    "v_head_dim", "n_routed_experts", "n_shared_experts", "first_k_dense_replace", "moe_layer_freq",
    "n_group", "topk_group", "num_nextn_predict_layers", "experts_per_token", "n_layer", "n_embd",
    "n_head", "n_positions", "n_ctx", "n_inner", "n_embed", "seq_length", "n_layers", "d_model",
    "n_heads", "max_seq_len", "expansion_ratio", "no_bias", "bias", "num_layers",
    "ffn_hidden_size", "kv_channels", "multi_query_group_num", "multi_query_attention",
    "padded_vocab_size", "add_qkv_bias", "add_bias_linear", "text_config",
};

// Keys of transformers' configuration classes (PretrainedConfig in
// configuration_utils.py and the family classes LlamaConfig, MistralConfig,
// Qwen2/3Config, MixtralConfig, DeepseekV3Config, GptOssConfig, GPT2Config,
// GPTNeoXConfig, BloomConfig, MptConfig, Gemma2/3Config, Phi3Config,
// Olmo2Config, GlmConfig; InternLM2's and ChatGLM's remote-code configs) that
// change neither parameters nor FLOPs here: tokens, dtypes, dropout, norms'
// epsilon, RoPE base, softcapping, routing losses. Never warned about.
inline constexpr std::string_view kHfIgnoredKeys[] = {
    "_name_or_path", "auto_map", "bos_token_id", "eos_token_id", "pad_token_id", "sep_token_id",
    "decoder_start_token_id", "torch_dtype", "dtype", "transformers_version", "use_cache",
    "hidden_act", "hidden_activation", "activation_function", "initializer_range",
    "initializer_factor", "rms_norm_eps", "layer_norm_eps", "layer_norm_epsilon", "layernorm_epsilon",
    "rope_theta", "rope_parameters", "rope_local_base_freq", "rope_ratio", "rotary_pct",
    "rotary_emb_base", "rotary_dim", "partial_rotary_factor", "rope_interleave", "attention_dropout",
    "attn_dropout", "hidden_dropout", "embd_pdrop", "emb_pdrop", "resid_pdrop", "attn_pdrop",
    "summary_type", "summary_use_proj", "summary_activation", "summary_proj_to_labels",
    "summary_first_dropout", "pretraining_tp", "output_attentions", "output_hidden_states",
    "return_dict", "is_encoder_decoder", "is_decoder", "tie_encoder_decoder",
    "chunk_size_feed_forward", "problem_type", "id2label", "label2id", "task_specific_params",
    "attn_logit_softcapping", "final_logit_softcapping", "query_pre_attn_scalar",
    "cache_implementation", "router_aux_loss_coef", "output_router_logits", "router_jitter_noise",
    "aux_loss_alpha", "ep_size", "norm_topk_prob", "routed_scaling_factor", "scoring_func",
    "seq_aux", "topk_method", "swiglu_limit", "scale_attn_weights", "reorder_and_upcast_attn",
    "scale_attn_by_inverse_layer_idx", "use_parallel_residual", "classifier_dropout",
    "apply_residual_connection_post_layernorm", "slow_but_exact", "masked_softmax_fusion",
    "attn_config", "init_config", "ffn_config", "learned_pos_emb", "logit_scale", "norm_type",
    "init_device", "verbose", "clip_qkv", "use_sliding_window_attention", "shared_expert_intermediate_size",
    "use_qk_norm", "qk_layernorm", "attention_softmax_in_fp32", "apply_query_key_layer_scaling",
    "fp32_residual_connection", "post_layer_norm", "rmsnorm", "original_rope", "quantization_bit",
    "pre_seq_len", "prefix_projection", "vision_config", "mm_tokens_per_image", "boi_token_index",
    "eoi_token_index", "image_token_index", "use_bidirectional_attention",
};

}  // namespace suanli
