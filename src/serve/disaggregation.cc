// Disaggregated prefill/decode search (serve/disaggregation.h).
#include "serve/disaggregation.h"
#include "serve/fleet_replay.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <memory>
#include <optional>

#include <fmt/format.h>

#include "core/i18n.h"

namespace suanli {
namespace {

// Prices a decode-pool iteration: the prefill part is dropped (the request's
// KV cache arrives from the prefill pool), so an iteration that only admits
// requests costs nothing and decode steps see no prefill interference.
class DecodeOnlyCost : public IterationCost {
 public:
  explicit DecodeOnlyCost(const IterationCost& inner) : inner_(inner) {}
  double Seconds(const BatchWork& work) const override {
    if (work.decode_seqs == 0) return 0;
    BatchWork decode;
    decode.decode_seqs = work.decode_seqs;
    decode.decode_context_tokens = work.decode_context_tokens;
    return inner_.Seconds(decode);
  }

 private:
  const IterationCost& inner_;
};

// Layouts per pool the simulator judges (the rest are pruned by their floor).
constexpr size_t kKeepLayouts = 2;

// One pool's best layout: fewest devices meeting its targets.
struct Pool {
  ServingLayout layout;
  ReplicaMemory memory;
  int replicas = 0;
  SimulationResult service;
  int Devices() const { return replicas * layout.Devices(); }
};

// The traffic of the prefill pool: the prompts, one output token each.
TrafficSpec PromptsOnly(const TrafficSpec& traffic) {
  TrafficSpec t = traffic;
  t.output = {LengthKind::kFixed, 1, 0, 0};
  return t;
}

// Returns the fewest replicas that sustain the traffic in steady state
// (Little's law; the simulated share only covers a few request lifetimes):
// decode at the concurrency the KV cache and max batch allow, c / step(c)
// tokens/s per replica, or prefill at a full token budget per iteration.
int SteadyStateReplicas(const CapacityQuery& q, const IterationModel& model, const ServingLayout& layout,
                        const ReplicaMemory& memory, bool decode) {
  const TrafficSpec& t = q.traffic;
  BatchWork work;
  double tokens_per_s = 0;
  if (decode) {
    const double context = memory.window.Keys(t.input.mean_tokens + 0.5 * t.output.mean_tokens);
    const double concurrency =
        std::max(1.0, std::min<double>(layout.max_batch * layout.pp, memory.kv_capacity_tokens / context));
    work.decode_seqs = std::max(1, static_cast<int>(concurrency / layout.pp));
    work.decode_context_tokens = work.decode_seqs * context;
    tokens_per_s = work.decode_seqs * layout.pp / model.Seconds(work);
    return static_cast<int>(std::ceil(t.rate_rps * t.output.mean_tokens / tokens_per_s));
  }
  const double chunk = std::min<double>(layout.prefill_budget_tokens, std::max(1.0, t.input.mean_tokens));
  work.prefill_tokens = layout.prefill_budget_tokens;
  work.prefill_seqs = static_cast<int>(std::ceil(layout.prefill_budget_tokens / chunk));
  work.prefill_attention_pairs = work.prefill_seqs * memory.window.CausalPairs(0, chunk);
  tokens_per_s = layout.prefill_budget_tokens * layout.pp / model.Seconds(work);
  return static_cast<int>(std::ceil(t.rate_rps * t.input.mean_tokens / tokens_per_s));
}

// Returns the `keep` layouts whose steady-state floor needs the fewest
// devices (the simulator then judges only those), with their floors.
std::vector<std::pair<ServingLayout, int>> Promising(const CapacityQuery& q, const std::vector<ServingLayout>& layouts,
                                                     bool decode, size_t keep) {
  std::vector<std::pair<ServingLayout, int>> out;
  for (const ServingLayout& layout : layouts) {
    const ReplicaMemory memory = ServingMemory(*q.model, *q.cluster.accelerator, layout);
    if (!memory.fits) continue;
    Result<IterationModel> model = IterationModel::Make(*q.model, q.cluster, layout, *q.engine, q.assumptions);
    if (!model.ok()) continue;
    if (decode && LoneDecodeSeconds(*model, q.traffic, memory.window) > q.slo.tpot_s) continue;
    out.push_back({layout, std::max(1, SteadyStateReplicas(q, *model, layout, memory, decode))});
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.second * a.first.Devices() < b.second * b.first.Devices();
  });
  if (out.size() > keep) out.resize(keep);
  return out;
}

// Returns the prompt length at the SLO percentile of one share of the traffic.
double PercentilePrompt(const CapacityQuery& q) {
  std::vector<double> lengths;
  for (const Request& r : ReplicaShare(q.traffic, 1, q.requests_per_check)) lengths.push_back(r.input_tokens);
  return InterpolatedPercentile(lengths, q.slo.percentile);
}

// One promising layout of a pool, its model built once for every share of the TTFT target.
struct PoolLayout {
  ServingLayout layout;
  int floor = 1;  // SteadyStateReplicas: no fewer replicas are simulated
  ReplicaMemory memory;
  std::unique_ptr<IterationModel> model;
  std::unique_ptr<MemoisedCost> memo;  // remembers the model's iterations (not when exhaustive)
  const IterationCost& Cost() const { return memo ? static_cast<const IterationCost&>(*memo) : *model; }
};

// Returns the promising layouts of one pool with their models.
std::vector<PoolLayout> PoolLayouts(const CapacityQuery& q, const std::vector<ServingLayout>& layouts, bool decode) {
  std::vector<PoolLayout> out;
  for (const auto& [layout, floor] : Promising(q, layouts, decode, kKeepLayouts)) {
    PoolLayout p;
    p.layout = layout;
    p.floor = floor;
    p.memory = ServingMemory(*q.model, *q.cluster.accelerator, layout);
    p.model = std::make_unique<IterationModel>(*IterationModel::Make(*q.model, q.cluster, layout, *q.engine, q.assumptions));
    if (!q.exhaustive) p.memo = std::make_unique<MemoisedCost>(p.model.get(), 12);
    out.push_back(std::move(p));
  }
  return out;
}

// The simulated traffic of one pool: the request shares and the cost of an iteration.
struct PoolRun {
  const CapacityQuery& q;
  const TrafficSpec& traffic;
  ShareCache& shares;
  int& simulations;
};

// Returns `p` sized: the fewest replicas from its floor up whose share of
// the traffic meets `slo` under `cost`; replicas 0 when none within
// max_devices, or none within `give_up_devices` (then a larger answer is
// not wanted).
Pool SizePool(const PoolRun& r, const PoolLayout& p, const IterationCost& cost, const ServingSlo& slo,
              int give_up_devices) {
  SchedulerLimits limits = ServingLimits(p.layout, p.memory, *r.q.engine, /*steady_state=*/true);
  const double lone_request_s = LoneRequestSeconds(cost, p.layout, p.memory, r.traffic);
  const auto run = [&](int replicas) {
    if (replicas < p.floor) return SimulationResult{};
    ++r.simulations;
    limits.arrival_rate_rps = r.traffic.rate_rps / replicas;  // one replica's round-robin share
    // Long enough for a steady state at the share's own rate (ShareRequests).
    const int requests = ShareRequests(r.traffic.rate_rps, replicas, lone_request_s, r.q.requests_per_check);
    return Simulate(r.q.exhaustive ? ReplicaShare(r.traffic, replicas, requests) : r.shares.Get(replicas, requests),
                    cost, limits, slo, 1, /*stop_at_miss=*/!r.q.exhaustive);  // a failing run's figures are unused
  };
  Pool pool{p.layout, p.memory, 0, {}};
  const int most = r.q.max_devices / p.layout.Devices();
  if (p.floor > most) return pool;
  const int give_up = r.q.exhaustive ? INT_MAX : give_up_devices / p.layout.Devices();
  if (p.floor > give_up) return pool;  // its answer is at least its floor
  pool.replicas = FewestReplicas(run, p.floor, most, pool.service, give_up);
  return pool;
}

// Returns the most devices a pool may take and still beat `best` and
// `limit_devices` (INT_MAX: no limit), or INT_MAX when exhaustive.
int GiveUpDevices(const CapacityQuery& q, const std::optional<Pool>& best, int limit_devices) {
  if (q.exhaustive) return INT_MAX;
  return std::min(limit_devices, best ? best->Devices() - 1 : INT_MAX);
}

// Returns the decode pool with the fewest devices meeting the TPOT target
// and a wait for admission within `wait_s` (no more than `limit_devices`), or nullopt.
std::optional<Pool> BestDecodePool(const PoolRun& r, const std::vector<PoolLayout>& layouts, double wait_s,
                                   int limit_devices) {
  std::optional<Pool> best;
  const ServingSlo slo{wait_s, r.q.slo.tpot_s, r.q.slo.percentile};
  for (const PoolLayout& p : layouts) {
    const DecodeOnlyCost cost(p.Cost());
    const Pool pool = SizePool(r, p, cost, slo, GiveUpDevices(r.q, best, limit_devices));
    if (pool.replicas > 0 && (!best || pool.Devices() < best->Devices())) best = pool;
  }
  return best;
}

// Returns the prefill pool with the fewest devices meeting `ttft_budget_s`
// (the TTFT target less the transfer and the decode pool's wait, which
// depend on the link to `decode`; no more than `limit_devices`), or nullopt.
std::optional<Pool> BestPrefillPool(const PoolRun& r, const std::vector<PoolLayout>& layouts, const Pool& decode,
                                    double decode_wait_s, double prompt_tokens, int limit_devices) {
  std::optional<Pool> best;
  const CapacityQuery& q = r.q;
  for (const PoolLayout& p : layouts) {
    const bool up = p.layout.Devices() + decode.layout.Devices() <= q.cluster.scale_up_domain;
    const double link = up ? q.cluster.scale_up_Bps : q.cluster.scale_out_Bps;
    if (link <= 0) continue;
    const double budget = q.slo.ttft_s - decode_wait_s - KvTransferSeconds(p.memory, prompt_tokens, link);
    if (budget <= LonePrefillSeconds(*p.model, p.layout, q.traffic, p.memory.window)) continue;
    const Pool pool = SizePool(r, p, p.Cost(), ServingSlo{budget, 0, q.slo.percentile},
                               GiveUpDevices(q, best, limit_devices));
    if (pool.replicas > 0 && (!best || pool.Devices() < best->Devices())) best = pool;
  }
  return best;
}

// The format pairs of `layouts` (weights, KV), most precise first.
std::vector<std::pair<Precision, Precision>> FormatPairs(const std::vector<ServingLayout>& layouts) {
  std::vector<std::pair<Precision, Precision>> pairs;
  for (const ServingLayout& l : layouts) {
    if (std::find(pairs.begin(), pairs.end(), std::pair{l.weights, l.kv}) == pairs.end()) pairs.push_back({l.weights, l.kv});
  }
  std::stable_sort(pairs.begin(), pairs.end(), [](const auto& a, const auto& b) {
    return std::make_pair(BytesPerElement(a.first), BytesPerElement(a.second)) >
           std::make_pair(BytesPerElement(b.first), BytesPerElement(b.second));
  });
  return pairs;
}

// Sizes both pools from `decode_layouts` and `prefill_layouts` for each
// split of the TTFT target, keeping in `answer` the fleet with the fewest
// devices (a later one must have fewer).
void SearchSplits(const CapacityQuery& q, const PoolRun& decode_run, const PoolRun& prefill_run,
                  const std::vector<PoolLayout>& decode_layouts, const std::vector<PoolLayout>& prefill_layouts,
                  double prompt, DisaggregatedAnswer& answer) {
  // The decode pool's wait for admission adds to TTFT; the split of the TTFT
  // target between it and the prefill pool is searched over a few shares.
  // Once a split is feasible, a later one must beat it with at least one
  // prefill device: neither pool is sized beyond that (not when exhaustive).
  for (double share : {0.1, 0.3}) {
    const int limit = answer.feasible && !q.exhaustive ? answer.devices - 2 : INT_MAX;
    const std::optional<Pool> decode = BestDecodePool(decode_run, decode_layouts, share * q.slo.ttft_s, limit);
    if (!decode) continue;
    const double wait = decode->service.ttft.at_slo_percentile_s;
    const int prefill_limit = answer.feasible && !q.exhaustive ? answer.devices - 1 - decode->Devices() : INT_MAX;
    const std::optional<Pool> prefill =
        BestPrefillPool(prefill_run, prefill_layouts, *decode, wait, prompt, prefill_limit);
    if (!prefill) continue;
    const int devices = prefill->Devices() + decode->Devices();
    if (answer.feasible && devices >= answer.devices) continue;
    answer.feasible = true;
    answer.devices = devices;
    answer.prefill_layout = prefill->layout;
    answer.decode_layout = decode->layout;
    answer.prefill_replicas = prefill->replicas;
    answer.decode_replicas = decode->replicas;
    answer.prefill_memory = prefill->memory;
    answer.decode_memory = decode->memory;
    answer.prefill_service = prefill->service;
    answer.decode_service = decode->service;
    answer.scale_up_link = prefill->layout.Devices() + decode->layout.Devices() <= q.cluster.scale_up_domain;
    answer.link_Bps = answer.scale_up_link ? q.cluster.scale_up_Bps : q.cluster.scale_out_Bps;
    answer.kv_bytes_per_request = RequestKvBytes(*q.model, prefill->layout.kv, q.traffic.input.mean_tokens);
    answer.transfer_prompt_tokens = prompt;
    answer.transfer_kv_bytes = RequestKvBytes(*q.model, prefill->layout.kv, prompt);
    answer.transfer_share_bytes = DeviceKvShareBytes(prefill->memory, prompt);
    answer.transfer_s = KvTransferSeconds(prefill->memory, prompt, answer.link_Bps);
    answer.ttft_at_slo_s = prefill->service.ttft.at_slo_percentile_s + answer.transfer_s + wait;
  }
}

template <typename... Args>
void SetReason(DisaggregatedAnswer& a, const char* english, const Args&... args) {
  a.reason = fmt::format(fmt::runtime(english), args...);
  a.reason_text = TrFormat(english, args...);
}

}  // namespace

double DeviceKvShareBytes(const ReplicaMemory& prefill_memory, double input_tokens) {
  return prefill_memory.kv_bytes_per_token * prefill_memory.window.Keys(input_tokens);
}

double KvTransferSeconds(const ReplicaMemory& prefill_memory, double input_tokens, double link_Bps) {
  return link_Bps > 0 ? DeviceKvShareBytes(prefill_memory, input_tokens) / link_Bps : 0;
}

double RequestKvBytes(const ModelSpec& model, Precision kv, double input_tokens) {
  return LayerKvBytesPerToken(model, 1, BytesPerElement(kv)) *
         StageKvWindow(model, model.layers).LayerTokens(input_tokens);
}

DisaggregatedAnswer SearchDisaggregated(const CapacityQuery& query) {
  CapacityQuery q = query;  // no prompt past the model's context (an engine rejects it)
  q.traffic = CapToContext(q.traffic, q.model->UsableContext());
  DisaggregatedAnswer answer;
  if (q.slo.ttft_s <= 0 || q.slo.tpot_s <= 0) {
    SetReason(answer, "disaggregation is sized by both targets: give --ttft-ms and --tpot-ms");
    return answer;
  }
  const std::vector<ServingLayout> layouts = CandidateLayouts(q);
  const double prompt = PercentilePrompt(q);
  const TrafficSpec prompts = PromptsOnly(q.traffic);
  ShareCache decode_shares(q.traffic, q.requests_per_check), prefill_shares(prompts, q.requests_per_check);
  const PoolRun decode_run{q, q.traffic, decode_shares, answer.simulations};
  const PoolRun prefill_run{q, prompts, prefill_shares, answer.simulations};
  // Both pools serve one model: the decode pool reads the KV cache the
  // prefill pool wrote, as it was written. Pools with different weights (fp8
  // prefill, int4 decode) would be two numerically different models (the
  // cache of one read by the other), and a cache in another format a
  // conversion no KV transfer makes, so each weight and KV format pair is
  // searched on its own, the most precise first (it wins a tie).
  for (const auto& [weights, kv] : FormatPairs(layouts)) {
    std::vector<ServingLayout> same;
    for (const ServingLayout& l : layouts) {
      if (l.weights == weights && l.kv == kv) same.push_back(l);
    }
    const std::vector<PoolLayout> decode_layouts = PoolLayouts(q, same, true);
    const std::vector<PoolLayout> prefill_layouts = PoolLayouts(q, same, false);
    SearchSplits(q, decode_run, prefill_run, decode_layouts, prefill_layouts, prompt, answer);
  }
  if (!answer.feasible) {
    SetReason(answer, "no prefill and decode pools meet TTFT {:.0f} ms and TPOT {:.1f} ms at P{:g} within {} devices",
              q.slo.ttft_s * 1e3, q.slo.tpot_s * 1e3, q.slo.percentile, q.max_devices);
  }
  return answer;
}

}  // namespace suanli
