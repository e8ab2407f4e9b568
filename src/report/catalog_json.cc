// Catalog entries as JSON: numbers rounded to 6 significant digits, keys with units.
#include "report/catalog_json.h"

#include "core/precision.h"
#include "report/json_util.h"

namespace suanli {

using nlohmann::json;

json EngineJson(const EngineSpec& e) {
  json rules = json::array();
  for (const DeviceBatchDefaults& d : e.device_defaults) {
    rules.push_back({{"accelerator_prefixes", d.accelerator_prefixes},
                     {"below_memory_bytes", d.below_memory_bytes},
                     {"max_batch", d.batch.max_batch},
                     {"prefill_budget_tokens", d.batch.prefill_budget_tokens}});
  }
  return {{"id", e.id},
          {"name", e.name},
          {"max_batch", e.max_batch},
          {"prefill_budget_tokens", e.prefill_budget_tokens},
          {"graph_max_batch", e.cuda_graphs ? e.graph_max_batch : 0},
          {"host_overhead_s", e.host_overhead_s},
          {"eager_layer_overhead_s", e.eager_layer_overhead_s},
          {"request_overhead_s", e.request_overhead_s},
          {"device_defaults", rules},
          {"notes", e.notes},
          {"sources", SourcesJson(e.provenance)}};
}

json SourcesJson(const Provenance& provenance) {
  json sources = json::array();
  for (const FieldRecord& r : provenance) {
    sources.push_back({{"field", r.path}, {"value", r.text}, {"source", r.source},
                       {"confidence", r.confidence}});
  }
  return sources;
}

json AcceleratorJson(const Accelerator& a) {
  json peaks = json::object();
  for (Precision precision : AllPrecisions()) {
    if (a.PeakFlops(precision) > 0) {
      peaks[std::string(PrecisionName(precision))] = RoundSig(a.PeakFlops(precision));
    }
  }
  return {{"id", a.id},
          {"name", a.name},
          {"vendor", a.vendor},
          {"aliases", a.aliases},
          {"year", a.year},
          {"form_factor", a.form_factor},
          {"software_stack", a.software_stack},
          {"memory_type", a.memory_type},
          {"memory_bytes", RoundBytes(a.memory_bytes)},
          {"memory_Bps", RoundSig(a.memory_Bps)},
          {"peak_flops", peaks},
          {"scale_up",
           {{"kind", a.scale_up_kind},
            {"Bps_per_direction", RoundSig(a.scale_up_Bps)},
            {"domain", a.scale_up_domain}}},
          {"scale_out_Bps", RoundSig(a.scale_out_Bps)},
          {"tdp_w", RoundSig(a.tdp_w)},
          {"efficiency",
           {{"gemm", RoundSig(a.efficiency.gemm)},
            {"hbm", RoundSig(a.efficiency.hbm)},
            {"scale_up", RoundSig(a.efficiency.scale_up)},
            {"scale_out", RoundSig(a.efficiency.scale_out)},
            {"attention_flash2", RoundSig(a.efficiency.attention_flash2)}}},
          {"export_control", a.export_control},
          {"sources", SourcesJson(a.provenance)}};
}

json SystemJson(const System& s) {
  return {{"id", s.id},
          {"name", s.name},
          {"accelerator", s.accelerator_id},
          {"accelerators_per_node", s.accelerators_per_node},
          {"scale_up",
           {{"kind", s.scale_up_kind},
            {"Bps_per_direction", RoundSig(s.scale_up_Bps)},
            {"domain", s.scale_up_domain}}},
          {"scale_out",
           {{"nics", s.nics},
            {"nic_Bps", RoundSig(s.nic_Bps)},
            {"fabric", s.fabric},
            {"rail_optimized", s.rail_optimized}}},
          {"scale_out_Bps_per_device", RoundSig(s.ScaleOutBpsPerDevice())},
          {"power_w", RoundSig(s.power_w)},
          {"host", s.host},
          {"sources", SourcesJson(s.provenance)}};
}

json ModelJson(const ModelSpec& m, const ParamCounts& c) {
  json out = {{"id", m.id},
              {"name", m.name},
              {"family", m.family},
              {"source", m.source},
              {"aliases", m.aliases},
              {"layers", m.layers},
              {"hidden", m.hidden},
              {"heads", m.heads},
              {"kv_heads", m.kv_heads},
              {"head_dim", m.head_dim},
              {"ffn_hidden", m.ffn_hidden},
              {"vocab", m.vocab},
              {"gated_mlp", m.gated_mlp},
              {"tied_embeddings", m.tied_embeddings},
              {"qkv_bias", m.qkv_bias},
              {"mlp_bias", m.mlp_bias},
              {"norm", m.norm == NormKind::kLayerNorm ? "layernorm" : "rmsnorm"},
              {"learned_positions", m.learned_positions},
              {"max_seq_len", m.max_seq_len},
              {"sliding_window", m.sliding_window},
              {"sliding_window_layers", m.sliding_window_layers},
              {"mtp_layers", m.mtp_layers},
              {"params",
               {{"total", JsonNumber(c.total)},
                {"active", JsonNumber(c.active)},
                {"embedding", JsonNumber(c.embedding)},
                {"output", JsonNumber(c.output)},
                {"attention", JsonNumber(c.attention)},
                {"dense_mlp", JsonNumber(c.dense_mlp)},
                {"experts", JsonNumber(c.experts)},
                {"shared_experts", JsonNumber(c.shared_experts)},
                {"router", JsonNumber(c.router)},
                {"norms", JsonNumber(c.norms)}}},
              {"published_params", JsonNumber(m.published_params)},
              {"published_active_params", JsonNumber(m.published_active_params)}};
  if (m.rope_factor > 1.0) {
    out["rope_scaling"] = {{"type", m.rope_scaling},
                           {"factor", RoundSig(m.rope_factor)},
                           {"original_max_position_embeddings", m.rope_original_context},
                           {"usable_context_tokens", m.UsableContext()}};
  }
  if (m.use_mla) {
    out["mla"] = {{"q_lora_rank", m.mla.q_lora_rank},
                  {"kv_lora_rank", m.mla.kv_lora_rank},
                  {"qk_nope_head_dim", m.mla.qk_nope_head_dim},
                  {"qk_rope_head_dim", m.mla.qk_rope_head_dim},
                  {"v_head_dim", m.mla.v_head_dim}};
  }
  if (m.IsMoe()) {
    out["moe"] = {{"experts", m.moe.experts},
                  {"topk", m.moe.topk},
                  {"expert_ffn", m.moe.expert_ffn},
                  {"shared_experts", m.moe.shared_experts},
                  {"shared_expert_ffn", m.moe.shared_expert_ffn},
                  {"dense_layers", m.moe.dense_layers},
                  {"layer_freq", m.moe.layer_freq},
                  {"expert_groups", m.moe.expert_groups},
                  {"groups_per_token", m.moe.groups_per_token},
                  {"moe_layers", m.MoeLayerCount()}};
  }
  return out;
}

json AssumptionsJson(const std::vector<FieldRecord>& records) {
  json out = json::array();
  for (const FieldRecord& r : records) {
    out.push_back({{"name", r.path}, {"default", r.text}, {"source", r.source},
                   {"confidence", r.confidence}});
  }
  return out;
}

namespace {

// Returns how data/stacks.yaml writes `weights`.
const char* MasterWeightsName(MasterWeights weights) {
  switch (weights) {
    case MasterWeights::kSeparate: return "separate";
    case MasterWeights::kShardedFp32: return "sharded_fp32";
    case MasterWeights::kReused: return "reused";
    case MasterWeights::kNone: return "none";
  }
  return "?";
}

// Returns how data/stacks.yaml writes `kernel` ("fused" for the platform's fastest).
std::string StackKernelName(AttentionKernel kernel) {
  return kernel == AttentionKernel::kFused ? "fused" : std::string(AttentionKernelName(kernel));
}

}  // namespace

std::vector<StackProperty> StackProperties(const SoftwareStack& s) {
  json modes = json::array();
  for (Recompute mode : s.checkpointing) modes.push_back(std::string(RecomputeName(mode)));
  const char* selective = s.selective == SelectiveMeaning::kAttentionCore ? "attention_core" : "half_layers";
  return {
      {"memory.gradients", s.bf16_gradients ? "bf16" : s.bf16_gradients_with_zero ? "fp32_without_zero" : "fp32", "dtype",
       "gradient precision"},
      {"memory.master_weights", MasterWeightsName(s.master_weights), "mode", "fp32 master weights"},
      {"memory.optimizer_offload", s.optimizer_offload, "", "optimizer offload to host"},
      {"memory.selective", selective, "mode", "what selective recomputes"},
      {"memory.checkpointing", modes, "modes", "checkpointing modes"},
      {"kernels.attention", StackKernelName(s.attention), "kernel", "attention kernel"},
      {"kernels.unfused_attention_before", s.unfused_attention_before_year, "year",
       "unfused attention before (0 = never)"},
      {"kernels.norm", s.fused_norm, "", "fused RMSNorm/LayerNorm"},
      {"kernels.rotary", s.fused_rotary, "", "fused rotary embedding"},
      {"kernels.swiglu", s.fused_swiglu, "", "fused SwiGLU activation"},
      {"kernels.cross_entropy", s.fused_cross_entropy, "", "fused cross-entropy"},
      {"kernels.expert_dispatch", s.per_node_expert_dispatch ? "per_node" : "per_expert", "mode",
       "MoE dispatch: network copies per token"},
      {"overlap.tp_comm", s.tp_comm_overlap, "", "TP comm overlapped"},
      {"overlap.dp", s.dp_overlap, "", "DP comm overlapped"},
      {"overlap.reduce_every_micro_batch", s.reduce_every_micro_batch, "",
       "ZeRO >= 2 gradients reduce-scattered every micro-batch"},
      {"host.layer_overhead_s", RoundSig(s.layer_host_overhead_s), "s", "host time per layer"},
      {"host.cuda_graphs", s.cuda_graphs, "", "CUDA graphs (not used yet)"},
      {"parallelism.tensor", s.layouts.tensor, "", "tensor parallelism"},
      {"parallelism.pipeline", s.layouts.pipeline, "", "pipeline parallelism"},
      {"parallelism.interleaved", s.layouts.interleaved, "", "interleaved pipeline schedule"},
      {"parallelism.context", s.layouts.context, "", "context parallelism"},
      {"parallelism.expert", s.layouts.expert, "", "expert parallelism"},
      {"parallelism.zero", s.layouts.zero_stages, "stages", "ZeRO stages offered"},
      {"parallelism.zero_with_pipeline", s.layouts.max_zero_with_pipeline, "stage", "highest ZeRO stage with pp > 1"},
      {"efficiency", RoundSig(s.efficiency), "× Megatron", "fitted device rate"},
      {"fitted_platform", s.fitted_platform.empty() ? "-" : s.fitted_platform, "vendor",
       "devices the efficiency was fitted on"},
      {"platforms", s.platforms.empty() ? json("any") : json(s.platforms), "vendors", "platforms the stack runs on"},
  };
}

json StackJson(const SoftwareStack& s) {
  json properties = json::array();
  for (const StackProperty& p : StackProperties(s)) {
    properties.push_back({{"field", p.field}, {"value", p.value}, {"unit", p.unit}});
  }
  return {{"id", s.id},
          {"name", s.name},
          {"properties", properties},
          {"efficiency_fitted_on", s.fitted_on},
          {"sources", s.sources}};
}

}  // namespace suanli
