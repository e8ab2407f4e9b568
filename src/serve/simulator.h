// Continuous-batching serving simulator: FCFS admission like vLLM, a token
// budget per iteration with chunked prefill, a paged KV cache that bounds
// concurrency, preemption by recompute; latency percentiles and goodput.
#pragma once

#include <vector>

#include "model/memory.h"
#include "serve/batch_work.h"
#include "serve/steady_state.h"
#include "serve/traffic.h"

namespace suanli {

// The scheduler's limits for one replica.
struct SchedulerLimits {
  int max_batch = 256;               // running sequences per engine
  int prefill_budget_tokens = 8192;  // tokens per iteration (decode tokens count first)
  double kv_capacity_tokens = 0;     // KV-cache slots of the replica, tokens
  int block_tokens = 16;             // paged-KV block size, tokens (half a block per sequence lost on average)
  int virtual_engines = 1;           // pipeline stages: pp schedulers share the cache round-robin
  bool reserve_output = false;       // admit only when prompt + all output tokens fit (no eviction)
  double tokens_per_step = 1;        // mean tokens a decode step emits per sequence (speculative > 1)
  bool first_token_in_decode = false;  // the prompt's last token runs in the first decode step, which
                                       // samples the first token (TurboMind v0.1), not the last chunk
  int closed_loop_clients = 0;  // closed-loop load over all replicas: each client sends its next request
                                // when its last one finishes, so the request's arrival is then
                                // (0 = open loop: the requests' own arrival times)
  bool steady_state = false;  // stationary open-loop traffic: measure the middle half of the requests by
                              // arrival (SteadyWindow), not the warm-up from an empty engine or the drain
  double arrival_rate_rps = 0;  // steady_state: the nominal Poisson rate of the requests simulated, req/s
                                // (0 = unknown: the measured window's own arrivals stand for it)
  KvWindow window;              // the model's sliding-window layers (ReplicaMemory::window): a sliding
                                // layer attends at most the window (BatchWork's keys and pairs are
                                // layer-averaged, KvWindow::Keys and CausalPairs)
  bool window_frees_kv = false;  // the engine frees the KV outside the window (data/engines.yaml
                                 // window_kv: window): a sequence holds KvWindow::Keys(context) slots
};

// Percentiles of one latency, seconds.
struct LatencyStats {
  double mean_s = 0;
  double p50_s = 0;
  double p90_s = 0;
  double p99_s = 0;
  double at_slo_percentile_s = 0;  // at ServingSlo::percentile
  int samples = 0;                 // latencies counted (0: none, the figures mean nothing)
};

struct SimulationResult {
  int requests = 0;        // requests offered (to the simulated replicas)
  int replicas_simulated = 0;  // replicas the counts and latencies come from (serve/fleet_replay.h
                               // SimulateFleet: the first of a long fleet run; 0 = not a fleet run)
  int fleet_replicas = 0;      // replicas of the fleet the throughputs are of (SimulateFleet; 0 = not a fleet run)
  int measured = 0;        // requests the latencies, throughput and goodput count (SteadyWindow)
  int completed = 0;       // requests finished
  int rejected = 0;        // requests longer than the whole KV cache (never admitted)
  int preemptions = 0;     // preemptions by recompute
  long long iterations = 0;
  double duration_s = 0;   // first arrival to last completion
  LatencyStats ttft;       // time to first token
  LatencyStats tpot;       // time per output token after the first (requests with >= 2 tokens)
  LatencyStats e2e;        // arrival to last token
  // Throughputs: over the whole run (first arrival to last completion); with
  // steady_state, while the engine keeps up, the offered rate less the measured
  // requests it rejected (at their mean lengths), once overloaded the
  // completions per second while the measured requests finish (its capacity).
  double output_tokens_per_s = 0;  // generated tokens per second, whole replica set
  double total_tokens_per_s = 0;   // prompt + generated tokens per second
  double requests_per_s = 0;       // completions per second
  double goodput_rps = 0;          // completions meeting both SLO targets per second
  double slo_attainment = 0;       // fraction of measured requests meeting both targets
  double mean_decode_batch = 0;    // decode sequences per iteration, time-weighted
  double offered_rps = 0;          // steady_state: the nominal arrival rate (SchedulerLimits::arrival_rate_rps),
                                   // or the measured arrivals per second in their window when unknown (else 0)
  bool overloaded = false;         // steady_state, >= kMinOverloadSample measured: completions in the window
                                   // below OverloadShare of its arrivals, the queue grows (never meets the SLO)
  bool meets_slo = false;          // both targets hold at the percentile, nothing was rejected, not overloaded
  bool stopped_at_miss = false;    // stopped once the SLO was certainly missed (figures partial)
};

// Simulates `requests` (sorted by arrival) on `replicas` identical replicas
// fed round-robin; deterministic. `cost` prices each iteration of one engine.
// With `stop_at_miss`, stops as soon as the SLO is certainly missed (a
// rejection, or enough latencies over a target that its percentile must
// exceed it): meets_slo is then false, as the full run's would be, and the
// other figures are partial (stopped_at_miss).
SimulationResult Simulate(const std::vector<Request>& requests, const IterationCost& cost,
                          const SchedulerLimits& limits, const ServingSlo& slo, int replicas = 1,
                          bool stop_at_miss = false);

// Returns the value at percentile `p` (0..100, not a fraction: plan/schedule.h Percentile
// takes 0..1) of `values` by linear
// interpolation between order statistics; 0 for an empty set. Sorts `values`.
double InterpolatedPercentile(std::vector<double>& values, double p);

}  // namespace suanli
