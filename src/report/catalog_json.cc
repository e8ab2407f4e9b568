// Catalog entries as JSON: numbers rounded to 6 significant digits, keys with units.
#include "report/catalog_json.h"

#include "core/precision.h"
#include "report/json_util.h"

namespace suanli {

using nlohmann::json;

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
          {"memory_bytes", RoundSig(a.memory_bytes)},
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
               {{"total", RoundSig(c.total)},
                {"active", RoundSig(c.active)},
                {"embedding", RoundSig(c.embedding)},
                {"output", RoundSig(c.output)},
                {"attention", RoundSig(c.attention)},
                {"dense_mlp", RoundSig(c.dense_mlp)},
                {"experts", RoundSig(c.experts)},
                {"shared_experts", RoundSig(c.shared_experts)},
                {"router", RoundSig(c.router)},
                {"norms", RoundSig(c.norms)}}},
              {"published_params", RoundSig(m.published_params)},
              {"published_active_params", RoundSig(m.published_active_params)}};
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

}  // namespace suanli
