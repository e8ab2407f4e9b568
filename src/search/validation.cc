#include "search/validation.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <regex>

#include <fmt/format.h>

#include "core/csv.h"
#include "core/units.h"
#include "core/yaml_reader.h"
#include "model/reliability.h"
#include "workload/stage_layout.h"

namespace suanli {
namespace {

constexpr const char* kColumns[] = {
    "id", "source", "ref", "confidence", "model", "layers", "hidden", "heads", "kv_heads",
    "ffn_hidden", "vocab", "seq_len", "gated_mlp", "moe_experts", "moe_topk", "moe_expert_ffn",
    "moe_shared_experts", "moe_dense_layers", "accelerator", "gpus", "gpus_per_node", "precision",
    "tp", "pp", "dp", "cp", "ep", "vp", "zero", "micro_batch", "global_batch", "recompute", "metric",
    "value", "train_tokens", "notes"};
constexpr int kColumnCount = sizeof(kColumns) / sizeof(kColumns[0]);

int ColumnIndex(std::string_view name) {
  for (int i = 0; i < kColumnCount; ++i) {
    if (name == kColumns[i]) return i;
  }
  return -1;
}

// Reads the row's fields with located errors.
class RowReader {
 public:
  RowReader(const CsvRecord& record, const std::string& file) : record_(record), file_(file) {}

  const std::string& Text(const char* column) const { return record_.fields[ColumnIndex(column)]; }

  // Integer column; blank → `blank` (or an error when required).
  Result<int> Int(const char* column, bool required, int blank, int min, int max) const {
    const std::string& text = Text(column);
    if (text.empty()) {
      if (required) return Fail(column, "is required but empty");
      return blank;
    }
    auto value = ParseNumber(text);
    if (!value.ok() || std::floor(*value) != *value) return Fail(column, "'" + text + "' is not an integer");
    if (*value < min || *value > max) {
      return Fail(column, fmt::format("{} is outside [{}, {}]", text, min, max));
    }
    return static_cast<int>(*value);
  }

  Result<double> Number(const char* column, bool required) const {
    const std::string& text = Text(column);
    if (text.empty()) {
      if (required) return Fail(column, "is required but empty");
      return 0.0;
    }
    auto value = ParseNumber(text);
    if (!value.ok() || *value < 0) return Fail(column, "'" + text + "' is not a non-negative number");
    return *value;
  }

  Error Fail(const char* column, const std::string& message) const {
    return MakeError(fmt::format("{} {}", column, message),
                     fmt::format("{}:{} (column {} '{}')", file_, record_.line,
                                 ColumnIndex(column) + 1, column));
  }

 private:
  const CsvRecord& record_;
  const std::string& file_;
};

Result<PublishedRun> ParseRow(const CsvRecord& record, const std::string& file) {
  if (static_cast<int>(record.fields.size()) != kColumnCount) {
    return MakeError(fmt::format("row has {} fields, expected {}", record.fields.size(), kColumnCount),
                     fmt::format("{}:{}", file, record.line), "quote fields that contain commas");
  }
  RowReader row(record, file);
  PublishedRun run;
  run.line = record.line;
  run.id = row.Text("id");
  run.source = row.Text("source");
  run.confidence = row.Text("confidence");
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
  if (m.hidden % m.heads != 0) return row.Fail("heads", "does not divide hidden");
  if (m.heads % m.kv_heads != 0) return row.Fail("kv_heads", "does not divide heads");
  m.head_dim = static_cast<int>(m.hidden / m.heads);
  // The schema has no head_dim column: "d = h/a; some models have a
  // different head dim, see notes", written as "head_dim N (heads*head_dim=".
  {
    const std::string& notes = row.Text("notes");
    static const std::regex kHeadDim(R"((?:^|[^a-z_])head_dim (\d+) \(heads\*head_dim=)");
    std::smatch match;
    if (std::regex_search(notes, match, kHeadDim)) m.head_dim = std::stoi(match[1].str());
    // Likewise a sliding window: "alternating full / 128-token sliding-window
    // attention" (every second layer).
    static const std::regex kWindow(R"(alternating full / (\d+)-token sliding-window)");
    if (std::regex_search(notes, match, kWindow)) {
      m.sliding_window = std::stoi(match[1].str());
      m.sliding_window_layers = m.layers / 2;
    }
    // Multi-head latent attention (DeepSeek-V2/V3), as the schema's rows
    // write it: "MLA attention (q_lora_rank 1536, kv_lora_rank 512, qk_nope
    // 128 + qk_rope 64 head dim, v_head_dim 128)".
    static const std::regex kMla(
        R"(MLA attention \(q_lora_rank (\d+), kv_lora_rank (\d+), qk_nope (\d+) \+ qk_rope (\d+) head dim, v_head_dim (\d+)\))");
    if (std::regex_search(notes, match, kMla)) {
      m.use_mla = true;
      m.mla.q_lora_rank = std::stoi(match[1].str());
      m.mla.kv_lora_rank = std::stoi(match[2].str());
      m.mla.qk_nope_head_dim = std::stoi(match[3].str());
      m.mla.qk_rope_head_dim = std::stoi(match[4].str());
      m.mla.v_head_dim = std::stoi(match[5].str());
      m.head_dim = m.mla.qk_nope_head_dim + m.mla.qk_rope_head_dim;
    }
  }
  SUANLI_ASSIGN_OR_RETURN(const int ffn, row.Int("ffn_hidden", true, 0, 1, 1 << 22));
  m.ffn_hidden = ffn;
  SUANLI_ASSIGN_OR_RETURN(const int vocab, row.Int("vocab", true, 0, 1, 1 << 24));
  m.vocab = vocab;
  SUANLI_ASSIGN_OR_RETURN(run.seq_len, row.Int("seq_len", true, 0, 1, 1 << 24));
  m.max_seq_len = run.seq_len;
  SUANLI_ASSIGN_OR_RETURN(const int gated, row.Int("gated_mlp", true, 0, 0, 1));
  m.gated_mlp = gated == 1;
  SUANLI_ASSIGN_OR_RETURN(m.moe.experts, row.Int("moe_experts", false, 0, 0, 100000));
  if (m.moe.experts > 0) {
    SUANLI_ASSIGN_OR_RETURN(m.moe.topk, row.Int("moe_topk", true, 0, 1, m.moe.experts));
    SUANLI_ASSIGN_OR_RETURN(const int expert_ffn, row.Int("moe_expert_ffn", true, 0, 1, 1 << 22));
    m.moe.expert_ffn = expert_ffn;
    SUANLI_ASSIGN_OR_RETURN(m.moe.shared_experts, row.Int("moe_shared_experts", false, 0, 0, 64));
    SUANLI_ASSIGN_OR_RETURN(m.moe.dense_layers, row.Int("moe_dense_layers", false, 0, 0, m.layers));
  }
  run.accelerator_id = row.Text("accelerator");
  SUANLI_ASSIGN_OR_RETURN(run.gpus, row.Int("gpus", false, 0, 1, 1 << 20));
  SUANLI_ASSIGN_OR_RETURN(run.gpus_per_node, row.Int("gpus_per_node", false, 0, 1, 100000));
  auto precision = ParsePrecision(row.Text("precision").empty() ? "bf16" : row.Text("precision"));
  if (!precision.ok()) return row.Fail("precision", precision.error().message);
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
  static const std::regex kDefaultedZero(R"(not stated[^;]*-> zero)");
  if (std::regex_search(notes, kDefaultedZero)) run.zero = -1;
  // FlashAttention appeared in May 2022 (Dao et al., arXiv 2205.14135) and
  // entered Megatron-LM in 2023; a run published before 2023 ran attention
  // with the scores materialised in memory (Megatron's fused softmax).
  const int year = ReferenceYear(row.Text("ref"));
  if (year > 0 && year < 2023) run.attention = AttentionKernel::kUnfused;
  // Notes that name a FlashAttention-2-class kernel (the flash-attn package
  // before its Hopper-only version 3, Triton's, xformers') say the run did not
  // use the platform's fastest fused kernel (cuDNN / FlashAttention-3 on
  // Hopper and later); on earlier parts the two are the same.
  if (NamesFlash2ClassKernel(notes)) run.attention = AttentionKernel::kFlash2;
  // "FSDP=0" is published: parameters were not sharded, so a searched zero
  // stays at or below 2 (distributed optimizer, sharded gradients).
  if (notes.find("FSDP=0") != std::string::npos) run.max_zero = 2;
  SUANLI_ASSIGN_OR_RETURN(run.micro_batch, row.Int("micro_batch", false, 0, 1, 1 << 16));
  SUANLI_ASSIGN_OR_RETURN(run.global_batch, row.Int("global_batch", false, 0, 1, 1 << 24));
  run.recompute = row.Text("recompute");
  if (!run.recompute.empty() && !ParseRecompute(run.recompute).ok()) {
    return row.Fail("recompute", "must be none, selective or full");
  }
  // torchtitan's "selective" activation checkpointing is not Megatron's
  // attention-only selective recompute: mode 'layer' checkpoints every second
  // layer (its default selective_ac_option "2"), mode 'op' saves every other
  // matmul output and recomputes the rest. Both recompute about half of the
  // forward matmuls and keep about half of the activations; the notes name
  // the mode, and it is modelled as full recompute of half of each stage's
  // layers (Megatron's block method).
  static const std::regex kTorchtitanSelective(R"(selective[ _]'?(op|layer)\b)", std::regex::icase);
  if (run.recompute == "selective" && std::regex_search(notes, kTorchtitanSelective)) {
    run.recompute = "full";
    run.recompute_layer_share = 0.5;
  }
  run.metric = row.Text("metric");
  static const char* kMetrics[] = {"tokens_per_s_per_gpu", "model_tflops_per_gpu", "hw_tflops_per_gpu",
                                   "mfu", "gpu_hours"};
  if (std::none_of(std::begin(kMetrics), std::end(kMetrics),
                   [&](const char* name) { return run.metric == name; })) {
    return row.Fail("metric", "'" + run.metric + "' is not a known metric");
  }
  SUANLI_ASSIGN_OR_RETURN(run.value, row.Number("value", true));
  if (run.value <= 0) return row.Fail("value", "must be positive");
  SUANLI_ASSIGN_OR_RETURN(run.train_tokens, row.Number("train_tokens", run.metric == "gpu_hours"));
  return run;
}

// Rows without a stated cluster size (gpu_hours rows) are predicted on this
// many devices; per-device throughput depends on it only weakly.
constexpr int kDefaultGpusWhenBlank = 1024;

}  // namespace

bool NamesFlash2ClassKernel(const std::string& notes) {
  static const std::regex kFlash2(
      R"((flash[- _]?attention[- _]?(v|version )?2|flash[- _]?attn(?![- _]?(v|version )?3)|\bFA-?2\b|triton attention|flash/triton|xformers))",
      std::regex::icase);
  return std::regex_search(notes, kFlash2);
}

int ReferenceYear(const std::string& ref) {
  // A four-digit year standing alone: not part of a longer number, a hash
  // or a word ("cases_april2021.png" does not count, "2021 (SC'21)" does).
  static const std::regex kYear(R"((?:^|[^0-9A-Za-z_])((?:19|20)[0-9]{2})(?![0-9A-Za-z_]))");
  std::smatch match;
  if (!std::regex_search(ref, match, kYear)) return 0;
  return std::stoi(match[1].str());
}

double NarayananHwFlopsPerToken(const ModelSpec& m, int seq_len) {
  const double l = m.layers, h = static_cast<double>(m.hidden), s = seq_len,
               v = static_cast<double>(m.vocab);
  return 96.0 * l * h * h * (1.0 + s / (6.0 * h) + v / (16.0 * l * h));
}

Result<RunsFile> ParseRunsCsv(std::string_view text, const std::string& file_name) {
  SUANLI_ASSIGN_OR_RETURN(std::vector<CsvRecord> records, ParseCsv(text, file_name));
  if (records.empty()) return MakeError("the file is empty", file_name, "expected a header line");
  const CsvRecord& header = records.front();
  for (int i = 0; i < kColumnCount; ++i) {
    if (static_cast<int>(header.fields.size()) <= i || header.fields[i] != kColumns[i]) {
      return MakeError(fmt::format("header column {} should be '{}'", i + 1, kColumns[i]),
                       fmt::format("{}:1", file_name),
                       "use the column order of shared/validation/README.md");
    }
  }
  RunsFile out;
  for (size_t i = 1; i < records.size(); ++i) {
    auto run = ParseRow(records[i], file_name);
    if (run.ok()) {
      out.runs.push_back(std::move(run).value());
    } else {
      out.bad_rows.push_back({run.error().where, run.error().message});
    }
  }
  return out;
}

Result<RunsFile> ReadRunsCsv(const std::string& path) {
  auto text = ReadTextFile(path);
  if (!text.ok()) return text.error();
  return ParseRunsCsv(*text, path);
}

namespace {

RunPrediction Predict(const PublishedRun& run, const Catalog& catalog, int threads,
                      const PerfAssumptions& assumptions) {
  RunPrediction p;
  p.id = run.id;
  p.confidence = run.confidence;
  p.accelerator_id = run.accelerator_id;
  p.metric = run.metric;
  p.published = run.value;
  auto accelerator = catalog.FindAccelerator(run.accelerator_id);
  if (!accelerator.ok()) {
    p.note = accelerator.error().ToString();
    return p;
  }
  ClusterSpec cluster = MakeCluster(**accelerator, catalog.DefaultSystemFor((*accelerator)->id));
  if (run.gpus_per_node > 0) cluster.scale_up_domain = run.gpus_per_node;

  SearchOptions options;
  options.gpus = run.gpus > 0 ? run.gpus : kDefaultGpusWhenBlank;
  options.seq_len = run.seq_len;
  options.precision = run.precision;
  options.global_batch = run.global_batch;
  options.top_k = 1;
  options.assumptions = assumptions;
  options.threads = threads;
  std::vector<std::string> searched;
  auto pin = [&](std::optional<int>& slot, int value, const char* name) {
    if (value > 0) {
      slot = value;
    } else {
      searched.push_back(name);
    }
  };
  pin(options.tp, run.tp, "tp");
  pin(options.pp, run.pp, "pp");
  pin(options.dp, run.dp, "dp");
  pin(options.cp, run.cp, "cp");
  pin(options.ep, run.ep, "ep");
  pin(options.vp, run.vp, "vp");
  pin(options.micro_batch, run.micro_batch, "micro_batch");
  options.max_zero = run.max_zero;
  options.attention = run.attention;
  // Megatron leaves the expert all-to-all on the critical path unless a
  // recipe turns on --overlap-moe-expert-parallel-comm; the rows do not say.
  options.ep_overlap = false;
  if (run.zero >= 0) {
    options.zero = run.zero;
  } else {
    searched.push_back("zero");
  }
  if (!run.recompute.empty()) {
    options.recompute = *ParseRecompute(run.recompute);
    options.partial_recompute = false;  // a published "full" recomputes every layer
    options.recompute_layer_share = run.recompute_layer_share;
  } else {
    searched.push_back("recompute");
  }
  if (run.gpus == 0) searched.push_back(fmt::format("gpus (assumed {})", kDefaultGpusWhenBlank));
  SearchResult result = SearchLayouts(run.model, cluster, options);
  // "selective" in the schema is any partial recomputation. When Megatron's
  // minimal set (the attention core) leaves the published layout too big
  // for our memory model, the run evidently recomputed more (DeepSeek-V2
  // recomputes norms and up-projections): we add full recomputation of the
  // fewest layers per stage that make it fit, and say so.
  std::string recompute_note;
  if (result.top.empty() && run.recompute == "selective" && run.recompute_layer_share == 0) {
    SearchOptions more = options;
    more.recompute = Recompute::kFull;
    more.partial_recompute = true;
    SearchResult retry = SearchLayouts(run.model, cluster, more);
    if (!retry.top.empty()) {
      result = std::move(retry);
      const ParallelConfig& fitted = result.top.front().config;
      const int stage_layers = StageLayout(run.model, fitted).MaxLayers();
      recompute_note = fmt::format(
          "published selective recompute does not fit our memory model; {} of {} layers per stage also "
          "recomputed in full",
          fitted.recompute_layers > 0 ? fitted.recompute_layers : stage_layers, stage_layers);
    }
  }
  if (result.top.empty()) {
    // The published layout does not fit our memory model: no prediction,
    // and the row says why.
    p.note = result.infeasible_reason;
    return p;
  }
  p.layout_searched = !searched.empty();
  if (p.layout_searched) p.note = "searched: " + fmt::format("{}", fmt::join(searched, ", "));
  if (!recompute_note.empty()) p.note += (p.note.empty() ? "" : "; ") + recompute_note;
  p.config = result.top.front().config;
  p.estimate = result.top.front().estimate;
  const double tps_gpu = p.estimate.tokens_per_s_per_gpu;
  if (run.metric == "tokens_per_s_per_gpu") {
    p.predicted = tps_gpu;
  } else if (run.metric == "model_tflops_per_gpu") {
    p.predicted = ModelFlopsPerToken(run.model, run.seq_len) * tps_gpu / 1e12;
  } else if (run.metric == "hw_tflops_per_gpu") {
    p.predicted = NarayananHwFlopsPerToken(run.model, run.seq_len) * tps_gpu / 1e12;
  } else if (run.metric == "mfu") {
    const double peak = GemmPeakFlops(**accelerator, Precision::kBf16);
    p.predicted = 100.0 * ModelFlopsPerToken(run.model, run.seq_len) * tps_gpu / peak;
  } else if (run.metric == "gpu_hours") {
    // A campaign's GPU-hours include the time lost to interruptions,
    // checkpoints and restarts: the planner's reliability model with its
    // default figures (Llama 3's interruption rate) on the run's cluster.
    p.predicted = CampaignFor(run.train_tokens, p.estimate.tokens_per_s, p.config.Devices()).wall_gpu_hours;
  }
  p.error_pct = 100.0 * (p.predicted - p.published) / p.published;
  p.ok = true;
  return p;
}

// Returns the median of ascending, non-empty `sorted` (the mean of the two
// middle values for an even count).
double MedianOfSorted(const std::vector<double>& sorted) {
  const size_t n = sorted.size();
  return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
}

// Returns the median and the log standard deviation of published / predicted
// ratios ({1, 0} for none).
ModelError FitModelError(std::vector<double> ratios) {
  if (ratios.empty()) return {};
  std::sort(ratios.begin(), ratios.end());
  const size_t n = ratios.size();
  ModelError e;
  e.median = MedianOfSorted(ratios);
  double mean_log = 0;
  for (double r : ratios) mean_log += std::log(r) / n;
  double var = 0;
  for (double r : ratios) var += (std::log(r) - mean_log) * (std::log(r) - mean_log) / n;
  e.log_sd = std::sqrt(var);
  return e;
}

}  // namespace

ValidationReport ValidateRuns(const RunsFile& runs, const Catalog& catalog, int threads,
                              const PerfAssumptions& assumptions) {
  ValidationReport report;
  report.bad_rows = runs.bad_rows;
  report.rows.resize(runs.runs.size());
  for (size_t i = 0; i < runs.runs.size(); ++i) report.rows[i] = Predict(runs.runs[i], catalog, threads, assumptions);
  std::vector<double> errors, dense_ratios, moe_ratios;
  ValidationSummary& s = report.summary;
  for (size_t i = 0; i < report.rows.size(); ++i) {
    const RunPrediction& row = report.rows[i];
    if (!row.ok) continue;
    const double ape = std::fabs(row.error_pct);
    errors.push_back(ape);
    if (row.confidence == "high" && ape > 30.0) ++s.high_confidence_beyond_30pct;
    if (runs.runs[i].metric != "gpu_hours" && row.predicted > 0) {
      (runs.runs[i].model.IsMoe() ? moe_ratios : dense_ratios).push_back(row.published / row.predicted);
    }
  }
  s.dense_step_rows = static_cast<int>(dense_ratios.size());
  s.dense_error = FitModelError(dense_ratios);
  s.moe_step_rows = static_cast<int>(moe_ratios.size());
  s.moe_error = FitModelError(moe_ratios);
  s.n = static_cast<int>(errors.size());
  if (s.n > 0) {
    std::sort(errors.begin(), errors.end());
    double sum = 0;
    int within10 = 0, within15 = 0;
    for (double e : errors) {
      sum += e;
      within10 += e <= 10.0 ? 1 : 0;
      within15 += e <= 15.0 ? 1 : 0;
    }
    s.mape_pct = sum / s.n;
    s.median_ape_pct = MedianOfSorted(errors);
    s.max_ape_pct = errors.back();
    s.within_10pct = 100.0 * within10 / s.n;
    s.within_15pct = 100.0 * within15 / s.n;
  }
  return report;
}

}  // namespace suanli
