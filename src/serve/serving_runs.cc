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

namespace suanli {
namespace {

// Cells of one record by column name.
class Row {
 public:
  Row(const CsvRecord& record, const std::map<std::string, size_t>& columns, const std::string& file)
      : record_(record), columns_(columns), file_(file) {}
  std::string Text(const std::string& name) const {
    auto it = columns_.find(name);
    return it == columns_.end() || it->second >= record_.fields.size() ? "" : record_.fields[it->second];
  }
  // Returns the number in `name` (a plain decimal in [0, 1e12]), `fallback` when blank; an
  // error names file:line column.
  Result<double> Number(const std::string& name, double fallback) const {
    const std::string text = Text(name);
    if (text.empty()) return fallback;
    return Located(ParseNumberInRange(text, 0, 1e12), name);
  }
  // Returns the whole number in `name` (in [0, 1e9]), `fallback` when blank; an error names
  // file:line column.
  Result<int> Int(const std::string& name, int fallback) const {
    const std::string text = Text(name);
    if (text.empty()) return fallback;
    SUANLI_ASSIGN_OR_RETURN(const int64_t value, Located(ParseInteger(text, 0, 1'000'000'000), name));
    return static_cast<int>(value);
  }
  // Returns "file:line column", where an error about `column` of this row points.
  std::string Where(const std::string& column) const { return fmt::format("{}:{} {}", file_, record_.line, column); }

 private:
  // Returns `parsed`, its error located at this row's `column`.
  template <typename T>
  Result<T> Located(Result<T> parsed, const std::string& column) const {
    if (parsed.ok()) return parsed;
    return MakeError(parsed.error().message, Where(column), parsed.error().hint);
  }

  const CsvRecord& record_;
  const std::map<std::string, size_t>& columns_;
  const std::string& file_;
};

Result<ModelSpec> ModelOf(const Row& r) {
  ModelSpec m;
  m.id = m.name = r.Text("model");
  SUANLI_ASSIGN_OR_RETURN(m.layers, r.Int("layers", 0));
  SUANLI_ASSIGN_OR_RETURN(const double hidden, r.Number("hidden", 0));
  SUANLI_ASSIGN_OR_RETURN(m.heads, r.Int("heads", 0));
  SUANLI_ASSIGN_OR_RETURN(m.kv_heads, r.Int("kv_heads", 0));
  SUANLI_ASSIGN_OR_RETURN(m.head_dim, r.Int("head_dim", 0));
  SUANLI_ASSIGN_OR_RETURN(const double ffn, r.Number("ffn_hidden", 0));
  SUANLI_ASSIGN_OR_RETURN(const double vocab, r.Number("vocab", 0));
  m.hidden = static_cast<int64_t>(hidden);
  m.ffn_hidden = static_cast<int64_t>(ffn);
  m.vocab = static_cast<int64_t>(vocab);
  m.gated_mlp = r.Text("gated_mlp") != "0";
  SUANLI_ASSIGN_OR_RETURN(m.moe.experts, r.Int("moe_experts", 0));
  SUANLI_ASSIGN_OR_RETURN(m.moe.topk, r.Int("moe_topk", 0));
  SUANLI_ASSIGN_OR_RETURN(const double expert_ffn, r.Number("moe_expert_ffn", 0));
  m.moe.expert_ffn = static_cast<int64_t>(expert_ffn);
  SUANLI_ASSIGN_OR_RETURN(m.moe.shared_experts, r.Int("moe_shared_experts", 0));
  SUANLI_ASSIGN_OR_RETURN(m.moe.dense_layers, r.Int("moe_dense_layers", 0));
  SUANLI_ASSIGN_OR_RETURN(const int kv_lora, r.Int("mla_kv_lora_rank", 0));
  if (kv_lora > 0) {
    // DeepSeek-V3/R1 (the only MLA rows): q_lora 1536, rope 64, nope = v = head_dim.
    m.use_mla = true;
    m.mla = {1536, kv_lora, m.head_dim, 64, m.head_dim};
  }
  const std::pair<const char*, double> needed[] = {
      {"layers", m.layers}, {"hidden", static_cast<double>(m.hidden)}, {"heads", m.heads},
      {"kv_heads", m.kv_heads}, {"head_dim", m.head_dim}, {"vocab", static_cast<double>(m.vocab)}};
  for (const auto& [column, value] : needed) {
    if (value < 1) return MakeError(Tr("incomplete architecture columns"), r.Where(column));
  }
  return m;
}

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

// Checks what one row cannot mean: a layout whose tp x pp x dp is not its GPU count, lengths
// and loads beyond any benchmark, a metric of no known family, a published value of 0.
Status CheckRow(const ServingRunRow& row, const CsvRecord& record, const std::map<std::string, size_t>& columns,
                const std::string& file) {
  const auto where = [&](const char* column) { return fmt::format("{}:{} {}", file, row.line, column); };
  // The cell of `column` in this row; "" when the column or the cell is missing (a short row).
  const auto cell = [&](const char* column) -> std::string {
    auto it = columns.find(column);
    return it != columns.end() && it->second < record.fields.size() ? record.fields[it->second] : "";
  };
  const auto given = [&](const char* column) { return !cell(column).empty(); };
  struct Bound { const char* column; double value, min, max; };
  for (const Bound& b : {Bound{"gpus", static_cast<double>(row.gpus), 1, 100'000},
                         Bound{"tp", static_cast<double>(row.tp), 1, 4096},
                         Bound{"pp", static_cast<double>(row.pp), 1, 4096},
                         Bound{"dp", static_cast<double>(row.dp), 1, 100'000},
                         Bound{"input_len", static_cast<double>(row.input_len), 0, 10'000'000},
                         Bound{"output_len", static_cast<double>(row.output_len), 0, 10'000'000},
                         Bound{"batch", static_cast<double>(row.batch), 0, 1'000'000},
                         Bound{"concurrency", static_cast<double>(row.concurrency), 0, 1'000'000},
                         Bound{"request_rate", row.request_rate, 0, 1'000'000}}) {
    SUANLI_RETURN_IF_ERROR(CheckNumberInRange(b.value, b.min, b.max, b.column, where(b.column)));
  }
  if (given("tp") && given("pp") && given("dp") && row.tp * row.pp * row.dp != row.gpus) {
    return MakeError(TrFormat("gpus {} is not tp x pp x dp = {}", row.gpus, row.tp * row.pp * row.dp), where("gpus"),
                     Tr("give the layout the run used, or leave tp, pp and dp blank"));
  }
  if (MetricFamily(row.metric) == "other") {
    return MakeError(TrFormat("unknown metric '{}'", row.metric), where("metric"),
                     Tr("use a throughput (*tokens_per_s*), ttft* or tpot* metric"));
  }
  if (row.value <= 0) {
    return MakeError(TrFormat("'{}' is not a published value", cell("value")), where("value"),
                     Tr("give the value the source publishes (greater than 0)"));
  }
  return OkStatus();
}

}  // namespace

std::string MetricFamily(std::string_view metric) {
  if (metric.find("tokens_per_s") != std::string_view::npos) return "throughput";
  if (metric.rfind("ttft", 0) == 0) return "ttft";
  if (metric.rfind("tpot", 0) == 0) return "tpot";
  return "other";
}

Result<std::vector<ServingRunRow>> ParseServingRuns(std::string_view text, const std::string& file_name) {
  SUANLI_ASSIGN_OR_RETURN(const ServingDatasets datasets, LoadEmbeddedServingDatasets());
  return ParseServingRuns(text, file_name, datasets);
}

Result<std::vector<ServingRunRow>> ParseServingRuns(std::string_view text, const std::string& file_name,
                                                    const ServingDatasets& datasets) {
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
  std::vector<ServingRunRow> rows;
  std::map<std::string, int> id_lines;  // id -> line of its first row
  for (size_t i = 1; i < records.size(); ++i) {
    if (records[i].fields.size() <= 1) continue;
    if (records[i].fields.size() != records[0].fields.size()) {
      return MakeError(TrFormat("row has {} fields, the header has {}", records[i].fields.size(),
                                records[0].fields.size()),
                       fmt::format("{}:{}", file_name, records[i].line), Tr("quote fields that contain commas"));
    }
    const Row r(records[i], columns, file_name);
    ServingRunRow row;
    row.id = r.Text("id");
    row.line = records[i].line;
    SUANLI_ASSIGN_OR_RETURN(row.model, ModelOf(r));
    row.accelerator = r.Text("accelerator");
    row.engine = r.Text("engine");
    SUANLI_ASSIGN_OR_RETURN(row.gpus, r.Int("gpus", 1));
    SUANLI_ASSIGN_OR_RETURN(row.tp, r.Int("tp", 1));
    SUANLI_ASSIGN_OR_RETURN(row.pp, r.Int("pp", 1));
    SUANLI_ASSIGN_OR_RETURN(row.ep, r.Int("ep", 1));
    SUANLI_ASSIGN_OR_RETURN(row.dp, r.Int("dp", 1));
    row.dp_filled = !r.Text("dp").empty();
    row.tp_filled = !r.Text("tp").empty();
    row.pp_filled = !r.Text("pp").empty();
    row.layout_searched = !row.tp_filled || !row.pp_filled;
    row.speculative = r.Text("speculative") == "1";
    row.input_stated = !r.Text("input_len").empty();
    row.weights = r.Text("weight_precision");
    row.kv = r.Text("kv_precision");
    SUANLI_ASSIGN_OR_RETURN(row.input_len, r.Int("input_len", 0));
    SUANLI_ASSIGN_OR_RETURN(row.output_len, r.Int("output_len", 0));
    SUANLI_ASSIGN_OR_RETURN(row.batch, r.Int("batch", 0));
    SUANLI_ASSIGN_OR_RETURN(row.concurrency, r.Int("concurrency", 0));
    SUANLI_ASSIGN_OR_RETURN(row.request_rate, r.Number("request_rate", 0));
    row.metric = r.Text("metric");
    SUANLI_ASSIGN_OR_RETURN(row.value, r.Number("value", 0));
    SUANLI_RETURN_IF_ERROR(CheckRow(row, records[i], columns, file_name));
    row.dataset = r.Text("dataset");
    // A blank dataset: the one the row's benchmark is defined on, if any.
    if (row.dataset.empty()) {
      const ServingDataset* defined = DatasetOfBenchmark(datasets, r.Text("source"), r.Text("model"));
      if (defined != nullptr) row.dataset = defined->id;
    }
    SUANLI_RETURN_IF_ERROR(FillLengths(row, !r.Text("output_len").empty(), datasets, r.Where("dataset")));
    FillConcurrency(row, datasets);
    if (auto [first, added] = id_lines.emplace(row.id, row.line); !added) {
      return MakeError(TrFormat("duplicate id '{}'", row.id), fmt::format("{}:{} id", file_name, row.line),
                       Tr("give each entry its own id"));
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace suanli
