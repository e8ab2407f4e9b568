// Parameter counts of transformer language models, bias and norm parameters
// included. Layouts follow the reference implementations: Llama (Touvron et
// al. 2023, arXiv 2307.09288 §2), GPT-3 (Brown et al. 2020, Table 2.1, GPT-2
// code layout), Mixtral (arXiv 2401.04088), DeepSeek-V2/V3 MLA (arXiv
// 2405.04434 §2.1, 2412.19437 §2.1).
#include "workload/model_spec.h"

namespace suanli {
namespace {

// Returns parameters of one norm over `width` features (LayerNorm has a bias).
double NormParams(const ModelSpec& spec, double width) {
  return spec.norm == NormKind::kLayerNorm ? 2.0 * width : width;
}

// Returns parameters of an FFN with inner width `ffn`: gated (SwiGLU) has
// gate, up and down matrices (3·h·f), plain has up and down (2·h·f); biases
// add f per input matrix and h for the output matrix.
double FfnParams(const ModelSpec& spec, double ffn) {
  const double h = static_cast<double>(spec.hidden);
  const double in_matrices = spec.gated_mlp ? 2.0 : 1.0;
  double params = (in_matrices + 1.0) * h * ffn;
  if (spec.mlp_bias) params += in_matrices * ffn + h;
  return params;
}

}  // namespace

double AttentionParamsPerLayer(const ModelSpec& spec) {
  const double h = static_cast<double>(spec.hidden);
  const double heads = spec.heads;
  if (spec.use_mla) {
    // DeepSeek-V2 §2.1.2: W^DQ (h×q_lora) + norm, W^UQ/W^QR (q_lora × heads·(nope+rope)),
    // W^DKV + W^KR (h × (kv_lora+rope)) + norm, W^UK/W^UV (kv_lora × heads·(nope+v)),
    // W^O (heads·v × h).
    const MlaSpec& m = spec.mla;
    const double q_width = heads * (m.qk_nope_head_dim + m.qk_rope_head_dim);
    double params = 0;
    if (m.q_lora_rank > 0) {
      params += h * m.q_lora_rank + NormParams(spec, m.q_lora_rank) +
                static_cast<double>(m.q_lora_rank) * q_width;
    } else {
      params += h * q_width;
    }
    params += h * (m.kv_lora_rank + m.qk_rope_head_dim) + NormParams(spec, m.kv_lora_rank);
    params += static_cast<double>(m.kv_lora_rank) * heads * (m.qk_nope_head_dim + m.v_head_dim);
    params += heads * m.v_head_dim * h;
    return params;
  }
  const double q_width = heads * spec.head_dim;
  const double kv_width = static_cast<double>(spec.kv_heads) * spec.head_dim;
  double params = h * q_width + 2.0 * h * kv_width + q_width * h;
  if (spec.qkv_bias) params += q_width + 2.0 * kv_width;
  // Output-projection bias: present in the all-bias families (GPT-2/3, BLOOM,
  // GPT-NeoX, gpt-oss), i.e. when both qkv and MLP biases are on; Qwen2 has
  // qkv biases only.
  if (spec.qkv_bias && spec.mlp_bias) params += h;
  return params;
}

double DenseMlpParamsPerLayer(const ModelSpec& spec) {
  return FfnParams(spec, static_cast<double>(spec.ffn_hidden));
}

double ExpertParams(const ModelSpec& spec) {
  return FfnParams(spec, static_cast<double>(spec.moe.expert_ffn));
}

ParamCounts CountParams(const ModelSpec& spec) {
  ParamCounts counts;
  const double h = static_cast<double>(spec.hidden);
  const double vocab = static_cast<double>(spec.vocab);
  counts.embedding = vocab * h;
  if (spec.learned_positions) counts.embedding += static_cast<double>(spec.max_seq_len) * h;
  counts.output = spec.tied_embeddings ? 0.0 : vocab * h;

  const int moe_layers = spec.MoeLayerCount();
  const int dense_layers = spec.layers - moe_layers;
  counts.attention = spec.layers * AttentionParamsPerLayer(spec);
  counts.dense_mlp = dense_layers * DenseMlpParamsPerLayer(spec);
  const double expert = ExpertParams(spec);
  if (moe_layers > 0) {
    counts.experts = static_cast<double>(moe_layers) * spec.moe.experts * expert;
    const double shared_ffn = static_cast<double>(
        spec.moe.shared_expert_ffn > 0 ? spec.moe.shared_expert_ffn : spec.moe.expert_ffn);
    counts.shared_experts =
        static_cast<double>(moe_layers) * spec.moe.shared_experts * FfnParams(spec, shared_ffn);
    // Router: a linear h → experts (with a bias in the all-bias families).
    counts.router = static_cast<double>(moe_layers) *
                    (h * spec.moe.experts + (spec.mlp_bias ? spec.moe.experts : 0.0));
  }
  // Two norms per layer (pre-attention, pre-FFN) and the final norm.
  counts.norms = (2.0 * spec.layers + 1.0) * NormParams(spec, h);

  counts.total = counts.embedding + counts.output + counts.attention + counts.dense_mlp +
                 counts.experts + counts.shared_experts + counts.router + counts.norms;
  // Active: the parameters a token's forward pass multiplies by, as model
  // FLOPs count them (model/model_flops.h: 6·P_active + 6·V·h): the input
  // embedding and a learned position table are looked up, not multiplied, so
  // they are left out (OpenAI's 5.13B for gpt-oss-120b leaves them out); a
  // tied embedding still counts once as the output projection.
  counts.active = counts.total - counts.embedding + (spec.tied_embeddings ? vocab * h : 0.0);
  if (moe_layers > 0) {
    counts.active -= static_cast<double>(moe_layers) * (spec.moe.experts - spec.moe.topk) * expert;
  }
  return counts;
}

}  // namespace suanli
