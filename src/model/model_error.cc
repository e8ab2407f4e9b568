#include "model/model_error.h"

#include <cstdio>
#include <cstdlib>

#include <fmt/format.h>

#include "core/embedded.h"
#include "core/yaml_reader.h"
#include "core/i18n.h"
#include "model/reliability.h"
#include "workload/stack.h"

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

// Reads a median and a log sd from `map`.
Result<ModelError> ReadError(const YamlMap& map) {
  ModelError e;
  SUANLI_ASSIGN_OR_RETURN(e.median, map.Number("median", 1e-3, 1e3));
  SUANLI_ASSIGN_OR_RETURN(e.log_sd, map.Number("log_sd", 0, 10));
  return e;
}

// Reads a stack's family block (`dense` or `moe`): present exactly when the
// stack has at least `min_rows` rows of the family.
Result<std::optional<ModelError>> ReadStackFamily(const YamlMap& entry, std::string_view key, int rows,
                                                  int min_rows) {
  if (!entry.Has(key)) {
    if (rows < min_rows) return std::optional<ModelError>();
    return MakeError(TrFormat("missing: the stack has {} rows of the family, at least {}", rows, min_rows),
                     entry.Where(key), Tr("write the family's median and log_sd (suanli validate --write-model-error)"));
  }
  if (rows < min_rows) {
    return MakeError(TrFormat("the stack has only {} rows of the family, fewer than {}", rows, min_rows),
                     entry.Where(key), Tr("remove the block: the family's error over every stack applies"));
  }
  SUANLI_ASSIGN_OR_RETURN(const YamlMap map, entry.Map(key));
  SUANLI_RETURN_IF_ERROR(map.CheckKeys({"median", "log_sd"}));
  SUANLI_ASSIGN_OR_RETURN(const ModelError e, ReadError(map));
  return std::optional<ModelError>(e);
}

// Reads one `stacks:` entry: a known stack id, its row counts, its error over
// all its rows and per family where it has enough rows.
Result<StackModelError> ReadStack(const YamlMap& entry, int min_rows) {
  SUANLI_RETURN_IF_ERROR(entry.CheckKeys({"stack", "dense_rows", "moe_rows", "median", "log_sd", "dense", "moe",
                                          "source"}));
  StackModelError s;
  SUANLI_ASSIGN_OR_RETURN(s.stack, entry.String("stack"));
  auto known = FindStack(s.stack);
  if (!known.ok()) return MakeError(known.error().message, entry.Where("stack"), known.error().hint);
  SUANLI_ASSIGN_OR_RETURN(const int64_t dense_rows, entry.Int("dense_rows", 0, 1000000));
  SUANLI_ASSIGN_OR_RETURN(const int64_t moe_rows, entry.Int("moe_rows", 0, 1000000));
  s.dense_rows = static_cast<int>(dense_rows);
  s.moe_rows = static_cast<int>(moe_rows);
  if (s.dense_rows + s.moe_rows < min_rows) {
    return MakeError(TrFormat("{} step-rate rows in all, fewer than stack_min_step_rows ({})",
                              s.dense_rows + s.moe_rows, min_rows),
                     entry.Where("dense_rows"), Tr("remove the stack: the family errors apply to it"));
  }
  SUANLI_ASSIGN_OR_RETURN(s.all, ReadError(entry));
  SUANLI_ASSIGN_OR_RETURN(s.dense, ReadStackFamily(entry, "dense", s.dense_rows, min_rows));
  SUANLI_ASSIGN_OR_RETURN(s.moe, ReadStackFamily(entry, "moe", s.moe_rows, min_rows));
  SUANLI_ASSIGN_OR_RETURN(s.source, entry.String("source"));
  return s;
}

// Reads `stack_min_step_rows` and `stacks`: each stack once, ordered by id.
Status ReadStacks(const YamlMap& root, ModelErrorTable& table) {
  SUANLI_ASSIGN_OR_RETURN(const int64_t min_rows, root.Int("stack_min_step_rows", 1, 1000000));
  table.stack_min_step_rows = static_cast<int>(min_rows);
  SUANLI_ASSIGN_OR_RETURN(const std::vector<YamlMap> entries, root.MapList("stacks"));
  for (const YamlMap& entry : entries) {
    SUANLI_ASSIGN_OR_RETURN(StackModelError stack, ReadStack(entry, table.stack_min_step_rows));
    if (!table.stacks.empty() && table.stacks.back().stack >= stack.stack) {
      return MakeError(TrFormat("'{}' repeated or out of order", stack.stack), entry.Where("stack"),
                       Tr("list each stack once, ordered by id"));
    }
    table.stacks.push_back(std::move(stack));
  }
  return OkStatus();
}

}  // namespace

Result<ModelErrorTable> ParseModelErrorYaml(std::string_view text, const std::string& file_name) {
  SUANLI_ASSIGN_OR_RETURN(const YAML::Node node, ParseYaml(text, file_name));
  if (!node.IsMap()) return MakeError(Tr("expected a mapping with date, runs, dense and moe"), file_name);
  const YamlMap root(node, file_name, "");
  SUANLI_RETURN_IF_ERROR(root.CheckKeys({"date", "runs", "dense", "moe", "stack_min_step_rows", "stacks"}));
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
  SUANLI_RETURN_IF_ERROR(ReadStacks(root, table));
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
      "# recompute it from the same rows of the same files and fail when it drifts.\n"
      "# A stack's entry has its own median; its log sd is never below its family's over every\n"
      "# stack (validate/statistics.cc MeasuredStackError says why).\n";
  out += fmt::format("date: {}\nruns:  # the files predicted and how many rows of each, from its first\n", table.date);
  for (const RunsFileRows& run : table.runs) out += fmt::format("  - file: {}\n    rows: {}\n", run.file, run.rows);
  auto family = [&](std::string_view key, const FamilyModelError& f) {
    out += fmt::format("{}:\n  median: {:.3f}\n  log_sd: {:.3f}\n  step_rows: {}\n  source: \"{}\"\n", key,
                       f.error.median, f.error.log_sd, f.step_rows, f.source);
  };
  family("dense", table.dense);
  family("moe", table.moe);
  out += fmt::format(
      "stack_min_step_rows: {}  # rows a stack, or one family of it, needs for an error of its own\n"
      "stacks:{}  # per software stack with that many step-rate rows (a blank stack column counts as megatron)\n",
      table.stack_min_step_rows, table.stacks.empty() ? " []" : "");
  auto error = [&](std::string_view indent, const ModelError& e) {
    out += fmt::format("{}median: {:.3f}\n{}log_sd: {:.3f}\n", indent, e.median, indent, e.log_sd);
  };
  for (const StackModelError& s : table.stacks) {
    out += fmt::format("  - stack: {}\n    dense_rows: {}\n    moe_rows: {}\n", s.stack, s.dense_rows, s.moe_rows);
    error("    ", s.all);
    for (const auto& [key, e] : {std::pair{"dense", &s.dense}, std::pair{"moe", &s.moe}}) {
      if (!e->has_value()) continue;
      out += fmt::format("    {}:\n", key);
      error("      ", **e);
    }
    out += fmt::format("    source: \"{}\"\n", s.source);
  }
  return out;
}

const ModelErrorTable& ShippedModelError() {
  static const ModelErrorTable table = [] {
    auto parsed = ParseModelErrorYaml(FindEmbeddedFile(kModelErrorFile), fmt::format("data/{}", kModelErrorFile));
    if (!parsed.ok()) {
      std::fprintf(stderr, "suanli: the embedded model-error file is broken (a build defect): %s\n",
                   parsed.error().ToString().c_str());
      std::abort();
    }
    return *std::move(parsed);
  }();
  return table;
}

const StackModelError* FindStackModelError(const std::vector<StackModelError>& stacks, std::string_view stack) {
  for (const StackModelError& s : stacks)
    if (s.stack == stack) return &s;
  return nullptr;
}

const ModelError* StackErrorFor(const std::vector<StackModelError>& stacks, std::string_view stack, bool moe,
                                bool* all_families, int* step_rows) {
  const StackModelError* s = FindStackModelError(stacks, stack);
  if (s == nullptr) return nullptr;
  const std::optional<ModelError>& family = moe ? s->moe : s->dense;
  const int family_rows = moe ? s->moe_rows : s->dense_rows;
  // No row of the family on this stack: its other family's spread says
  // nothing about this one, so the family's error over every stack applies.
  if (!family.has_value() && family_rows == 0) return nullptr;
  if (all_families != nullptr) *all_families = !family.has_value();
  if (step_rows != nullptr) *step_rows = family.has_value() ? family_rows : s->dense_rows + s->moe_rows;
  return family.has_value() ? &*family : &s->all;
}

std::string ModelErrorBasis(const ChosenModelError& c) {
  const std::string family = c.moe ? Tr("MoE") : Tr("dense");
  if (c.step_rows <= 0) return TrFormat("{} family, as the scenario sets it", family);
  if (c.stack.empty()) return TrFormat("{} family, every stack, {} rows", family, c.step_rows);
  if (c.all_families) return TrFormat("{} stack, all its families, {} rows", c.stack, c.step_rows);
  return TrFormat("{} stack, {}, {} rows", c.stack, family, c.step_rows);
}

ThroughputBand P10P90Band(const ModelError& error) {
  return {ThroughputRatioAt(error, 0.1), ThroughputRatioAt(error, 0.9)};
}

SearchedLayoutRatio ShippedSearchedLayoutRatio() {
  // Measured with validate/layout_ratio.h MeasureSearchedLayoutRatio on the
  // dev set (../shared/validation/training-runs.csv, 2026-12-07): each step-rate
  // row that publishes tp and pp predicted for its own layout and again with
  // every layout field blank (the search's best on the same devices, batch
  // and sequence); median of the first throughput over the second: 0.865 over
  // 91 dense rows (0.862 before DeepSpeed's bf16 ZeRO gradients and the
  // per-micro-batch ZeRO >= 2 reduction, session 20), 0.783 over 13 MoE rows
  // (0.766 before MindSpeed's MC2 tensor-parallel overlap, session 22).
  // Held out, not fitted: the same measure gives 0.83 / 0.74 on held-out-1
  // and 0.95 / 0.85 on held-out-2.
  return SearchedLayoutRatio{0.865, 0.783};
}

}  // namespace suanli
