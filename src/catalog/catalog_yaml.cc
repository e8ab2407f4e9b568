// Reading accelerator and system entries of the catalog's YAML files: strict
// schema checks, units, and the provenance of every number.
#include "catalog/catalog_yaml.h"

#include "catalog/catalog.h"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "core/text.h"
#include "core/i18n.h"

namespace suanli {
namespace {

constexpr std::string_view kDefaultAssumption = "default assumption (docs/calibration.md)";

Status CheckConfidence(const YamlMap& map, std::string_view key, const std::string& value) {
  if (value == "high" || value == "medium" || value == "low" || value == "estimate") {
    return OkStatus();
  }
  return MakeError(TrFormat("invalid confidence '{}'", value), map.Where(key),
                   Tr("use high, medium, low or estimate"));
}

// Collects the sources of one catalog entry: the entry defaults and the
// per-field overrides of `field_sources`.
class SourceBook {
 public:
  // Reads `source`, `confidence` and `field_sources` of `entry`; override keys
  // must be among `known_paths`.
  static Result<SourceBook> Read(const YamlMap& entry, const std::vector<std::string>& known_paths) {
    SourceBook book;
    SUANLI_ASSIGN_OR_RETURN(book.source_, entry.String("source"));
    book.confidence_ = entry.StringOr("confidence", "high");
    SUANLI_RETURN_IF_ERROR(CheckConfidence(entry, "confidence", book.confidence_));
    if (entry.Has("field_sources")) {
      SUANLI_ASSIGN_OR_RETURN(YamlMap overrides, entry.Map("field_sources"));
      for (const auto& item : overrides.node()) {
        const std::string path = item.first.Scalar();
        if (std::find(known_paths.begin(), known_paths.end(), path) == known_paths.end()) {
          const YAML::Mark mark = item.first.Mark();
          return MakeError(TrFormat("field_sources names unknown field '{}'", path),
                           fmt::format("{}:{}:{} {}.{}", overrides.file_name(), mark.line + 1,
                                       mark.column + 1, overrides.path(), path),
                           DidYouMean(NearestMatches(path, known_paths)));
        }
        SUANLI_ASSIGN_OR_RETURN(YamlMap one, overrides.Map(path));
        SUANLI_RETURN_IF_ERROR(one.CheckKeys({"source", "confidence"}));
        Override value;
        SUANLI_ASSIGN_OR_RETURN(value.source, one.String("source"));
        value.confidence = one.StringOr("confidence", book.confidence_);
        SUANLI_RETURN_IF_ERROR(CheckConfidence(one, "confidence", value.confidence));
        book.overrides_[path] = value;
      }
    }
    return book;
  }

  // Appends a record for `path` whose value was written as `text`.
  void Record(Provenance& provenance, const std::string& path, const std::string& text) const {
    auto it = overrides_.find(path);
    if (it != overrides_.end()) {
      provenance.push_back({path, text, it->second.source, it->second.confidence});
    } else {
      provenance.push_back({path, text, source_, confidence_});
    }
  }
  // Appends a record for a default value the entry does not give.
  static void RecordDefault(Provenance& provenance, const std::string& path, double value,
                            std::string_view source = kDefaultAssumption) {
    provenance.push_back(
        {path, fmt::format("{}", value), std::string(source), "estimate", "", InRunLanguage(source)});
  }

 private:
  struct Override {
    std::string source;
    std::string confidence;
  };
  std::string source_;
  std::string confidence_;
  std::map<std::string, Override> overrides_;
};

const std::vector<std::string>& AcceleratorPaths() {
  static const std::vector<std::string> paths = [] {
    std::vector<std::string> p = {"year", "memory", "memory_bandwidth",
                                  "scale_up.bandwidth_per_direction", "scale_up.domain",
                                  "scale_out.bandwidth_per_direction", "tdp", "efficiency.gemm",
                                  "efficiency.hbm", "efficiency.scale_up", "efficiency.scale_out",
                                  "efficiency.attention_flash2"};
    for (Precision precision : AllPrecisions()) {
      p.push_back("peak." + std::string(PrecisionName(precision)));
    }
    return p;
  }();
  return paths;
}

const std::vector<std::string>& SystemPaths() {
  static const std::vector<std::string> paths = {
      "accelerators_per_node", "scale_up.domain", "scale_up.bandwidth_per_direction",
      "scale_out.nics", "scale_out.nic_bandwidth", "power", "host", "host_memory",
      "runtime_reserve"};
  return paths;
}

// Returns the physically sensible range of a catalog quantity (SI base units):
// wide enough for anything from a 2010 CPU socket to a rack, narrow
// enough to catch a wrong unit (1e-300 TFLOPS, 80 B of memory).
std::pair<double, double> CatalogBounds(Dimension dimension) {
  switch (dimension) {
    case Dimension::kBytes: return std::make_pair(64 * kMiB, 64 * 1024 * kGiB);
    case Dimension::kBytesPerSecond: return std::make_pair(1e6, 1e15);
    case Dimension::kFlopsPerSecond: return std::make_pair(1e9, 1e17);
    case Dimension::kWatts: return std::make_pair(1.0, 1e7);
    default: break;
  }
  return std::make_pair(0.0, 1e300);
}

// Reads a quantity, checks its range and records its provenance.
Result<double> SourcedQuantity(const YamlMap& map, std::string_view key, Dimension dimension,
                               const SourceBook& book, Provenance& provenance,
                               const std::string& path) {
  const auto [min, max] = CatalogBounds(dimension);
  SUANLI_ASSIGN_OR_RETURN(double value, map.QuantityInRange(key, dimension, min, max));
  book.Record(provenance, path, map.Node(key).Scalar());
  return value;
}

Result<int64_t> SourcedInt(const YamlMap& map, std::string_view key, int64_t min, int64_t max,
                           const SourceBook& book, Provenance& provenance,
                           const std::string& path) {
  SUANLI_ASSIGN_OR_RETURN(int64_t value, map.Int(key, min, max));
  book.Record(provenance, path, map.Node(key).Scalar());
  return value;
}

Result<Accelerator> ParseAccelerator(const YamlMap& entry) {
  SUANLI_RETURN_IF_ERROR(entry.CheckKeys(
      {"id", "name", "vendor", "aliases", "year", "form_factor", "software_stack", "source",
       "confidence", "memory", "memory_type", "memory_bandwidth", "peak", "scale_up", "scale_out",
       "tdp", "efficiency", "export_control", "notes", "zh", "field_sources"}));
  Accelerator a;
  a.where = entry.Where();
  SUANLI_ASSIGN_OR_RETURN(a.id, entry.String("id"));
  SUANLI_ASSIGN_OR_RETURN(a.name, entry.String("name"));
  a.vendor = entry.StringOr("vendor", "");
  SUANLI_ASSIGN_OR_RETURN(a.aliases, entry.StringList("aliases"));
  a.form_factor = entry.StringOr("form_factor", "");
  a.software_stack = entry.StringOr("software_stack", "");
  a.memory_type = entry.StringOr("memory_type", "");
  a.export_control = entry.StringOr("export_control", "");
  a.notes = entry.StringOr("notes", "");
  if (entry.Has("zh")) {  // the Chinese texts of export_control and notes
    SUANLI_ASSIGN_OR_RETURN(const YamlMap zh, entry.Map("zh"));
    SUANLI_RETURN_IF_ERROR(zh.CheckKeys({"export_control", "notes"}));
    a.export_control_zh = zh.StringOr("export_control", "");
    a.notes_zh = zh.StringOr("notes", "");
  }
  SUANLI_ASSIGN_OR_RETURN(const SourceBook book, SourceBook::Read(entry, AcceleratorPaths()));
  Provenance& prov = a.provenance;
  if (entry.Has("year")) {
    SUANLI_ASSIGN_OR_RETURN(int64_t year, SourcedInt(entry, "year", 1950, 2100, book, prov, "year"));
    a.year = static_cast<int>(year);
  }
  SUANLI_ASSIGN_OR_RETURN(a.memory_bytes, SourcedQuantity(entry, "memory", Dimension::kBytes, book,
                                                          prov, "memory"));
  SUANLI_ASSIGN_OR_RETURN(a.memory_Bps,
                          SourcedQuantity(entry, "memory_bandwidth", Dimension::kBytesPerSecond,
                                          book, prov, "memory_bandwidth"));
  SUANLI_ASSIGN_OR_RETURN(YamlMap peak, entry.Map("peak"));
  {
    std::vector<std::string> names;
    for (Precision precision : AllPrecisions()) names.emplace_back(PrecisionName(precision));
    for (const auto& item : peak.node()) {
      const std::string key = item.first.Scalar();
      if (std::find(names.begin(), names.end(), key) == names.end()) {
        return MakeError(TrFormat("unknown precision '{}'", key), peak.Where(key),
                         DidYouMean(NearestMatches(key, names)).empty()
                             ? "known: " + Join(names, ", ")
                             : DidYouMean(NearestMatches(key, names)));
      }
    }
    for (Precision precision : AllPrecisions()) {
      const std::string key(PrecisionName(precision));
      if (!peak.Has(key)) continue;
      SUANLI_ASSIGN_OR_RETURN(a.peak_flops[static_cast<int>(precision)],
                              SourcedQuantity(peak, key, Dimension::kFlopsPerSecond, book, prov,
                                              "peak." + key));
    }
  }
  if (entry.Has("scale_up")) {
    SUANLI_ASSIGN_OR_RETURN(YamlMap up, entry.Map("scale_up"));
    SUANLI_RETURN_IF_ERROR(up.CheckKeys({"kind", "bandwidth_per_direction", "domain"}));
    a.scale_up_kind = up.StringOr("kind", "");
    if (up.Has("bandwidth_per_direction")) {
      SUANLI_ASSIGN_OR_RETURN(a.scale_up_Bps,
                              SourcedQuantity(up, "bandwidth_per_direction",
                                              Dimension::kBytesPerSecond, book, prov,
                                              "scale_up.bandwidth_per_direction"));
    }
    if (up.Has("domain")) {
      SUANLI_ASSIGN_OR_RETURN(int64_t domain, SourcedInt(up, "domain", 1, 1 << 20, book, prov,
                                                         "scale_up.domain"));
      a.scale_up_domain = static_cast<int>(domain);
    }
  }
  if (entry.Has("scale_out")) {
    SUANLI_ASSIGN_OR_RETURN(YamlMap out, entry.Map("scale_out"));
    SUANLI_RETURN_IF_ERROR(out.CheckKeys({"bandwidth_per_direction"}));
    if (out.Has("bandwidth_per_direction")) {
      SUANLI_ASSIGN_OR_RETURN(a.scale_out_Bps,
                              SourcedQuantity(out, "bandwidth_per_direction",
                                              Dimension::kBytesPerSecond, book, prov,
                                              "scale_out.bandwidth_per_direction"));
    }
  }
  if (entry.Has("tdp")) {
    SUANLI_ASSIGN_OR_RETURN(a.tdp_w,
                            SourcedQuantity(entry, "tdp", Dimension::kWatts, book, prov, "tdp"));
  }
  // Efficiencies: fractions in (0, 1]; absent ones keep the defaults of accelerator.h.
  std::optional<YamlMap> efficiency;
  if (entry.Has("efficiency")) {
    SUANLI_ASSIGN_OR_RETURN(YamlMap eff, entry.Map("efficiency"));
    SUANLI_RETURN_IF_ERROR(eff.CheckKeys({"gemm", "hbm", "scale_up", "scale_out", "attention_flash2"}));
    efficiency = eff;
  }
  // Each fraction with the source recorded when an entry leaves it out.
  struct Fraction {
    const char* key;
    double* target;
    std::string_view default_source;
  };
  const Fraction fractions[] = {
      {"gemm", &a.efficiency.gemm, kDefaultAssumption},
      {"hbm", &a.efficiency.hbm, kDefaultAssumption},
      {"scale_up", &a.efficiency.scale_up, kDefaultAssumption},
      {"scale_out", &a.efficiency.scale_out, kDefaultAssumption},
      {"attention_flash2", &a.efficiency.attention_flash2,
       "default: no faster attention kernel than the FlashAttention-2 class is known for this "
       "architecture (docs/calibration.md)"}};
  for (const auto& [key, target, default_source] : fractions) {
    const std::string path = std::string("efficiency.") + key;
    if (efficiency && efficiency->Has(key)) {
      SUANLI_ASSIGN_OR_RETURN(double value, efficiency->Number(key, 0.0, 1.0));
      if (value <= 0.0) {
        return MakeError(TrFormat("efficiency {} must be greater than 0", key),
                         efficiency->Where(key), Tr("write a fraction in (0, 1], e.g. 0.8"));
      }
      *target = value;
      book.Record(prov, path, efficiency->Node(key).Scalar());
    } else {
      SourceBook::RecordDefault(prov, path, *target, default_source);
    }
  }
  return a;
}

// The scale-out fabrics a system may name (System::fabric): InfiniBand by
// generation, RoCE, AWS EFA, Omni-Path, HPE Slingshot (all RDMA), and plain
// `ethernet` (TCP sockets, no RDMA: docs/perf-model.md §Fabric).
const std::vector<std::string>& KnownFabrics() {
  static const std::vector<std::string> kFabrics = {
      "infiniband-qdr", "infiniband-fdr", "infiniband-edr", "infiniband-hdr", "infiniband-ndr", "infiniband-xdr",
      "roce",           "efa",            "omni-path",      "slingshot",      "ethernet"};
  return kFabrics;
}

// Returns OK for a blank or known scale_out.fabric; else an error at the
// field with the nearest names.
Status CheckFabric(const std::string& fabric, const YamlMap& out) {
  const std::vector<std::string>& known = KnownFabrics();
  if (fabric.empty() || std::find(known.begin(), known.end(), fabric) != known.end()) return OkStatus();
  const std::string nearest = DidYouMean(NearestMatches(fabric, known));
  return MakeError(TrFormat("unknown fabric '{}'", fabric), out.Where("fabric"),
                   nearest.empty() ? TrFormat("use one of {}", Join(known, ", "))
                                   : TrFormat("{} (known: {})", nearest, Join(known, ", ")));
}

Result<System> ParseSystem(const YamlMap& entry, const std::vector<Accelerator>* known) {
  SUANLI_RETURN_IF_ERROR(entry.CheckKeys(
      {"id", "name", "accelerator", "accelerators_per_node", "scale_up", "scale_out", "host",
       "host_memory", "runtime_reserve", "power", "source", "confidence", "notes", "field_sources"}));
  System s;
  SUANLI_ASSIGN_OR_RETURN(s.id, entry.String("id"));
  SUANLI_ASSIGN_OR_RETURN(s.name, entry.String("name"));
  SUANLI_ASSIGN_OR_RETURN(s.accelerator_id, entry.String("accelerator"));
  if (known != nullptr) {
    std::vector<std::string> ids;
    bool found = false;
    for (const Accelerator& a : *known) {
      ids.push_back(a.id);
      found = found || a.id == s.accelerator_id;
    }
    if (!found) {
      std::string hint = DidYouMean(NearestMatches(s.accelerator_id, ids));
      if (hint.empty()) hint = Tr("run `suanli catalog accelerators` for the list");
      return MakeError(TrFormat("unknown accelerator '{}'", s.accelerator_id),
                       entry.Where("accelerator"), hint);
    }
  }
  s.host = entry.StringOr("host", "");
  s.notes = entry.StringOr("notes", "");
  SUANLI_ASSIGN_OR_RETURN(const SourceBook book, SourceBook::Read(entry, SystemPaths()));
  Provenance& prov = s.provenance;
  if (!s.host.empty()) book.Record(prov, "host", s.host);
  SUANLI_ASSIGN_OR_RETURN(int64_t per_node, SourcedInt(entry, "accelerators_per_node", 1, 1 << 20,
                                                       book, prov, "accelerators_per_node"));
  s.accelerators_per_node = static_cast<int>(per_node);
  s.scale_up_domain = s.accelerators_per_node;
  if (entry.Has("scale_up")) {
    SUANLI_ASSIGN_OR_RETURN(YamlMap up, entry.Map("scale_up"));
    SUANLI_RETURN_IF_ERROR(up.CheckKeys({"kind", "domain", "bandwidth_per_direction"}));
    s.scale_up_kind = up.StringOr("kind", "");
    if (up.Has("domain")) {
      SUANLI_ASSIGN_OR_RETURN(int64_t domain, SourcedInt(up, "domain", 1, 1 << 20, book, prov,
                                                         "scale_up.domain"));
      s.scale_up_domain = static_cast<int>(domain);
    }
    if (up.Has("bandwidth_per_direction")) {
      SUANLI_ASSIGN_OR_RETURN(s.scale_up_Bps,
                              SourcedQuantity(up, "bandwidth_per_direction",
                                              Dimension::kBytesPerSecond, book, prov,
                                              "scale_up.bandwidth_per_direction"));
    }
  }
  if (s.scale_up_Bps == 0 && known != nullptr) {
    for (const Accelerator& a : *known) {
      if (a.id == s.accelerator_id) s.scale_up_Bps = a.scale_up_Bps;
    }
  }
  if (entry.Has("scale_out")) {
    SUANLI_ASSIGN_OR_RETURN(YamlMap out, entry.Map("scale_out"));
    SUANLI_RETURN_IF_ERROR(out.CheckKeys({"nics", "nic_bandwidth", "fabric", "rail_optimized"}));
    if (out.Has("nics")) {
      SUANLI_ASSIGN_OR_RETURN(int64_t nics, out.Int("nics", 0, 1 << 16));
      book.Record(prov, "scale_out.nics", out.Node("nics").Scalar());
      s.nics = static_cast<int>(nics);
    }
    if (out.Has("nic_bandwidth")) {
      SUANLI_ASSIGN_OR_RETURN(s.nic_Bps, SourcedQuantity(out, "nic_bandwidth",
                                                         Dimension::kBytesPerSecond, book, prov,
                                                         "scale_out.nic_bandwidth"));
    }
    s.fabric = out.StringOr("fabric", "");
    SUANLI_RETURN_IF_ERROR(CheckFabric(s.fabric, out));
    SUANLI_ASSIGN_OR_RETURN(s.rail_optimized, out.BoolOr("rail_optimized", false));
  }
  if (entry.Has("power")) {
    SUANLI_ASSIGN_OR_RETURN(s.power_w,
                            SourcedQuantity(entry, "power", Dimension::kWatts, book, prov, "power"));
  }
  if (entry.Has("host_memory")) {
    SUANLI_ASSIGN_OR_RETURN(s.host_memory_bytes, SourcedQuantity(entry, "host_memory", Dimension::kBytes, book,
                                                                 prov, "host_memory"));
  }
  if (entry.Has("runtime_reserve")) {
    SUANLI_ASSIGN_OR_RETURN(s.runtime_reserve_bytes, SourcedQuantity(entry, "runtime_reserve", Dimension::kBytes,
                                                                     book, prov, "runtime_reserve"));
  }
  return s;
}

template <class T>
Status CheckUniqueId(const std::vector<T>& seen, const std::string& id, const YamlMap& entry) {
  for (const T& item : seen) {
    if (item.id == id) {
      return MakeError(TrFormat("duplicate id '{}'", id), entry.Where("id"),
                       Tr("each id may appear once per file; a user --catalog file overrides it"));
    }
  }
  return OkStatus();
}

}  // namespace

Result<std::vector<Accelerator>> ParseAcceleratorList(const YamlMap& top) {
  std::vector<Accelerator> out;
  SUANLI_ASSIGN_OR_RETURN(std::vector<YamlMap> items, top.MapList("accelerators"));
  for (const YamlMap& item : items) {
    SUANLI_ASSIGN_OR_RETURN(Accelerator a, ParseAccelerator(item));
    SUANLI_RETURN_IF_ERROR(CheckUniqueId(out, a.id, item));
    out.push_back(std::move(a));
  }
  return out;
}

Result<std::vector<System>> ParseSystemList(const YamlMap& top,
                                            const std::vector<Accelerator>* known) {
  std::vector<System> out;
  SUANLI_ASSIGN_OR_RETURN(std::vector<YamlMap> items, top.MapList("systems"));
  for (const YamlMap& item : items) {
    SUANLI_ASSIGN_OR_RETURN(System s, ParseSystem(item, known));
    SUANLI_RETURN_IF_ERROR(CheckUniqueId(out, s.id, item));
    out.push_back(std::move(s));
  }
  return out;
}

Result<std::vector<Accelerator>> ParseAccelerators(std::string_view text,
                                                   const std::string& file_name) {
  SUANLI_ASSIGN_OR_RETURN(YAML::Node root, ParseYaml(text, file_name));
  return ParseAcceleratorList(YamlMap(root, file_name, ""));
}

Result<std::vector<System>> ParseSystems(std::string_view text, const std::string& file_name) {
  SUANLI_ASSIGN_OR_RETURN(YAML::Node root, ParseYaml(text, file_name));
  return ParseSystemList(YamlMap(root, file_name, ""), nullptr);
}

}  // namespace suanli
