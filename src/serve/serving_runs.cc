// Reading serving-runs.csv and predicting each row with the simulator.
#include "serve/serving_runs.h"
#include "core/i18n.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>

#include <fmt/format.h>

#include "core/csv.h"
#include "serve/capacity.h"
#include "serve/replica.h"
#include "serve/simulator.h"

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
  // Returns the number in `name`, `fallback` when blank; an error names file:line column.
  Result<double> Number(const std::string& name, double fallback) const {
    const std::string text = Text(name);
    if (text.empty()) return fallback;
    char* end = nullptr;
    const double value = std::strtod(text.c_str(), &end);
    if (end != text.c_str() + text.size() || !std::isfinite(value) || value < 0 || value > 1e12) {
      return MakeError(TrFormat("'{}' is not a number", text), fmt::format("{}:{} {}", file_, record_.line, name));
    }
    return value;
  }
  Result<int> Int(const std::string& name, int fallback) const {
    SUANLI_ASSIGN_OR_RETURN(const double v, Number(name, fallback));
    return static_cast<int>(std::min(v, 1e9));
  }

 private:
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
  if (m.layers < 1 || m.hidden < 1 || m.heads < 1 || m.kv_heads < 1 || m.head_dim < 1 || m.vocab < 1) {
    return MakeError(Tr("incomplete architecture columns"), r.Text("id"));
  }
  return m;
}

// Returns the requests a row's benchmark sends.
std::vector<Request> RequestsOf(const ServingRunRow& row, int max_batch) {
  TrafficSpec t;
  t.input = {LengthKind::kFixed, static_cast<double>(std::max(1, row.input_len)), 0, 0};
  // A per-token metric needs two tokens at least: a blank length takes
  // llama-bench's tg128 (the only rows without lengths are llama-bench's).
  const int output = row.output_len > 1 || MetricFamily(row.metric) != "tpot" ? std::max(1, row.output_len) : 128;
  t.output = {LengthKind::kFixed, static_cast<double>(output), 0, 0};
  t.rate_rps = row.request_rate / std::max(1, row.dp);
  // Open loop: a Poisson stream. A fixed batch or concurrency: one wave of
  // that many requests at t = 0 (static batching; a closed loop's steady state
  // holds the same number in flight). Offline throughput: a queue of 2,000.
  const bool fixed_load = row.batch > 0 || row.concurrency > 0;
  t.requests = row.request_rate > 0 ? 1000 : (fixed_load ? max_batch : 2000);
  return GenerateRequests(t);
}

}  // namespace

std::string MetricFamily(std::string_view metric) {
  if (metric.find("tokens_per_s") != std::string_view::npos) return "throughput";
  if (metric.rfind("ttft", 0) == 0) return "ttft";
  if (metric.rfind("tpot", 0) == 0) return "tpot";
  return "other";
}

Result<std::vector<ServingRunRow>> ParseServingRuns(std::string_view text, const std::string& file_name) {
  SUANLI_ASSIGN_OR_RETURN(std::vector<CsvRecord> records, ParseCsv(text, file_name));
  if (records.empty()) return MakeError(Tr("empty file"), file_name);
  std::map<std::string, size_t> columns;
  for (size_t i = 0; i < records[0].fields.size(); ++i) columns[records[0].fields[i]] = i;
  for (const char* need : {"id", "model", "accelerator", "gpus", "metric", "value", "weight_precision", "engine"}) {
    if (!columns.count(need)) return MakeError(TrFormat("missing column '{}'", need), file_name + ":1");
  }
  std::vector<ServingRunRow> rows;
  for (size_t i = 1; i < records.size(); ++i) {
    if (records[i].fields.size() <= 1) continue;
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
    rows.push_back(std::move(row));
  }
  return rows;
}

namespace {

// Returns why a row cannot be predicted, or "" when it can: a metric that
// depends on the prompt (prefill speed, TTFT, anything under load) needs the
// prompt length; a single-stream decode does not (llama-bench tg).
std::string Unpredictable(const ServingRunRow& row) {
  const bool single_stream = row.batch == 1 && row.concurrency <= 1 && row.request_rate <= 0;
  const std::string family = MetricFamily(row.metric);
  const bool needs_prompt = !single_stream || family == "ttft" || row.metric == "prefill_tokens_per_s_per_gpu";
  if (needs_prompt && !row.input_stated) return Tr("the prompt length is not stated");
  return "";
}

// Returns the replica layout of a row: tp and pp as published; a row whose
// dp column counts DP-attention ranks of a MoE model (ep > 1) is one replica
// of tp·dp devices with attention data-parallel, otherwise the devices form
// gpus / (tp·pp) replicas.
ServingLayout LayoutOf(const ServingRunRow& row, int& replicas) {
  ServingLayout layout;
  layout.tp = std::max(1, row.tp);
  layout.pp = std::max(1, row.pp);
  const bool moe = row.model.moe.experts > 0;
  if (moe && row.ep > 1 && row.dp_filled && row.dp > 1) {
    layout.dp_attention = row.dp;
    layout.ep = row.ep;
  } else if (moe && row.ep > 1) {
    layout.ep = row.ep;
  }
  replicas = std::max(1, row.gpus / layout.Devices());
  return layout;
}

}  // namespace

Result<double> PredictServingRun(const ServingRunRow& row, const Catalog& catalog,
                                 const std::vector<EngineSpec>& engines) {
  SUANLI_ASSIGN_OR_RETURN(const Accelerator* acc, catalog.FindAccelerator(row.accelerator));
  if (const std::string why = Unpredictable(row); !why.empty()) return MakeError(why, row.id);
  // "other" (in-house engines) and unknown ones are priced like vLLM.
  Result<const EngineSpec*> found = FindEngine(engines, row.engine);
  const EngineSpec* engine = found.ok() ? *found : *FindEngine(engines, "vllm");
  int replicas = 1;
  ServingLayout layout = LayoutOf(row, replicas);
  SUANLI_ASSIGN_OR_RETURN(layout.weights, ParsePrecision(row.weights == "fp16" ? "bf16" : row.weights));
  Result<Precision> kv = ParsePrecision(row.kv.empty() || row.kv == "fp16" ? "bf16" : row.kv);
  layout.kv = kv.ok() && engine->ServesKv(*kv) ? *kv : Precision::kBf16;
  if (!engine->ServesWeights(layout.weights)) engine = *FindEngine(engines, "vllm");
  if (row.speculative) {
    const SpeculativeMethod* method = engine->FindSpeculative(row.model.moe.experts > 0 ? "mtp" : "eagle");
    if (method == nullptr) return MakeError(Tr("the engine runs no speculative decoding"), row.id);
    layout.speculative = {method->draft_tokens, method->acceptance, method->draft_cost};
  }
  const int load = row.batch > 0 ? row.batch : row.concurrency;
  layout.max_batch = load > 0 ? std::max(1, load / (replicas * layout.dp_attention)) : engine->max_batch;
  layout.prefill_budget_tokens = std::max(engine->prefill_budget_tokens, row.input_len);
  const ClusterSpec cluster = MakeCluster(*acc, catalog.DefaultSystemFor(acc->id));
  SUANLI_ASSIGN_OR_RETURN(const IterationModel model,
                          IterationModel::Make(row.model, cluster, layout, *engine));
  const ReplicaMemory memory = ServingMemory(row.model, *acc, layout);
  if (!memory.fits) return MakeError(Tr("the layout does not fit in memory"), row.id);
  SchedulerLimits limits = ServingLimits(layout, memory);
  limits.reserve_output = engine->reserve_output;
  limits.first_token_in_decode = engine->first_token_in_decode;
  ServingRunRow share = row;
  share.request_rate = row.request_rate / replicas;
  const SimulationResult r = Simulate(RequestsOf(share, limits.max_batch), model, limits, ServingSlo{});
  const double replica_gpus = layout.Devices();
  const double request_ms = engine->request_overhead_s * 1e3;
  if (row.metric == "output_tokens_per_s_per_gpu") return r.output_tokens_per_s / replica_gpus;
  if (row.metric == "total_tokens_per_s_per_gpu") return r.total_tokens_per_s / replica_gpus;
  if (row.metric == "prefill_tokens_per_s_per_gpu") {
    return (r.total_tokens_per_s - r.output_tokens_per_s) / replica_gpus;
  }
  if (row.metric == "ttft_ms") return r.ttft.mean_s * 1e3 + request_ms;
  if (row.metric == "ttft_p99_ms") return r.ttft.p99_s * 1e3 + request_ms;
  if (row.metric == "tpot_ms") return r.tpot.mean_s * 1e3;
  if (row.metric == "tpot_p50_ms") return r.tpot.p50_s * 1e3;
  if (row.metric == "tpot_p99_ms") return r.tpot.p99_s * 1e3;
  return MakeError(TrFormat("metric '{}' is not predicted", row.metric), row.id);
}

}  // namespace suanli
