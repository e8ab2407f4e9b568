// Text and JSON renderers of serve runs; formatting only.
#include "report/serve_report.h"

#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "core/i18n.h"
#include "core/units.h"
#include "report/output.h"
#include "report/json_util.h"
#include "report/table.h"

namespace suanli {
namespace {

std::string Ms(double seconds) { return fmt::format("{:.1f}", seconds * 1e3); }

// Returns milliseconds with thousands separators from 1,000 up ("1,234", "56.7").
std::string MsCount(double seconds) {
  const double ms = seconds * 1e3;
  return ms >= 1000 ? FormatCount(ms) : fmt::format("{:.1f}", ms);
}

// Returns `text` and a newline, wrapped at spaces to the output width with
// continuation lines indented two spaces (colour is kept only when it fits).
std::string WrapLine(const std::string& text) {
  const size_t width = std::max<size_t>(40, CurrentOutput().width);
  if (DisplayWidth(text) <= width) return text + "\n";
  std::string out;
  for (const std::string& line : WrapToWidth(text, width - 2)) out += (out.empty() ? "" : "  ") + line + "\n";
  return out;
}

constexpr const char* kInt4Note =
    "note: int4 weights (GPTQ/AWQ class) lose some quality against bf16; check the task's accuracy before "
    "serving them";

// Returns the int4 caveat line in English for JSON (values stay English), or "".
std::string EnglishCaveat(Precision weights) {
  return weights == Precision::kInt4 ? std::string(kInt4Note) + "\n" : "";
}

// Returns the int4 caveat for the terminal, wrapped, or "".
std::string CaveatText(Precision weights) {
  return weights == Precision::kInt4 ? WrapLine(TrIn(CurrentLanguage(), kInt4Note)) : "";
}

// Returns a per-device throughput: whole from 100 up, else three significant digits (not "0").
std::string PerDevice(double value) { return value >= 100 ? FormatCount(value) : fmt::format("{:.3g}", value); }

std::string LengthText(const LengthDistribution& d) {
  if (d.kind == LengthKind::kFixed) return FormatCount(d.mean_tokens);
  return TrFormat("{} mean {}", Tr(LengthKindName(d.kind)), FormatCount(d.mean_tokens));
}

std::string Header(const ServeSubject& s) {
  std::string text = !s.trace.empty()
      ? WrapLine(TrFormat("{} on {} with {}: {}, tokens {} in, {} out (means of the trace)", s.model, s.accelerator,
                          s.engine, TrafficText(s), FormatCount(s.traffic.input.mean_tokens),
                          FormatCount(s.traffic.output.mean_tokens)))
      : WrapLine(TrFormat("{} on {} with {}: {}, tokens {} in, {} out", s.model, s.accelerator,
                                       s.engine, TrafficText(s), LengthText(s.traffic.input),
                                       LengthText(s.traffic.output)));
  if (s.slo.ttft_s > 0 || s.slo.tpot_s > 0) text += WrapLine(TrFormat("SLO: {}", SloText(s.slo)));
  return text;
}

// Returns a latency in ms, or JSON null when none was measured.
nlohmann::json LatencyJson(const LatencyStats& l) {
  if (l.samples == 0) return {{"mean_ms", nullptr}, {"p50_ms", nullptr}, {"p90_ms", nullptr}, {"p99_ms", nullptr}};
  return {{"mean_ms", RoundSig(l.mean_s * 1e3, 4)}, {"p50_ms", RoundSig(l.p50_s * 1e3, 4)},
          {"p90_ms", RoundSig(l.p90_s * 1e3, 4)}, {"p99_ms", RoundSig(l.p99_s * 1e3, 4)}};
}

nlohmann::json ServiceFiguresJson(const SimulationResult& r);

nlohmann::json ServiceJson(const SimulationResult& r) {
  nlohmann::json j = ServiceFiguresJson(r);
  // A long fleet run simulated on its first replicas (serve/fleet_replay.h SimulateFleet).
  if (r.replicas_simulated > 0 && r.replicas_simulated < r.fleet_replicas) j["replicas_simulated"] = r.replicas_simulated;
  return j;
}

nlohmann::json ServiceFiguresJson(const SimulationResult& r) {
  return {{"requests", r.requests},
          {"measured", r.measured},
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
          {"offered_rps", RoundSig(r.offered_rps, 4)},
          {"overloaded", r.overloaded},
          {"meets_slo", r.meets_slo}};
}

nlohmann::json LayoutJson(const ServingLayout& l) {
  return {{"tp", l.tp},
          {"pp", l.pp},
          {"dp_attention", l.dp_attention},
          {"ep", l.ep},
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

}  // namespace

std::string TrafficText(const ServeSubject& s) {
  if (!s.trace.empty() && !s.traffic.sampled_lengths.empty()) {  // the capacity search on a trace's lengths
    return TrFormat("{:g} req/s Poisson, lengths drawn from trace {}", s.traffic.rate_rps, s.trace);
  }
  if (!s.trace.empty() && s.traffic.rate_rps > 0) {  // one layout: the trace's arrivals stretched to --rate
    return TrFormat("trace {}, arrivals rescaled to {:g} req/s", s.trace, s.traffic.rate_rps);
  }
  if (!s.trace.empty()) return TrFormat("trace {}", s.trace);
  if (s.traffic.rate_rps > 0) return TrFormat("{:g} req/s Poisson", s.traffic.rate_rps);
  return Tr("offline (all requests at t = 0)");
}

std::string SloText(const ServingSlo& slo) {
  if (slo.ttft_s <= 0 && slo.tpot_s <= 0) return "";
  const std::string none = Tr("none");
  return TrFormat("TTFT {}, TPOT {} at P{:g}", slo.ttft_s > 0 ? MsCount(slo.ttft_s) + " ms" : none,
                  slo.tpot_s > 0 ? MsCount(slo.tpot_s) + " ms" : none, slo.percentile);
}

std::string ServingLayoutText(const ServingLayout& l) {
  if (l.dp_attention != 1 || l.ep != 1) {  // DP attention and expert parallelism shape the fleet too
    return TrFormat("tp {}, dp-attention {}, pp {}, ep {}, {} weights, {} KV, max batch {}, budget {} tokens", l.tp,
                    l.dp_attention, l.pp, l.ep, PrecisionName(l.weights), PrecisionName(l.kv), l.max_batch,
                    FormatCount(l.prefill_budget_tokens));
  }
  return TrFormat("tp {}, pp {}, {} weights, {} KV, max batch {}, budget {} tokens", l.tp, l.pp,
                  PrecisionName(l.weights), PrecisionName(l.kv), l.max_batch,
                  FormatCount(l.prefill_budget_tokens));
}

std::string ServeLayoutFlags(const ServingLayout& l, int devices) {
  std::string flags = fmt::format("--gpus {} --tp {}", devices, l.tp);
  if (l.dp_attention != 1) flags += fmt::format(" --dp-attention {}", l.dp_attention);
  flags += fmt::format(" --pp {}", l.pp);
  if (l.ep != 1) flags += fmt::format(" --ep {}", l.ep);
  return flags + fmt::format(" --weights {} --kv {} --max-batch {} --prefill-budget {}", PrecisionName(l.weights),
                             PrecisionName(l.kv), l.max_batch, l.prefill_budget_tokens);
}

std::string ReplayText(const ServeSubject& subject, const std::string& accelerator, const CapacityAnswer& answer) {
  const std::string flags = ServeLayoutFlags(answer.layout, answer.devices);
  std::string text = subject.search_flag
                         ? TrFormat("to replay this answer alone: this command without --search, with --accel {} {}",
                                    accelerator, flags)
                         : TrFormat("to replay this answer alone: this command with --accel {} {}", accelerator, flags);
  if (!subject.trace.empty() && !subject.traffic.sampled_lengths.empty()) {  // the search did not replay the trace
    text += TrFormat("; that run replays the trace's own rows in order, arrivals rescaled to {:g} req/s, not the "
                     "Poisson arrivals with lengths drawn from the trace (seed {}) that the search simulated, so "
                     "its latencies differ from this answer's",
                     subject.traffic.rate_rps, subject.traffic.seed);
  }
  return text;
}

std::string ReplicasText(int replicas) {
  return replicas == 1 ? Tr("1 replica") : TrFormat("{} replicas", FormatCount(replicas));
}

std::string DevicesText(int devices) {
  return devices == 1 ? Tr("1 device") : TrFormat("{} devices", FormatCount(devices));
}

TextTable LatencyTable(const SimulationResult& r, double slo_percentile) {
  // P50, P90, P99 and the SLO's percentile where it is another one (P95, P99.9), in order.
  const bool extra = slo_percentile > 0 && slo_percentile != 50 && slo_percentile != 90 && slo_percentile != 99;
  std::vector<double> percentiles = {50, 90, 99};
  if (extra) percentiles.push_back(slo_percentile);
  std::sort(percentiles.begin(), percentiles.end());
  std::vector<std::string> header = {Tr("latency (ms)")};
  for (double p : percentiles) header.push_back(fmt::format("P{:g}", p));
  TextTable table(header);
  for (size_t c = 1; c < header.size(); ++c) table.AlignColumn(c, TextTable::Align::kRight);
  const auto value = [&](const LatencyStats& l, double p) {
    return p == 50 ? l.p50_s : p == 90 ? l.p90_s : p == 99 ? l.p99_s : l.at_slo_percentile_s;
  };
  const auto row = [&](const std::string& name, const LatencyStats& l) {
    std::vector<std::string> cells = {name};
    for (double p : percentiles) cells.push_back(l.samples == 0 ? "-" : MsCount(value(l, p)));  // "-": e.g. no TPOT of one-token outputs
    table.AddRow(cells);
  };
  row("TTFT", r.ttft);
  row("TPOT", r.tpot);
  row(Tr("end-to-end"), r.e2e);
  return table;
}

TextTable CapacityTable(const ServeSubject& subject, const CapacityResult& result,
                        const std::vector<ServingCost>* costs, const std::string& currency) {
  const std::string p = fmt::format("P{:g}", subject.slo.percentile);
  // DP attention and expert parallelism get columns when an answer uses them (devices = replicas x tp x dp x pp).
  const bool wide = std::any_of(result.answers.begin(), result.answers.end(), [](const CapacityAnswer& a) {
    return a.layout.dp_attention != 1 || a.layout.ep != 1;
  });
  std::vector<std::string> header = {"#", Tr("devices"), Tr("replicas"), "tp"};
  if (wide) header.push_back("dp-attention");
  header.push_back("pp");
  if (wide) header.push_back("ep");
  for (const std::string& h : {Tr("weights"), std::string("KV"), "TTFT " + p + " ms", "TPOT " + p + " ms",
                               Tr("tok/s/dev")}) {
    header.push_back(h);
  }
  if (costs) {
    header.push_back(TrFormat("rent {}/Mtok", currency));
    header.push_back(TrFormat("buy {}/Mtok", currency));
  }
  TextTable table(header);
  for (size_t c = 1; c < header.size(); ++c) {
    if (header[c] != Tr("weights") && header[c] != "KV") table.AlignColumn(c, TextTable::Align::kRight);
  }
  for (size_t i = 0; i < result.answers.size(); ++i) {
    const CapacityAnswer& a = result.answers[i];
    std::vector<std::string> row = {std::to_string(i + 1), FormatCount(a.devices), FormatCount(a.replicas),
                                    std::to_string(a.layout.tp)};
    if (wide) row.push_back(std::to_string(a.layout.dp_attention));
    row.push_back(std::to_string(a.layout.pp));
    if (wide) row.push_back(std::to_string(a.layout.ep));
    for (const std::string& cell :
         {std::string(PrecisionName(a.layout.weights)), std::string(PrecisionName(a.layout.kv)),
          MsCount(a.service.ttft.at_slo_percentile_s), MsCount(a.service.tpot.at_slo_percentile_s),
          PerDevice(a.service.output_tokens_per_s / std::max(1, a.devices))}) {
      row.push_back(cell);
    }
    if (costs && i < costs->size()) {
      const ServingCost& c = (*costs)[i];
      row.push_back(c.rented_per_mtok ? fmt::format("{:.2f}", *c.rented_per_mtok) : "-");
      row.push_back(c.bought_per_mtok ? fmt::format("{:.2f}", *c.bought_per_mtok) : "-");
    }
    table.AddRow(row);
  }
  return table;
}

TextTable SweepTable(const ServeSubject& subject, const ServeSweep& sweep) {
  // Latencies in ms at P50, P90, P99 and the SLO's percentile where it is another one.
  const double slo_p = subject.slo.percentile;
  const bool extra = slo_p > 0 && slo_p != 50 && slo_p != 90 && slo_p != 99;
  std::vector<std::string> header = {Tr("devices"), Tr("req/s")};
  for (const char* metric : {"TTFT", "TPOT"}) {
    for (const char* p : {"P50", "P90", "P99"}) header.push_back(Tr(fmt::format("{} {}", metric, p)) + " ms");
    if (extra) header.push_back(fmt::format("{} P{:g} ms", metric, slo_p));
  }
  header.push_back(Tr("output tok/s"));
  header.push_back(Tr("SLO"));
  TextTable table(header);
  for (size_t c = 0; c + 1 < header.size(); ++c) table.AlignColumn(c, TextTable::Align::kRight);
  const bool has_slo = subject.slo.ttft_s > 0 || subject.slo.tpot_s > 0;
  for (const SweepPoint& p : sweep.points) {
    const SimulationResult& r = p.service;
    std::vector<std::string> row = {FormatCount(p.devices), p.rate_rps > 0 ? fmt::format("{:.3g}", p.rate_rps) : "-"};
    for (const LatencyStats* l : {&r.ttft, &r.tpot}) {
      for (double v : {l->p50_s, l->p90_s, l->p99_s}) row.push_back(MsCount(v));
      if (extra) row.push_back(MsCount(l->at_slo_percentile_s));
    }
    row.push_back(FormatCount(r.output_tokens_per_s));
    row.push_back(!has_slo ? "-" : r.meets_slo ? Tr("met") : Alarm(Tr("not met")));
    table.AddRow(row);
  }
  return table;
}

std::string Int4Caveat(Precision weights) {
  return weights == Precision::kInt4 ? Tr(kInt4Note) : "";
}

std::string Int4CaveatEnglish() { return kInt4Note; }

std::string MemoryLine(const ReplicaMemory& m) {
  return TrFormat("per device: {:.1f} GiB weights, {:.1f} GiB reserve, KV cache for {} tokens per replica",
                  m.weights_bytes / kGiB, m.reserve_bytes / kGiB, FormatCount(m.kv_capacity_tokens));
}

std::vector<std::string> ServeRunDetails(const ServeSubject& subject, const ServeRun& run) {
  std::vector<std::string> lines;
  const int devices = run.replicas * run.layout.Devices();
  const SimulationResult& r = run.service;
  lines.push_back(TrFormat("throughput: {} output tokens/s ({} per device), {:.2f} req/s completed",
                           FormatCount(r.output_tokens_per_s), PerDevice(r.output_tokens_per_s / devices),
                           r.requests_per_s));
  if (subject.slo.ttft_s > 0 || subject.slo.tpot_s > 0) {
    lines.push_back(TrFormat("goodput: {:.2f} req/s within both SLOs ({:.1f}% of requests); SLO at P{:g} {}",
                             r.goodput_rps, 100 * r.slo_attainment, subject.slo.percentile,
                             r.meets_slo ? Emphasis(Tr("met")) : Alarm(Tr("NOT met"))));
  }
  lines.push_back(TrFormat("mean decode batch {:.1f}, {}, {} rejected of {}", r.mean_decode_batch,
                           r.preemptions == 1 ? Tr("1 preemption") : TrFormat("{} preemptions", FormatCount(r.preemptions)),
                           FormatCount(r.rejected), FormatCount(r.requests)));
  if (r.replicas_simulated > 0 && r.replicas_simulated < r.fleet_replicas) {
    lines.push_back(TrFormat("simulated: {} of the {} replicas, each with its whole share of the stream (round-robin "
                             "feeds them alike); throughputs scaled to the fleet, counts of the simulated replicas",
                             FormatCount(r.replicas_simulated), FormatCount(r.fleet_replicas)));
  }
  if (r.measured < r.requests) {
    lines.push_back(TrFormat("steady state: latencies and throughput of the middle {} requests by arrival (the first "
                             "and last quarters are the engine's warm-up and drain; docs/serving.md)",
                             FormatCount(r.measured)));
  }
  if (r.overloaded) {
    lines.push_back(Alarm(TrFormat("overloaded: {:.2f} req/s offered, {:.2f} completed; the queue grows for as long as "
                                   "the traffic lasts, so these latencies grow with the run's length",
                                   r.offered_rps, r.requests_per_s)));
  }
  lines.push_back(MemoryLine(run.memory));
  const IterationBreakdown& d = run.lone_decode;
  lines.push_back(
      TrFormat("lone decode step {} ms: GEMMs {}, experts {}, attention {}, communication {}, overhead {}",
               Ms(d.total_s), Ms(d.gemm_s), Ms(d.experts_s), Ms(d.attention_s), Ms(d.comm_s), Ms(d.overhead_s)));
  return lines;
}

std::string ServeRunLayoutLine(const ServeRun& run) {
  return TrFormat("{} x ({}) = {}", ReplicasText(run.replicas), ServingLayoutText(run.layout),
                  DevicesText(run.replicas * run.layout.Devices()));
}

std::string ServeRunText(const ServeSubject& subject, const ServeRun& run) {
  std::string text = Header(subject);
  text += WrapLine(ServeRunLayoutLine(run));
  text += '\n';
  if (!run.verdict.served) {  // no latencies to show: the reason instead of a table of zeros
    for (const std::string& line : WrapToWidth(TrFormat("no feasible answer: {}", run.verdict.reason_text),
                                               std::max<size_t>(40, CurrentOutput().width))) {
      text += Alarm(line) + "\n";
    }
    return text + WrapLine(MemoryLine(run.memory));
  }
  text += LatencyTable(run.service, subject.slo.percentile).Render() + "\n";
  for (const std::string& line : ServeRunDetails(subject, run)) text += WrapLine(line);
  text += CaveatText(run.layout.weights);
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
          {"fits", run.memory.fits},
          {"feasible", run.verdict.served},
          {"reason", run.verdict.reason},
          {"service", ServiceJson(run.service)},
          {"caveat", EnglishCaveat(run.layout.weights)}};
}

std::string CapacityHeader(const ServeSubject& subject) { return Header(subject); }

std::string WrapText(const std::string& text) { return WrapLine(text); }

nlohmann::json CapacitySubjectJson(const ServeSubject& subject) { return SubjectJson(subject); }

std::string CapacityText(const ServeSubject& subject, const CapacityResult& result,
                         const std::vector<ServingCost>* costs, const std::string& currency) {
  std::string text = Header(subject);
  if (!result.feasible) {
    text += '\n';
    for (const std::string& line : WrapToWidth(TrFormat("no feasible answer: {}", result.reason_text),
                                               std::max<size_t>(40, CurrentOutput().width))) {
      text += Alarm(line) + "\n";
    }
    return text + TrFormat("({} layouts considered, {} simulations)", FormatCount(result.layouts),
                    FormatCount(result.simulations)) +
           "\n";
  }
  text += '\n';
  text += TrFormat("fewest devices meeting the SLOs ({} layouts, {} simulations):", FormatCount(result.layouts),
                   FormatCount(result.simulations));
  text += "\n\n";
  text += CapacityTable(subject, result, costs, currency).Render();
  text += '\n';
  text += WrapLine(Tr("TTFT/TPOT at the SLO percentile of the whole fleet replayed as serve --gpus runs it (the search "
                       "simulates one replica's share)."));
  text += WrapLine(ReplayText(subject, subject.accelerator, result.answers.front()));
  text += CaveatText(result.answers.front().layout.weights);
  return text;
}

nlohmann::json CapacityJson(const ServeSubject& subject, const CapacityResult& result) {
  nlohmann::json answers = nlohmann::json::array();
  for (const CapacityAnswer& a : result.answers) {
    answers.push_back({{"devices", a.devices},
                       {"replicas", a.replicas},
                       {"layout", LayoutJson(a.layout)},
                       {"serve_flags", fmt::format("--accel {} {}", subject.accelerator,
                                                   ServeLayoutFlags(a.layout, a.devices))},
                       {"memory", MemoryJson(a.memory)},
                       {"service", ServiceJson(a.service)}});
  }
  return {{"subject", SubjectJson(subject)},
          {"feasible", result.feasible},
          {"reason", result.reason},
          {"layouts", result.layouts},
          {"simulations", result.simulations},
          {"answers", answers},
          {"caveat", result.feasible ? EnglishCaveat(result.answers.front().layout.weights) : ""}};
}

}  // namespace suanli
