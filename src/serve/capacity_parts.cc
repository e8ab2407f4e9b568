// The capacity search's building blocks (declared in serve/capacity.h): lone
// decode and prefill times, the memoised iteration cost, the replica shares
// of a traffic and the candidate layouts of a query.
#include "serve/capacity.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <optional>
#include <tuple>

#include <fmt/format.h>

#include "core/i18n.h"
#include "serve/steady_state.h"

namespace suanli {

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

int ShareRequests(double rate_rps, int replicas, double lone_request_s, int minimum) {
  return SteadyStateRequests(rate_rps / std::max(1, replicas), lone_request_s, minimum);
}

const std::vector<Request>& ShareCache::Get(int replicas, int requests_per_replica) {
  const int per_replica = requests_per_replica > 0 ? requests_per_replica : requests_per_replica_;
  auto it = shares_.find({replicas, per_replica});
  if (it != shares_.end()) return it->second;
  const size_t needed = static_cast<size_t>(replicas) * static_cast<size_t>(per_replica);
  std::vector<Request> share;
  if (needed > kMaxStream) {
    share = ReplicaShare(traffic_, replicas, per_replica);
  } else {
    if (stream_.size() < needed) {
      TrafficSpec all = traffic_;
      all.requests = static_cast<int>(std::max(needed, std::min(kMaxStream, 2 * stream_.size())));
      stream_ = GenerateRequests(all);
    }
    share.reserve(static_cast<size_t>(per_replica));
    for (size_t i = 0; i < needed; i += static_cast<size_t>(replicas)) share.push_back(stream_[i]);
  }
  return shares_.emplace(std::make_pair(replicas, per_replica), std::move(share)).first->second;
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
  return GenerateRequests(all, replicas, 1);  // every replicas-th request, the others drawn and dropped
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
          l.memory = q.engine->memory;
          l.speculative = q.speculative;
          l.max_batch = q.max_batch > 0 ? q.max_batch : defaults.max_batch;
          l.prefill_budget_tokens = q.prefill_budget_tokens > 0 ? q.prefill_budget_tokens
                                                                 : defaults.prefill_budget_tokens;
          if (q.dp_attention || q.ep) {
            // Pinned: attention data-parallel groups of tp devices, experts
            // over ep ranks dividing tp x dp-attention (default all of them).
            ServingLayout pinned = l;
            pinned.dp_attention = q.dp_attention.value_or(1);
            pinned.ep = q.ep.value_or(tp * pinned.dp_attention);
            const int stage_devices = tp * pinned.dp_attention;
            if (pinned.ep > 1 && (m.moe.experts < pinned.ep || m.moe.experts % pinned.ep != 0)) continue;
            if (stage_devices % pinned.ep != 0) continue;
            out.push_back(pinned);
            continue;
          }
          out.push_back(l);
          // MoE: experts over every device of the stage (ep = tp), and
          // DeepSeek-style attention data-parallel over the domain (tp 1,
          // dp-attention = ep = the domain) once.
          if (m.moe.experts > 0 && tp > 1 && m.moe.experts % tp == 0) {
            ServingLayout e = l;
            e.ep = tp;
            out.push_back(e);
            if (pp == 1 && tp == domain && !q.tp) {
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

}  // namespace suanli
