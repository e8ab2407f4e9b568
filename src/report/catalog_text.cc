// Catalog entries as text: the catalog tables and one entry with every field, its unit and source.
#include "report/catalog_text.h"

#include <fmt/format.h>

#include "core/precision.h"
#include "core/text.h"
#include "core/units.h"
#include "report/table.h"

namespace suanli {
namespace {

// Returns 0 for high confidence up to 3 for unknown.
constexpr int kConfidenceRank(std::string_view confidence) {
  return confidence == "high" ? 0 : confidence == "medium" ? 1 : confidence == "low" ? 2 : 3;
}

// Returns the lowest confidence among the key figures (memory, bandwidth, peaks).
std::string KeyConfidence(const Provenance& provenance) {
  std::string worst = "high";
  for (const FieldRecord& r : provenance) {
    const bool key = r.path == "memory" || r.path == "memory_bandwidth" ||
                     r.path.rfind("peak.", 0) == 0;
    if (key && kConfidenceRank(r.confidence) > kConfidenceRank(worst)) worst = r.confidence;
  }
  return worst;
}

// Returns `value` with `digits` decimals, or "-" for 0.
std::string Fixed(double value, int digits) {
  if (value == 0) return "-";
  return fmt::format("{:.{}f}", value, digits);
}

// Returns a parameter count in billions ("6.74", "0.125").
std::string Billions(double params) {
  return params >= 1e9 ? fmt::format("{:.2f}", params / 1e9) : fmt::format("{:.3f}", params / 1e9);
}

// Returns the value of a sourced field in SI units with its unit, for show.
std::string SiValue(const Accelerator& a, const std::string& path) {
  if (path == "memory") return fmt::format("{:.6g} bytes", a.memory_bytes);
  if (path == "memory_bandwidth") return fmt::format("{:.6g} bytes/s", a.memory_Bps);
  if (path == "scale_up.bandwidth_per_direction") return fmt::format("{:.6g} bytes/s", a.scale_up_Bps);
  if (path == "scale_up.domain") return fmt::format("{} devices", a.scale_up_domain);
  if (path == "scale_out.bandwidth_per_direction") {
    return fmt::format("{:.6g} bytes/s", a.scale_out_Bps);
  }
  if (path == "tdp") return fmt::format("{:.6g} W", a.tdp_w);
  if (path == "year") return std::to_string(a.year);
  if (path.rfind("peak.", 0) == 0) {
    auto precision = ParsePrecision(path.substr(5));
    if (precision.ok()) return fmt::format("{:.6g} FLOP/s", a.PeakFlops(*precision));
  }
  if (path.rfind("efficiency.", 0) == 0) {
    const std::string key = path.substr(11);
    if (key == "attention_flash2") {
      return fmt::format("{} (of the fastest fused kernel)", a.efficiency.attention_flash2);
    }
    const double value = key == "gemm"       ? a.efficiency.gemm
                         : key == "hbm"      ? a.efficiency.hbm
                         : key == "scale_up" ? a.efficiency.scale_up
                                             : a.efficiency.scale_out;
    return fmt::format("{} (fraction of peak)", value);
  }
  return "";
}

std::string SiValue(const System& s, const std::string& path) {
  if (path == "accelerators_per_node") return fmt::format("{} devices", s.accelerators_per_node);
  if (path == "scale_up.domain") return fmt::format("{} devices", s.scale_up_domain);
  if (path == "scale_up.bandwidth_per_direction") return fmt::format("{:.6g} bytes/s", s.scale_up_Bps);
  if (path == "scale_out.nics") return fmt::format("{} NICs", s.nics);
  if (path == "scale_out.nic_bandwidth") return fmt::format("{:.6g} bytes/s", s.nic_Bps);
  if (path == "power") return fmt::format("{:.6g} W", s.power_w);
  return "";
}

template <class Entry>
std::string SourcesText(const Entry& entry) {
  std::string out;
  TextTable table({"field", "as written", "SI value", "confidence", "source"});
  for (const FieldRecord& r : entry.provenance) {
    table.AddRow({r.path, r.text, SiValue(entry, r.path), r.confidence, r.source});
  }
  out += fmt::format("{}", table.Render());
  return out;
}

// Returns "label:        value\n", or "" when value is empty.
std::string Line(std::string_view label, const std::string& value) {
  if (value.empty()) return "";
  return fmt::format("{:<16}{}\n", fmt::format("{}:", label), value);
}

}  // namespace

std::string AcceleratorsText(const Catalog& catalog) {
  std::string out;
  TextTable table({"id", "name", "mem GiB", "HBM TB/s", "bf16 TFLOPS", "fp8 TFLOPS",
                   "scale-up GB/s x domain", "scale-out GB/s", "TDP W", "year", "confidence"});
  for (size_t i = 2; i <= 9; ++i) table.AlignColumn(i, TextTable::Align::kRight);
  for (const Accelerator& a : catalog.accelerators()) {
    table.AddRow({a.id, a.name, Fixed(a.memory_bytes / kGiB, 0), Fixed(a.memory_Bps / 1e12, 2),
                  Fixed(a.PeakFlops(Precision::kBf16) / 1e12, 1),
                  Fixed(a.PeakFlops(Precision::kFp8) / 1e12, 1),
                  a.scale_up_Bps > 0
                      ? fmt::format("{:.0f} x {}", a.scale_up_Bps / 1e9, a.scale_up_domain)
                      : "-",
                  Fixed(a.scale_out_Bps / 1e9, 1), Fixed(a.tdp_w, 0),
                  a.year > 0 ? std::to_string(a.year) : "-", KeyConfidence(a.provenance)});
  }
  out += fmt::format("{}", table.Render());
  out += fmt::format("{} accelerators. Peaks are dense (no sparsity); bandwidths per direction. "
             "`suanli show ID` for sources.\n",
             catalog.accelerators().size());
  return out;
}

std::string SystemsText(const Catalog& catalog) {
  std::string out;
  TextTable table({"id", "accelerator", "per node", "scale-up", "NICs x Gb/s", "fabric",
                   "power kW"});
  table.AlignColumn(2, TextTable::Align::kRight).AlignColumn(6, TextTable::Align::kRight);
  for (const System& s : catalog.systems()) {
    table.AddRow({s.id, s.accelerator_id, std::to_string(s.accelerators_per_node),
                  fmt::format("{} {:.0f} GB/s x {}", s.scale_up_kind, s.scale_up_Bps / 1e9,
                              s.scale_up_domain),
                  s.nics > 0 ? fmt::format("{} x {:.0f}", s.nics, s.nic_Bps * 8 / 1e9) : "-",
                  s.fabric.empty() ? "-" : s.fabric, Fixed(s.power_w / 1e3, 1)});
  }
  out += fmt::format("{}", table.Render());
  out += fmt::format("{} systems. Scale-up GB/s per device per direction.\n", catalog.systems().size());
  return out;
}

std::string ModelsText(const std::vector<ModelSpec>& models,
                       const std::vector<ParamCounts>& counts) {
  std::string out;
  TextTable table({"id", "name", "layers", "hidden", "heads/kv", "params B", "active B",
                   "max seq"});
  for (size_t i = 2; i <= 7; ++i) table.AlignColumn(i, TextTable::Align::kRight);
  for (size_t k = 0; k < models.size(); ++k) {
    const ModelSpec& m = models[k];
    const ParamCounts& c = counts[k];
    table.AddRow({m.id, m.name, std::to_string(m.layers), std::to_string(m.hidden),
                  fmt::format("{}/{}", m.heads, m.kv_heads), Billions(c.total),
                  m.IsMoe() ? Billions(c.active) : "-",
                  m.max_seq_len > 0 ? std::to_string(m.max_seq_len) : "-"});
  }
  out += fmt::format("{}", table.Render());
  out += fmt::format("{} models. Parameters computed from the architecture (bias and norms "
             "included); `suanli show ID` for every field.\n",
             models.size());
  return out;
}

std::string AcceleratorText(const Accelerator& a) {
  std::string out;
  out += fmt::format("{} — {} (accelerator)\n", a.id, a.name);
  out += Line("vendor", a.vendor);
  out += Line("aliases", Join(a.aliases, ", "));
  out += Line("form factor", a.form_factor);
  out += Line("software", a.software_stack);
  out += Line("memory type", a.memory_type);
  out += Line("scale-up kind", a.scale_up_kind);
  out += Line("export control", a.export_control);
  out += Line("notes", a.notes);
  out += fmt::format("\n");
  out += SourcesText(a);
  out += fmt::format("efficiency.* are the performance model's calibration (docs/calibration.md).\n");
  return out;
}

std::string SystemText(const System& s) {
  std::string out;
  out += fmt::format("{} — {} (system)\n", s.id, s.name);
  out += Line("accelerator", s.accelerator_id);
  out += Line("scale-up kind", s.scale_up_kind);
  out += Line("fabric", s.fabric);
  out += Line("rail optimized", s.rail_optimized ? "yes" : "no");
  out += Line("scale-out/dev", fmt::format("{:.6g} bytes/s per direction", s.ScaleOutBpsPerDevice()));
  out += Line("notes", s.notes);
  out += fmt::format("\n");
  out += SourcesText(s);
  return out;
}

std::string ModelText(const ModelSpec& m, const ParamCounts& c) {
  std::string out;
  out += fmt::format("{} — {} (model, {})\n", m.id, m.name, m.family);
  out += Line("source", m.source);
  out += Line("aliases", Join(m.aliases, ", "));
  out += fmt::format("\n");
  TextTable table({"field", "value", "unit"});
  table.AlignColumn(1, TextTable::Align::kRight);
  auto row = [&](std::string field, auto value, std::string unit) {
    table.AddRow({std::move(field), fmt::format("{}", value), std::move(unit)});
  };
  row("layers", m.layers, "transformer blocks");
  row("hidden", m.hidden, "features");
  row("heads", m.heads, "query heads");
  row("kv_heads", m.kv_heads, "key/value heads");
  row("head_dim", m.head_dim, "features per head");
  row("ffn_hidden", m.ffn_hidden, "features (dense FFN)");
  row("vocab", m.vocab, "tokens");
  row("gated_mlp", m.gated_mlp, "");
  row("tied_embeddings", m.tied_embeddings, "");
  row("qkv_bias", m.qkv_bias, "");
  row("mlp_bias", m.mlp_bias, "");
  row("norm", m.norm == NormKind::kLayerNorm ? "layernorm" : "rmsnorm", "");
  row("learned_positions", m.learned_positions, "");
  row("max_seq_len", m.max_seq_len, "tokens");
  if (m.sliding_window > 0) {
    row("sliding_window", m.sliding_window, "tokens");
    row("sliding_window_layers", m.sliding_window_layers, "layers");
  }
  if (m.use_mla) {
    row("mla.q_lora_rank", m.mla.q_lora_rank, "features");
    row("mla.kv_lora_rank", m.mla.kv_lora_rank, "features (cached)");
    row("mla.qk_nope_head_dim", m.mla.qk_nope_head_dim, "features per head");
    row("mla.qk_rope_head_dim", m.mla.qk_rope_head_dim, "features per head");
    row("mla.v_head_dim", m.mla.v_head_dim, "features per head");
  }
  if (m.IsMoe()) {
    row("moe.experts", m.moe.experts, "routed experts per MoE layer");
    row("moe.topk", m.moe.topk, "experts per token");
    row("moe.expert_ffn", m.moe.expert_ffn, "features");
    row("moe.shared_experts", m.moe.shared_experts, "experts");
    row("moe.dense_layers", m.moe.dense_layers, "leading dense layers");
    row("moe.layer_freq", m.moe.layer_freq, "");
    row("moe layers", m.MoeLayerCount(), "layers");
  }
  if (m.mtp_layers > 0) row("mtp_layers", m.mtp_layers, "modules (not counted)");
  out += fmt::format("{}", table.Render());

  out += fmt::format("\nparameters (computed, src/workload/model_spec.cc):\n");
  TextTable params({"part", "params", "B"});
  params.AlignColumn(1, TextTable::Align::kRight).AlignColumn(2, TextTable::Align::kRight);
  auto add = [&](const char* part, double value) {
    params.AddRow({part, fmt::format("{:.0f}", value), Billions(value)});
  };
  add("embedding", c.embedding);
  add("output", c.output);
  add("attention", c.attention);
  add("dense_mlp", c.dense_mlp);
  if (m.IsMoe()) {
    add("experts", c.experts);
    add("shared_experts", c.shared_experts);
    add("router", c.router);
  }
  add("norms", c.norms);
  add("total", c.total);
  if (m.IsMoe()) add("active", c.active);
  out += fmt::format("{}", params.Render());
  if (m.published_params > 0) {
    out += fmt::format("published: {} B total", Billions(m.published_params));
    if (m.published_active_params > 0) {
      out += fmt::format(", {} B active", Billions(m.published_active_params));
    }
    out += fmt::format(" ({:+.1f}% computed vs published)\n",
               100.0 * (c.total / m.published_params - 1.0));
  }
  return out;
}

std::string AssumptionsText(const std::vector<FieldRecord>& records) {
  TextTable table({"assumption", "default", "confidence", "source"});
  for (const FieldRecord& r : records) table.AddRow({r.path, r.text, r.confidence, r.source});
  return fmt::format("Named assumptions of the memory, step and campaign models (per-accelerator "
                     "calibration: suanli show ID)\n\n{}",
                     table.Render());
}

}  // namespace suanli
