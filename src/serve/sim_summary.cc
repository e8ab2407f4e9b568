// Summarises a finished simulation: latency percentiles, throughputs over
// the whole run or the steady window, goodput and the overload rule
// (docs/serving.md "Steady state").
#include "serve/sim_sequence.h"

#include <algorithm>

#include "serve/latency_stats.h"

namespace suanli {
namespace {

// The span the throughputs divide by: the whole run, or (steady) the window
// from the first to the last measured arrival, in which every request that
// completes counts, measured or not. (The span of the measured requests' own
// completions would stretch by their spread of lifetimes.)
struct ThroughputWindow {
  bool steady = false;
  double from_s = 0, to_s = 0;
  bool Counts(const SimSequence& s) const { return !steady || (s.finish_s >= from_s && s.finish_s <= to_s); }
};

// Completions and their tokens within a span of time.
struct Completions {
  int requests = 0;
  double input_tokens = 0, output_tokens = 0;
  void Add(const SimSequence& s) {
    ++requests;
    input_tokens += s.request.input_tokens;
    output_tokens += s.request.output_tokens;
  }
};

}  // namespace

void Summarise(const std::vector<SimSequence>& seqs, const ServingSlo& slo, const MeasuredRange& range,
               bool steady_state, double arrival_rate_rps, SimulationResult& out) {
  std::vector<double> ttft, tpot, e2e;
  double first = seqs.empty() ? 0 : seqs.front().request.arrival_s, last = first;
  ThroughputWindow window;
  if (steady_state && range.last > range.first + 1) {
    window.from_s = seqs[range.first].request.arrival_s;
    window.to_s = seqs[range.last - 1].request.arrival_s;
    window.steady = window.to_s > window.from_s;
  }
  Completions counted, measured, all;  // in the throughput window; the measured requests; every one that completed
  int good = 0, measured_done = 0;
  std::vector<double> waits;  // the measured requests' queue waits, arrival to first admission, by arrival
  for (const SimSequence& s : seqs) {
    if (s.state != SimState::kDone) {
      ++out.rejected;
      continue;
    }
    ++out.completed;
    all.Add(s);
    last = std::max(last, s.finish_s);
    if (window.Counts(s)) counted.Add(s);
    if (!s.measured) continue;
    measured.Add(s);
    if (s.admitted_s >= 0) waits.push_back(s.admitted_s - s.request.arrival_s);
    ++measured_done;
    const double t = s.first_token_s - s.request.arrival_s;
    ttft.push_back(t);
    e2e.push_back(s.finish_s - s.request.arrival_s);
    double per_token = 0;
    if (s.request.output_tokens > 1) {
      per_token = (s.finish_s - s.first_token_s) / (s.request.output_tokens - 1);
      tpot.push_back(per_token);
    }
    if ((slo.ttft_s <= 0 || t <= slo.ttft_s) && (slo.tpot_s <= 0 || per_token <= slo.tpot_s)) ++good;
  }
  out.duration_s = std::max(1e-9, last - first);
  out.ttft = Stats(ttft, slo.percentile);
  out.tpot = Stats(tpot, slo.percentile);
  out.e2e = Stats(e2e, slo.percentile);
  const double seconds = window.steady ? window.to_s - window.from_s : out.duration_s;
  out.requests_per_s = counted.requests / seconds;
  if (window.steady) {
    // n arrivals span n - 1 gaps. Completions in the window of a stable
    // engine match these arrivals within their scatter, at most ~1/sqrt(n);
    // a shortfall is overload only when the queue waits grow too. (The
    // shortfall alone also counts a decode batch still filling or the
    // in-flight count's own noise, which need not shrink with n: a fleet
    // with no queue at all, TTFT = its lone prefill, was flagged.)
    const double arrived_rps = (range.last - range.first - 1.0) / seconds;
    out.overloaded = out.measured >= kMinOverloadSample &&
                     out.requests_per_s < OverloadShare(out.measured) * arrived_rps && QueueWaitsGrow(waits);
    out.offered_rps = arrival_rate_rps > 0 ? arrival_rate_rps : arrived_rps;
    if (!out.overloaded) {
      // A stable engine serves what arrives, less what it rejects. (The window's
      // completions follow its own arrivals, ~1/sqrt(n) off the nominal rate: the
      // default seed's middle 1,000 of 2,000 come 9% fast, 21.99 req/s at 20.)
      counted = measured;
      out.requests_per_s = out.measured > 0 ? out.offered_rps * measured.requests / out.measured : 0;
    } else {
      // A growing queue: what the engine completed over the time it took,
      // first arrival to last completion (it was busy all along), never more
      // than it can serve. (The completions between the first and the last
      // measured completion read up to the offered rate: under preemption
      // the measured requests finish in bursts; 13 H20 at 100 req/s printed
      // 100 req/s, 50,000 tokens/s, where the fleet sustains about 21,600.)
      counted = all;
      out.requests_per_s = std::min(out.offered_rps, all.requests / out.duration_s);
    }
  }
  // The completions' mean lengths at the completion rate.
  const double per_request = counted.requests > 0 ? out.requests_per_s / counted.requests : 0;
  out.output_tokens_per_s = counted.output_tokens * per_request;
  out.total_tokens_per_s = (counted.output_tokens + counted.input_tokens) * per_request;
  // The completions per second, in the measured requests' share within the SLO.
  out.goodput_rps = measured_done > 0 ? out.requests_per_s * good / measured_done : 0;
  out.slo_attainment = out.measured > 0 ? static_cast<double>(good) / out.measured : 0;
  out.meets_slo = out.rejected == 0 && out.completed > 0 && !out.overloaded &&
                  (slo.ttft_s <= 0 || out.ttft.at_slo_percentile_s <= slo.ttft_s) &&
                  (slo.tpot_s <= 0 || out.tpot.at_slo_percentile_s <= slo.tpot_s);
}


}  // namespace suanli
