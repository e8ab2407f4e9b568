// The capacity search: per layout, a closed-form estimate of replicas (the
// decode rate at the largest batch the KV cache allows), then doubling and
// bisection on the replica count with the simulator as the judge. Layouts go
// most promising first; one whose floor cannot reach the top answers is
// skipped, and a replica search stops once its answer cannot (the counts it
// tried are those of the unpruned search, so answers do not change).
#include "serve/capacity.h"
#include "serve/fleet_replay.h"
#include "core/i18n.h"
#include "core/progress.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <optional>
#include <tuple>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace suanli {
namespace {

// Returns an estimate of the replicas the rate needs: each replica at most
// decodes its KV-bounded batch c at one token per step for every sequence
// and spends the prefill time on each prompt.
int EstimateReplicas(const IterationModel& model, const ServingLayout& layout, const ReplicaMemory& memory,
                       const TrafficSpec& t) {
  // Keys and KV slots per sequence at the mean context, capped by a sliding
  // window (as if the engine frees outside it: the estimate stays a low bound).
  const double context = memory.window.Keys(t.input.mean_tokens + 0.5 * t.output.mean_tokens);
  const double concurrency =
      std::max(1.0, std::min<double>(layout.max_batch * layout.pp, memory.kv_capacity_tokens / context));
  BatchWork work;
  work.decode_seqs = static_cast<int>(concurrency / layout.pp);
  work.decode_context_tokens = work.decode_seqs * context;
  const double step = model.Seconds(work);
  const double prefill = LonePrefillSeconds(model, layout, t, memory.window) / layout.pp;
  const double seconds_per_request = t.output.mean_tokens * step / concurrency + prefill;
  return std::max(1, static_cast<int>(std::ceil(t.rate_rps * seconds_per_request)));
}

// Returns a floor on the replicas the simulator accepts, from the estimate
// `low` (EstimateReplicas):
//   floor = max(1, floor(low / 2)).
// The estimate adds a lone prefill to the decode time of every request;
// chunked prefill runs them in one iteration (one weight read for both), so
// a replica is at most about twice as fast, and the simulated window plus the
// rounding up of the estimate allow one replica fewer (in whole-catalog runs
// of 8B and MoE models, fixed and lognormal lengths, the simulator never
// accepted fewer than low - 1; serve/capacity_search_test.cc compares with
// the unpruned search). It only prunes: a layout whose floor needs more
// devices than the top-th answer so far cannot enter the top.
int ReplicaFloor(int low) { return std::max(1, low / 2); }

// Sets the infeasible result's reason: in English (JSON) and in the current
// language (text), from the English format `english` (its Chinese in data/i18n/zh/serve.yaml).
template <typename... Args>
void SetReason(CapacityResult& result, const char* english, const Args&... args) {
  result.reason = fmt::format(fmt::runtime(english), args...);
  result.reason_text = TrFormat(english, args...);
}

bool Better(const CapacityAnswer& a, const CapacityAnswer& b) {
  // Fewest devices; then the more precise weights (quality); then the lower
  // latency at the SLO percentile; then a stable layout order.
  const double wa = BytesPerElement(a.layout.weights), wb = BytesPerElement(b.layout.weights);
  return std::make_tuple(a.devices, -wa, a.service.ttft.at_slo_percentile_s, a.layout.tp, a.layout.pp,
                         static_cast<int>(a.layout.kv)) <
         std::make_tuple(b.devices, -wb, b.service.ttft.at_slo_percentile_s, b.layout.tp, b.layout.pp,
                         static_cast<int>(b.layout.kv));
}

}  // namespace

double LoneDecodeSeconds(const IterationCost& model, const TrafficSpec& t, const KvWindow& window) {
  BatchWork work;
  work.decode_seqs = 1;
  work.decode_context_tokens = window.Keys(t.input.mean_tokens + 0.5 * t.output.mean_tokens);
  return model.Seconds(work);
}

double LonePrefillSeconds(const IterationCost& model, const ServingLayout& layout, const TrafficSpec& t,
                          const KvWindow& window) {
  double seconds = 0, done = 0;
  const double prompt = t.input.mean_tokens;
  while (done < prompt) {
    const double chunk = std::min(prompt - done, static_cast<double>(layout.prefill_budget_tokens));
    BatchWork work;
    work.prefill_tokens = chunk;
    work.prefill_seqs = 1;
    work.prefill_attention_pairs = window.CausalPairs(done, chunk);
    seconds += model.Seconds(work);
    done += chunk;
  }
  return seconds;
}

int FewestReplicas(const std::function<SimulationResult(int)>& run, int low, int max_replicas,
                   SimulationResult& service, int give_up_above) {
  int bad = 0, good = 0;
  SimulationResult good_result;
  for (int n = low; n <= max_replicas; n = std::min(max_replicas, n * 2)) {
    SimulationResult r = run(n);
    if (r.meets_slo) {
      good = n;
      good_result = r;
      break;
    }
    bad = n;
    if (n == max_replicas || bad >= give_up_above) break;
  }
  if (good == 0) return 0;
  while (good - bad > 1) {
    if (bad >= give_up_above) return 0;  // the answer lies in (bad, good]
    const int mid = bad + (good - bad) / 2;
    SimulationResult r = run(mid);
    if (r.meets_slo) {
      good = mid;
      good_result = r;
    } else {
      bad = mid;
    }
  }
  service = good_result;
  return good;
}

static_assert(sizeof(BatchWork) == 3 * sizeof(double) + 2 * sizeof(int),
              "MemoisedCost keys on the BatchWork fields ContextFreeBreakdown reads: check a new field");

MemoisedCost::MemoisedCost(const IterationModel* model, int slots_log2)
    : model_(model), slots_(size_t{1} << slots_log2) {}

void MemoisedCost::Use(const IterationModel* model) {
  model_ = model;
  ++generation_;
}

double MemoisedCost::Seconds(const BatchWork& work) const {
  const uint64_t tokens = std::bit_cast<uint64_t>(work.prefill_tokens);
  // splitmix64's finaliser over the key folded together.
  uint64_t h = tokens * 0x9e3779b97f4a7c15ULL ^ (static_cast<uint64_t>(static_cast<uint32_t>(work.prefill_seqs)) << 32) ^
               static_cast<uint32_t>(work.decode_seqs);
  h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ULL;
  h = (h ^ (h >> 27)) * 0x94d049bb133111ebULL;
  h ^= h >> 31;
  Slot& slot = slots_[h & (slots_.size() - 1)];
  if (slot.generation != generation_ || slot.prefill_tokens != tokens || slot.prefill_seqs != work.prefill_seqs ||
      slot.decode_seqs != work.decode_seqs) {
    const IterationBreakdown fixed = model_->ContextFreeBreakdown(work);
    slot = Slot{tokens, work.prefill_seqs, work.decode_seqs, generation_, fixed.gemm_s + fixed.experts_s,
                fixed.comm_s, fixed.overhead_s};
  }
  return model_->CompleteSeconds(slot.gemm_experts_s, slot.comm_s, slot.overhead_s, work);
}

const std::vector<Request>& ShareCache::Get(int replicas) {
  auto it = shares_.find(replicas);
  if (it != shares_.end()) return it->second;
  const size_t needed = static_cast<size_t>(replicas) * static_cast<size_t>(requests_per_replica_);
  std::vector<Request> share;
  if (needed > kMaxStream) {
    share = ReplicaShare(traffic_, replicas, requests_per_replica_);
  } else {
    if (stream_.size() < needed) {
      TrafficSpec all = traffic_;
      all.requests = static_cast<int>(std::max(needed, std::min(kMaxStream, 2 * stream_.size())));
      stream_ = GenerateRequests(all);
    }
    share.reserve(static_cast<size_t>(requests_per_replica_));
    for (size_t i = 0; i < needed; i += static_cast<size_t>(replicas)) share.push_back(stream_[i]);
  }
  return shares_.emplace(replicas, std::move(share)).first->second;
}

SchedulerLimits ServingLimits(const ServingLayout& layout, const ReplicaMemory& memory, const EngineSpec& engine,
                              bool steady_state) {
  SchedulerLimits limits;
  limits.steady_state = steady_state;
  // The engine's admission and first-token rules (data/engines.yaml).
  limits.reserve_output = engine.reserve_output;
  limits.first_token_in_decode = engine.first_token_in_decode;
  // Every DP-attention group schedules its own batch and token budget.
  limits.max_batch = layout.max_batch * layout.dp_attention;
  limits.prefill_budget_tokens = layout.prefill_budget_tokens * layout.dp_attention;
  limits.kv_capacity_tokens = memory.kv_capacity_tokens;
  limits.virtual_engines = layout.pp;
  limits.tokens_per_step = layout.speculative.TokensPerStep();
  // Sliding-window layers: attention reads the window; the engine may free the rest.
  limits.window = memory.window;
  limits.window_frees_kv = engine.window_frees_kv;
  return limits;
}

std::vector<Request> ReplicaShare(const TrafficSpec& traffic, int replicas, int requests_per_replica) {
  TrafficSpec all = traffic;
  all.requests = replicas * requests_per_replica;
  const std::vector<Request> stream = GenerateRequests(all);
  std::vector<Request> share;
  share.reserve(static_cast<size_t>(requests_per_replica));
  for (size_t i = 0; i < stream.size(); i += static_cast<size_t>(replicas)) share.push_back(stream[i]);
  return share;
}

std::vector<ServingLayout> CandidateLayouts(const CapacityQuery& q) {
  const ModelSpec& m = *q.model;
  std::vector<ServingLayout> out;
  const int domain = std::max(1, q.cluster.scale_up_domain);
  const BatchDefaults defaults = q.engine->DefaultsFor(*q.cluster.accelerator);
  for (int tp = 1; tp <= domain; tp *= 2) {
    if (m.heads % tp != 0 || (q.tp && *q.tp != tp)) continue;
    for (int pp : {1, 2, 4, 8}) {
      if (pp > m.layers || (q.pp && *q.pp != pp)) continue;
      for (Precision w : q.engine->weight_formats) {
        if (q.weights && *q.weights != w) continue;
        for (Precision kv : q.engine->kv_formats) {
          if (q.kv && *q.kv != kv) continue;
          ServingLayout l;
          l.tp = tp;
          l.pp = pp;
          l.weights = w;
          l.kv = kv;
          l.max_batch = q.max_batch > 0 ? q.max_batch : defaults.max_batch;
          l.prefill_budget_tokens = q.prefill_budget_tokens > 0 ? q.prefill_budget_tokens
                                                                 : defaults.prefill_budget_tokens;
          out.push_back(l);
          // MoE: experts over every device of the stage (ep = tp), and
          // DeepSeek-style attention data-parallel over the domain (tp 1,
          // dp-attention = ep = the domain) once.
          if (m.moe.experts > 0 && tp > 1 && m.moe.experts % tp == 0) {
            ServingLayout e = l;
            e.ep = tp;
            out.push_back(e);
            if (pp == 1 && tp == domain) {
              ServingLayout d = e;
              d.tp = 1;
              d.dp_attention = tp;
              out.push_back(d);
            }
          }
        }
      }
    }
  }
  return out;
}

namespace {

// A layout past the closed-form floors, waiting for the simulator.
struct Candidate {
  size_t index = 0;  // in CandidateLayouts order: the last tie-break between answers
  ServingLayout layout;
  ReplicaMemory memory;
  std::optional<IterationModel> model;
  int low = 1;             // EstimateReplicas: where the replica search starts
  int max_replicas = 0;    // within max_devices
  int floor_replicas = 1;  // ReplicaFloor: prunes, never decides
};

// The lone-request bounds over every layout that fits, for the reason when none is feasible.
struct LoneBounds {
  bool any_fits = false;
  double decode_s = 1e30, prefill_s = 1e30;
  std::string decode_layout, prefill_layout;
  double tail_prompt_tokens = 0;  // PercentilePromptBound
  double tail_prefill_s = 1e30;   // its fastest lone prefill
  std::string tail_layout;
};

// Returns a prompt length whose lone prefill the TTFT at the SLO percentile
// cannot beat however many replicas serve: the prompt at percentile
// p - (100 - p) / 2 of a sample of the traffic (P99: P98.5; the margin keeps
// it below the percentile of the samples the simulator measures). More
// replicas only shorten the queue, never a prompt's own prefill.
double PercentilePromptBound(const CapacityQuery& q) {
  if (q.traffic.input.kind == LengthKind::kFixed) return q.traffic.input.mean_tokens;
  std::vector<int> lengths;
  for (const Request& r : ReplicaShare(q.traffic, 1, std::max(1000, q.requests_per_check))) {
    lengths.push_back(r.input_tokens);
  }
  std::sort(lengths.begin(), lengths.end());
  const double p = std::clamp(q.slo.percentile - 0.5 * (100.0 - q.slo.percentile), 0.0, 100.0);
  return lengths[static_cast<size_t>(std::floor(p / 100.0 * static_cast<double>(lengths.size() - 1)))];
}

// Returns the layouts whose lone decode step and lone prefill meet the
// targets (queueing only adds to them), with their replica bounds; counts
// every layout in `result.layouts` and keeps the bounds for the reason.
std::vector<Candidate> Screen(const CapacityQuery& q, CapacityResult& result, LoneBounds& lone) {
  std::vector<Candidate> out;
  const std::vector<ServingLayout> layouts = CandidateLayouts(q);
  TrafficSpec tail = q.traffic;  // the prompt at the percentile, alone
  tail.input.mean_tokens = std::max(tail.input.mean_tokens, PercentilePromptBound(q));
  lone.tail_prompt_tokens = tail.input.mean_tokens;
  for (size_t i = 0; i < layouts.size(); ++i) {
    const ServingLayout& layout = layouts[i];
    ++result.layouts;
    const ReplicaMemory memory = ServingMemory(*q.model, *q.cluster.accelerator, layout);
    if (!memory.fits) continue;
    lone.any_fits = true;
    Result<IterationModel> model = IterationModel::Make(*q.model, q.cluster, layout, *q.engine, q.assumptions);
    if (!model.ok()) continue;
    const double decode = LoneDecodeSeconds(*model, q.traffic, memory.window);
    const double prefill = LonePrefillSeconds(*model, layout, q.traffic, memory.window);
    const std::string name = fmt::format("tp {} pp {} {} weights", layout.tp, layout.pp, PrecisionName(layout.weights));
    if (decode < lone.decode_s) lone.decode_s = decode, lone.decode_layout = name;
    if (prefill < lone.prefill_s) lone.prefill_s = prefill, lone.prefill_layout = name;
    if ((q.slo.tpot_s > 0 && decode > q.slo.tpot_s) || (q.slo.ttft_s > 0 && prefill > q.slo.ttft_s)) continue;
    if (q.slo.ttft_s > 0 && tail.input.mean_tokens > q.traffic.input.mean_tokens) {
      const double tail_prefill = LonePrefillSeconds(*model, layout, tail, memory.window);
      if (tail_prefill < lone.tail_prefill_s) lone.tail_prefill_s = tail_prefill, lone.tail_layout = name;
      if (tail_prefill > q.slo.ttft_s) continue;
    }
    Candidate c;
    c.index = i;
    c.layout = layout;
    c.memory = memory;
    c.max_replicas = q.max_devices / layout.Devices();
    if (c.max_replicas < 1) continue;
    c.low = std::min(c.max_replicas, EstimateReplicas(*model, layout, memory, q.traffic));
    c.floor_replicas = q.exhaustive ? 1 : ReplicaFloor(c.low);
    c.model.emplace(*model);
    out.push_back(std::move(c));
  }
  return out;
}

// An answer and its layout's place in CandidateLayouts.
struct Ranked {
  CapacityAnswer answer;
  size_t index = 0;
};

// Returns the most devices with which `layout` could still enter the top
// `keep` of `best` (Better's order: at equal devices the more precise
// weights win, so a less precise layout must use fewer); INT_MAX while
// fewer than `keep` answers are known.
int Within(const std::vector<Ranked>& best, size_t keep, const ServingLayout& layout) {
  if (best.size() < keep) return INT_MAX;
  const CapacityAnswer& worst = best[keep - 1].answer;
  return BytesPerElement(layout.weights) < BytesPerElement(worst.layout.weights) ? worst.devices - 1 : worst.devices;
}

// Returns the worst ratio of a percentile latency to its target (> 1: a miss).
double MissRatio(const SimulationResult& r, const ServingSlo& slo) {
  double ratio = 0;
  if (slo.ttft_s > 0) ratio = std::max(ratio, r.ttft.at_slo_percentile_s / slo.ttft_s);
  if (slo.tpot_s > 0) ratio = std::max(ratio, r.tpot.at_slo_percentile_s / slo.tpot_s);
  return ratio;
}

// Returns the fewest replicas from `replicas` (the share search's answer)
// up whose whole-fleet replay, as `serve --gpus` runs it (ReplayFleet: the
// full stream over every replica, its own steady-state length), meets the
// SLOs, with that replay in `service`; 0 when none does within max_replicas
// or `give_up`. The share of one replica is a sample of the fleet's
// latencies; near a limit the two can fall on either side of a target
// (qwen2.5-72b on h20, 5 x tp4 fp8: TPOT P90 57.0 ms in the share, 73.9 ms
// replayed), and the answer is the one serve replays. The counts just above
// the share's answer are tried in turn; past them the count doubles while
// the worst percentile still falls (kFloorGain per doubling), then bisects:
// more replicas only shorten the queue, so once doubling them leaves the
// percentile where it was, the miss is a floor (the fleet's longest prompts'
// own prefill, say) that no count beats. Walking every count up to the
// device limit took minutes (lognormal prompts: a TTFT floor of 1.78 s
// against 1.5 s, 16,384 counts).
int ConfirmReplicas(const CapacityQuery& q, const Candidate& c, const IterationCost& cost, int replicas, int give_up,
                    CapacityResult& result, SimulationResult& service) {
  constexpr int kInTurn = 3;           // counts tried one by one from the share's answer
  constexpr double kFloorGain = 0.98;  // a doubling must cut the worst miss ratio below this fraction
  const int limit = std::min(c.max_replicas, give_up);
  const auto replay = [&](int n, bool stop_at_miss) {
    ++result.simulations;
    return ReplayFleet(q.traffic, cost, c.layout, c.memory, *q.engine, q.slo, n, stop_at_miss && !q.exhaustive);
  };
  int bad = 0;
  double bad_ratio = 0;
  for (int n = replicas; n <= limit && n < replicas + kInTurn; ++n) {
    const bool last = n + 1 == replicas + kInTurn || n == limit;
    SimulationResult fleet = replay(n, /*stop_at_miss=*/!last);  // the last one's figures start the doubling
    if (fleet.meets_slo) {
      service = std::move(fleet);
      return n;
    }
    bad = n;
    bad_ratio = MissRatio(fleet, q.slo);
  }
  if (bad == 0 || bad >= limit) return 0;
  int good = 0;
  SimulationResult good_result;
  for (int n = std::min(limit, 2 * bad);; n = std::min(limit, 2 * n)) {
    SimulationResult fleet = replay(n, /*stop_at_miss=*/false);
    if (fleet.meets_slo) {
      good = n;
      good_result = std::move(fleet);
      break;
    }
    const double ratio = MissRatio(fleet, q.slo);
    if (n >= limit || !(ratio < kFloorGain * bad_ratio)) return 0;  // the limit, or a floor
    bad = n;
    bad_ratio = ratio;
  }
  while (good - bad > 1) {
    const int mid = bad + (good - bad) / 2;
    SimulationResult fleet = replay(mid, /*stop_at_miss=*/true);
    if (fleet.meets_slo) {
      good = mid;
      good_result = std::move(fleet);
    } else {
      bad = mid;
    }
  }
  service = std::move(good_result);
  return good;
}

// Simulates the candidates, most promising first (fewest estimated devices),
// keeping the `top` best answers in `best`. Unless exhaustive, a layout is
// skipped when even its floor needs more devices than the top-th answer so
// far, and its replica search gives up once its answer would (ties go on
// where they may win on Better's later keys).
void Judge(const CapacityQuery& q, const std::vector<Candidate>& candidates, CapacityResult& result, std::vector<Ranked>& best) {
  const size_t keep = static_cast<size_t>(std::max(1, q.top));
  std::vector<size_t> order(candidates.size());
  for (size_t k = 0; k < order.size(); ++k) order[k] = k;
  const auto estimate = [&](size_t k) {
    const Candidate& c = candidates[k];
    return std::make_pair(static_cast<long>(c.low) * c.layout.Devices(), -BytesPerElement(c.layout.weights));
  };
  if (!q.exhaustive) std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return estimate(a) < estimate(b); });
  ShareCache shares(q.traffic, q.requests_per_check);
  MemoisedCost memo;
  Progress progress(Tr("searching serving layouts"), static_cast<double>(candidates.size()));
  for (size_t k = 0; k < order.size(); ++k) {
    progress.Set(static_cast<double>(k));
    const Candidate& c = candidates[order[k]];
    const int per_replica = c.layout.Devices();
    const int worst = Within(best, keep, c.layout);
    if (!q.exhaustive && static_cast<long>(c.floor_replicas) * per_replica > worst) continue;
    memo.Use(&*c.model);
    const IterationCost& cost = q.exhaustive ? static_cast<const IterationCost&>(*c.model) : memo;
    SchedulerLimits limits = ServingLimits(c.layout, c.memory, *q.engine, /*steady_state=*/true);
    const auto run = [&](int replicas) {
      ++result.simulations;
      limits.arrival_rate_rps = q.traffic.rate_rps / replicas;  // one replica's round-robin share
      return Simulate(q.exhaustive ? ReplicaShare(q.traffic, replicas, q.requests_per_check) : shares.Get(replicas), cost,
                      limits, q.slo, 1, /*stop_at_miss=*/!q.exhaustive);  // a failing run's figures are unused
    };
    Ranked r;
    r.index = c.index;
    const int give_up = q.exhaustive ? INT_MAX : worst / per_replica;
    r.answer.replicas = FewestReplicas(run, c.low, c.max_replicas, r.answer.service, give_up);
    if (r.answer.replicas == 0) continue;
    r.answer.replicas = ConfirmReplicas(q, c, cost, r.answer.replicas, give_up, result, r.answer.service);
    if (r.answer.replicas == 0) continue;
    r.answer.layout = c.layout;
    r.answer.devices = r.answer.replicas * per_replica;
    r.answer.memory = c.memory;
    best.push_back(std::move(r));
    std::sort(best.begin(), best.end(), [](const Ranked& a, const Ranked& b) {
      return Better(a.answer, b.answer) || (!Better(b.answer, a.answer) && a.index < b.index);
    });
    if (best.size() > keep) best.resize(keep);
  }
}

}  // namespace

Status CheckPinnedFormats(const CapacityQuery& q) {
  const auto names = [](const std::vector<Precision>& formats) {
    std::vector<std::string_view> out;
    for (Precision p : formats) out.push_back(PrecisionName(p));
    return fmt::format("{}", fmt::join(out, ", "));
  };
  if (q.weights && !q.engine->ServesWeights(*q.weights)) {
    return MakeError(TrFormat("{} does not serve {} weights (it serves {})", q.engine->id, PrecisionName(*q.weights),
                              names(q.engine->weight_formats)),
                     "--weights");
  }
  if (q.kv && !q.engine->ServesKv(*q.kv)) {
    return MakeError(TrFormat("{} does not keep a {} KV cache (it keeps {})", q.engine->id, PrecisionName(*q.kv),
                              names(q.engine->kv_formats)),
                     "--kv");
  }
  return OkStatus();
}

CapacityResult SearchCapacity(const CapacityQuery& query) {
  // An engine rejects prompts past the model's context: draw none longer.
  CapacityQuery q = query;
  q.traffic = CapToContext(q.traffic, q.model->max_seq_len);
  CapacityResult result;
  LoneBounds lone;
  std::vector<Candidate> candidates = Screen(q, result, lone);
  std::vector<Ranked> best;
  Judge(q, candidates, result, best);
  for (Ranked& r : best) {
    if (static_cast<int>(result.answers.size()) < q.top) result.answers.push_back(std::move(r.answer));
  }
  result.feasible = !result.answers.empty();
  result.fits = lone.any_fits;
  if (result.feasible) return result;
  if (!lone.any_fits) {
    SetReason(result, "no layout fits the model's weights in device memory (try --weights int4 or a larger --tp/--pp)");
  } else if (q.slo.tpot_s > 0 && lone.decode_s > q.slo.tpot_s) {
    SetReason(
        result,
        "the TPOT target {:.1f} ms is below the fastest lone decode step, {:.1f} ms ({}): "
        "weights must be read once per token",
        q.slo.tpot_s * 1e3, lone.decode_s * 1e3, lone.decode_layout);
  } else if (q.slo.ttft_s > 0 && lone.prefill_s > q.slo.ttft_s) {
    SetReason(result, "the TTFT target {:.0f} ms is below the fastest lone prefill of the mean prompt, {:.0f} ms ({})",
              q.slo.ttft_s * 1e3, lone.prefill_s * 1e3, lone.prefill_layout);
  } else if (q.slo.ttft_s > 0 && lone.tail_prefill_s < 1e30 && lone.tail_prefill_s > q.slo.ttft_s) {
    SetReason(result,
              "the TTFT target {:.0f} ms is below the fastest lone prefill of a P{:g} prompt ({:.0f} tokens), "
              "{:.0f} ms ({}): more replicas only shorten the queue",
              q.slo.ttft_s * 1e3, q.slo.percentile, lone.tail_prompt_tokens, lone.tail_prefill_s * 1e3,
              lone.tail_layout);
  } else {
    SetReason(result, "no layout meets the SLOs at P{:g} within {} devices", q.slo.percentile, q.max_devices);
  }
  return result;
}

}  // namespace suanli
