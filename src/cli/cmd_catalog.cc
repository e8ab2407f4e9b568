// `suanli catalog accelerators|systems|models` and `suanli show ID`: the
// catalog listed with key figures, and one entry with every field, its unit,
// its source and its confidence.
#include <map>
#include <string>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/common.h"
#include "model/assumptions.h"
#include "core/text.h"
#include "report/json_util.h"
#include "report/table.h"
#include "workload/model_io.h"

namespace suanli::cli {
namespace {

using nlohmann::json;

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

std::string Fixed(double value, int digits) {
  if (value == 0) return "-";
  return fmt::format("{:.{}f}", value, digits);
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

json ModelJson(const ModelSpec& m) {
  const ParamCounts c = CountParams(m);
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

std::string Billions(double params) {
  return params >= 1e9 ? fmt::format("{:.2f}", params / 1e9) : fmt::format("{:.3f}", params / 1e9);
}

void PrintAccelerators(const Catalog& catalog) {
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
  fmt::print("{}", table.Render());
  fmt::print("{} accelerators. Peaks are dense (no sparsity); bandwidths per direction. "
             "`suanli show ID` for sources.\n",
             catalog.accelerators().size());
}

void PrintSystems(const Catalog& catalog) {
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
  fmt::print("{}", table.Render());
  fmt::print("{} systems. Scale-up GB/s per device per direction.\n", catalog.systems().size());
}

void PrintModels(const Catalog& catalog) {
  TextTable table({"id", "name", "layers", "hidden", "heads/kv", "params B", "active B",
                   "max seq"});
  for (size_t i = 2; i <= 7; ++i) table.AlignColumn(i, TextTable::Align::kRight);
  for (const ModelSpec& m : catalog.models()) {
    const ParamCounts c = CountParams(m);
    table.AddRow({m.id, m.name, std::to_string(m.layers), std::to_string(m.hidden),
                  fmt::format("{}/{}", m.heads, m.kv_heads), Billions(c.total),
                  m.IsMoe() ? Billions(c.active) : "-",
                  m.max_seq_len > 0 ? std::to_string(m.max_seq_len) : "-"});
  }
  fmt::print("{}", table.Render());
  fmt::print("{} models. Parameters computed from the architecture (bias and norms "
             "included); `suanli show ID` for every field.\n",
             catalog.models().size());
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
void PrintSources(const Entry& entry) {
  TextTable table({"field", "as written", "SI value", "confidence", "source"});
  for (const FieldRecord& r : entry.provenance) {
    table.AddRow({r.path, r.text, SiValue(entry, r.path), r.confidence, r.source});
  }
  fmt::print("{}", table.Render());
}

void PrintLine(std::string_view label, const std::string& value) {
  if (!value.empty()) fmt::print("{:<16}{}\n", fmt::format("{}:", label), value);
}

void ShowAccelerator(const Accelerator& a) {
  fmt::print("{} — {} (accelerator)\n", a.id, a.name);
  PrintLine("vendor", a.vendor);
  PrintLine("aliases", Join(a.aliases, ", "));
  PrintLine("form factor", a.form_factor);
  PrintLine("software", a.software_stack);
  PrintLine("memory type", a.memory_type);
  PrintLine("scale-up kind", a.scale_up_kind);
  PrintLine("export control", a.export_control);
  PrintLine("notes", a.notes);
  fmt::print("\n");
  PrintSources(a);
  fmt::print("efficiency.* are the performance model's calibration (docs/calibration.md).\n");
}

void ShowSystem(const System& s) {
  fmt::print("{} — {} (system)\n", s.id, s.name);
  PrintLine("accelerator", s.accelerator_id);
  PrintLine("scale-up kind", s.scale_up_kind);
  PrintLine("fabric", s.fabric);
  PrintLine("rail optimized", s.rail_optimized ? "yes" : "no");
  PrintLine("scale-out/dev", fmt::format("{:.6g} bytes/s per direction", s.ScaleOutBpsPerDevice()));
  PrintLine("notes", s.notes);
  fmt::print("\n");
  PrintSources(s);
}

void ShowModel(const ModelSpec& m) {
  fmt::print("{} — {} (model, {})\n", m.id, m.name, m.family);
  PrintLine("source", m.source);
  PrintLine("aliases", Join(m.aliases, ", "));
  fmt::print("\n");
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
  fmt::print("{}", table.Render());

  const ParamCounts c = CountParams(m);
  fmt::print("\nparameters (computed, src/workload/model_spec.cc):\n");
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
  fmt::print("{}", params.Render());
  if (m.published_params > 0) {
    fmt::print("published: {} B total", Billions(m.published_params));
    if (m.published_active_params > 0) {
      fmt::print(", {} B active", Billions(m.published_active_params));
    }
    fmt::print(" ({:+.1f}% computed vs published)\n",
               100.0 * (c.total / m.published_params - 1.0));
  }
}

}  // namespace

int RunCatalog(int argc, char** argv) {
  CLI::App app{"List the catalog: accelerators, systems or model presets with key figures.",
               "suanli catalog"};
  CommonOptions common;
  std::string what;
  AddCommonOptions(app, common);
  app.add_option("what", what, "accelerators | systems | models")
      ->required()
      ->check(CLI::IsMember({"accelerators", "systems", "models"}));
  app.footer(R"(examples:
  suanli catalog accelerators
  suanli catalog systems --json | jq '.systems[].id'
  suanli catalog models
  suanli catalog accelerators --catalog my_cards.yaml   # with your own entries
Every number comes with a source and confidence: `suanli show ID`.)");
  if (auto code = ParseArgs(app, argc, argv)) return *code;
  auto catalog = LoadCatalog(common);
  if (!catalog.ok()) return ReportError("catalog", catalog.error());
  if (common.json) {
    json items = json::array();
    if (what == "accelerators") {
      for (const Accelerator& a : catalog->accelerators()) items.push_back(AcceleratorJson(a));
    } else if (what == "systems") {
      for (const System& s : catalog->systems()) items.push_back(SystemJson(s));
    } else {
      for (const ModelSpec& m : catalog->models()) items.push_back(ModelJson(m));
    }
    PrintJson(json{{what, items}});
    return kExitOk;
  }
  if (what == "accelerators") PrintAccelerators(*catalog);
  if (what == "systems") PrintSystems(*catalog);
  if (what == "models") PrintModels(*catalog);
  return kExitOk;
}

namespace {

// Prints the named assumptions of the memory and step models.
int ShowAssumptions(bool as_json) {
  const std::vector<FieldRecord> records = ModelAssumptions();
  if (as_json) {
    json out = json::array();
    for (const FieldRecord& r : records) {
      out.push_back({{"name", r.path}, {"default", r.text}, {"source", r.source},
                     {"confidence", r.confidence}});
    }
    PrintJson(json{{"kind", "assumptions"}, {"assumptions", out}});
    return kExitOk;
  }
  TextTable table({"assumption", "default", "confidence", "source"});
  for (const FieldRecord& r : records) table.AddRow({r.path, r.text, r.confidence, r.source});
  fmt::print("Named assumptions of the memory, step and campaign models (per-accelerator calibration: "
             "suanli show ID)\n\n{}",
             table.Render());
  return kExitOk;
}

}  // namespace

int RunShow(int argc, char** argv) {
  CLI::App app{"Show one catalog entry (accelerator, system or model preset) or a model file "
               "with every field, its unit, its source and its confidence.",
               "suanli show"};
  CommonOptions common;
  std::string id;
  AddCommonOptions(app, common);
  app.add_option("id", id, "catalog id, vendor spelling, or a path to config.json / model YAML")
      ->required();
  app.footer(R"(examples:
  suanli show a800-sxm-80gb
  suanli show A800                       # vendor spellings and aliases work
  suanli show 天垓100
  suanli show llama-2-70b --json
  suanli show path/to/config.json        # a Hugging Face config, imported
  suanli show hgx-h800-8gpu               # a system (server node)
  suanli show assumptions                # the named assumptions of the memory and step models
Unknown ids exit 2 with the nearest ids suggested.)");
  if (auto code = ParseArgs(app, argc, argv)) return *code;
  auto catalog = LoadCatalog(common);
  if (!catalog.ok()) return ReportError("show", catalog.error());

  if (id == "assumptions") return ShowAssumptions(common.json);
  if (LooksLikeModelPath(id)) {
    auto model = ResolveModel(*catalog, id);
    if (!model.ok()) return ReportError("show", model.error());
    if (common.json) {
      PrintJson(json{{"kind", "model"}, {"model", ModelJson(*model)}});
    } else {
      ShowModel(*model);
    }
    return kExitOk;
  }
  auto accelerator = catalog->FindAccelerator(id);
  if (accelerator.ok()) {
    if (common.json) {
      json out = AcceleratorJson(**accelerator);
      out["notes"] = (*accelerator)->notes;
      PrintJson(json{{"kind", "accelerator"}, {"accelerator", out}});
    } else {
      ShowAccelerator(**accelerator);
    }
    return kExitOk;
  }
  auto system = catalog->FindSystem(id);
  if (system.ok()) {
    if (common.json) {
      json out = SystemJson(**system);
      out["notes"] = (*system)->notes;
      PrintJson(json{{"kind", "system"}, {"system", out}});
    } else {
      ShowSystem(**system);
    }
    return kExitOk;
  }
  auto model = catalog->FindModel(id);
  if (model.ok()) {
    if (common.json) {
      PrintJson(json{{"kind", "model"}, {"model", ModelJson(**model)}});
    } else {
      ShowModel(**model);
    }
    return kExitOk;
  }
  // Nearest ids over the whole catalog (aliases count as spellings of their id).
  std::vector<std::string> spellings, owners;
  for (const Accelerator& a : catalog->accelerators()) {
    spellings.push_back(a.id);
    owners.push_back(a.id);
  }
  for (const System& s : catalog->systems()) {
    spellings.push_back(s.id);
    owners.push_back(s.id);
  }
  for (const ModelSpec& m : catalog->models()) {
    spellings.push_back(m.id);
    owners.push_back(m.id);
  }
  for (const Accelerator& a : catalog->accelerators()) {
    for (const std::string& alias : a.aliases) {
      spellings.push_back(alias);
      owners.push_back(a.id);
    }
  }
  for (const ModelSpec& m : catalog->models()) {
    for (const std::string& alias : m.aliases) {
      spellings.push_back(alias);
      owners.push_back(m.id);
    }
  }
  std::vector<std::string> nearest;
  for (const std::string& match : NearestMatches(id, spellings, spellings.size())) {
    const size_t index = static_cast<size_t>(
        std::find(spellings.begin(), spellings.end(), match) - spellings.begin());
    if (std::find(nearest.begin(), nearest.end(), owners[index]) == nearest.end()) {
      nearest.push_back(owners[index]);
    }
    if (nearest.size() == 3) break;
  }
  std::string hint = DidYouMean(nearest);
  hint += fmt::format("{}run `suanli catalog accelerators|systems|models` for the lists",
                      hint.empty() ? "" : " ");
  return ReportError("show", MakeError(fmt::format("unknown id '{}'", id), "ID", hint));
}

}  // namespace suanli::cli
