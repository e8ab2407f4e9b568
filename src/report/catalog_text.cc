// Catalog entries as text: the catalog tables and one entry with every field, its unit and source.
#include "report/catalog_text.h"

#include <cmath>

#include <fmt/format.h>

#include <algorithm>

#include "core/i18n.h"
#include "core/precision.h"
#include "core/text.h"
#include "core/units.h"
#include "report/catalog_json.h"
#include "report/output.h"
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
  if (path == "scale_up.domain") return TrFormat("{} devices", a.scale_up_domain);
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
      return TrFormat("{} (of the fastest fused kernel)", a.efficiency.attention_flash2);
    }
    const double value = key == "gemm"       ? a.efficiency.gemm
                         : key == "hbm"      ? a.efficiency.hbm
                         : key == "scale_up" ? a.efficiency.scale_up
                                             : a.efficiency.scale_out;
    return TrFormat("{} (fraction of peak)", value);
  }
  return "";
}

std::string SiValue(const System& s, const std::string& path) {
  if (path == "accelerators_per_node") return TrFormat("{} devices", s.accelerators_per_node);
  if (path == "scale_up.domain") return TrFormat("{} devices", s.scale_up_domain);
  if (path == "scale_up.bandwidth_per_direction") return fmt::format("{:.6g} bytes/s", s.scale_up_Bps);
  if (path == "scale_out.nics") return TrFormat("{} NICs", s.nics);
  if (path == "scale_out.nic_bandwidth") return fmt::format("{:.6g} bytes/s", s.nic_Bps);
  if (path == "power") return fmt::format("{:.6g} W", s.power_w);
  return "";
}

std::string SiValue(const EngineSpec& e, const std::string& path) {
  if (path == "max_batch") return TrFormat("{} sequences", e.max_batch);
  if (path == "graph_max_batch") return TrFormat("{} sequences", e.graph_max_batch);
  if (path == "prefill_budget") return TrFormat("{} tokens per iteration", e.prefill_budget_tokens);
  if (path == "host_overhead") return fmt::format("{:.6g} s", e.host_overhead_s);
  if (path == "eager_layer_overhead") return fmt::format("{:.6g} s", e.eager_layer_overhead_s);
  if (path == "request_overhead") return fmt::format("{:.6g} s", e.request_overhead_s);
  return "";
}

template <class Entry>
std::string SourcesText(const Entry& entry) {
  std::string out;
  TextTable table({Tr("field"), Tr("as written"), Tr("SI value"), Tr("confidence"), Tr("source")});
  for (const FieldRecord& r : entry.provenance) {
    table.AddRow({r.path, ShownText(r), SiValue(entry, r.path), Tr(r.confidence), ShownSource(r)});
  }
  out += fmt::format("{}", table.Render());
  return out;
}

// Returns "label:        value\n" with the value wrapped to the output width
// under itself, or "" when value is empty.
std::string Line(const std::string& label, const std::string& value) {
  if (value.empty()) return "";
  const std::string head = label + Tr(":");
  const size_t indent = std::max<size_t>(16, DisplayWidth(head) + 1);
  const size_t width = std::max<size_t>(indent + 24, CurrentOutput().width) - indent;
  std::string out = head + std::string(indent - DisplayWidth(head), ' ');
  bool first = true;
  for (const std::string& line : WrapToWidth(value, width)) {
    out += (first ? "" : std::string(indent, ' ')) + line + "\n";
    first = false;
  }
  return out;
}

// Returns `text` wrapped to the output width with a trailing newline.
std::string Note(const std::string& text) {
  std::string out;
  for (const std::string& line : WrapToWidth(text, std::max<size_t>(40, CurrentOutput().width))) out += line + "\n";
  return out;
}

}  // namespace

std::string AcceleratorKeyConfidence(const Accelerator& accelerator) { return KeyConfidence(accelerator.provenance); }

TextTable AcceleratorsTable(const Catalog& catalog, bool all_fields) {
  std::vector<std::string> header = {"id", Tr("name"), "GiB", "TB/s", "bf16 TF", "fp8 TF", Tr("up GB/s×n"),
                                     Tr("out GB/s"), "TDP W"};
  if (all_fields) header.push_back(Tr("year"));
  header.push_back(Tr("conf."));
  TextTable table(header);
  for (size_t i = 2; i < header.size() - 1; ++i) table.AlignColumn(i, TextTable::Align::kRight);
  for (const Accelerator& a : catalog.accelerators()) {
    std::vector<std::string> row = {
        a.id, a.name, Fixed(a.memory_bytes / kGiB, 0), Fixed(a.memory_Bps / 1e12, 2),
        Fixed(a.PeakFlops(Precision::kBf16) / 1e12, 1), Fixed(a.PeakFlops(Precision::kFp8) / 1e12, 1),
        a.scale_up_Bps > 0 ? fmt::format("{:.0f}×{}", a.scale_up_Bps / 1e9, a.scale_up_domain) : "-",
        Fixed(a.scale_out_Bps / 1e9, 1), Fixed(a.tdp_w, 0)};
    if (all_fields) row.push_back(a.year > 0 ? std::to_string(a.year) : "-");
    row.push_back(Tr(KeyConfidence(a.provenance)));
    table.AddRow(std::move(row));
  }
  return table;
}

std::string AcceleratorsText(const Catalog& catalog) {
  std::string out = AcceleratorsTable(catalog, false).Render();
  out += Note(TrFormat("{} accelerators. GiB: memory; TB/s: memory bandwidth; TF: dense peak TFLOPS (no "
                       "sparsity); up GB/s×n: scale-up bandwidth per direction × devices in the domain; out "
                       "GB/s: scale-out per direction; conf.: the lowest confidence of the key figures. "
                       "`suanli show ID` for sources and the year; `--format csv` for every column.",
                       catalog.accelerators().size()));
  return out;
}

TextTable SystemsTable(const Catalog& catalog) {
  TextTable table({"id", Tr("accelerator"), Tr("/node"), Tr("scale-up"), Tr("NICs"), Tr("fabric"), "kW"});
  table.AlignColumn(2, TextTable::Align::kRight).AlignColumn(6, TextTable::Align::kRight);
  for (const System& s : catalog.systems()) {
    table.AddRow({s.id, s.accelerator_id, std::to_string(s.accelerators_per_node),
                  fmt::format("{} {:.0f}×{}", s.scale_up_kind, s.scale_up_Bps / 1e9, s.scale_up_domain),
                  s.nics > 0 ? fmt::format("{}×{:.0f}", s.nics, s.nic_Bps * 8 / 1e9) : "-",
                  s.fabric.empty() ? "-" : s.fabric, Fixed(s.power_w / 1e3, 1)});
  }
  return table;
}

std::string SystemsText(const Catalog& catalog) {
  return SystemsTable(catalog).Render() +
         Note(TrFormat("{} systems. /node: accelerators per node; scale-up: kind, GB/s per device per direction × "
                       "devices in the domain; NICs: scale-out NICs per node × Gb/s each; kW: node power.",
                       catalog.systems().size()));
}

TextTable ModelsTable(const std::vector<ModelSpec>& models, const std::vector<ParamCounts>& counts) {
  TextTable table({"id", Tr("name"), Tr("layers"), Tr("hidden"), Tr("heads/kv"), Tr("params B"), Tr("active B"),
                   Tr("max seq")});
  for (size_t i = 2; i <= 7; ++i) table.AlignColumn(i, TextTable::Align::kRight);
  for (size_t k = 0; k < models.size(); ++k) {
    const ModelSpec& m = models[k];
    const ParamCounts& c = counts[k];
    table.AddRow({m.id, m.name, std::to_string(m.layers), FormatCount(m.hidden),
                  fmt::format("{}/{}", m.heads, m.kv_heads), Billions(c.total), m.IsMoe() ? Billions(c.active) : "-",
                  m.max_seq_len > 0 ? FormatCount(m.max_seq_len) : "-"});
  }
  return table;
}

std::string ModelsText(const std::vector<ModelSpec>& models, const std::vector<ParamCounts>& counts) {
  return ModelsTable(models, counts).Render() +
         Note(TrFormat("{} models. Parameters computed from the architecture (bias and norms included); "
                       "`suanli show ID` for every field.",
                       models.size()));
}

std::string AcceleratorText(const Accelerator& a) {
  std::string out;
  out += TrFormat("{} — {} (accelerator)", a.id, a.name) + "\n";
  out += Line(Tr("vendor"), a.vendor);
  out += Line(Tr("aliases"), Join(a.aliases, ", "));
  out += Line(Tr("form factor"), a.form_factor);
  out += Line(Tr("software"), a.software_stack);
  out += Line(Tr("memory type"), a.memory_type);
  out += Line(Tr("scale-up kind"), a.scale_up_kind);
  // A link the entry gives no bandwidth for is not assumed (model/cluster.h
  // CheckClusterLinks): say which jobs need it.
  if (a.scale_up_Bps <= 0 && a.scale_up_domain > 1) {
    out += Line(Tr("scale-up"), TrFormat("no bandwidth given: a job of 2 or more devices is refused (add "
                                         "scale_up.bandwidth_per_direction)"));
  }
  if (a.scale_out_Bps <= 0) {
    out += Line(Tr("scale-out"), TrFormat("no bandwidth given: a job of more than {} device(s), one scale-up domain, "
                                          "is refused unless its system gives NICs (add "
                                          "scale_out.bandwidth_per_direction)",
                                          a.scale_up_domain));
  }
  // The data's Chinese texts under --lang zh (an entry without them keeps its English).
  const bool zh = CurrentLanguage() == Language::kChinese;
  out += Line(Tr("export control"), zh && !a.export_control_zh.empty() ? a.export_control_zh : a.export_control);
  out += Line(Tr("notes"), zh && !a.notes_zh.empty() ? a.notes_zh : a.notes);
  out += fmt::format("\n");
  out += SourcesText(a);
  out += Note(Tr("efficiency.* are the performance model's calibration (docs/calibration.md)."));
  return out;
}

std::string EngineText(const EngineSpec& e) {
  std::string out;
  out += TrFormat("{} — {} (serving engine)", e.id, e.name) + "\n";
  out += Line(Tr("notes"), e.notes);
  out += fmt::format("\n");
  out += SourcesText(e);
  out += Note(Tr("device_defaults rules replace max_batch and prefill_budget on the devices they name, the first "
                 "that matches (docs/serving.md, Engines)."));
  return out;
}

std::string SystemText(const System& s) {
  std::string out;
  out += TrFormat("{} — {} (system)", s.id, s.name) + "\n";
  out += Line(Tr("accelerator"), s.accelerator_id);
  out += Line(Tr("scale-up kind"), s.scale_up_kind);
  out += Line(Tr("fabric"), s.fabric);
  out += Line(Tr("rail optimized"), s.rail_optimized ? Tr("yes") : Tr("no"));
  out += Line(Tr("scale-out/dev"), TrFormat("{:.6g} bytes/s per direction", s.ScaleOutBpsPerDevice()));
  out += Line(Tr("notes"), s.notes);
  out += fmt::format("\n");
  out += SourcesText(s);
  return out;
}

std::string ModelText(const ModelSpec& m, const ParamCounts& c) {
  std::string out;
  out += TrFormat("{} — {} (model, {})", m.id, m.name, m.family) + "\n";
  out += Line(Tr("source"), m.source);
  out += Line(Tr("aliases"), Join(m.aliases, ", "));
  out += fmt::format("\n");
  TextTable table({Tr("field"), Tr("value"), Tr("unit")});
  table.AlignColumn(1, TextTable::Align::kRight);
  auto row = [&](std::string field, auto value, std::string unit) {
    table.AddRow({std::move(field), fmt::format("{}", value), unit.empty() ? unit : Tr(unit)});
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
  // As the JSON: any RoPE scaling is shown, whether or not it lengthens the usable context.
  if (m.rope_factor > 1.0) {
    row("rope_scaling", fmt::format("{} × {:g} of {}", m.rope_scaling, m.rope_factor, m.rope_original_context), "");
    row("usable_context", m.UsableContext(), "tokens");
  }
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
    if (m.moe.groups_per_token > 0) {
      row("moe.expert_groups", m.moe.expert_groups, "groups of routed experts");
      row("moe.groups_per_token", m.moe.groups_per_token, "groups a token's experts come from");
    }
    row("moe layers", m.MoeLayerCount(), "layers");
  }
  if (m.mtp_layers > 0) row("mtp_layers", m.mtp_layers, "modules (not counted)");
  out += fmt::format("{}", table.Render());

  out += '\n';
  out += Tr("parameters (computed, src/workload/model_spec.cc):") + "\n";
  TextTable params({Tr("part"), Tr("params"), "B"});
  params.AlignColumn(1, TextTable::Align::kRight).AlignColumn(2, TextTable::Align::kRight);
  auto add = [&](const char* part, double value) {
    params.AddRow({part, FormatCount(value), Billions(value)});
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
    out += TrFormat("published: {} B total", Billions(m.published_params));
    if (m.published_active_params > 0) out += TrFormat(", {} B active", Billions(m.published_active_params));
    // A difference that rounds to zero prints +0.0%, never -0.0%.
    const auto pct = [](double computed, double published) {
      const double value = 100.0 * (computed / published - 1.0);
      return std::fabs(value) < 0.05 ? 0.0 : value;
    };
    out += TrFormat(" ({:+.1f}% computed vs published)", pct(c.total, m.published_params));
    // Active parameters are compared too where a count was published (MoE).
    if (m.published_active_params > 0 && m.IsMoe()) {
      out += TrFormat(" (active: {:+.1f}% computed vs published)",
                      pct(c.active, m.published_active_params));
    }
    out += "\n";
  }
  return out;
}

namespace {

// Returns a stack property's value as text: yes/no, a list joined with commas, a number or a word.
std::string PropertyValueText(const nlohmann::json& value) {
  if (value.is_boolean()) return value.get<bool>() ? Tr("yes") : Tr("no");
  if (value.is_string()) return value.get<std::string>();
  if (value.is_array()) {
    std::vector<std::string> items;
    for (const nlohmann::json& item : value) items.push_back(PropertyValueText(item));
    return Join(items, ", ");
  }
  return fmt::format("{:g}", value.get<double>());
}

}  // namespace

std::string StackText(const SoftwareStack& stack) {
  std::string out = TrFormat("{} — {} (software stack)", stack.id, stack.name) + "\n\n";
  TextTable table({Tr("field"), Tr("value"), Tr("unit"), Tr("meaning")});
  for (const StackProperty& p : StackProperties(stack)) {
    // Unit symbols (s, × Megatron) stay as written; words are translated.
    const bool symbol = p.unit.empty() || p.unit == "s" || p.unit.rfind("×", 0) == 0;
    table.AddRow({p.field, PropertyValueText(p.value), symbol ? p.unit : Tr(p.unit), Tr(p.meaning)});
  }
  out += table.Render() + "\n";
  out += Line(Tr("efficiency fitted on"), Tr(stack.fitted_on));
  out += '\n';
  out += Tr("sources:") + "\n";
  for (size_t i = 0; i < stack.sources.size(); ++i) out += Note(fmt::format("[{}] {}", i + 1, stack.sources[i]));
  out += '\n';
  out += Note(Tr("Each property is explained in docs/stacks.md; --stack ID uses this stack in train, fit, "
                        "compare, validate and calibrate, and `stack:` in a scenario's workload."));
  return out;
}

std::string AssumptionsText(const std::vector<FieldRecord>& records) {
  TextTable table({Tr("assumption"), Tr("default"), Tr("confidence"), Tr("source")});
  for (const FieldRecord& r : records) {
    table.AddRow({r.path, ShownText(r), Tr(r.confidence), ShownSource(r)});
  }
  return Note(Tr("Named assumptions of the memory, step and campaign models (per-accelerator "
                 "calibration: suanli show ID)")) +
         "\n" + table.Render();
}

}  // namespace suanli
