// One engine iteration priced with the training model's primitives: every
// GEMM is model/roofline.h's GemmTime (weights read once per iteration, so
// small decode batches are bandwidth-bound and large ones compute-bound), the
// projections come from model/attention_time.h, all-reduces and pipeline
// sends from model/collectives.h. docs/serving.md derives each term.
#include "serve/iteration.h"
#include "core/i18n.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "model/attention_time.h"
#include "model/collectives.h"
#include "model/memory.h"
#include "workload/stage_layout.h"

namespace suanli {

double SpeculativeSpec::TokensPerStep() const {
  if (draft_tokens <= 0) return 1.0;
  const double a = std::clamp(acceptance, 0.0, 1.0);
  if (a >= 1.0) return draft_tokens + 1.0;
  // Leviathan et al. 2023 (arXiv 2211.17192) eq. 1: expected tokens per
  // verify step with k drafts each accepted with probability α.
  return (1.0 - std::pow(a, draft_tokens + 1.0)) / (1.0 - a);
}

double WeightOnlyBandwidthFactor(const EngineSpec& engine, Precision weights) {
  const bool weight_only = weights == Precision::kInt4 || weights == Precision::kInt8;
  return weight_only ? engine.weight_only_bandwidth : 1.0;
}

double BusiestGroupShare(int seqs, int groups) {
  groups = std::max(1, groups);
  if (seqs <= 0) return 1.0 / groups;  // no sequence count: an even split
  // Round-robin (or least-loaded) placement of whole requests: the busiest
  // group holds ceil(n / d) of the n sequences.
  return std::ceil(static_cast<double>(seqs) / groups) / seqs;
}

double DistinctExperts(double experts, double topk, double tokens) {
  if (experts <= 0 || tokens <= 0) return 0;
  // Each token copy misses a given expert with probability 1 − k/E; over T
  // tokens the expert stays untouched with probability (1 − k/E)^T.
  return experts * (1.0 - std::pow(1.0 - std::min(1.0, topk / experts), tokens));
}

Result<IterationModel> IterationModel::Make(const ModelSpec& model, const ClusterSpec& cluster,
                                            const ServingLayout& layout, const EngineSpec& engine,
                                            const PerfAssumptions& assumptions) {
  const Accelerator& acc = *cluster.accelerator;
  if (layout.tp < 1 || model.heads % layout.tp != 0) {
    return MakeError(TrFormat("tp {} does not divide the {} attention heads", layout.tp, model.heads), "--tp");
  }
  if (layout.tp > std::max(1, cluster.scale_up_domain)) {
    return MakeError(TrFormat("tp {} exceeds the scale-up domain of {} devices", layout.tp,
                                 cluster.scale_up_domain), "--tp");
  }
  if (layout.pp < 1 || layout.pp > model.layers) {
    return MakeError(TrFormat("pp {} must be between 1 and the {} layers", layout.pp, model.layers), "--pp");
  }
  const int stage_devices = layout.tp * std::max(1, layout.dp_attention);
  if (layout.dp_attention < 1 || layout.ep < 1 || stage_devices % layout.ep != 0 ||
      (layout.ep > 1 && model.moe.experts < layout.ep)) {
    return MakeError(TrFormat("ep {} must not exceed the experts and must divide tp x dp-attention ({} devices)", layout.ep,
                              stage_devices),
                     "--ep");
  }
  if (layout.speculative.draft_tokens < 0 || layout.speculative.acceptance < 0 ||
      layout.speculative.acceptance > 1) {
    return MakeError(Tr("speculative decoding needs k >= 0 drafts and an acceptance rate in [0, 1]"),
                     "--speculative");
  }
  SUANLI_RETURN_IF_ERROR(engine.CheckFormats(layout.weights, layout.kv));
  SUANLI_RETURN_IF_ERROR(engine.CheckRunsOn(acc));
  SUANLI_RETURN_IF_ERROR(CheckClusterLinks(cluster, layout.Devices()));
  IterationModel m;
  m.model_ = &model;
  m.cluster_ = cluster;
  m.layout_ = layout;
  m.engine_ = &engine;
  m.assumptions_ = assumptions;
  // fp8 weights run fp8 GEMMs (W8A8) where the part has them; int8/int4
  // weights are dequantised in the kernel and run at the 16-bit rate
  // (W8A16/W4A16, e.g. Marlin); every format reads its own bytes per weight.
  ParallelConfig rates_config;
  rates_config.tp = layout.tp;
  rates_config.precision = layout.weights == Precision::kFp8 ? Precision::kFp8 : Precision::kBf16;
  m.rates_ = MakeRates(acc, rates_config, assumptions);
  m.rates_.gemm.element_bytes = ServingWeightBytes(layout.weights);
  m.rates_.grouped.element_bytes = m.rates_.gemm.element_bytes;
  // Weight-only kernels dequantise in registers; the engine's kernels reach a
  // fraction of the HBM rate when bandwidth-bound (data/engines.yaml).
  const double weight_only = WeightOnlyBandwidthFactor(engine, layout.weights);
  m.rates_.gemm.hbm_Bps *= weight_only;
  m.rates_.grouped.hbm_Bps *= weight_only;
  m.expert_tp_ = static_cast<double>(stage_devices) / layout.ep;
  m.verify_tokens_ = layout.speculative.draft_tokens + 1.0;
  m.fabric_ = MakeFabric(cluster, assumptions);
  const StageLayout stages(model, layout.tp, layout.pp, /*ep=*/1, /*expert_tp=*/layout.tp);
  const int slowest = stages.SlowestStage();
  m.stage_layers_ = stages.Layers(slowest);
  m.stage_moe_layers_ = stages.MoeLayers(slowest);
  m.kv_bytes_per_token_layer_ = LayerKvBytesPerToken(model, layout.tp, BytesPerElement(layout.kv));
  const double heads_local = static_cast<double>(model.heads) / layout.tp;
  double head_dim = model.head_dim;
  if (model.use_mla) {
    const MlaSpec& a = model.mla;
    // Prefill runs MLA un-absorbed: scores over nope+rope dims, values over v dims.
    m.attention_flops_per_pair_ = 2.0 * heads_local * (a.qk_nope_head_dim + a.qk_rope_head_dim + a.v_head_dim);
    // Decode absorbs the up-projections (DeepSeek-V2 §2.1.2): every head
    // attends over the cached latent (kv_lora + rope) and sums latents.
    m.decode_flops_per_context_ = 2.0 * heads_local * (2.0 * a.kv_lora_rank + a.qk_rope_head_dim);
    head_dim = 0.5 * (a.qk_nope_head_dim + a.qk_rope_head_dim + a.v_head_dim);
  } else {
    m.attention_flops_per_pair_ = 4.0 * heads_local * model.head_dim;  // QKᵀ and PV, 2 FLOPs each
    m.decode_flops_per_context_ = m.attention_flops_per_pair_;
  }
  m.attention_rate_flops_ = m.rates_.bf16.gemm_flops * AttentionEfficiency(assumptions, head_dim);
  return m;
}

double IterationModel::ExpertSeconds(double tokens) const {
  const ModelSpec& m = *model_;
  const double h = static_cast<double>(m.hidden);
  const double gated = m.gated_mlp ? 2.0 : 1.0;
  // Experts are spread over ep ranks and each split over the other
  // tp·dp/ep ranks of the stage; every rank computes its own experts' rows.
  const double ffn = static_cast<double>(m.moe.expert_ffn) / expert_tp_;
  const double copies = tokens * m.moe.topk;
  const double groups = DistinctExperts(m.moe.experts, m.moe.topk, tokens);
  if (groups <= 0) return 0;
  const double rows = copies / groups;
  const double local = std::max(1.0, groups / layout_.ep);
  // Up (gate and up) and down projections of the experts touched, as grouped GEMMs.
  return GroupedGemmTime(local, rows, gated * ffn, h, rates_.grouped) +
         GroupedGemmTime(local, rows, h, ffn, rates_.grouped);
}

double IterationModel::AttentionSeconds(const BatchWork& work) const {
  const double overhead = rates_.bf16.kernel_overhead_s;
  double seconds = 0;
  if (work.decode_seqs > 0) {
    // Paged decode attention streams each sequence's cached K and V once.
    const double bytes = work.decode_context_tokens * kv_bytes_per_token_layer_;
    const double flops = work.decode_context_tokens * decode_flops_per_context_ * verify_tokens_;
    seconds += std::max(bytes / rates_.bf16.hbm_Bps, flops / attention_rate_flops_) + overhead;
  }
  if (work.prefill_tokens > 0) {
    // Flash attention over the causal pairs of every chunk (earlier chunks' keys included).
    seconds += work.prefill_attention_pairs * attention_flops_per_pair_ / attention_rate_flops_ + overhead;
  }
  return seconds;
}

double IterationModel::AllReduceSeconds(double tokens) const {
  if (layout_.tp <= 1) return 0;
  // Megatron TP: one all-reduce of the bf16 activations after attention and one after the MLP.
  const double bytes = tokens * static_cast<double>(model_->hidden) * 2.0;
  return 2.0 * RingAllReduceTime(bytes, layout_.tp, fabric_.up_Bps, fabric_.up_latency_s);
}

double IterationModel::AllToAllSeconds(double group_tokens) const {
  if (layout_.ep <= 1) return 0;
  // Expert parallelism: every MoE layer dispatches each token to its top-k
  // experts' ranks and combines the results back (DeepSeek-V3 report §3.2:
  // fp8 dispatch, bf16 combine). Each rank of an attention group sends its
  // 1/tp of the group's tokens; the busiest group's ranks set the time.
  const int ranks = layout_.tp * layout_.dp_attention;
  const double row = static_cast<double>(model_->hidden) * model_->moe.topk * group_tokens / layout_.tp;
  const double dispatch_bytes = layout_.weights == Precision::kFp8 ? 1.0 : 2.0;
  const GroupPlacement group = Place(ranks, 1, std::max(1, cluster_.scale_up_domain));
  return AllToAllTime(row * dispatch_bytes, group, fabric_) + AllToAllTime(row * 2.0, group, fabric_);
}

IterationBreakdown IterationModel::ContextFreeBreakdown(const BatchWork& replica_work) const {
  IterationBreakdown b;
  const ModelSpec& m = *model_;
  // Speculative decoding verifies k + 1 positions of every decode sequence
  // against the same cached context. DP attention places each request whole
  // on one of its groups: the attention side (projections, dense MLPs,
  // router, shared experts, LM head) runs at the pace of the busiest group
  // (BusiestGroupShare); the routed experts see every group's tokens.
  const double decode_tokens = replica_work.decode_seqs * verify_tokens_;
  const double all_tokens = replica_work.prefill_tokens + decode_tokens;
  if (all_tokens <= 0) return b;
  const int groups = std::max(1, layout_.dp_attention);
  const double prefill_share = BusiestGroupShare(replica_work.prefill_seqs, groups);
  const double decode_fraction = BusiestGroupShare(replica_work.decode_seqs, groups);
  const double tokens = replica_work.prefill_tokens * prefill_share + decode_tokens * decode_fraction;
  const double decode_share = replica_work.decode_seqs * decode_fraction;
  const double h = static_cast<double>(m.hidden);
  const double tp = layout_.tp;
  const double gated = m.gated_mlp ? 2.0 : 1.0;
  ParallelConfig config;
  config.tp = layout_.tp;
  config.seq_len = 1;
  const double projections =
      AttentionTime(m, config, *cluster_.accelerator, assumptions_, rates_, tokens).linear.forward_s;
  const double ffn = static_cast<double>(m.ffn_hidden) / tp;
  const double dense_mlp = GemmTime(tokens, gated * ffn, h, rates_.gemm) + GemmTime(tokens, h, ffn, rates_.gemm);
  double moe_dense = 0, moe_experts = 0;
  if (stage_moe_layers_ > 0) {
    const double shared_width = static_cast<double>(m.moe.shared_expert_ffn > 0 ? m.moe.shared_expert_ffn
                                                                                : m.moe.expert_ffn);
    const double shared = m.moe.shared_experts * shared_width / tp;
    moe_dense = GemmTime(tokens, m.moe.experts, h, rates_.bf16);  // router
    if (shared > 0) moe_dense += GemmTime(tokens, gated * shared, h, rates_.gemm) + GemmTime(tokens, h, shared, rates_.gemm);
    moe_experts = ExpertSeconds(all_tokens);
  }
  const int dense_layers = stage_layers_ - stage_moe_layers_;
  const double stages = layout_.pp;
  b.gemm_s = stages * (stage_layers_ * projections + dense_layers * dense_mlp + stage_moe_layers_ * moe_dense);
  // The LM head samples every verified position of the decode sequences and
  // each finishing prefill (bf16, vocab split over tp).
  Rates head = rates_.bf16;
  b.gemm_s += GemmTime(decode_share * verify_tokens_ + replica_work.prefill_seqs * prefill_share,
                       static_cast<double>(m.vocab) / tp, h, head);
  b.experts_s = stages * stage_moe_layers_ * moe_experts;
  b.comm_s = stages * (stage_layers_ * AllReduceSeconds(tokens) + stage_moe_layers_ * AllToAllSeconds(tokens));
  if (layout_.pp > 1) {
    const bool cross = layout_.Devices() > cluster_.scale_up_domain;
    b.comm_s += (layout_.pp - 1) * PointToPointTime(tokens * h * 2.0, cross, fabric_);
  }
  const bool graph = engine_->cuda_graphs && replica_work.prefill_tokens == 0 &&
                     replica_work.decode_seqs <= engine_->graph_max_batch;
  b.overhead_s = engine_->host_overhead_s + (graph ? 0.0 : stages * stage_layers_ * engine_->eager_layer_overhead_s);
  return b;
}

IterationBreakdown IterationModel::CompleteBreakdown(IterationBreakdown b, const BatchWork& work) const {
  if (work.prefill_tokens + work.decode_seqs * verify_tokens_ <= 0) return b;
  b.attention_s = ScaledAttentionSeconds(work);
  b.draft_s = DraftSeconds(b.gemm_s + b.experts_s + b.attention_s, work);
  b.total_s = b.gemm_s + b.experts_s + b.attention_s + b.comm_s + b.draft_s + b.overhead_s;
  return b;
}

double IterationModel::CompleteSeconds(double gemm_experts_s, double comm_s, double overhead_s,
                                       const BatchWork& work) const {
  if (work.prefill_tokens + work.decode_seqs * verify_tokens_ <= 0) return 0;
  // The sum in Breakdown's order: ((((gemm + experts) + attention) + comm) + draft) + overhead.
  const double compute_s = gemm_experts_s + ScaledAttentionSeconds(work);
  return compute_s + comm_s + DraftSeconds(compute_s, work) + overhead_s;
}

double IterationModel::ScaledAttentionSeconds(const BatchWork& replica_work) const {
  // The busiest DP-attention group's share of the prefill and decode work
  // (requests are placed whole on a group; a lone prompt is all on one).
  const int groups = std::max(1, layout_.dp_attention);
  const double prefill_share = BusiestGroupShare(replica_work.prefill_seqs, groups);
  const double decode_share = BusiestGroupShare(replica_work.decode_seqs, groups);
  BatchWork work = replica_work;
  work.prefill_tokens *= prefill_share;
  work.prefill_attention_pairs *= prefill_share;
  work.decode_context_tokens *= decode_share;
  const double stages = layout_.pp;
  return stages * stage_layers_ * AttentionSeconds(work);
}

double IterationModel::DraftSeconds(double compute_s, const BatchWork& work) const {
  if (work.decode_seqs <= 0 || !layout_.speculative.enabled()) return 0;
  // k draft tokens, each a fraction of the target's decode work.
  return layout_.speculative.draft_tokens * layout_.speculative.draft_cost * compute_s / verify_tokens_;
}

IterationBreakdown IterationModel::Breakdown(const BatchWork& work) const {
  return CompleteBreakdown(ContextFreeBreakdown(work), work);
}

double IterationModel::Seconds(const BatchWork& work) const { return Breakdown(work).total_s; }

std::string ServingRanksShort(const ServingLayout& l) {
  std::string words = fmt::format("tp{}", l.tp);
  if (l.dp_attention != 1) words += fmt::format(" dp-attention{}", l.dp_attention);
  words += fmt::format(" pp{}", l.pp);
  if (l.ep != 1) words += fmt::format(" ep{}", l.ep);
  return words;
}

std::string TpWithDpAttention(const ServingLayout& l) {
  return l.dp_attention != 1 ? fmt::format("{} dp-attention {}", l.tp, l.dp_attention) : std::to_string(l.tp);
}

std::string PpWithEp(const ServingLayout& l) {
  return l.ep != 1 ? fmt::format("{} ep {}", l.pp, l.ep) : std::to_string(l.pp);
}

}  // namespace suanli
