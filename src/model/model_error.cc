#include "model/model_error.h"

#include <cstdio>
#include <cstdlib>

#include <fmt/format.h>

#include "core/embedded.h"
#include "core/yaml_reader.h"
#include "core/i18n.h"
#include "model/reliability.h"

namespace suanli {
namespace {

// Reads one family's block: median, log_sd, step_rows, source.
Result<FamilyModelError> ReadFamily(const YamlMap& root, std::string_view key) {
  SUANLI_ASSIGN_OR_RETURN(const YamlMap map, root.Map(key));
  SUANLI_RETURN_IF_ERROR(map.CheckKeys({"median", "log_sd", "step_rows", "source"}));
  FamilyModelError family;
  SUANLI_ASSIGN_OR_RETURN(family.error.median, map.Number("median", 1e-3, 1e3));
  SUANLI_ASSIGN_OR_RETURN(family.error.log_sd, map.Number("log_sd", 0, 10));
  SUANLI_ASSIGN_OR_RETURN(const int64_t rows, map.Int("step_rows", 0, 1000000));
  family.step_rows = static_cast<int>(rows);
  SUANLI_ASSIGN_OR_RETURN(family.source, map.String("source"));
  return family;
}

}  // namespace

Result<ModelErrorTable> ParseModelErrorYaml(std::string_view text, const std::string& file_name) {
  SUANLI_ASSIGN_OR_RETURN(const YAML::Node node, ParseYaml(text, file_name));
  if (!node.IsMap()) return MakeError(Tr("expected a mapping with date, runs, dense and moe"), file_name);
  const YamlMap root(node, file_name, "");
  SUANLI_RETURN_IF_ERROR(root.CheckKeys({"date", "runs", "dense", "moe"}));
  ModelErrorTable table;
  SUANLI_ASSIGN_OR_RETURN(table.date, root.String("date"));
  SUANLI_ASSIGN_OR_RETURN(const std::vector<YamlMap> runs, root.MapList("runs"));
  for (const YamlMap& run : runs) {
    SUANLI_RETURN_IF_ERROR(run.CheckKeys({"file", "rows"}));
    RunsFileRows rows;
    SUANLI_ASSIGN_OR_RETURN(rows.file, run.String("file"));
    SUANLI_ASSIGN_OR_RETURN(const int64_t count, run.Int("rows", 1, 10000000));
    rows.rows = static_cast<int>(count);
    table.runs.push_back(std::move(rows));
  }
  SUANLI_ASSIGN_OR_RETURN(table.dense, ReadFamily(root, "dense"));
  SUANLI_ASSIGN_OR_RETURN(table.moe, ReadFamily(root, "moe"));
  return table;
}

std::string ModelErrorSource(const ModelErrorTable& table, int step_rows, std::string_view family) {
  std::vector<std::string> files;
  for (const RunsFileRows& run : table.runs) files.push_back(fmt::format("{} (first {} rows)", run.file, run.rows));
  return fmt::format("{} {} step-rate rows of {}; suanli validate, {}", step_rows, family,
                     fmt::join(files, " and "), table.date);
}

std::string ModelErrorYaml(const ModelErrorTable& table) {
  std::string out =
      "# The planner's model error: realised / predicted throughput of published training\n"
      "# step rates against the step model's prediction for each row's own layout, a\n"
      "# log-normal per model family (src/model/reliability.h, docs/validation.md).\n"
      "# Written by `suanli validate RUNS.csv... --write-model-error FILE`; the validate tests\n"
      "# recompute it from the same rows of the same files and fail when it drifts.\n";
  out += fmt::format("date: {}\nruns:  # the files predicted and how many rows of each, from its first\n", table.date);
  for (const RunsFileRows& run : table.runs) out += fmt::format("  - file: {}\n    rows: {}\n", run.file, run.rows);
  auto family = [&](std::string_view key, const FamilyModelError& f) {
    out += fmt::format("{}:\n  median: {:.3f}\n  log_sd: {:.3f}\n  step_rows: {}\n  source: \"{}\"\n", key,
                       f.error.median, f.error.log_sd, f.step_rows, f.source);
  };
  family("dense", table.dense);
  family("moe", table.moe);
  return out;
}

const ModelErrorTable& ShippedModelError() {
  static const ModelErrorTable table = [] {
    auto parsed = ParseModelErrorYaml(FindEmbeddedFile(kModelErrorFile), "data/" + std::string(kModelErrorFile));
    if (!parsed.ok()) {
      std::fprintf(stderr, "suanli: the embedded model-error file is broken (a build defect): %s\n",
                   parsed.error().ToString().c_str());
      std::abort();
    }
    return *std::move(parsed);
  }();
  return table;
}

ThroughputBand P10P90Band(const ModelError& error) {
  return {ThroughputRatioAt(error, 0.1), ThroughputRatioAt(error, 0.9)};
}

}  // namespace suanli
