// Predicting one serving-runs row: its layout (as published, or searched when
// tp or pp is blank), the load its benchmark applied (open-loop rate, closed
// loop of clients, static batch, offline queue) and the simulator's figures.
#include <algorithm>
#include <cmath>

#include "core/i18n.h"
#include "serve/capacity.h"
#include "serve/replica.h"
#include "serve/serving_runs.h"
#include "serve/simulator.h"

namespace suanli {
namespace {

// Requests simulated per scheduling rank of a replica: for an offline or
// closed-loop run, and for an open-loop rate. An offline queue must hold
// several times a rank's steady batch (engine max_batch up to 1,024
// sequences) so the run is not all ramp and drain, and a rate run, measured
// in steady state (its middle half), must last many request lifetimes: an
// MLPerf Server run lasts 10 to 40 minutes (docs/serving.md). A replica
// schedules one batch per DP-attention rank and per pipeline stage (virtual
// engine), so its requests grow with dp_attention x pp.
constexpr int kOfflineRequestsPerRank = 2000;
constexpr int kRateRequestsPerRank = 16000;

// The engine, accelerator and cluster a row runs on.
struct RunContext {
  const Accelerator* accelerator = nullptr;
  const EngineSpec* engine = nullptr;
  ClusterSpec cluster;
};

Result<RunContext> ContextOf(const ServingRunRow& row, const Catalog& catalog, const std::vector<EngineSpec>& engines,
                             Precision& weights) {
  RunContext c;
  SUANLI_ASSIGN_OR_RETURN(c.accelerator, catalog.FindAccelerator(row.accelerator));
  // "other" (in-house engines) and unknown ones are priced like vLLM.
  Result<const EngineSpec*> found = FindEngine(engines, row.engine);
  c.engine = found.ok() ? *found : *FindEngine(engines, "vllm");
  SUANLI_ASSIGN_OR_RETURN(weights, ParsePrecision(row.weights == "fp16" ? "bf16" : row.weights));
  if (!c.engine->ServesWeights(weights)) c.engine = *FindEngine(engines, "vllm");
  c.cluster = MakeCluster(*c.accelerator, catalog.DefaultSystemFor(c.accelerator->id));
  return c;
}

// Returns the row's layout with tp and pp as given: a row whose dp column
// counts DP-attention ranks of a MoE model (ep > 1) is one replica of tp·dp
// devices with attention data-parallel, otherwise the devices form
// gpus / (tp·pp) replicas.
Result<RunLayout> LayoutWith(const ServingRunRow& row, const RunContext& c, Precision weights, int tp, int pp) {
  RunLayout run;
  ServingLayout& layout = run.layout;
  layout.tp = std::max(1, tp);
  layout.pp = std::max(1, pp);
  const bool moe = row.model.moe.experts > 0;
  if (moe && row.ep > 1 && row.dp_filled && row.dp > 1) {
    layout.dp_attention = row.dp;
    layout.ep = row.ep;
  } else if (moe && row.ep > 1) {
    layout.ep = row.ep;
  }
  run.replicas = std::max(1, row.gpus / layout.Devices());
  layout.weights = weights;
  layout.memory = c.engine->memory;
  Result<Precision> kv = ParsePrecision(row.kv.empty() || row.kv == "fp16" ? "bf16" : row.kv);
  layout.kv = kv.ok() && c.engine->ServesKv(*kv) ? *kv : Precision::kBf16;
  if (row.speculative) {
    const SpeculativeMethod* method = c.engine->FindSpeculative(row.model.moe.experts > 0 ? "mtp" : "eagle");
    if (method == nullptr) return MakeError(Tr("the engine runs no speculative decoding"), row.id);
    layout.speculative = {method->draft_tokens, method->acceptance, method->draft_cost};
  }
  // A fixed batch caps each replica's running sequences; a closed loop's
  // clients bound them by themselves, under the engine's own cap.
  const BatchDefaults defaults = c.engine->DefaultsFor(*c.accelerator);
  layout.max_batch = row.batch > 0 ? std::max(1, row.batch / (run.replicas * layout.dp_attention))
                                   : defaults.max_batch;
  layout.prefill_budget_tokens = std::max(defaults.prefill_budget_tokens, row.input_len);
  return run;
}

// Returns the requests one replica receives. Open loop: a Poisson stream at
// the replica's share of the rate, kRateRequestsPerRank per scheduling rank. A fixed batch: one wave of that many
// requests at t = 0 (static batching). A closed loop or an offline queue:
// kOfflineRequestsPerRank per scheduling rank, all ready at t = 0 (the closed
// loop then releases them as its clients free up).
std::vector<Request> RequestsOf(const ServingRunRow& row, const RunLayout& run, const SchedulerLimits& limits) {
  TrafficSpec t;
  t.input = row.input;
  t.output = row.output;
  // A per-token metric needs two tokens at least.
  if (MetricFamily(row.metric) == "tpot") t.output.mean_tokens = std::max(2.0, t.output.mean_tokens);
  t.rate_rps = row.request_rate / run.replicas;
  const int ranks = run.layout.dp_attention * run.layout.pp;
  if (row.request_rate > 0) {
    t.requests = kRateRequestsPerRank * ranks;
  } else if (row.batch > 0) {
    t.requests = limits.max_batch;
  } else {
    t.requests = kOfflineRequestsPerRank * ranks;
  }
  return GenerateRequests(t);
}

// What one replica's simulation gives, and its devices.
struct RunFigures {
  SimulationResult result;
  double replica_gpus = 1;
};

// Simulates one replica of `run` under the row's load (or, with `queued`,
// with every request queued at t = 0 and no closed loop: its capacity).
Result<RunFigures> SimulateRun(const ServingRunRow& row, const RunLayout& run, const RunContext& c, bool queued) {
  SUANLI_ASSIGN_OR_RETURN(const IterationModel model,
                          IterationModel::Make(row.model, c.cluster, run.layout, *c.engine));
  const ReplicaMemory memory = ServingMemory(row.model, *c.accelerator, run.layout);
  if (!memory.fits) return MakeError(Tr("the layout does not fit in memory"), row.id);
  SchedulerLimits limits = ServingLimits(run.layout, memory, *c.engine, /*steady_state=*/!queued && row.request_rate > 0);
  ServingRunRow load = row;
  if (queued) {
    load.request_rate = 0;
  } else if (row.batch == 0 && row.request_rate == 0 && row.concurrency > 0) {
    limits.closed_loop_clients = std::max(1, row.concurrency / run.replicas);
  }
  if (limits.steady_state) limits.arrival_rate_rps = load.request_rate / run.replicas;  // RequestsOf's stream
  RunFigures out;
  out.result = Simulate(RequestsOf(load, run, limits), model, limits, ServingSlo{});
  out.replica_gpus = run.layout.Devices();
  return out;
}

// Returns the powers of two from 1 to `limit` that divide `n`.
std::vector<int> PowerOfTwoDivisors(int n, int limit) {
  std::vector<int> out;
  for (int k = 1; k <= std::min(n, limit); k *= 2) {
    if (n % k == 0) out.push_back(k);
  }
  return out;
}

Result<RunLayout> Searched(const ServingRunRow& row, const RunContext& c, Precision weights) {
  if (!row.layout_searched) return LayoutWith(row, c, weights, row.tp, row.pp);
  const std::vector<int> tps = row.tp_filled ? std::vector<int>{row.tp} : PowerOfTwoDivisors(row.gpus, row.gpus);
  const std::vector<int> pps = row.pp_filled ? std::vector<int>{row.pp} : PowerOfTwoDivisors(row.gpus, row.gpus);
  Result<RunLayout> best = MakeError(Tr("the layout does not fit in memory"), row.id);
  double best_per_gpu = -1;
  for (int tp : tps) {
    for (int pp : pps) {
      if (row.gpus % (tp * pp) != 0 || (row.dp_filled && tp * pp * row.dp != row.gpus)) continue;
      Result<RunLayout> run = LayoutWith(row, c, weights, tp, pp);
      if (!run.ok()) return run;
      Result<RunFigures> figures = SimulateRun(row, *run, c, /*queued=*/true);
      if (!figures.ok()) continue;  // does not fit
      const double per_gpu = figures->result.output_tokens_per_s / figures->replica_gpus;
      if (per_gpu > best_per_gpu) {  // ties keep the smaller tp, then the smaller pp
        best_per_gpu = per_gpu;
        best = std::move(run);
      }
    }
  }
  return best;
}

// Returns the row's metric (its unit) from one replica's simulated service.
Result<double> MetricOf(const ServingRunRow& row, const SimulationResult& r, double replica_gpus,
                        double request_overhead_s) {
  const double request_ms = request_overhead_s * 1e3;
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

}  // namespace

Result<RunLayout> SearchedLayout(const ServingRunRow& row, const Catalog& catalog,
                                 const std::vector<EngineSpec>& engines) {
  Precision weights = Precision::kBf16;
  SUANLI_ASSIGN_OR_RETURN(const RunContext c, ContextOf(row, catalog, engines, weights));
  return Searched(row, c, weights);
}

Result<ServingPrediction> PredictServingRun(const ServingRunRow& row, const Catalog& catalog,
                                            const std::vector<EngineSpec>& engines) {
  Precision weights = Precision::kBf16;
  SUANLI_ASSIGN_OR_RETURN(const RunContext c, ContextOf(row, catalog, engines, weights));
  SUANLI_ASSIGN_OR_RETURN(const RunLayout run, Searched(row, c, weights));
  SUANLI_ASSIGN_OR_RETURN(const RunFigures figures, SimulateRun(row, run, c, /*queued=*/false));
  const SimulationResult& r = figures.result;
  SUANLI_ASSIGN_OR_RETURN(const double value, MetricOf(row, r, figures.replica_gpus, c.engine->request_overhead_s));
  return ServingPrediction{value, r.overloaded};
}

}  // namespace suanli
