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
  ServingLayout decode_layout, prefill_layout;  // the layouts of the fastest lone decode step and prefill
  double tail_prompt_tokens = 0;  // PercentilePromptBound
  double tail_prefill_s = 1e30;   // its fastest lone prefill
  ServingLayout tail_layout;      // on this layout
};

// Returns a layout named in a reason: "tp 8 pp 1 int4 weights" ("tp 1 dp-attention 8 pp 1 ep 8 fp8 weights"
// with DP attention or expert parallelism), in English or, with `translate`, in the current language.
std::string LayoutName(const ServingLayout& l, bool translate) {
  const std::string tp = TpWithDpAttention(l), pp = PpWithEp(l);
  constexpr const char* kName = "tp {} pp {} {} weights";
  return translate ? TrFormat(kName, tp, pp, PrecisionName(l.weights))
                   : fmt::format(fmt::runtime(kName), tp, pp, PrecisionName(l.weights));
}

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
    if (decode < lone.decode_s) lone.decode_s = decode, lone.decode_layout = layout;
    if (prefill < lone.prefill_s) lone.prefill_s = prefill, lone.prefill_layout = layout;
    if ((q.slo.tpot_s > 0 && decode > q.slo.tpot_s) || (q.slo.ttft_s > 0 && prefill > q.slo.ttft_s)) continue;
    if (q.slo.ttft_s > 0 && tail.input.mean_tokens > q.traffic.input.mean_tokens) {
      const double tail_prefill = LonePrefillSeconds(*model, layout, tail, memory.window);
      if (tail_prefill < lone.tail_prefill_s) lone.tail_prefill_s = tail_prefill, lone.tail_layout = layout;
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
    const double lone_request_s = LoneRequestSeconds(cost, c.layout, c.memory, q.traffic);
    const auto run = [&](int replicas) {
      ++result.simulations;
      limits.arrival_rate_rps = q.traffic.rate_rps / replicas;  // one replica's round-robin share
      // Long enough for a steady state at the share's own rate, however many replicas share the stream.
      const int requests = ShareRequests(q.traffic.rate_rps, replicas, lone_request_s, q.requests_per_check);
      return Simulate(q.exhaustive ? ReplicaShare(q.traffic, replicas, requests) : shares.Get(replicas, requests), cost,
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
  if (q.cluster.accelerator != nullptr) SUANLI_RETURN_IF_ERROR(q.engine->CheckRunsOn(*q.cluster.accelerator));
  return q.engine->CheckFormats(q.weights, q.kv);
}

CapacityResult SearchCapacity(const CapacityQuery& query) {
  // An engine rejects prompts past the model's context: draw none longer.
  CapacityQuery q = query;
  q.traffic = CapToContext(q.traffic, q.model->UsableContext());
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
    constexpr const char* kTpot =
        "the TPOT target {:.1f} ms is below the fastest lone decode step, {:.1f} ms ({}): "
        "weights must be read once per token";
    SetReason(result, kTpot, q.slo.tpot_s * 1e3, lone.decode_s * 1e3, LayoutName(lone.decode_layout, false));
    result.reason_text = TrFormat(kTpot, q.slo.tpot_s * 1e3, lone.decode_s * 1e3, LayoutName(lone.decode_layout, true));
  } else if (q.slo.ttft_s > 0 && lone.prefill_s > q.slo.ttft_s) {
    constexpr const char* kTtft =
        "the TTFT target {:.0f} ms is below the fastest lone prefill of the mean prompt, {:.0f} ms ({})";
    SetReason(result, kTtft, q.slo.ttft_s * 1e3, lone.prefill_s * 1e3, LayoutName(lone.prefill_layout, false));
    result.reason_text =
        TrFormat(kTtft, q.slo.ttft_s * 1e3, lone.prefill_s * 1e3, LayoutName(lone.prefill_layout, true));
  } else if (q.slo.ttft_s > 0 && lone.tail_prefill_s < 1e30 && lone.tail_prefill_s > q.slo.ttft_s) {
    constexpr const char* kTail =
        "the TTFT target {:.0f} ms is below the fastest lone prefill of a P{:g} prompt ({:.0f} tokens), "
        "{:.0f} ms ({}): more replicas only shorten the queue";
    SetReason(result, kTail, q.slo.ttft_s * 1e3, q.slo.percentile, lone.tail_prompt_tokens,
              lone.tail_prefill_s * 1e3, LayoutName(lone.tail_layout, false));
    result.reason_text = TrFormat(kTail, q.slo.ttft_s * 1e3, q.slo.percentile, lone.tail_prompt_tokens,
                                  lone.tail_prefill_s * 1e3, LayoutName(lone.tail_layout, true));
  } else {
    SetReason(result, "no layout meets the SLOs at P{:g} within {} devices", q.slo.percentile, q.max_devices);
  }
  return result;
}

}  // namespace suanli
