// Reading serving-runs.csv and predicting each row with the simulator.
#include "serve/serving_runs.h"
#include "core/i18n.h"
#include "core/number.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>

#include <fmt/format.h>

#include "core/csv.h"
#include "serve/serving_row_reader.h"

namespace suanli {
namespace {

// Fills the row's request lengths: a stated length is fixed; a blank one takes
// the distribution of the row's dataset (or the default) and marks the row.
Status FillLengths(ServingRunRow& row, bool output_stated, const ServingDatasets& datasets,
                   const std::string& where) {
  SUANLI_ASSIGN_OR_RETURN(const ServingDataset* dataset, FindServingDataset(datasets, row.dataset, where));
  const auto fixed = [](int tokens) {
    return LengthDistribution{LengthKind::kFixed, static_cast<double>(std::max(1, tokens)), 0, 0};
  };
  row.input = row.input_stated ? fixed(row.input_len) : dataset->input;
  row.output = output_stated ? fixed(row.output_len) : dataset->output;
  // A prefill speed measures the prompt alone (llama-bench pp, the prefill
  // nodes of a disaggregated system): a blank output length is a prompt-only run.
  if (!output_stated && row.metric == "prefill_tokens_per_s_per_gpu") row.output = fixed(1);
  if (!row.input_stated) row.input_len = static_cast<int>(std::lround(dataset->input.mean_tokens));
  if (!output_stated) row.output_len = static_cast<int>(std::lround(row.output.mean_tokens));
  if (!row.input_stated || !output_stated) row.lengths_assumed = dataset->id;
  return OkStatus();
}

// An offline row (no batch, no rate) with a blank concurrency ran its
// engine's own throughput benchmark at that tool's default load (datasets.yaml
// `benchmarks`); an engine with none listed queues every request at once.
void FillConcurrency(ServingRunRow& row, const ServingDatasets& datasets) {
  if (row.batch > 0 || row.concurrency > 0 || row.request_rate > 0) return;
  const BenchmarkDefault* tool = FindBenchmarkDefault(datasets, row.engine);
  if (tool == nullptr || tool->concurrency <= 0) return;
  row.concurrency = tool->concurrency;
  row.concurrency_assumed = tool->tool.empty() ? tool->engine : tool->tool;
}

// Returns the row of `record`, every field checked, its lengths and load
// filled; a bad row's error names file:line (column N 'name'). A row's id must
// be new (`id_lines` holds the ids read so far).
Result<ServingRunRow> ReadRow(const CsvRecord& record, size_t header_fields, const std::map<std::string, size_t>& columns,
                              const std::string& file_name, const Catalog& catalog,
                              const std::vector<EngineSpec>& engines, const ServingDatasets& datasets,
                              std::map<std::string, int>& id_lines) {
  if (record.fields.size() != header_fields) {
    return MakeError(TrFormat("row has {} fields, the header has {}", record.fields.size(), header_fields),
                     fmt::format("{}:{}", file_name, record.line), Tr("quote fields that contain commas"));
  }
  const ServingRowReader r(record, columns, file_name);
  SUANLI_ASSIGN_OR_RETURN(ServingRunRow row, ReadServingRow(r, catalog, engines));
  row.dataset = r.Text("dataset");
  // A blank dataset: the one the row's benchmark is defined on, if any.
  if (row.dataset.empty()) {
    const ServingDataset* defined = DatasetOfBenchmark(datasets, r.Text("source"), r.Text("model"));
    if (defined != nullptr) row.dataset = defined->id;
  }
  SUANLI_RETURN_IF_ERROR(FillLengths(row, r.Given("output_len"), datasets, r.Where("dataset")));
  FillConcurrency(row, datasets);
  if (auto [first, added] = id_lines.emplace(row.id, row.line); !added) {
    return r.Fail("id", TrFormat("duplicate id '{}'", row.id),
                  TrFormat("give each entry its own id (line {} has it)", first->second));
  }
  return row;
}

}  // namespace

std::string MetricFamily(std::string_view metric) {
  if (metric.find("tokens_per_s") != std::string_view::npos) return "throughput";
  if (metric.rfind("ttft", 0) == 0) return "ttft";
  if (metric.rfind("tpot", 0) == 0) return "tpot";
  return "other";
}

Result<ServingRunsFile> ParseServingRuns(std::string_view text, const std::string& file_name, const Catalog& catalog) {
  SUANLI_ASSIGN_OR_RETURN(const std::vector<EngineSpec> engines, LoadEmbeddedEngines());
  SUANLI_ASSIGN_OR_RETURN(const ServingDatasets datasets, LoadEmbeddedServingDatasets());
  return ParseServingRuns(text, file_name, catalog, engines, datasets);
}

Result<ServingRunsFile> ParseServingRuns(std::string_view text, const std::string& file_name, const Catalog& catalog,
                                         const std::vector<EngineSpec>& engines, const ServingDatasets& datasets) {
  SUANLI_ASSIGN_OR_RETURN(std::vector<CsvRecord> records, ParseCsv(text, file_name));
  if (records.empty()) return MakeError(Tr("empty file"), file_name);
  std::map<std::string, size_t> columns;
  for (size_t i = 0; i < records[0].fields.size(); ++i) {
    if (!columns.emplace(records[0].fields[i], i).second) {
      return MakeError(TrFormat("duplicate column '{}'", records[0].fields[i]), file_name + ":1",
                       Tr("keep one column of each name"));
    }
  }
  for (const char* need : {"id", "model", "accelerator", "gpus", "metric", "value", "weight_precision", "engine"}) {
    if (!columns.count(need)) return MakeError(TrFormat("missing column '{}'", need), file_name + ":1");
  }
  ServingRunsFile file;
  std::map<std::string, int> id_lines;  // id -> line of its first row
  for (size_t i = 1; i < records.size(); ++i) {
    if (records[i].fields.size() <= 1) continue;
    Result<ServingRunRow> row = ReadRow(records[i], records[0].fields.size(), columns, file_name, catalog, engines,
                                        datasets, id_lines);
    if (row.ok()) {
      file.rows.push_back(std::move(row).value());
    } else {
      // The message carries the fix (the hint) too: a bad row is one line.
      Error error = row.error();
      const std::string where = error.where;
      error.where.clear();
      file.bad_rows.push_back({where, error.ToString()});
    }
  }
  return file;
}

}  // namespace suanli
