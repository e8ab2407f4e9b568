// Reads data/engines.yaml into EngineSpec values with a source per number.
#include "serve/engine.h"
#include "core/i18n.h"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/embedded.h"
#include "core/text.h"
#include "core/yaml_reader.h"
#include "workload/stack.h"

namespace suanli {
namespace {

Result<std::vector<Precision>> ParseFormats(const YamlMap& entry, std::string_view key) {
  SUANLI_ASSIGN_OR_RETURN(std::vector<std::string> names, entry.StringList(key));
  std::vector<Precision> formats;
  for (const std::string& name : names) {
    Result<Precision> format = ParsePrecision(name);
    if (!format.ok()) return MakeError(format.error().message, entry.Where(key), format.error().hint);
    formats.push_back(*format);
  }
  if (formats.empty()) return MakeError(Tr("needs at least one format"), entry.Where(key));
  return formats;
}

// Records `text` for each numeric field with the entry's default source, or
// the override in `field_sources`.
Status RecordSources(const YamlMap& entry, EngineSpec& e) {
  SUANLI_ASSIGN_OR_RETURN(const std::string source, entry.String("source"));
  const std::string confidence = entry.StringOr("confidence", "medium");
  const char* kFields[] = {"graph_max_batch", "max_batch", "prefill_budget", "host_overhead",
                           "eager_layer_overhead", "cuda_graphs", "preemption", "weight_formats",
                           "kv_formats", "weight_only_bandwidth", "admission", "request_overhead", "first_token",
                           "window_kv", "platforms", "memory_fraction", "memory_fraction_of"};
  for (const char* field : kFields) {
    if (!entry.Has(field)) continue;
    FieldRecord record{field, YAML::Dump(entry.Node(field)), source, confidence};
    e.provenance.push_back(record);
  }
  if (!entry.Has("field_sources")) return OkStatus();
  SUANLI_ASSIGN_OR_RETURN(const YamlMap overrides, entry.Map("field_sources"));
  for (const auto& item : overrides.node()) {
    const std::string path = item.first.as<std::string>();
    auto it = std::find_if(e.provenance.begin(), e.provenance.end(),
                           [&](const FieldRecord& r) { return r.path == path; });
    if (it == e.provenance.end()) {
      return MakeError(TrFormat("field_sources names unknown field '{}'", path), overrides.Where(path));
    }
    SUANLI_ASSIGN_OR_RETURN(const YamlMap one, overrides.Map(path));
    SUANLI_RETURN_IF_ERROR(one.CheckKeys({"source", "confidence"}));
    SUANLI_ASSIGN_OR_RETURN(it->source, one.String("source"));
    it->confidence = one.StringOr("confidence", confidence);
  }
  return OkStatus();
}

// One speculative method; its source is recorded with the engine's fields.
Result<SpeculativeMethod> ParseSpeculative(const YamlMap& one) {
  SUANLI_RETURN_IF_ERROR(one.CheckKeys({"id", "draft_tokens", "acceptance", "draft_cost", "source", "confidence"}));
  SpeculativeMethod m;
  SUANLI_ASSIGN_OR_RETURN(m.id, one.String("id"));
  SUANLI_ASSIGN_OR_RETURN(const int64_t k, one.Int("draft_tokens", 1, 16));
  m.draft_tokens = static_cast<int>(k);
  SUANLI_ASSIGN_OR_RETURN(m.acceptance, one.Number("acceptance", 0.0, 0.999));
  SUANLI_ASSIGN_OR_RETURN(m.draft_cost, one.Number("draft_cost", 0.0, 1.0));
  SUANLI_ASSIGN_OR_RETURN(const std::string source, one.String("source"));
  if (source.empty()) return MakeError(Tr("needs a source"), one.Where("source"));
  return m;
}

// One device-dependent batch-defaults rule: accelerator id prefixes, or a
// memory threshold; its source is required.
Result<DeviceBatchDefaults> ParseDeviceDefaults(const YamlMap& one) {
  SUANLI_RETURN_IF_ERROR(one.CheckKeys({"accelerators", "below_memory", "max_batch", "prefill_budget", "source",
                                        "confidence"}));
  DeviceBatchDefaults d;
  const bool by_id = one.Has("accelerators");
  if (by_id == one.Has("below_memory")) {
    return MakeError(Tr("a device_defaults rule names either accelerators or below_memory"), one.Where(),
                     Tr("write accelerators: [a100] or below_memory: 70 GiB"));
  }
  if (by_id) {
    SUANLI_ASSIGN_OR_RETURN(d.accelerator_prefixes, one.StringList("accelerators"));
    if (d.accelerator_prefixes.empty()) {
      return MakeError(Tr("needs at least one accelerator id prefix"), one.Where("accelerators"));
    }
    for (std::string& prefix : d.accelerator_prefixes) prefix = ToLower(prefix);
  } else {
    SUANLI_ASSIGN_OR_RETURN(d.below_memory_bytes, one.Quantity("below_memory", Dimension::kBytes));
  }
  SUANLI_ASSIGN_OR_RETURN(const int64_t max_batch, one.Int("max_batch", 1, 1 << 16));
  SUANLI_ASSIGN_OR_RETURN(const int64_t budget, one.Int("prefill_budget", 1, 1 << 22));
  d.batch = {static_cast<int>(max_batch), static_cast<int>(budget)};
  SUANLI_ASSIGN_OR_RETURN(const std::string source, one.String("source"));
  if (source.empty()) return MakeError(Tr("needs a source"), one.Where("source"));
  return d;
}

Result<EngineSpec> ParseEngine(const YamlMap& entry) {
  SUANLI_RETURN_IF_ERROR(entry.CheckKeys({"id", "name", "weight_formats", "kv_formats", "cuda_graphs",
                                          "graph_max_batch", "max_batch", "prefill_budget",
                                          "host_overhead", "eager_layer_overhead", "preemption",
                                          "weight_only_bandwidth", "admission", "request_overhead",
                                          "first_token", "window_kv", "device_defaults", "speculative", "platforms",
                                          "memory_fraction", "memory_fraction_of", "source",
                                          "confidence",
                                          "field_sources", "notes"}));
  EngineSpec e;
  SUANLI_ASSIGN_OR_RETURN(e.id, entry.String("id"));
  e.name = entry.StringOr("name", e.id);
  SUANLI_ASSIGN_OR_RETURN(e.weight_formats, ParseFormats(entry, "weight_formats"));
  SUANLI_ASSIGN_OR_RETURN(e.kv_formats, ParseFormats(entry, "kv_formats"));
  SUANLI_ASSIGN_OR_RETURN(e.cuda_graphs, entry.Bool("cuda_graphs"));
  SUANLI_ASSIGN_OR_RETURN(const int64_t graph_batch, entry.Int("graph_max_batch", 0, 1 << 16));
  SUANLI_ASSIGN_OR_RETURN(const int64_t max_batch, entry.Int("max_batch", 1, 1 << 16));
  SUANLI_ASSIGN_OR_RETURN(const int64_t budget, entry.Int("prefill_budget", 1, 1 << 22));
  e.graph_max_batch = static_cast<int>(graph_batch);
  e.max_batch = static_cast<int>(max_batch);
  e.prefill_budget_tokens = static_cast<int>(budget);
  SUANLI_ASSIGN_OR_RETURN(e.host_overhead_s, entry.Quantity("host_overhead", Dimension::kSeconds));
  SUANLI_ASSIGN_OR_RETURN(e.eager_layer_overhead_s,
                          entry.Quantity("eager_layer_overhead", Dimension::kSeconds));
  SUANLI_ASSIGN_OR_RETURN(e.weight_only_bandwidth, entry.NumberOr("weight_only_bandwidth", 1.0, 0.05, 1.0));
  SUANLI_ASSIGN_OR_RETURN(e.request_overhead_s,
                          entry.QuantityInRangeOr("request_overhead", Dimension::kSeconds, 0.0, 0.0, 10.0));
  const std::string admission = entry.StringOr("admission", "greedy");
  if (admission != "greedy" && admission != "reserve") {
    return MakeError(TrFormat("unknown admission '{}'", admission), entry.Where("admission"),
                     Tr("write admission: greedy or admission: reserve"));
  }
  e.reserve_output = admission == "reserve";
  const std::string first_token = entry.StringOr("first_token", "prefill");
  if (first_token != "prefill" && first_token != "decode") {
    return MakeError(TrFormat("unknown first_token '{}'", first_token), entry.Where("first_token"),
                     Tr("write first_token: prefill or first_token: decode"));
  }
  e.first_token_in_decode = first_token == "decode";
  const std::string window_kv = entry.StringOr("window_kv", "all");
  if (window_kv != "all" && window_kv != "window") {
    return MakeError(TrFormat("unknown window_kv '{}'", window_kv), entry.Where("window_kv"),
                     Tr("write window_kv: window or window_kv: all"));
  }
  e.window_frees_kv = window_kv == "window";
  SUANLI_ASSIGN_OR_RETURN(e.memory.fraction, entry.NumberOr("memory_fraction", 1.0, 0.05, 1.0));
  const std::string share_of = entry.StringOr("memory_fraction_of", "total");
  if (share_of == "total") {
    e.memory.of = MemoryShareOf::kTotal;
  } else if (share_of == "static") {
    e.memory.of = MemoryShareOf::kStatic;
  } else if (share_of == "free_after_load") {
    e.memory.of = MemoryShareOf::kFreeAfterLoad;
  } else if (share_of == "free_after_weights") {
    e.memory.of = MemoryShareOf::kFreeAfterWeights;
  } else {
    return MakeError(TrFormat("unknown memory_fraction_of '{}'", share_of), entry.Where("memory_fraction_of"),
                     Tr("write total, static, free_after_load or free_after_weights"));
  }
  Provenance rule_records;  // listed after the engine's own fields
  if (entry.Has("device_defaults")) {
    SUANLI_ASSIGN_OR_RETURN(std::vector<YamlMap> rules, entry.MapList("device_defaults"));
    for (const YamlMap& one : rules) {
      SUANLI_ASSIGN_OR_RETURN(DeviceBatchDefaults rule, ParseDeviceDefaults(one));
      // Each rule carries its own source (the engine's provenance lists it).
      YAML::Node written = YAML::Clone(one.node());
      written.remove("source");
      written.remove("confidence");
      rule_records.push_back({fmt::format("device_defaults[{}]", e.device_defaults.size()), YAML::Dump(written),
                              one.StringOr("source", ""), one.StringOr("confidence", "medium")});
      e.device_defaults.push_back(std::move(rule));
    }
  }
  if (entry.Has("speculative")) {
    SUANLI_ASSIGN_OR_RETURN(std::vector<YamlMap> methods, entry.MapList("speculative"));
    for (const YamlMap& one : methods) {
      SUANLI_ASSIGN_OR_RETURN(SpeculativeMethod method, ParseSpeculative(one));
      e.speculative.push_back(method);
    }
  }
  SUANLI_ASSIGN_OR_RETURN(e.preemption, entry.String("preemption"));
  if (e.preemption != "recompute") {
    return MakeError(Tr("only preemption by recompute is modelled"), entry.Where("preemption"),
                     Tr("write preemption: recompute"));
  }
  if (entry.Has("platforms")) {
    SUANLI_ASSIGN_OR_RETURN(e.platforms, entry.StringList("platforms"));
    if (e.platforms.empty()) {
      return MakeError(Tr("an empty platforms list runs nowhere"), entry.Where("platforms"),
                       Tr("list the vendors the engine runs on, or leave platforms out"));
    }
  }
  e.notes = entry.StringOr("notes", "");
  SUANLI_RETURN_IF_ERROR(RecordSources(entry, e));
  e.provenance.insert(e.provenance.end(), rule_records.begin(), rule_records.end());
  return e;
}

}  // namespace

BatchDefaults EngineSpec::DefaultsFor(const Accelerator& accelerator) const {
  const std::string id = ToLower(accelerator.id);
  for (const DeviceBatchDefaults& rule : device_defaults) {
    const bool by_id = std::any_of(rule.accelerator_prefixes.begin(), rule.accelerator_prefixes.end(),
                                   [&](const std::string& prefix) { return id.rfind(prefix, 0) == 0; });
    const bool by_memory = rule.accelerator_prefixes.empty() && accelerator.memory_bytes < rule.below_memory_bytes;
    if (by_id || by_memory) return rule.batch;
  }
  return {max_batch, prefill_budget_tokens};
}

bool EngineSpec::ServesWeights(Precision format) const {
  return std::find(weight_formats.begin(), weight_formats.end(), format) != weight_formats.end();
}

const SpeculativeMethod* EngineSpec::FindSpeculative(std::string_view method) const {
  const std::string lower = ToLower(method);
  for (const SpeculativeMethod& m : speculative) {
    if (m.id == lower) return &m;
  }
  return nullptr;
}

Status EngineSpec::CheckSpeculative(std::string_view method, std::string_view model_id, int mtp_layers) const {
  if (method.empty()) return OkStatus();
  std::vector<std::string> drafts;  // the methods with a draft head of their own (not the model's MTP)
  std::vector<std::string> ids;
  for (const SpeculativeMethod& m : speculative) {
    ids.push_back(m.id);
    if (m.id != "mtp") drafts.push_back(m.id);
  }
  const std::string other = drafts.empty() ? Tr("leave --speculative out")
                                           : TrFormat("use --speculative {} (a separate draft head), or leave it out",
                                                      fmt::join(drafts, "|"));
  if (FindSpeculative(method) == nullptr) {
    return MakeError(TrFormat("{} runs no '{}' speculative decoding (it runs: {})", id, method,
                              ids.empty() ? Tr("none") : fmt::format("{}", fmt::join(ids, ", "))),
                     "--speculative", ids.empty() ? Tr("leave --speculative out") : other);
  }
  if (ToLower(method) == "mtp" && mtp_layers <= 0) {
    return MakeError(TrFormat("{} has no multi-token-prediction modules (mtp_layers {}): --speculative mtp drafts "
                              "with the model's own MTP modules (DeepSeek-V3)",
                              model_id, mtp_layers),
                     "--speculative", other);
  }
  return OkStatus();
}

bool EngineSpec::ServesKv(Precision format) const {
  return std::find(kv_formats.begin(), kv_formats.end(), format) != kv_formats.end();
}

std::optional<Precision> EngineSpec::EightBitKv() const {
  for (const Precision format : kv_formats) {
    if (BytesPerElement(format) == 1.0) return format;
  }
  return std::nullopt;
}

Status EngineSpec::CheckFormats(std::optional<Precision> weights, std::optional<Precision> kv) const {
  const auto names = [](const std::vector<Precision>& formats) {
    std::vector<std::string_view> out;
    for (Precision p : formats) out.push_back(PrecisionName(p));
    return fmt::format("{}", fmt::join(out, ", "));
  };
  if (weights && !ServesWeights(*weights)) {
    return MakeError(TrFormat("{} does not serve {} weights (it serves {})", id, PrecisionName(*weights),
                              names(weight_formats)),
                     "--weights");
  }
  if (kv && !ServesKv(*kv)) {
    return MakeError(
        TrFormat("{} does not keep a {} KV cache (it keeps {})", id, PrecisionName(*kv), names(kv_formats)), "--kv");
  }
  return OkStatus();
}

Status EngineSpec::CheckRunsOn(const Accelerator& accelerator) const {
  if (platforms.empty()) return OkStatus();
  for (const std::string& platform : platforms) {
    if (IsPlatform(accelerator.vendor, platform)) return OkStatus();
  }
  return MakeError(TrFormat("{} does not run on {} ({} devices); it runs on {} devices", id, accelerator.id,
                            accelerator.vendor, fmt::join(platforms, ", ")),
                   "--engine", Tr("choose an engine that runs there (suanli show ENGINE; vllm runs on most platforms)"));
}

Result<std::vector<EngineSpec>> ParseEngines(std::string_view text, const std::string& file_name) {
  return ReadIdList<EngineSpec>(text, file_name, "engines", ParseEngine);
}

Result<std::vector<EngineSpec>> LoadEmbeddedEngines() {
  return ParseEngines(FindEmbeddedFile("engines.yaml"), "data/engines.yaml");
}

Result<const EngineSpec*> FindEngine(const std::vector<EngineSpec>& engines, std::string_view id) {
  const std::string lower = ToLower(id);
  std::vector<std::string> ids;
  for (const EngineSpec& engine : engines) {
    if (engine.id == lower) return &engine;
    ids.push_back(engine.id);
  }
  return MakeError(TrFormat("unknown engine '{}'", id), "--engine",
                   DidYouMean(NearestMatches(id, ids)));
}

std::string DefaultEngineFor(std::string_view accelerator_vendor) {
  return accelerator_vendor == "Huawei" ? "mindie" : "vllm";
}

}  // namespace suanli
