#include "validate/runs_csv.h"

#include <algorithm>
#include <cctype>
#include <cmath>

#include <fmt/format.h>

#include "core/csv.h"
#include "core/i18n.h"
#include "core/text.h"
#include "core/units.h"
#include "core/yaml_reader.h"
#include "validate/notes.h"
#include "workload/stack.h"

namespace suanli {
namespace {

// The schema's columns in order; the last, `stack`, is optional.
constexpr const char* kColumns[] = {
    "id", "source", "ref", "confidence", "model", "layers", "hidden", "heads", "kv_heads",
    "ffn_hidden", "vocab", "seq_len", "gated_mlp", "moe_experts", "moe_topk", "moe_expert_ffn",
    "moe_shared_experts", "moe_dense_layers", "accelerator", "gpus", "gpus_per_node", "precision",
    "tp", "pp", "dp", "cp", "ep", "vp", "zero", "micro_batch", "global_batch", "recompute", "metric",
    "value", "train_tokens", "notes", "stack"};
constexpr int kMaxColumns = sizeof(kColumns) / sizeof(kColumns[0]);
constexpr int kRequiredColumns = kMaxColumns - 1;  // files without `stack` still read

int ColumnIndex(std::string_view name) {
  for (int i = 0; i < kMaxColumns; ++i) {
    if (name == kColumns[i]) return i;
  }
  return -1;
}

// Returns `cell` without the spaces, tabs and line ends around it: every
// cell and header name is read the same way, so ' 8', 'bf16 ' and ' full'
// mean 8, bf16 and full.
std::string TrimCell(std::string_view cell) {
  constexpr std::string_view kSpace = " \t\r\n";
  const size_t first = cell.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return "";
  return std::string(cell.substr(first, cell.find_last_not_of(kSpace) - first + 1));
}

// Returns the hint for a header that does not read: the separator the file
// seems to use when it is not a comma, else the column order.
std::string HeaderHint(const CsvRecord& header) {
  const std::string& first = header.fields.empty() ? std::string() : header.fields.front();
  if (header.fields.size() <= 1 && first.find(';') != std::string::npos) {
    return Tr("the header seems to be separated by semicolons (;): a runs CSV is comma-separated; save it "
              "with commas");
  }
  if (header.fields.size() <= 1 && first.find('\t') != std::string::npos) {
    return Tr("the header seems to be separated by tabs: a runs CSV is comma-separated; save it with commas");
  }
  return Tr("use the column order of docs/validation.md (the runs CSV)");
}

// Reads the row's fields with located errors.
class RowReader {
 public:
  RowReader(const CsvRecord& record, const std::string& file) : record_(record), file_(file) {}

  // Returns the column's text; "" for the optional `stack` of a 36-column file.
  const std::string& Text(const char* column) const {
    static const std::string kBlank;
    const size_t index = static_cast<size_t>(ColumnIndex(column));
    return index < record_.fields.size() ? record_.fields[index] : kBlank;
  }

  // Integer column; blank → `blank` (or an error when required).
  Result<int> Int(const char* column, bool required, int blank, int min, int max) const {
    const std::string& text = Text(column);
    if (text.empty()) {
      if (required) return Fail(column, Tr("is required but empty"));
      return blank;
    }
    auto value = ParseNumber(text);
    if (!value.ok() || std::floor(*value) != *value) return Fail(column, TrFormat("'{}' is not an integer", text));
    if (*value < min || *value > max) {
      return Fail(column, TrFormat("{} is outside [{}, {}]", text, min, max));
    }
    return static_cast<int>(*value);
  }

  // Required 0/1 column; true/false and yes/no (any case) read too.
  Result<bool> Flag(const char* column) const {
    std::string text = Text(column);
    if (text.empty()) return Fail(column, Tr("is required but empty"));
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
    if (text == "1" || text == "true" || text == "yes") return true;
    if (text == "0" || text == "false" || text == "no") return false;
    return Fail(column, TrFormat("'{}' is not 0 or 1 (accepted: 0, 1, true, false, yes, no)", Text(column)));
  }

  // Token count column: a number or one with an SI suffix (2T, 300B), as
  // the CLI and scenarios take; blank → 0 (or an error when required).
  Result<double> Tokens(const char* column, bool required) const {
    const std::string& text = Text(column);
    if (text.empty()) {
      if (required) return Fail(column, Tr("is required but empty"));
      return 0.0;
    }
    auto value = ParseQuantity(text, Dimension::kTokens);
    if (!value.ok() || *value < 0) {
      return Fail(column, TrFormat("'{}' is not a token count (write e.g. 2T, 300B or 1.5e12)", text));
    }
    return *value;
  }

  Error Fail(const char* column, const std::string& message) const {
    return MakeError(fmt::format("{} {}", column, message),
                     TrFormat("{}:{} (column {} '{}')", file_, record_.line, ColumnIndex(column) + 1, column));
  }

 private:
  const CsvRecord& record_;
  const std::string& file_;
};

// Reads the architecture columns, and what the notes add to them.
Status ReadModel(const RowReader& row, PublishedRun& run) {
  ModelSpec& m = run.model;
  m.id = run.id;
  m.name = row.Text("model");
  m.family = "validation-row";
  m.source = row.Text("source");
  SUANLI_ASSIGN_OR_RETURN(m.layers, row.Int("layers", true, 0, 1, 1000));
  SUANLI_ASSIGN_OR_RETURN(const int hidden, row.Int("hidden", true, 0, 1, 1 << 20));
  m.hidden = hidden;
  SUANLI_ASSIGN_OR_RETURN(m.heads, row.Int("heads", true, 0, 1, 4096));
  SUANLI_ASSIGN_OR_RETURN(m.kv_heads, row.Int("kv_heads", false, m.heads, 1, 4096));
  if (m.hidden % m.heads != 0) return row.Fail("heads", Tr("does not divide hidden"));
  if (m.heads % m.kv_heads != 0) return row.Fail("kv_heads", Tr("does not divide heads"));
  m.head_dim = static_cast<int>(m.hidden / m.heads);
  // The schema has no head_dim column: "d = h/a; some models have a
  // different head dim, see notes", written as "head_dim N (heads*head_dim=".
  const std::string& notes = row.Text("notes");
  if (const int head_dim = NotedHeadDim(notes); head_dim > 0) m.head_dim = head_dim;
  // Likewise a sliding window on every second layer.
  if (const int window = NotedSlidingWindow(notes); window > 0) {
    m.sliding_window = window;
    m.sliding_window_layers = m.layers / 2;
  }
  // Multi-head latent attention (DeepSeek-V2/V3).
  if (const auto mla = NotedMla(notes)) {
    m.use_mla = true;
    m.mla = *mla;
    m.head_dim = m.mla.qk_nope_head_dim + m.mla.qk_rope_head_dim;
  }
  SUANLI_ASSIGN_OR_RETURN(const int ffn, row.Int("ffn_hidden", true, 0, 1, 1 << 22));
  m.ffn_hidden = ffn;
  SUANLI_ASSIGN_OR_RETURN(const int vocab, row.Int("vocab", true, 0, 1, 1 << 24));
  m.vocab = vocab;
  SUANLI_ASSIGN_OR_RETURN(run.seq_len, row.Int("seq_len", true, 0, 1, 1 << 24));
  m.max_seq_len = run.seq_len;
  SUANLI_ASSIGN_OR_RETURN(m.gated_mlp, row.Flag("gated_mlp"));
  SUANLI_ASSIGN_OR_RETURN(m.moe.experts, row.Int("moe_experts", false, 0, 0, 100000));
  if (m.moe.experts > 0) {
    SUANLI_ASSIGN_OR_RETURN(m.moe.topk, row.Int("moe_topk", true, 0, 1, m.moe.experts));
    SUANLI_ASSIGN_OR_RETURN(const int expert_ffn, row.Int("moe_expert_ffn", true, 0, 1, 1 << 22));
    m.moe.expert_ffn = expert_ffn;
    SUANLI_ASSIGN_OR_RETURN(m.moe.shared_experts, row.Int("moe_shared_experts", false, 0, 0, 64));
    SUANLI_ASSIGN_OR_RETURN(m.moe.dense_layers, row.Int("moe_dense_layers", false, 0, 0, m.layers));
  }
  return OkStatus();
}

// Reads the hardware and layout columns, and what the notes and the
// reference's year say about the layout.
Status ReadLayout(const RowReader& row, PublishedRun& run) {
  run.accelerator_id = row.Text("accelerator");
  SUANLI_ASSIGN_OR_RETURN(run.gpus, row.Int("gpus", false, 0, 1, 1 << 20));
  SUANLI_ASSIGN_OR_RETURN(run.gpus_per_node, row.Int("gpus_per_node", false, 0, 1, 100000));
  auto precision = ParsePrecision(row.Text("precision").empty() ? "bf16" : row.Text("precision"));
  if (!precision.ok()) {
    return row.Fail("precision", TrFormat("'{}' is not a precision (one of fp32, tf32, bf16, fp16, fp8, fp4, int8, "
                                          "int4; blank reads as bf16)",
                                          row.Text("precision")));
  }
  run.precision = *precision;
  SUANLI_ASSIGN_OR_RETURN(run.tp, row.Int("tp", false, 0, 1, 1 << 16));
  SUANLI_ASSIGN_OR_RETURN(run.pp, row.Int("pp", false, 0, 1, 1 << 16));
  SUANLI_ASSIGN_OR_RETURN(run.dp, row.Int("dp", false, 0, 1, 1 << 20));
  SUANLI_ASSIGN_OR_RETURN(run.cp, row.Int("cp", false, 0, 1, 1 << 16));
  SUANLI_ASSIGN_OR_RETURN(run.ep, row.Int("ep", false, 0, 1, 1 << 16));
  SUANLI_ASSIGN_OR_RETURN(run.vp, row.Int("vp", false, 0, 1, 1 << 10));
  SUANLI_ASSIGN_OR_RETURN(run.zero, row.Int("zero", false, -1, 0, 3));
  // The schema's notes say when a collector filled a field by default
  // ("distributed-optimizer use not stated in table -> zero 0"): such a value
  // was not published, so it is searched like a blank one. Only within one
  // clause of the notes: "precision not stated; ...; FSDP2 -> zero 3" is a
  // published zero.
  const std::string& notes = row.Text("notes");
  if (NotesDefaultedZero(notes)) run.zero = -1;
  run.reference_year = ReferenceYear(row.Text("ref"));
  // "FSDP=0" is published: parameters were not sharded, so a searched zero
  // stays at or below 2 (distributed optimizer, sharded gradients).
  if (notes.find("FSDP=0") != std::string::npos) run.max_zero = 2;
  SUANLI_ASSIGN_OR_RETURN(run.micro_batch, row.Int("micro_batch", false, 0, 1, 1 << 16));
  SUANLI_ASSIGN_OR_RETURN(run.global_batch, row.Int("global_batch", false, 0, 1, 1 << 24));
  run.recompute = row.Text("recompute");
  if (!run.recompute.empty() && !ParseRecompute(run.recompute).ok()) {
    return row.Fail("recompute", TrFormat("'{}' is not a recompute mode (one of none, selective, modules, full; "
                                          "blank = not published)",
                                          run.recompute));
  }
  return OkStatus();
}

// Reads the row's software stack (blank = Megatron); an unknown id fails on
// the `stack` column and names the known ones.
Status ApplyStack(const RowReader& row, PublishedRun& run) {
  auto stack = FindStack(run.stack);
  if (!stack.ok()) {
    return row.Fail("stack", TrFormat("'{}' is not a known stack; {}", run.stack, stack.error().hint));
  }
  if (!run.stack.empty()) run.stack = (*stack)->id;  // "TorchTitan" reads as torchtitan; blank stays not stated
  ApplyStackToRun(**stack, run);
  return OkStatus();
}

Result<PublishedRun> ParseRow(const CsvRecord& record, const std::string& file, size_t columns) {
  if (record.fields.size() != columns) {
    return MakeError(TrFormat("row has {} fields, expected {}", record.fields.size(), columns),
                     fmt::format("{}:{}", file, record.line),
                     Tr("put double quotes around fields that contain commas"));
  }
  RowReader row(record, file);
  PublishedRun run;
  run.line = record.line;
  run.file_name = file;
  run.id = row.Text("id");
  run.source = row.Text("source");
  run.confidence = ToLower(row.Text("confidence"));
  if (!run.confidence.empty() && run.confidence != "high" && run.confidence != "medium" && run.confidence != "low") {
    return row.Fail("confidence", TrFormat("'{}' is not a confidence (one of high, medium, low)",
                                           row.Text("confidence")));
  }
  run.stack = row.Text("stack");
  SUANLI_RETURN_IF_ERROR(ReadModel(row, run));
  SUANLI_RETURN_IF_ERROR(ReadLayout(row, run));
  SUANLI_RETURN_IF_ERROR(ApplyStack(row, run));
  run.metric = row.Text("metric");
  static const char* kMetrics[] = {"tokens_per_s_per_gpu", "model_tflops_per_gpu", "hw_tflops_per_gpu",
                                   "mfu", "gpu_hours"};
  if (std::none_of(std::begin(kMetrics), std::end(kMetrics),
                   [&](const char* name) { return run.metric == name; })) {
    const std::vector<std::string> metrics(std::begin(kMetrics), std::end(kMetrics));
    const std::string guess = DidYouMean(NearestMatches(run.metric, metrics, 1));
    return row.Fail("metric", TrFormat("'{}' is not a known metric (one of {})", run.metric, Join(metrics, ", ")) +
                                  (guess.empty() ? "" : "; " + guess));
  }
  // The published value divides every error: finite and positive, or the row is bad.
  const std::string& value = row.Text("value");
  if (value.empty()) return row.Fail("value", Tr("is required but empty"));
  auto parsed = ParseNumber(value);
  if (!parsed.ok() || *parsed <= 0) return row.Fail("value", TrFormat("'{}' is not a finite positive number", value));
  run.value = *parsed;
  // MFU is a percentage: a fraction (0.45 for 45%) would read as a run at
  // under 1% of peak, which no published training run is.
  if (run.metric == "mfu" && (run.value < 1.0 || run.value > 100.0)) {
    return row.Fail("value", run.value < 1.0 ? TrFormat("mfu {} is a percentage (1-100); did you mean {:g}?", value,
                                                        run.value * 100.0)
                                             : TrFormat("mfu {} is a percentage (1-100)", value));
  }
  SUANLI_ASSIGN_OR_RETURN(run.train_tokens, row.Tokens("train_tokens", run.metric == "gpu_hours"));
  return run;
}

}  // namespace

void ApplyStackToRun(const SoftwareStack& stack, PublishedRun& run) {
  run.attention = StackAttention(stack, run.reference_year);
  // A stack's own "selective" (torchtitan, fms-fsdp: about half of the
  // layers in full) is mapped as on every other path (StackRecomputeOf).
  if (run.recompute != "selective") return;
  const StackRecompute runs = StackRecomputeOf(stack, Recompute::kSelective);
  if (runs.mode == Recompute::kSelective) return;
  run.recompute = std::string(RecomputeName(runs.mode));
  run.recompute_layer_share = runs.layer_share;
}

Result<RunsFile> ParseRunsCsv(std::string_view text, const std::string& file_name) {
  SUANLI_ASSIGN_OR_RETURN(std::vector<CsvRecord> records, ParseCsv(text, file_name));
  if (records.empty()) {
    return MakeError(Tr("the runs file is empty"), file_name,
                     Tr("start the file with the header line of docs/validation.md"));
  }
  for (CsvRecord& record : records) {
    for (std::string& field : record.fields) field = TrimCell(field);
  }
  const CsvRecord& header = records.front();
  for (int i = 0; i < kRequiredColumns; ++i) {
    if (static_cast<int>(header.fields.size()) <= i) {
      return MakeError(TrFormat("header has {} columns; column {} should be '{}'", header.fields.size(), i + 1,
                                kColumns[i]),
                       fmt::format("{}:1", file_name), HeaderHint(header));
    }
    if (header.fields[i] != kColumns[i]) {
      const std::string& found = header.fields[i];
      const std::string shown = found.size() > 40 ? found.substr(0, 40) + "..." : found;
      return MakeError(TrFormat("header column {} should be '{}', found '{}'", i + 1, kColumns[i], shown),
                       fmt::format("{}:1", file_name), HeaderHint(header));
    }
  }
  const size_t columns = header.fields.size();
  if (columns > static_cast<size_t>(kMaxColumns) ||
      (columns == static_cast<size_t>(kMaxColumns) && header.fields.back() != kColumns[kMaxColumns - 1])) {
    return MakeError(TrFormat("header has {} columns; after 'notes' only '{}' may follow, found '{}'", columns,
                              kColumns[kMaxColumns - 1], header.fields[kRequiredColumns]),
                     fmt::format("{}:1", file_name), Tr("use the column order of docs/validation.md (the runs CSV)"));
  }
  RunsFile out;
  for (size_t i = 1; i < records.size(); ++i) {
    auto run = ParseRow(records[i], file_name, columns);
    if (run.ok()) {
      out.runs.push_back(std::move(run).value());
    } else {
      out.bad_rows.push_back({run.error().where, run.error().message});
    }
  }
  return out;
}

std::string RunsCsvWhere(const PublishedRun& run, std::string_view column) {
  return TrFormat("{}:{} (column {} '{}')", run.file_name, run.line, ColumnIndex(column) + 1, column);
}

void AppendRuns(RunsFile& all, RunsFile file, const std::string& file_name) {
  for (PublishedRun& run : file.runs) {
    const auto first = std::find_if(all.runs.begin(), all.runs.end(),
                                    [&](const PublishedRun& r) { return !run.id.empty() && r.id == run.id; });
    if (first != all.runs.end()) {
      all.bad_rows.push_back({TrFormat("{}:{} (column 1 'id')", file_name, run.line),
                              TrFormat("id {} repeats the run of {}:{}; each run counts once", run.id,
                                       first->file_name, first->line)});
      continue;
    }
    run.file_name = file_name;
    all.runs.push_back(std::move(run));
  }
  all.bad_rows.insert(all.bad_rows.end(), file.bad_rows.begin(), file.bad_rows.end());
}

Result<RunsFile> ReadRunsCsv(const std::string& path) {
  auto text = ReadTextFile(path);
  if (!text.ok()) return text.error();
  return ParseRunsCsv(*text, path);
}

}  // namespace suanli
