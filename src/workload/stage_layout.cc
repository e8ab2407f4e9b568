// Pipeline-stage layout of layers and parameters; see stage_layout.h for the split rule.
#include "workload/stage_layout.h"

#include <algorithm>

namespace suanli {
namespace {

double NormParamsOf(const ModelSpec& m, double width) {
  return m.norm == NormKind::kLayerNorm ? 2.0 * width : width;
}

}  // namespace

StageLayout::StageLayout(const ModelSpec& model, int tp, int pp, int ep, int expert_tp)
    : model_(&model), tp_(std::max(1, tp)), pp_(std::max(1, pp)), ep_(std::max(1, ep)),
      expert_tp_(std::max(1, expert_tp)) {}

StageLayout::StageLayout(const ModelSpec& model, const ParallelConfig& config)
    : StageLayout(model, config.tp, config.pp, config.ep, config.ExpertTp()) {}

int StageLayout::FirstLayer(int stage) const {
  const int base = model_->layers / pp_;
  return stage * base + std::min(stage, model_->layers % pp_);
}

int StageLayout::Layers(int stage) const {
  return model_->layers / pp_ + (stage < model_->layers % pp_ ? 1 : 0);
}

int StageLayout::MaxLayers() const { return Layers(0); }

int StageLayout::MoeLayers(int stage) const {
  if (!model_->IsMoe()) return 0;
  int count = 0;
  const int first = FirstLayer(stage);
  for (int i = first; i < first + Layers(stage); ++i) count += model_->IsMoeLayer(i) ? 1 : 0;
  return count;
}

int StageLayout::SlowestStage() const {
  if (!model_->IsMoe()) return 0;
  int slowest = 0;
  for (int s = 1; s < pp_; ++s) {
    const int moe = MoeLayers(s), best_moe = MoeLayers(slowest);
    if (moe > best_moe || (moe == best_moe && Layers(s) > Layers(slowest))) slowest = s;
  }
  return slowest;
}

int StageLayout::LargestChunkLayers(int stage, int vp) const {
  const int chunks = std::max(1, vp);
  return (Layers(stage) + chunks - 1) / chunks;
}

bool StageLayout::SameLayerKinds(int a, int b) const {
  if (Layers(a) != Layers(b)) return false;
  if (!model_->IsMoe()) return true;
  const int x = FirstLayer(a), y = FirstLayer(b);
  for (int i = 0; i < Layers(a); ++i) {
    if (model_->IsMoeLayer(x + i) != model_->IsMoeLayer(y + i)) return false;
  }
  return true;
}

StageParams StageLayout::ParamsPerRank(int stage) const {
  const ModelSpec& m = *model_;
  StageParams p;
  const double tp = tp_;
  const double h = static_cast<double>(m.hidden);
  const double layer_norms = 2.0 * NormParamsOf(m, h);  // replicated over tp
  const double attention = AttentionParamsPerLayer(m);
  double attention_replicated = 0;
  if (m.use_mla) {
    // Megatron-Core MLA keeps the down projections W^DQ, W^DKV (+W^KR) and
    // their norms whole on every tensor-parallel rank.
    const MlaSpec& a = m.mla;
    if (a.q_lora_rank > 0) attention_replicated += h * a.q_lora_rank + NormParamsOf(m, a.q_lora_rank);
    attention_replicated += h * (a.kv_lora_rank + a.qk_rope_head_dim) + NormParamsOf(m, a.kv_lora_rank);
  }
  const double attention_per_rank = (attention - attention_replicated) / tp + attention_replicated;
  const double dense_mlp = DenseMlpParamsPerLayer(m) / tp;
  const double shared_ffn = static_cast<double>(m.moe.shared_expert_ffn > 0 ? m.moe.shared_expert_ffn
                                                                            : m.moe.expert_ffn);
  const double gated = m.gated_mlp ? 3.0 : 2.0;
  const double shared = m.moe.shared_experts * gated * h * shared_ffn / tp;
  const double router = h * m.moe.experts;
  const double routed = m.IsMoe() ? m.moe.experts * ExpertParams(m) / (static_cast<double>(ep_) * expert_tp_)
                                  : 0.0;

  // A layer's parameters depend only on whether it is an MoE layer.
  const int moe_layers = MoeLayers(stage);
  const int dense_layers = Layers(stage) - moe_layers;
  const double dense_layer = attention_per_rank + layer_norms + dense_mlp;
  const double moe_layer = attention_per_rank + layer_norms + shared + router;
  p.dense = dense_layers * dense_layer + moe_layers * moe_layer;
  p.expert = moe_layers * routed;
  p.embedding = dense_layers * layer_norms + moe_layers * (router + layer_norms);
  if (dense_layers > 0) p.largest_layer = dense_layer;
  if (moe_layers > 0) p.largest_layer = std::max(p.largest_layer, moe_layer + routed);
  const double vocab = static_cast<double>(m.vocab);
  if (HoldsEmbedding(stage)) {
    // Vocab-parallel input embedding (Megatron), learned positions replicated.
    double embed = vocab * h / tp;
    if (m.learned_positions) embed += static_cast<double>(m.max_seq_len) * h;
    p.dense += embed;
    p.embedding += embed;
  }
  if (HoldsOutputHead(stage)) {
    // Output layer: untied, or a tied copy kept on the last stage when pp > 1.
    double out = NormParamsOf(m, h);
    if (!m.tied_embeddings || pp_ > 1) out += vocab * h / tp;
    p.dense += out;
    p.embedding += out;
  }
  return p;
}

}  // namespace suanli
