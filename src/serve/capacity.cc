// The capacity search: per layout, a closed-form lower bound on replicas
// (the decode rate at the largest batch the KV cache allows), then doubling
// and bisection on the replica count with the simulator as the judge.
#include "serve/capacity.h"
#include "core/i18n.h"
#include "core/progress.h"

#include <algorithm>
#include <cmath>
#include <tuple>

#include <fmt/format.h>

namespace suanli {
namespace {

// Returns an estimate of the replicas the rate needs: each replica at most
// decodes its KV-bounded batch c at one token per step for every sequence
// and spends the prefill time on each prompt.
int EstimateReplicas(const IterationModel& model, const ServingLayout& layout, const ReplicaMemory& memory,
                       const TrafficSpec& t) {
  const double context = t.input.mean_tokens + 0.5 * t.output.mean_tokens;
  const double concurrency =
      std::max(1.0, std::min<double>(layout.max_batch * layout.pp, memory.kv_capacity_tokens / context));
  BatchWork work;
  work.decode_seqs = static_cast<int>(concurrency / layout.pp);
  work.decode_context_tokens = work.decode_seqs * context;
  const double step = model.Seconds(work);
  const double prefill = LonePrefillSeconds(model, layout, t) / layout.pp;
  const double seconds_per_request = t.output.mean_tokens * step / concurrency + prefill;
  return std::max(1, static_cast<int>(std::ceil(t.rate_rps * seconds_per_request)));
}

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

double LoneDecodeSeconds(const IterationCost& model, const TrafficSpec& t) {
  BatchWork work;
  work.decode_seqs = 1;
  work.decode_context_tokens = t.input.mean_tokens + 0.5 * t.output.mean_tokens;
  return model.Seconds(work);
}

double LonePrefillSeconds(const IterationCost& model, const ServingLayout& layout, const TrafficSpec& t) {
  double seconds = 0, done = 0;
  const double prompt = t.input.mean_tokens;
  while (done < prompt) {
    const double chunk = std::min(prompt - done, static_cast<double>(layout.prefill_budget_tokens));
    BatchWork work;
    work.prefill_tokens = chunk;
    work.prefill_seqs = 1;
    work.prefill_attention_pairs = chunk * done + 0.5 * chunk * (chunk + 1);
    seconds += model.Seconds(work);
    done += chunk;
  }
  return seconds;
}

int FewestReplicas(const std::function<SimulationResult(int)>& run, int low, int max_replicas,
                   SimulationResult& service) {
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
    if (n == max_replicas) break;
  }
  if (good == 0) return 0;
  while (good - bad > 1) {
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

SchedulerLimits ServingLimits(const ServingLayout& layout, const ReplicaMemory& memory) {
  SchedulerLimits limits;
  // Every DP-attention group schedules its own batch and token budget.
  limits.max_batch = layout.max_batch * layout.dp_attention;
  limits.prefill_budget_tokens = layout.prefill_budget_tokens * layout.dp_attention;
  limits.kv_capacity_tokens = memory.kv_capacity_tokens;
  limits.virtual_engines = layout.pp;
  limits.tokens_per_step = layout.speculative.TokensPerStep();
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
          l.max_batch = q.max_batch > 0 ? q.max_batch : q.engine->max_batch;
          l.prefill_budget_tokens = q.prefill_budget_tokens > 0 ? q.prefill_budget_tokens
                                                                 : q.engine->prefill_budget_tokens;
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

CapacityResult SearchCapacity(const CapacityQuery& q) {
  CapacityResult result;
  double best_lone_decode = 1e30, best_lone_prefill = 1e30;
  std::string lone_decode_layout, lone_prefill_layout;
  bool any_fits = false;
  const std::vector<ServingLayout> layouts = CandidateLayouts(q);
  Progress progress(Tr("searching serving layouts"), static_cast<double>(layouts.size()));
  for (const ServingLayout& layout : layouts) {
    progress.Set(result.layouts);
    ++result.layouts;
    const ReplicaMemory memory = ServingMemory(*q.model, *q.cluster.accelerator, layout);
    if (!memory.fits) continue;
    any_fits = true;
    Result<IterationModel> model = IterationModel::Make(*q.model, q.cluster, layout, *q.engine, q.assumptions);
    if (!model.ok()) continue;
    // Closed-form bounds no replica count can beat: a lone request's decode
    // step and prefill (queueing only adds to them).
    const double decode = LoneDecodeSeconds(*model, q.traffic);
    const double prefill = LonePrefillSeconds(*model, layout, q.traffic);
    const std::string name = fmt::format("tp {} pp {} {} weights", layout.tp, layout.pp, PrecisionName(layout.weights));
    if (decode < best_lone_decode) best_lone_decode = decode, lone_decode_layout = name;
    if (prefill < best_lone_prefill) best_lone_prefill = prefill, lone_prefill_layout = name;
    if ((q.slo.tpot_s > 0 && decode > q.slo.tpot_s) || (q.slo.ttft_s > 0 && prefill > q.slo.ttft_s)) continue;
    const int per_replica = layout.Devices();
    const int max_replicas = q.max_devices / per_replica;
    const int low = std::min(max_replicas, EstimateReplicas(*model, layout, memory, q.traffic));
    if (max_replicas < 1) continue;
    const SchedulerLimits limits = ServingLimits(layout, memory);
    const auto run = [&](int replicas) {
      ++result.simulations;
      return Simulate(ReplicaShare(q.traffic, replicas, q.requests_per_check), *model, limits, q.slo);
    };
    CapacityAnswer answer;
    answer.replicas = FewestReplicas(run, low, max_replicas, answer.service);
    if (answer.replicas == 0) continue;
    answer.layout = layout;
    answer.devices = answer.replicas * per_replica;
    answer.memory = memory;
    result.answers.push_back(answer);
  }
  std::sort(result.answers.begin(), result.answers.end(), Better);
  if (static_cast<int>(result.answers.size()) > q.top) result.answers.resize(static_cast<size_t>(q.top));
  result.feasible = !result.answers.empty();
  result.fits = any_fits;
  if (result.feasible) return result;
  if (!any_fits) {
    SetReason(result, "no layout fits the model's weights in device memory (try --weights int4 or a larger --tp/--pp)");
  } else if (q.slo.tpot_s > 0 && best_lone_decode > q.slo.tpot_s) {
    SetReason(
        result,
        "the TPOT target {:.1f} ms is below the fastest lone decode step, {:.1f} ms ({}): "
        "weights must be read once per token",
        q.slo.tpot_s * 1e3, best_lone_decode * 1e3, lone_decode_layout);
  } else if (q.slo.ttft_s > 0 && best_lone_prefill > q.slo.ttft_s) {
    SetReason(result, "the TTFT target {:.0f} ms is below the fastest lone prefill of the mean prompt, {:.0f} ms ({})",
              q.slo.ttft_s * 1e3, best_lone_prefill * 1e3, lone_prefill_layout);
  } else {
    SetReason(result, "no layout meets the SLOs at P{:g} within {} devices", q.slo.percentile, q.max_devices);
  }
  return result;
}

}  // namespace suanli
