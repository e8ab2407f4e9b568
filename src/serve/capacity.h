// SLO capacity search: the replica layout (tp, pp, weight and KV formats)
// and replica count that serve a request rate within the latency SLOs on
// the fewest devices. A closed form prunes, the simulator decides.
#pragma once

#include <climits>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/cluster.h"
#include "model/perf_assumptions.h"
#include "serve/engine.h"
#include "serve/iteration.h"
#include "serve/replica.h"
#include "serve/simulator.h"
#include "serve/traffic.h"
#include "workload/model_spec.h"

namespace suanli {

// Requests simulated per replica in each capacity check, unless asked otherwise
// (serve and a scenario's serving workload alike).
inline constexpr int kDefaultRequestsPerCheck = 1000;

// What to search.
struct CapacityQuery {
  const ModelSpec* model = nullptr;
  ClusterSpec cluster;
  const EngineSpec* engine = nullptr;
  PerfAssumptions assumptions;
  TrafficSpec traffic;               // rate_rps is the whole service's rate
  ServingSlo slo;
  std::optional<int> tp;             // pinned tensor parallelism
  std::optional<int> pp;             // pinned pipeline stages
  std::optional<int> dp_attention;   // pinned attention data-parallel groups (MoE)
  std::optional<int> ep;             // pinned expert-parallel ranks (MoE)
  SpeculativeSpec speculative;       // speculative decoding every layout runs (none by default)
  std::optional<Precision> weights;  // pinned weight format
  std::optional<Precision> kv;       // pinned KV format
  int max_batch = 0;                 // 0 = the engine's default
  int prefill_budget_tokens = 0;     // 0 = the engine's default
  int requests_per_check = kDefaultRequestsPerCheck;  // requests simulated per replica for each check (the middle half measured)
  int max_devices = 65536;           // no answer above this many devices
  int top = 3;                       // answers kept
  bool exhaustive = false;           // tests only: judge every layout, no pruning, no memo (the reference)
};

// One answer: a layout, its replica count and its simulated service.
struct CapacityAnswer {
  ServingLayout layout;
  int replicas = 0;
  int devices = 0;           // replicas * tp * pp
  ReplicaMemory memory;      // per device of one replica
  SimulationResult service;  // the whole fleet replayed as `serve --gpus devices` runs it (serve/fleet_replay.h)
};

struct CapacityResult {
  bool feasible = false;
  std::vector<CapacityAnswer> answers;  // fewest devices first
  std::string reason;       // when infeasible: the bound no layout can beat (English, for JSON)
  std::string reason_text;  // the reason in the current language (core/i18n.h), for people
  bool fits = false;        // some layout holds the weights in device memory
  int layouts = 0;          // layouts considered
  int simulations = 0;      // simulator runs
};

// Prices an iteration with an iteration model, remembering in a
// direct-mapped table the part of recent iterations that does not read the
// decode context or the prefill pairs (IterationModel::ContextFreeBreakdown:
// GEMMs, experts, collectives, overheads), keyed by the prefill tokens and
// sequences and the decode sequences. The simulator prices the same batch
// shape many times within a layout's search with a context that grows every
// step; a hit adds the cheap attention terms to the remembered part
// (IterationModel::CompleteSeconds), so answers are bit-for-bit the
// model's. Not thread-safe: one per thread.
class MemoisedCost : public IterationCost {
 public:
  // A table of 2^slots_log2 entries (48 bytes each), pricing with `model`.
  explicit MemoisedCost(const IterationModel* model = nullptr, int slots_log2 = 12);
  // Prices with `model` from now on, forgetting what was remembered.
  void Use(const IterationModel* model);
  // Returns the model's Seconds(work).
  double Seconds(const BatchWork& work) const override;

 private:
  struct Slot {
    uint64_t prefill_tokens = 0;  // bit pattern of the double
    int32_t prefill_seqs = 0, decode_seqs = 0;
    uint32_t generation = 0;  // of the model that priced it; 0 = empty
    double gemm_experts_s = 0, comm_s = 0, overhead_s = 0;  // ContextFreeBreakdown's terms
  };
  const IterationModel* model_ = nullptr;
  uint32_t generation_ = 1;
  mutable std::vector<Slot> slots_;
};

// One replica's share of a traffic (ReplicaShare) per replica count,
// taken once from one stream of the whole traffic and reused by every layout
// that checks that count. GenerateRequests draws each request in turn from
// one generator, so a stream is a prefix of any longer one and each share
// equals ReplicaShare's.
class ShareCache {
 public:
  ShareCache(const TrafficSpec& traffic, int requests_per_replica)
      : traffic_(traffic), requests_per_replica_(requests_per_replica) {}
  // Returns ReplicaShare(traffic, replicas, requests_per_replica) (the
  // constructor's count when 0).
  const std::vector<Request>& Get(int replicas, int requests_per_replica = 0);

 private:
  static constexpr size_t kMaxStream = size_t{1} << 21;  // requests kept (16 bytes each); longer shares are drawn anew
  TrafficSpec traffic_;
  int requests_per_replica_;
  std::vector<Request> stream_;  // the traffic's first requests
  std::map<std::pair<int, int>, std::vector<Request>> shares_;  // by (replicas, requests per replica)
};

// Returns the requests one replica's share simulates when `replicas` share
// the traffic: at least `minimum` (CapacityQuery::requests_per_check), and
// enough for kSteadyLifetimes lone request lifetimes (`lone_request_s`) at
// the share's own rate (SteadyStateRequests), so a share at a high rate is
// not cut off before its queue settles (160 replicas at 10,000 req/s: 1,000
// requests were 16 s of a replica's traffic, shorter than a request's 25 s).
int ShareRequests(double rate_rps, int replicas, double lone_request_s, int minimum);

// Returns the simulator's limits for `layout` with `memory` (its KV cache);
// `steady_state` for stationary Poisson traffic (SchedulerLimits::steady_state).
SchedulerLimits ServingLimits(const ServingLayout& layout, const ReplicaMemory& memory, const EngineSpec& engine,
                              bool steady_state);

// Returns one replica's share of the traffic when `replicas` replicas are fed
// round-robin: every replicas-th request of a stream at the full rate.
std::vector<Request> ReplicaShare(const TrafficSpec& traffic, int replicas, int requests_per_replica);

// Returns the fewest replicas in [low, max_replicas] for which `run` meets
// the SLOs, doubling up from `low` and then bisecting (when `low` already
// meets them, bisecting below it: the closed form only guides), with that
// run's result in `service`; 0 when even max_replicas does not, or as soon
// as a failing count shows the answer would exceed `give_up_above` (the
// counts tried until then are those of the full search, so an answer within
// it is the full search's answer).
int FewestReplicas(const std::function<SimulationResult(int replicas)>& run, int low, int max_replicas,
                   SimulationResult& service, int give_up_above = INT_MAX);

// Returns seconds of a lone decode step (batch 1) at the traffic's mean
// context (the keys a sliding layer of `window` reads capped at the window).
double LoneDecodeSeconds(const IterationCost& model, const TrafficSpec& traffic, const KvWindow& window);

// Returns seconds of a lone prefill of the mean prompt, chunked by the
// layout's budget (a sliding layer of `window` attends at most the window).
double LonePrefillSeconds(const IterationCost& model, const ServingLayout& layout, const TrafficSpec& traffic,
                          const KvWindow& window);

// Returns the layouts searched: tp over the divisors of the heads within the
// scale-up domain, pp 1, 2, 4, 8, every weight and KV format the engine
// serves (pins respected), fitting in memory.
std::vector<ServingLayout> CandidateLayouts(const CapacityQuery& query);

// Returns an error naming the flag when the query's engine does not run on
// its accelerator or pins a weight or KV format the engine does not serve
// (bad input, not an infeasible search).
Status CheckPinnedFormats(const CapacityQuery& query);

// Searches layouts and replica counts; infeasible is an answer with a reason.
CapacityResult SearchCapacity(const CapacityQuery& query);

}  // namespace suanli
