// Text and JSON renderers of serve runs; formatting only.
#include "report/serve_report.h"

#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "core/units.h"
#include "report/json_util.h"
#include "report/table.h"

namespace suanli {
namespace {

std::string Ms(double seconds) { return fmt::format("{:.1f}", seconds * 1e3); }

std::string LayoutText(const ServingLayout& l) {
  return fmt::format("tp {}, pp {}, {} weights, {} KV, max batch {}, budget {} tokens", l.tp, l.pp,
                     PrecisionName(l.weights), PrecisionName(l.kv), l.max_batch, l.prefill_budget_tokens);
}

std::string LengthText(const LengthDistribution& d) {
  if (d.kind == LengthKind::kFixed) return fmt::format("{:g}", d.mean_tokens);
  return fmt::format("{} mean {:g}", LengthKindName(d.kind), d.mean_tokens);
}

std::string Header(const ServeSubject& s) {
  std::string traffic;
  if (!s.trace.empty()) {
    traffic = fmt::format("trace {}", s.trace);
  } else if (s.traffic.rate_rps > 0) {
    traffic = fmt::format("{:g} req/s Poisson", s.traffic.rate_rps);
  } else {
    traffic = "offline (all requests at t = 0)";
  }
  std::string text = fmt::format("{} on {} with {}: {}, input {}, output {} tokens\n", s.model, s.accelerator,
                                 s.engine, traffic, LengthText(s.traffic.input), LengthText(s.traffic.output));
  if (s.slo.ttft_s > 0 || s.slo.tpot_s > 0) {
    text += fmt::format("SLO at P{:g}: TTFT {}, TPOT {}\n", s.slo.percentile,
                        s.slo.ttft_s > 0 ? Ms(s.slo.ttft_s) + " ms" : "none",
                        s.slo.tpot_s > 0 ? Ms(s.slo.tpot_s) + " ms" : "none");
  }
  return text;
}

nlohmann::json LatencyJson(const LatencyStats& l) {
  return {{"mean_ms", RoundSig(l.mean_s * 1e3, 4)}, {"p50_ms", RoundSig(l.p50_s * 1e3, 4)},
          {"p90_ms", RoundSig(l.p90_s * 1e3, 4)}, {"p99_ms", RoundSig(l.p99_s * 1e3, 4)}};
}

nlohmann::json ServiceJson(const SimulationResult& r) {
  return {{"requests", r.requests},
          {"completed", r.completed},
          {"rejected", r.rejected},
          {"preemptions", r.preemptions},
          {"ttft", LatencyJson(r.ttft)},
          {"tpot", LatencyJson(r.tpot)},
          {"e2e", LatencyJson(r.e2e)},
          {"output_tokens_per_s", RoundSig(r.output_tokens_per_s, 4)},
          {"total_tokens_per_s", RoundSig(r.total_tokens_per_s, 4)},
          {"requests_per_s", RoundSig(r.requests_per_s, 4)},
          {"goodput_rps", RoundSig(r.goodput_rps, 4)},
          {"slo_attainment", RoundSig(r.slo_attainment, 4)},
          {"mean_decode_batch", RoundSig(r.mean_decode_batch, 4)},
          {"meets_slo", r.meets_slo}};
}

nlohmann::json LayoutJson(const ServingLayout& l) {
  return {{"tp", l.tp},
          {"pp", l.pp},
          {"weights", std::string(PrecisionName(l.weights))},
          {"kv", std::string(PrecisionName(l.kv))},
          {"max_batch", l.max_batch},
          {"prefill_budget_tokens", l.prefill_budget_tokens}};
}

nlohmann::json MemoryJson(const ReplicaMemory& m) {
  return {{"usable_bytes", RoundBytes(m.usable_bytes)},
          {"weights_bytes", RoundBytes(m.weights_bytes)},
          {"reserve_bytes", RoundBytes(m.reserve_bytes)},
          {"kv_bytes_per_token", RoundSig(m.kv_bytes_per_token, 6)},
          {"kv_capacity_tokens", RoundSig(m.kv_capacity_tokens, 6)}};
}

nlohmann::json SubjectJson(const ServeSubject& s) {
  return {{"model", s.model},
          {"accelerator", s.accelerator},
          {"engine", s.engine},
          {"rate_rps", RoundSig(s.traffic.rate_rps, 6)},
          {"trace", s.trace},
          {"input_tokens_mean", s.traffic.input.mean_tokens},
          {"output_tokens_mean", s.traffic.output.mean_tokens},
          {"slo", {{"ttft_ms", RoundSig(s.slo.ttft_s * 1e3, 6)},
                   {"tpot_ms", RoundSig(s.slo.tpot_s * 1e3, 6)},
                   {"percentile", s.slo.percentile}}}};
}

void AddLatencyRows(TextTable& table, const SimulationResult& r) {
  table.AddRow({"TTFT", Ms(r.ttft.p50_s), Ms(r.ttft.p90_s), Ms(r.ttft.p99_s)});
  table.AddRow({"TPOT", Ms(r.tpot.p50_s), Ms(r.tpot.p90_s), Ms(r.tpot.p99_s)});
  table.AddRow({"end-to-end", Ms(r.e2e.p50_s), Ms(r.e2e.p90_s), Ms(r.e2e.p99_s)});
}

}  // namespace

std::string Int4Caveat(Precision weights) {
  if (weights != Precision::kInt4) return "";
  return "note: int4 weights (GPTQ/AWQ class) lose some quality against bf16; check the task's "
         "accuracy before serving them\n";
}

std::string ServeRunText(const ServeSubject& subject, const ServeRun& run) {
  std::string text = Header(subject);
  const int devices = run.replicas * run.layout.Devices();
  text += fmt::format("{} replica(s) x ({}) = {} device(s)\n\n", run.replicas, LayoutText(run.layout), devices);
  TextTable latency({"latency (ms)", "P50", "P90", "P99"});
  for (size_t c = 1; c < 4; ++c) latency.AlignColumn(c, TextTable::Align::kRight);
  AddLatencyRows(latency, run.service);
  text += latency.Render();
  const SimulationResult& r = run.service;
  text += fmt::format("\nthroughput: {:.0f} output tokens/s ({:.0f} per device), {:.2f} req/s completed\n",
                      r.output_tokens_per_s, r.output_tokens_per_s / devices, r.requests_per_s);
  if (subject.slo.ttft_s > 0 || subject.slo.tpot_s > 0) {
    text += fmt::format("goodput: {:.2f} req/s within both SLOs ({:.1f}% of requests); SLO at P{:g} {}\n",
                        r.goodput_rps, 100 * r.slo_attainment, subject.slo.percentile,
                        r.meets_slo ? "met" : "NOT met");
  }
  text += fmt::format("mean decode batch {:.1f}, {} preemptions, {} rejected of {}\n", r.mean_decode_batch,
                      r.preemptions, r.rejected, r.requests);
  const ReplicaMemory& m = run.memory;
  text += fmt::format("per device: {:.1f} GiB weights, {:.1f} GiB reserve, KV cache for {:.0f} tokens per replica\n",
                      m.weights_bytes / kGiB, m.reserve_bytes / kGiB, m.kv_capacity_tokens);
  const IterationBreakdown& d = run.lone_decode;
  text += fmt::format("lone decode step {} ms: GEMMs {}, experts {}, attention {}, communication {}, overhead {}\n",
                      Ms(d.total_s), Ms(d.gemm_s), Ms(d.experts_s), Ms(d.attention_s), Ms(d.comm_s),
                      Ms(d.overhead_s));
  text += Int4Caveat(run.layout.weights);
  return text;
}

nlohmann::json ServeRunJson(const ServeSubject& subject, const ServeRun& run) {
  const IterationBreakdown& d = run.lone_decode;
  return {{"subject", SubjectJson(subject)},
          {"layout", LayoutJson(run.layout)},
          {"replicas", run.replicas},
          {"devices", run.replicas * run.layout.Devices()},
          {"memory", MemoryJson(run.memory)},
          {"lone_decode_ms", {{"total", RoundSig(d.total_s * 1e3, 4)},
                              {"gemm", RoundSig(d.gemm_s * 1e3, 4)},
                              {"experts", RoundSig(d.experts_s * 1e3, 4)},
                              {"attention", RoundSig(d.attention_s * 1e3, 4)},
                              {"comm", RoundSig(d.comm_s * 1e3, 4)},
                              {"overhead", RoundSig(d.overhead_s * 1e3, 4)}}},
          {"service", ServiceJson(run.service)},
          {"caveat", Int4Caveat(run.layout.weights)}};
}

std::string CapacityText(const ServeSubject& subject, const CapacityResult& result) {
  std::string text = Header(subject);
  if (!result.feasible) {
    return text + fmt::format("\nno feasible answer: {}\n({} layouts considered, {} simulations)\n",
                              result.reason, result.layouts, result.simulations);
  }
  text += fmt::format("\nfewest devices meeting the SLOs ({} layouts, {} simulations):\n\n", result.layouts,
                      result.simulations);
  TextTable table({"#", "devices", "replicas", "tp", "pp", "weights", "KV", "TTFT P", "TPOT P", "tok/s/dev"});
  for (size_t c : {1, 2, 3, 4, 7, 8, 9}) table.AlignColumn(c, TextTable::Align::kRight);
  for (size_t i = 0; i < result.answers.size(); ++i) {
    const CapacityAnswer& a = result.answers[i];
    table.AddRow({std::to_string(i + 1), std::to_string(a.devices), std::to_string(a.replicas),
                  std::to_string(a.layout.tp), std::to_string(a.layout.pp),
                  std::string(PrecisionName(a.layout.weights)), std::string(PrecisionName(a.layout.kv)),
                  Ms(a.service.ttft.at_slo_percentile_s), Ms(a.service.tpot.at_slo_percentile_s),
                  fmt::format("{:.0f}", a.service.output_tokens_per_s / a.layout.Devices())});
  }
  text += table.Render();
  text += fmt::format("\nTTFT/TPOT at P{:g} in ms, one replica's share of the traffic simulated.\n",
                      subject.slo.percentile);
  text += Int4Caveat(result.answers.front().layout.weights);
  return text;
}

nlohmann::json CapacityJson(const ServeSubject& subject, const CapacityResult& result) {
  nlohmann::json answers = nlohmann::json::array();
  for (const CapacityAnswer& a : result.answers) {
    answers.push_back({{"devices", a.devices},
                       {"replicas", a.replicas},
                       {"layout", LayoutJson(a.layout)},
                       {"memory", MemoryJson(a.memory)},
                       {"service", ServiceJson(a.service)}});
  }
  return {{"subject", SubjectJson(subject)},
          {"feasible", result.feasible},
          {"reason", result.reason},
          {"layouts", result.layouts},
          {"simulations", result.simulations},
          {"answers", answers},
          {"caveat", result.feasible ? Int4Caveat(result.answers.front().layout.weights) : ""}};
}

std::string ServingValidationText(const std::vector<ServingCheck>& checks) {
  TextTable table({"row", "metric", "published", "predicted", "error"});
  for (size_t c : {2, 3, 4}) table.AlignColumn(c, TextTable::Align::kRight);
  std::map<std::string, std::vector<double>> errors;
  int skipped = 0;
  for (const ServingCheck& c : checks) {
    if (!c.predicted) {
      ++skipped;
      table.AddRow({c.row.id, c.row.metric, fmt::format("{:.4g}", c.row.value), "-", c.reason});
      continue;
    }
    const double error = c.prediction / c.row.value - 1.0;
    errors[MetricFamily(c.row.metric)].push_back(std::fabs(error));
    table.AddRow({c.row.id, c.row.metric, fmt::format("{:.4g}", c.row.value), fmt::format("{:.4g}", c.prediction),
                  fmt::format("{:+.0f}%", 100 * error)});
  }
  std::string text = table.Render();
  text += fmt::format("\nmedian |error| by metric family ({} rows not predicted):\n", skipped);
  for (auto& [family, values] : errors) {
    text += fmt::format("  {:<10} {:>5.0f}%  ({} rows)\n", family, 100 * Percentile(values, 50), values.size());
  }
  return text;
}

}  // namespace suanli
