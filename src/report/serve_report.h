// Renderers of `serve` runs: one simulated layout and a capacity search (text and JSON).
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "serve/capacity.h"
#include "serve/iteration.h"
#include "serve/replica.h"
#include "serve/serving_cost.h"
#include "serve/service_verdict.h"
#include "serve/serving_runs.h"
#include "serve/simulator.h"
#include "serve/sweep.h"
#include "report/table.h"
#include "serve/traffic.h"

namespace suanli {

// What a serve run was asked: named in every output.
struct ServeSubject {
  std::string model;        // model id
  std::string accelerator;  // accelerator id
  std::string engine;       // engine id
  TrafficSpec traffic;      // rate (0 = offline) and lengths
  std::string trace;        // trace file, or "" for generated traffic
  ServingSlo slo;
  bool search_flag = false;  // --search was given (the replay command must drop it)
};

// One simulated layout on a fixed number of devices.
struct ServeRun {
  ServingLayout layout;
  int replicas = 0;
  ReplicaMemory memory;            // per device of one replica
  IterationBreakdown lone_decode;  // a batch-1 decode step at the mean context
  SimulationResult service;        // all replicas
  ServiceVerdict verdict;          // not served: no latencies, the reason instead (exit 1)
};

// Returns the traffic in words: "20 req/s Poisson", "trace FILE", "trace FILE,
// arrivals rescaled to 10 req/s", "10 req/s Poisson, lengths drawn from trace FILE", "offline (...)".
std::string TrafficText(const ServeSubject& subject);
// Returns the SLO in words ("TTFT 2,000.0 ms, TPOT 50.0 ms at P99"), or "" without targets.
std::string SloText(const ServingSlo& slo);
// Returns the layout in words: "tp 2, pp 1, bf16 weights, bf16 KV, max batch 256, budget 8192 tokens".
std::string ServingLayoutText(const ServingLayout& layout);
// Returns the `suanli serve` flags that replay `layout` on `devices` devices:
// "--gpus 8 --tp 1 --dp-attention 8 --pp 1 --ep 8 --weights fp8 --kv bf16
// --max-batch 256 --prefill-budget 8192" (--dp-attention and --ep only when not 1).
std::string ServeLayoutFlags(const ServingLayout& layout, int devices);
// Returns the line telling how to replay a search's first answer alone:
// "this command [without --search,] with --accel A <ServeLayoutFlags>" (dropping
// --search only when the subject's command gave it); on a trace's lengths it
// also says that the replay runs the trace's own arrivals, so its latencies differ.
std::string ReplayText(const ServeSubject& subject, const std::string& accelerator, const CapacityAnswer& answer);

// Returns "1 replica" / "N replicas" in the current language.
std::string ReplicasText(int replicas);
// Returns "1 device" / "N devices" in the current language (thousands separated).
std::string DevicesText(int devices);

// Returns the P50/P90/P99 table of TTFT, TPOT and end-to-end latency in ms ("-" where none was measured),
// with a column at `slo_percentile` too when it is another percentile (P95, P99.9).
TextTable LatencyTable(const SimulationResult& service, double slo_percentile = 0);
// Returns the capacity answers table (devices, layout, latencies at the SLO
// percentile; with `costs`, one per answer, rent and buy per million output tokens).
TextTable CapacityTable(const ServeSubject& subject, const CapacityResult& result,
                        const std::vector<ServingCost>* costs = nullptr, const std::string& currency = "");
// Returns the sweep table: one row per point, latencies in ms and throughput in tokens/s.
TextTable SweepTable(const ServeSubject& subject, const ServeSweep& sweep);

// Returns the int4 quality caveat (current language, no newline) when `weights` is int4, else "".
std::string Int4Caveat(Precision weights);
// Returns the int4 quality caveat in English (JSON values stay English), no newline.
std::string Int4CaveatEnglish();

// Returns the layout line: "2 replicas x (tp 1, ...) = 2 devices".
std::string ServeRunLayoutLine(const ServeRun& run);
// Returns the per-device memory line: weights, reserve and the replica's KV cache in tokens.
std::string MemoryLine(const ReplicaMemory& memory);
// Returns the lines under the latency table: throughput, goodput, batch, memory, lone decode step.
std::vector<std::string> ServeRunDetails(const ServeSubject& subject, const ServeRun& run);
// Returns the text report of one simulated layout.
std::string ServeRunText(const ServeSubject& subject, const ServeRun& run);
// Returns the JSON report of one simulated layout.
nlohmann::json ServeRunJson(const ServeSubject& subject, const ServeRun& run);

// Returns the header lines naming the model, accelerator, engine, traffic and SLO.
std::string CapacityHeader(const ServeSubject& subject);
// Returns `text` and a newline, wrapped to the output width (continuations indented).
std::string WrapText(const std::string& text);
// Returns the JSON of the subject (model, accelerator, engine, traffic, SLO).
nlohmann::json CapacitySubjectJson(const ServeSubject& subject);
// Returns the text report of a capacity search (with `costs`: the cost columns).
std::string CapacityText(const ServeSubject& subject, const CapacityResult& result,
                         const std::vector<ServingCost>* costs = nullptr, const std::string& currency = "");
// Returns the JSON report of a capacity search.
nlohmann::json CapacityJson(const ServeSubject& subject, const CapacityResult& result);

// One validated row: the published value and the prediction (or why none).
struct ServingCheck {
  ServingRunRow row;
  bool predicted = false;
  double prediction = 0;  // the metric's unit
  bool overloaded = false;  // the row's rate exceeds the modelled capacity (ServingPrediction)
  std::string reason;     // when not predicted

  // Returns predicted / published − 1 (0 when the published value is 0).
  double RelativeError() const { return row.value != 0 ? prediction / row.value - 1.0 : 0.0; }
};

// Returns one row per check: published, predicted and the signed error.
TextTable ServingValidationTable(const std::vector<ServingCheck>& checks);
// Which checks ServingErrorsByFamily counts: all, those on stated lengths, or those on assumed ones.
enum class LengthsFilter { kAll, kStated, kAssumed };
// Returns |relative error| of the predicted checks by metric family (throughput, ttft, tpot).
std::map<std::string, std::vector<double>> ServingErrorsByFamily(const std::vector<ServingCheck>& checks,
                                                                 LengthsFilter filter = LengthsFilter::kAll);

// Returns the per-row table, the rows that could not be read (left out of
// every statistic) and the median |relative error| per metric family.
std::string ServingValidationText(const std::vector<ServingCheck>& checks, const std::vector<BadRow>& bad_rows = {});

}  // namespace suanli
