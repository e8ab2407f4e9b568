// Reading one serving-runs row with every field checked; see serving_row_reader.h.
#include "serve/serving_row_reader.h"

#include <algorithm>

#include <fmt/format.h>

#include "core/i18n.h"
#include "core/number.h"
#include "core/text.h"

namespace suanli {
namespace {

// SERVING.md's enums. The metrics are the ones the serving model predicts
// (e2e_latency_ms has no rows and no prediction yet).
const std::vector<std::string> kConfidences = {"high", "medium", "low"};
const std::vector<std::string> kPrecisions = {"fp32", "bf16", "fp16", "fp8", "int8", "int4"};
const std::vector<std::string> kMetrics = {
    "output_tokens_per_s_per_gpu", "total_tokens_per_s_per_gpu", "prefill_tokens_per_s_per_gpu",
    "ttft_ms", "ttft_p99_ms", "tpot_ms", "tpot_p50_ms", "tpot_p99_ms"};
// SERVING.md's engines ("other" = in-house); data/engines.yaml may add more.
const std::vector<std::string> kSchemaEngines = {"trt-llm", "vllm", "sglang", "lmdeploy",
                                                 "llama.cpp", "exllama", "mlc", "other"};

// Reads the architecture columns.
Result<ModelSpec> ModelOf(const ServingRowReader& r) {
  ModelSpec m;
  m.id = m.name = r.Text("model");
  if (m.name.empty()) return r.Fail("model", fmt::format("model {}", Tr("is required but empty")));
  SUANLI_ASSIGN_OR_RETURN(m.layers, r.Int("layers", true, 0, 1, 1000));
  SUANLI_ASSIGN_OR_RETURN(const int hidden, r.Int("hidden", true, 0, 1, 1 << 20));
  SUANLI_ASSIGN_OR_RETURN(m.heads, r.Int("heads", true, 0, 1, 4096));
  SUANLI_ASSIGN_OR_RETURN(m.kv_heads, r.Int("kv_heads", true, 0, 1, 4096));
  SUANLI_ASSIGN_OR_RETURN(m.head_dim, r.Int("head_dim", true, 0, 1, 4096));
  // ffn_hidden is unused (may be 0) for a MoE model without dense layers (Qwen3 MoE).
  SUANLI_ASSIGN_OR_RETURN(const int ffn, r.Int("ffn_hidden", true, 0, 0, 1 << 22));
  SUANLI_ASSIGN_OR_RETURN(const int vocab, r.Int("vocab", true, 0, 1, 1 << 24));
  m.hidden = hidden;
  m.ffn_hidden = ffn;
  m.vocab = vocab;
  SUANLI_ASSIGN_OR_RETURN(m.gated_mlp, r.Flag("gated_mlp", true, true));
  SUANLI_ASSIGN_OR_RETURN(m.moe.experts, r.Int("moe_experts", true, 0, 0, 100'000));
  const bool moe = m.moe.experts > 0;
  SUANLI_ASSIGN_OR_RETURN(m.moe.topk, r.Int("moe_topk", moe, 0, moe ? 1 : 0, std::max(1, m.moe.experts)));
  SUANLI_ASSIGN_OR_RETURN(const int expert_ffn, r.Int("moe_expert_ffn", moe, 0, 0, 1 << 22));
  m.moe.expert_ffn = expert_ffn;
  SUANLI_ASSIGN_OR_RETURN(m.moe.shared_experts, r.Int("moe_shared_experts", false, 0, 0, 64));
  SUANLI_ASSIGN_OR_RETURN(m.moe.dense_layers, r.Int("moe_dense_layers", false, 0, 0, m.layers));
  SUANLI_ASSIGN_OR_RETURN(const int kv_lora, r.Int("mla_kv_lora_rank", false, 0, 0, 1 << 16));
  if (kv_lora > 0) {
    // DeepSeek-V3/R1 (the only MLA rows): q_lora 1536, rope 64, nope = v = head_dim.
    m.use_mla = true;
    m.mla = {1536, kv_lora, m.head_dim, 64, m.head_dim};
  }
  return m;
}

// Reads the hardware, layout and format columns.
Status ReadLayout(const ServingRowReader& r, const Catalog& catalog, const std::vector<EngineSpec>& engines,
                  ServingRunRow& row) {
  row.accelerator = r.Text("accelerator");
  if (row.accelerator.empty()) {
    return r.Fail("accelerator", fmt::format("accelerator {}", Tr("is required but empty")));
  }
  if (Result<const Accelerator*> found = catalog.FindAccelerator(row.accelerator); !found.ok()) {
    return r.Fail("accelerator", found.error().message, found.error().hint);
  }
  SUANLI_ASSIGN_OR_RETURN(row.gpus, r.Int("gpus", true, 1, 1, 100'000));
  SUANLI_ASSIGN_OR_RETURN(row.tp, r.Int("tp", false, 1, 1, 4096));
  SUANLI_ASSIGN_OR_RETURN(row.pp, r.Int("pp", false, 1, 1, 4096));
  SUANLI_ASSIGN_OR_RETURN(row.ep, r.Int("ep", false, 1, 1, 100'000));
  SUANLI_ASSIGN_OR_RETURN(row.dp, r.Int("dp", false, 1, 1, 100'000));
  row.tp_filled = r.Given("tp");
  row.pp_filled = r.Given("pp");
  row.dp_filled = r.Given("dp");
  row.layout_searched = !row.tp_filled || !row.pp_filled;
  if (row.tp_filled && row.pp_filled && row.dp_filled && row.tp * row.pp * row.dp != row.gpus) {
    return r.Fail("gpus", TrFormat("gpus {} is not tp x pp x dp = {}", row.gpus, row.tp * row.pp * row.dp),
                  Tr("give the layout the run used, or leave tp, pp and dp blank"));
  }
  SUANLI_ASSIGN_OR_RETURN(row.weights, r.OneOf("weight_precision", true, kPrecisions));
  SUANLI_ASSIGN_OR_RETURN(row.kv, r.OneOf("kv_precision", false, kPrecisions));
  std::vector<std::string> known = kSchemaEngines;
  for (const EngineSpec& engine : engines) {
    if (std::find(known.begin(), known.end(), engine.id) == known.end()) known.push_back(engine.id);
  }
  SUANLI_ASSIGN_OR_RETURN(row.engine, r.OneOf("engine", true, known));
  SUANLI_ASSIGN_OR_RETURN(row.speculative, r.Flag("speculative", true, false));
  return OkStatus();
}

// Reads the workload, metric and value columns.
Status ReadLoad(const ServingRowReader& r, ServingRunRow& row) {
  row.input_stated = r.Given("input_len");
  SUANLI_ASSIGN_OR_RETURN(row.input_len, r.Int("input_len", false, 0, 0, 10'000'000));
  SUANLI_ASSIGN_OR_RETURN(row.output_len, r.Int("output_len", false, 0, 0, 10'000'000));
  SUANLI_ASSIGN_OR_RETURN(row.batch, r.Int("batch", false, 0, 0, 1'000'000));
  SUANLI_ASSIGN_OR_RETURN(row.concurrency, r.Int("concurrency", false, 0, 0, 1'000'000));
  SUANLI_ASSIGN_OR_RETURN(row.request_rate, r.Number("request_rate", false, 0, 0, 1'000'000));
  SUANLI_ASSIGN_OR_RETURN(row.metric, r.OneOf("metric", true, kMetrics));
  // The published value divides every error: finite and greater than 0.
  SUANLI_ASSIGN_OR_RETURN(row.value, r.Number("value", true, 0, -1e12, 1e12));
  if (row.value <= 0) {
    return r.Fail("value", TrFormat("'{}' is not a published value", r.Text("value")),
                  Tr("give the value the source publishes (greater than 0)"));
  }
  return OkStatus();
}

}  // namespace

std::string ServingRowReader::Text(const std::string& column) const {
  auto it = columns_.find(column);
  return it == columns_.end() || it->second >= record_.fields.size() ? "" : record_.fields[it->second];
}

std::string ServingRowReader::Where(const std::string& column) const {
  auto it = columns_.find(column);
  if (it == columns_.end()) return fmt::format("{}:{}", file_, record_.line);
  return TrFormat("{}:{} (column {} '{}')", file_, record_.line, it->second + 1, column);
}

Error ServingRowReader::Fail(const std::string& column, const std::string& message, const std::string& hint) const {
  return MakeError(message, Where(column), hint);
}

Status ServingRowReader::Filled(const std::string& column) const {
  // A column the file does not have reads as blank; only a blank cell of a present column is missing.
  if (Given(column) || !columns_.count(column)) return OkStatus();
  return Fail(column, fmt::format("{} {}", column, Tr("is required but empty")));
}

Result<int> ServingRowReader::Int(const std::string& column, bool required, int blank, int min, int max) const {
  const std::string text = Text(column);
  if (text.empty()) {
    if (required) SUANLI_RETURN_IF_ERROR(Filled(column));
    return blank;
  }
  SUANLI_ASSIGN_OR_RETURN(const int64_t value, Located(ParseInteger(text, min, max), column));
  return static_cast<int>(value);
}

Result<double> ServingRowReader::Number(const std::string& column, bool required, double blank, double min,
                                        double max) const {
  const std::string text = Text(column);
  if (text.empty()) {
    if (required) SUANLI_RETURN_IF_ERROR(Filled(column));
    return blank;
  }
  return Located(ParseNumberInRange(text, min, max), column);
}

Result<bool> ServingRowReader::Flag(const std::string& column, bool required, bool blank) const {
  const std::string text = Text(column);
  if (text.empty()) {
    if (required) SUANLI_RETURN_IF_ERROR(Filled(column));
    return blank;
  }
  if (text == "0" || text == "1") return text == "1";
  return Fail(column, TrFormat("'{}' is not 0 or 1", text), Tr("write 1 for yes, 0 for no"));
}

Result<std::string> ServingRowReader::OneOf(const std::string& column, bool required,
                                            const std::vector<std::string>& allowed) const {
  const std::string text = Text(column);
  if (text.empty()) {
    if (required) SUANLI_RETURN_IF_ERROR(Filled(column));
    return std::string();
  }
  const std::string lower = ToLower(text);
  for (const std::string& value : allowed) {
    if (lower == value) return value;
  }
  const std::string nearest = DidYouMean(NearestMatches(text, allowed));
  const std::string known = TrFormat("known: {}", Join(allowed, ", "));
  return Fail(column, TrFormat("unknown {} '{}'", column, text), nearest.empty() ? known : nearest + " " + known);
}

Result<ServingRunRow> ReadServingRow(const ServingRowReader& r, const Catalog& catalog,
                                     const std::vector<EngineSpec>& engines) {
  ServingRunRow row;
  row.line = r.line();
  row.id = r.Text("id");
  if (row.id.empty()) return r.Fail("id", fmt::format("id {}", Tr("is required but empty")));
  for (const char* text : {"run_id", "source", "ref"}) SUANLI_RETURN_IF_ERROR(r.Filled(text));
  SUANLI_RETURN_IF_ERROR(r.OneOf("confidence", true, kConfidences));
  SUANLI_ASSIGN_OR_RETURN(row.model, ModelOf(r));
  SUANLI_RETURN_IF_ERROR(ReadLayout(r, catalog, engines, row));
  SUANLI_RETURN_IF_ERROR(ReadLoad(r, row));
  return row;
}

}  // namespace suanli
