// The `serve:` block of a scenario workload (plan/scenario.h,
// docs/scenario.md): the model, its traffic, the latency SLOs, the engine and
// formats, when the service must start and how long it is paid for.
#include <fmt/format.h>

#include "core/i18n.h"
#include "core/text.h"
#include "plan/scenario.h"
#include "serve/engine.h"
#include "serve/traffic.h"

namespace suanli {
namespace {

// Largest request rate accepted: beyond any service on record (a typo or a unit error).
constexpr double kMaxRateRps = 1e6;
// Longest prompt or output accepted, tokens.
constexpr double kMaxLengthTokens = 1 << 20;

// Reads a length field: a number (the mean) or {mean, dist, spread}.
Status ReadLength(const YamlMap& traffic, std::string_view key, double& mean, std::string& dist) {
  const YAML::Node node = traffic.Node(key);
  if (!node.IsMap()) {
    SUANLI_ASSIGN_OR_RETURN(mean, traffic.Number(key, 1, kMaxLengthTokens));
    return OkStatus();
  }
  SUANLI_ASSIGN_OR_RETURN(const YamlMap length, traffic.Map(key));
  SUANLI_RETURN_IF_ERROR(length.CheckKeys({"mean", "dist"}));
  SUANLI_ASSIGN_OR_RETURN(mean, length.Number("mean", 1, kMaxLengthTokens));
  dist = ToLower(length.StringOr("dist", "fixed"));
  if (!ParseLengthKind(dist).ok()) {
    return MakeError(TrFormat("unknown length distribution '{}'", dist), length.Where("dist"),
                     Tr("use fixed, uniform or lognormal"));
  }
  return OkStatus();
}

// Reads a pinned serving format (weights or kv); empty when absent or auto.
Result<std::string> ReadFormat(const YamlMap& map, std::string_view key) {
  const std::string text = ToLower(map.StringOr(key, ""));
  if (text.empty() || text == "auto") return std::string();
  if (text != "bf16" && text != "fp8" && text != "int8" && text != "int4") {
    return MakeError(TrFormat("{} is not a serving format", text), map.Where(key),
                     Tr("use bf16, fp8, int8, int4 or auto"));
  }
  return text;
}

Status ParseTraffic(const YamlMap& serve, ScenarioServe& w) {
  SUANLI_ASSIGN_OR_RETURN(const YamlMap traffic, serve.Map("traffic"));
  SUANLI_RETURN_IF_ERROR(traffic.CheckKeys({"rate_rps", "input_len", "output_len", "spread"}));
  SUANLI_ASSIGN_OR_RETURN(w.rate_rps, traffic.Number("rate_rps", 1e-3, kMaxRateRps));
  SUANLI_RETURN_IF_ERROR(ReadLength(traffic, "input_len", w.input_tokens, w.input_dist));
  SUANLI_RETURN_IF_ERROR(ReadLength(traffic, "output_len", w.output_tokens, w.output_dist));
  SUANLI_ASSIGN_OR_RETURN(w.spread, traffic.NumberOr("spread", 0.5, 0, 3));
  return OkStatus();
}

Status ParseSlo(const YamlMap& serve, ScenarioServe& w) {
  SUANLI_ASSIGN_OR_RETURN(const YamlMap slo, serve.Map("slo"));
  SUANLI_RETURN_IF_ERROR(slo.CheckKeys({"ttft_ms", "tpot_ms", "percentile"}));
  SUANLI_ASSIGN_OR_RETURN(w.ttft_ms, slo.NumberOr("ttft_ms", 0, 1, 3.6e6));
  SUANLI_ASSIGN_OR_RETURN(w.tpot_ms, slo.NumberOr("tpot_ms", 0, 0.1, 6e4));
  SUANLI_ASSIGN_OR_RETURN(w.percentile, slo.NumberOr("percentile", 90, 50, 100));
  if (w.ttft_ms <= 0 && w.tpot_ms <= 0) {
    return MakeError(Tr("a serving SLO needs a latency target"), slo.Where(),
                     Tr("add ttft_ms and/or tpot_ms"));
  }
  return OkStatus();
}

}  // namespace

Result<ScenarioServe> ParseServeWorkload(const YamlMap& item, Date buyer_date) {
  SUANLI_RETURN_IF_ERROR(item.CheckKeys({"name", "train", "serve"}));
  if (item.Has("train")) {
    return MakeError(Tr("a workload trains or serves, not both"), item.Where("serve"),
                     Tr("write the serving workload as its own list item"));
  }
  SUANLI_ASSIGN_OR_RETURN(const YamlMap serve, item.Map("serve"));
  SUANLI_RETURN_IF_ERROR(serve.CheckKeys({"model", "traffic", "slo", "engine", "weights", "kv", "needed_by",
                                          "period_months", "utilisation", "requests_per_check"}));
  ScenarioServe w;
  w.where = item.Where("serve");
  w.name = item.StringOr("name", "");
  SUANLI_ASSIGN_OR_RETURN(w.model, serve.String("model"));
  w.model = ResolvePath(item.file_name(), w.model);
  w.model_where = serve.Where("model");
  SUANLI_RETURN_IF_ERROR(ParseTraffic(serve, w));
  SUANLI_RETURN_IF_ERROR(ParseSlo(serve, w));
  w.engine = ToLower(serve.StringOr("engine", "auto"));
  w.engine_where = serve.Where("engine");
  if (w.engine != "auto") {
    SUANLI_ASSIGN_OR_RETURN(const std::vector<EngineSpec> engines, LoadEmbeddedEngines());
    auto engine = FindEngine(engines, w.engine);
    if (!engine.ok()) {
      std::vector<std::string> ids{"auto"};
      for (const EngineSpec& e : engines) ids.push_back(e.id);
      return MakeError(engine.error().message, w.engine_where, TrFormat("use one of: {}", Join(ids, ", ")));
    }
  }
  SUANLI_ASSIGN_OR_RETURN(w.weights, ReadFormat(serve, "weights"));
  SUANLI_ASSIGN_OR_RETURN(w.kv, ReadFormat(serve, "kv"));
  if (serve.Has("needed_by")) {
    SUANLI_ASSIGN_OR_RETURN(const std::string text, serve.String("needed_by"));
    auto date = ParseDate(text);
    if (!date.ok()) return MakeError(date.error().message, serve.Where("needed_by"), date.error().hint);
    if (*date <= buyer_date) {
      return MakeError(TrFormat("needed_by {} is not after the buyer's date {}", FormatDate(*date),
                                FormatDate(buyer_date)),
                       serve.Where("needed_by"), Tr("give a date after buyer.date"));
    }
    w.needed_by = *date;
    w.has_needed_by = true;
  }
  SUANLI_ASSIGN_OR_RETURN(w.period_months, serve.NumberOr("period_months", 12, 1, 120));
  SUANLI_ASSIGN_OR_RETURN(w.utilisation, serve.NumberOr("utilisation", 1, 0.01, 1));
  SUANLI_ASSIGN_OR_RETURN(const int64_t requests, serve.IntOr("requests_per_check", kDefaultRequestsPerCheck, 50, 20000));
  w.requests_per_check = static_cast<int>(requests);
  return w;
}

}  // namespace suanli
