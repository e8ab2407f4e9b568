// Reads data/serving/datasets.yaml into ServingDataset values.
#include "serve/dataset.h"

#include "core/embedded.h"
#include "core/i18n.h"
#include "core/text.h"
#include "core/yaml_reader.h"

namespace suanli {
namespace {

// One length block {mean, dist, spread, max}: a mean of at least one token, a
// known distribution, a spread its distribution can take, a cap not below the mean.
Result<LengthDistribution> ParseLengths(const YamlMap& entry, std::string_view key) {
  SUANLI_ASSIGN_OR_RETURN(const YamlMap block, entry.Map(key));
  SUANLI_RETURN_IF_ERROR(block.CheckKeys({"mean", "dist", "spread", "max"}));
  LengthDistribution d;
  SUANLI_ASSIGN_OR_RETURN(d.mean_tokens, block.Number("mean", 1.0, 1e7));
  SUANLI_ASSIGN_OR_RETURN(const std::string dist, block.String("dist"));
  Result<LengthKind> kind = ParseLengthKind(dist);
  if (!kind.ok()) return MakeError(kind.error().message, block.Where("dist"), kind.error().hint);
  d.kind = *kind;
  const double max_spread = d.kind == LengthKind::kUniform ? 1.0 : 3.0;
  SUANLI_ASSIGN_OR_RETURN(d.spread, block.NumberOr("spread", 0.0, 0.0, max_spread));
  if (d.kind == LengthKind::kFixed && d.spread != 0) {
    return MakeError(Tr("a fixed length has no spread"), block.Where("spread"),
                     Tr("write spread: 0, or dist: uniform or lognormal"));
  }
  SUANLI_ASSIGN_OR_RETURN(d.max_tokens, block.IntOr("max", 0, 0, 100'000'000));
  if (d.max_tokens > 0 && static_cast<double>(d.max_tokens) < d.mean_tokens) {
    return MakeError(TrFormat("max {} is below the mean {}", d.max_tokens, d.mean_tokens), block.Where("max"),
                     Tr("give a cap of at least the mean, or 0 for none"));
  }
  return d;
}

// Checks that a confidence is one of the four the file uses.
Status CheckConfidence(const YamlMap& entry, const std::string& confidence) {
  if (confidence == "high" || confidence == "medium" || confidence == "derived" || confidence == "estimate") {
    return OkStatus();
  }
  return MakeError(TrFormat("unknown confidence '{}'", confidence), entry.Where("confidence"),
                   Tr("write high, medium, derived or estimate"));
}

// One used_by entry {source, model}: both prefixes must be non-empty.
Result<DatasetBenchmark> ParseDatasetBenchmark(const YamlMap& entry) {
  SUANLI_RETURN_IF_ERROR(entry.CheckKeys({"source", "model"}));
  DatasetBenchmark b;
  SUANLI_ASSIGN_OR_RETURN(b.source, entry.String("source"));
  SUANLI_ASSIGN_OR_RETURN(b.model, entry.String("model"));
  const std::pair<const char*, const std::string*> prefixes[] = {{"source", &b.source}, {"model", &b.model}};
  for (const auto& [key, prefix] : prefixes) {
    if (NormalizeId(*prefix).empty()) {
      return MakeError(Tr("needs a non-empty prefix"), entry.Where(key),
                       Tr("write the benchmark suite's source prefix and the task's model name"));
    }
  }
  return b;
}

Result<ServingDataset> ParseDataset(const YamlMap& entry) {
  SUANLI_RETURN_IF_ERROR(entry.CheckKeys(
      {"id", "name", "samples", "input", "output", "source", "date", "confidence", "notes", "used_by"}));
  ServingDataset d;
  SUANLI_ASSIGN_OR_RETURN(d.id, entry.String("id"));
  d.name = entry.StringOr("name", d.id);
  SUANLI_ASSIGN_OR_RETURN(d.samples, entry.IntOr("samples", 0, 0, 1'000'000'000));
  SUANLI_ASSIGN_OR_RETURN(d.input, ParseLengths(entry, "input"));
  SUANLI_ASSIGN_OR_RETURN(d.output, ParseLengths(entry, "output"));
  SUANLI_ASSIGN_OR_RETURN(d.source, entry.String("source"));
  if (d.source.empty()) return MakeError(Tr("needs a source"), entry.Where("source"));
  SUANLI_ASSIGN_OR_RETURN(d.date, entry.String("date"));
  SUANLI_ASSIGN_OR_RETURN(d.confidence, entry.String("confidence"));
  SUANLI_RETURN_IF_ERROR(CheckConfidence(entry, d.confidence));
  d.notes = entry.StringOr("notes", "");
  if (entry.Has("used_by")) {
    SUANLI_ASSIGN_OR_RETURN(const std::vector<YamlMap> benchmarks, entry.MapList("used_by"));
    for (const YamlMap& benchmark : benchmarks) {
      SUANLI_ASSIGN_OR_RETURN(DatasetBenchmark b, ParseDatasetBenchmark(benchmark));
      d.used_by.push_back(std::move(b));
    }
  }
  return d;
}

Result<BenchmarkDefault> ParseBenchmark(const YamlMap& entry) {
  SUANLI_RETURN_IF_ERROR(entry.CheckKeys({"engine", "tool", "concurrency", "source", "date", "confidence"}));
  BenchmarkDefault b;
  SUANLI_ASSIGN_OR_RETURN(b.engine, entry.String("engine"));
  b.tool = entry.StringOr("tool", "");
  SUANLI_ASSIGN_OR_RETURN(b.concurrency, entry.IntOr("concurrency", 0, 0, 1'000'000));
  SUANLI_ASSIGN_OR_RETURN(b.source, entry.String("source"));
  if (b.source.empty()) return MakeError(Tr("needs a source"), entry.Where("source"));
  SUANLI_ASSIGN_OR_RETURN(b.date, entry.String("date"));
  SUANLI_ASSIGN_OR_RETURN(b.confidence, entry.String("confidence"));
  SUANLI_RETURN_IF_ERROR(CheckConfidence(entry, b.confidence));
  return b;
}

}  // namespace

Result<ServingDatasets> ParseServingDatasets(std::string_view text, const std::string& file_name) {
  SUANLI_ASSIGN_OR_RETURN(YAML::Node root, ParseYaml(text, file_name));
  const YamlMap top(root, file_name, "");
  SUANLI_RETURN_IF_ERROR(top.CheckKeys({"default", "datasets", "benchmarks"}));
  ServingDatasets out;
  SUANLI_ASSIGN_OR_RETURN(out.default_id, top.String("default"));
  SUANLI_ASSIGN_OR_RETURN(const std::vector<YamlMap> entries, top.MapList("datasets"));
  for (const YamlMap& entry : entries) {
    SUANLI_ASSIGN_OR_RETURN(ServingDataset d, ParseDataset(entry));
    for (const ServingDataset& seen : out.datasets) {
      if (seen.id == d.id) {
        return MakeError(TrFormat("duplicate id '{}' in {}", d.id, "datasets"), entry.Where("id"),
                         Tr("give each entry its own id"));
      }
    }
    out.datasets.push_back(std::move(d));
  }
  if (top.Has("benchmarks")) {
    SUANLI_ASSIGN_OR_RETURN(const std::vector<YamlMap> benchmarks, top.MapList("benchmarks"));
    for (const YamlMap& entry : benchmarks) {
      SUANLI_ASSIGN_OR_RETURN(BenchmarkDefault b, ParseBenchmark(entry));
      if (FindBenchmarkDefault(out, b.engine) != nullptr) {
        return MakeError(TrFormat("duplicate id '{}' in {}", b.engine, "benchmarks"), entry.Where("engine"),
                         Tr("give each entry its own id"));
      }
      out.benchmarks.push_back(std::move(b));
    }
  }
  Result<const ServingDataset*> fallback = FindServingDataset(out, out.default_id, top.Where("default"));
  if (!fallback.ok()) return fallback.error();
  return out;
}

Result<ServingDatasets> LoadEmbeddedServingDatasets() {
  return ParseServingDatasets(FindEmbeddedFile("serving/datasets.yaml"), "data/serving/datasets.yaml");
}

Result<const ServingDataset*> FindServingDataset(const ServingDatasets& datasets, std::string_view id,
                                                 const std::string& where) {
  const std::string lower = ToLower(id);
  const std::string wanted = lower.empty() || lower == "default" ? datasets.default_id : lower;
  std::vector<std::string> ids;
  for (const ServingDataset& d : datasets.datasets) {
    if (d.id == wanted) return &d;
    ids.push_back(d.id);
  }
  return MakeError(TrFormat("unknown dataset '{}'", id), where, DidYouMean(NearestMatches(id, ids)));
}

const ServingDataset* DatasetOfBenchmark(const ServingDatasets& datasets, std::string_view source,
                                         std::string_view model) {
  const std::string row_source = NormalizeId(source), row_model = NormalizeId(model);
  for (const ServingDataset& d : datasets.datasets) {
    for (const DatasetBenchmark& b : d.used_by) {
      if (row_source.rfind(NormalizeId(b.source), 0) == 0 && row_model.rfind(NormalizeId(b.model), 0) == 0) return &d;
    }
  }
  return nullptr;
}

const BenchmarkDefault* FindBenchmarkDefault(const ServingDatasets& datasets, std::string_view engine) {
  for (const BenchmarkDefault& b : datasets.benchmarks) {
    if (b.engine == engine) return &b;
  }
  return nullptr;
}

Result<ServingDataset> DatasetLengths(std::string_view id) {
  SUANLI_ASSIGN_OR_RETURN(const ServingDatasets datasets, LoadEmbeddedServingDatasets());
  SUANLI_ASSIGN_OR_RETURN(const ServingDataset* found, FindServingDataset(datasets, id));
  return *found;
}

}  // namespace suanli
