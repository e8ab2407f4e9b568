// Exhaustive layout search. Layouts are generated valid by construction
// (the same constraints as ValidateLayout), rejected by memory before they
// are timed, and ranked by throughput with a total order so the result does
// not depend on the thread count.
#include "search/search.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <mutex>
#include <thread>
#include <tuple>

#include <fmt/format.h>

#include "core/i18n.h"
#include "search/search_reasons.h"
#include "search/search_space.h"
#include "workload/stage_layout.h"

namespace suanli {
namespace {

using search_space::Allowed;
using search_space::Divisors;
using search_space::ExpertLayout;
using search_space::ExpertLayouts;
using search_space::ParallelSwitches;
using search_space::VirtualStageDepths;
using search_space::WorkItem;
using search_space::WorkItems;
using search_reasons::InfeasibleReason;
using search_reasons::LostBecause;
using search_reasons::Said;

// A total order on layouts, used to break throughput ties deterministically.
auto Key(const ParallelConfig& c) {
  return std::make_tuple(c.tp, c.pp, c.dp, c.cp, c.ep, c.vp, c.micro_batch,
                         static_cast<int>(c.recompute), c.recompute_layers, c.zero,
                         !c.sequence_parallel, !c.dp_overlap, c.ep_overlap);
}

bool Better(const SearchCandidate& a, const SearchCandidate& b) {
  if (a.estimate.tokens_per_s != b.estimate.tokens_per_s) {
    return a.estimate.tokens_per_s > b.estimate.tokens_per_s;
  }
  if (a.estimate.memory.total_bytes != b.estimate.memory.total_bytes) {
    return a.estimate.memory.total_bytes < b.estimate.memory.total_bytes;
  }
  return Key(a.config) < Key(b.config);
}

// Per-thread accumulation of the best layouts and the rejection counts.
struct Partial {
  std::vector<SearchCandidate> top;
  int64_t evaluated = 0;
  int64_t feasible = 0;
  int64_t rejected_memory = 0;
  double smallest_overflow_bytes = -1;  // how far the closest layout missed
  ParallelConfig closest;

  void Offer(SearchCandidate&& candidate, size_t k) {
    if (top.size() < k) {
      top.push_back(std::move(candidate));
      std::push_heap(top.begin(), top.end(), Better);
      return;
    }
    // top is a heap whose front is the worst kept candidate.
    if (Better(candidate, top.front())) {
      std::pop_heap(top.begin(), top.end(), Better);
      top.back() = std::move(candidate);
      std::push_heap(top.begin(), top.end(), Better);
    }
  }
};

// Block recompute (Megatron --recompute-method block): when selective
// recompute needs `selective_bytes` > `usable` and full recompute of every
// layer fits (`config`, `memory`), recomputes only the fewest layers per
// stage that fit, updating `config` and `memory`. Memory falls about linearly
// in the count: start from the interpolation between selective and full,
// step up until it fits, then down while fewer still fit.
void RecomputeFewestLayers(const ModelSpec& model, const MemoryOptions& memory_options, double usable,
                           double selective_bytes, ParallelConfig& config, MemoryBreakdown& memory) {
  const int stage_layers = StageLayout(model, config).MaxLayers();
  if (stage_layers <= 1) return;
  const double share = (selective_bytes - usable) / (selective_bytes - memory.total_bytes);
  auto fits_with = [&](int layers, MemoryBreakdown& out) {
    ParallelConfig trial = config;
    trial.recompute_layers = layers;
    out = TrainingMemory(model, trial, memory_options);
    return out.total_bytes <= usable;
  };
  MemoryBreakdown trial_memory;
  int layers = std::clamp(static_cast<int>(std::ceil(share * stage_layers)), 1, stage_layers);
  while (layers < stage_layers && !fits_with(layers, trial_memory)) ++layers;
  if (layers >= stage_layers) return;  // every layer: plain full recompute
  config.recompute_layers = layers;
  memory = trial_memory;
  while (config.recompute_layers > 1 && fits_with(config.recompute_layers - 1, trial_memory)) {
    --config.recompute_layers;
    memory = trial_memory;
  }
}

// Largest micro-batch considered (sequences); larger ones only add memory.
constexpr int kMaxMicroBatch = 64;

// Returns `n` without its factors of two (1 for n <= 0).
int OddPart(int n) {
  if (n <= 0) return 1;
  while (n % 2 == 0) n /= 2;
  return n;
}

int DefaultBatch(const SearchOptions& o) {
  // ~4M tokens per step, or ~1k tokens per device on very large clusters
  // (Llama 3 405B: 16M-token batches on 16k GPUs), as a unit times a power
  // of two. The unit is the pinned dp (else the odd part of the device
  // count, which every dp's odd part divides) times the pinned micro-batch,
  // times a pinned pp when interleaving is pinned (its micro-batches come in
  // rounds of pp), so that 1,536 or 1,920 devices, a pinned dp of 6 or 35
  // interleaved stages still have a batch their layout divides.
  const double tokens = std::max(4.0 * 1024 * 1024, 1024.0 * o.gpus);
  const double sequences = tokens / std::max(1, o.seq_len);
  const int rounds = o.vp && *o.vp > 1 && o.pp ? std::max(1, *o.pp) : 1;
  const int unit = (o.dp ? std::max(1, *o.dp) : OddPart(o.gpus)) *
                   (o.micro_batch ? std::max(1, *o.micro_batch) : 1) * rounds;
  int batch = unit;
  while (batch * 2 <= sequences + 1e-9) batch *= 2;
  // The nearer of the two around the target (in ratio), so that adding
  // devices never halves the batch: 2,432 devices (19 × 128) get 1,216
  // sequences at a 1,024 target, not 608 (plan/throughput.cc does the same).
  if (batch <= sequences && 2.0 * batch / sequences < sequences / batch) batch *= 2;
  return batch;
}

// Runs `work(i)` for i in [0, count) on `threads` threads taking items in order.
template <class Work>
void RunInOrder(size_t count, int threads, const Work& work) {
  if (threads <= 1) {
    for (size_t i = 0; i < count; ++i) work(i);
    return;
  }
  std::vector<std::thread> workers;
  std::mutex next_mutex;
  size_t next = 0;
  for (int w = 0; w < threads; ++w) {
    workers.emplace_back([&] {
      while (true) {
        size_t index;
        {
          std::lock_guard<std::mutex> lock(next_mutex);
          if (next >= count) return;
          index = next++;
        }
        work(index);
      }
    });
  }
  for (auto& worker : workers) worker.join();
}

// Returns `asked` as it runs on `acc`: the platform's attention kernel.
SearchOptions OnDevice(const SearchOptions& asked, const Accelerator& acc) {
  SearchOptions o = asked;
  o.attention = PlatformAttention(o.attention, acc.vendor);
  return o;
}

// Returns the layout `recompute` gives `c` on a stack: its "selective" may
// run as full recompute of a share of the layers (StackRecomputeOf); a
// searched full recompute takes the options' share of the layers, if any.
void SetRecompute(const ModelSpec& model, const SearchOptions& options, Recompute recompute, ParallelConfig& c) {
  const StackRecompute runs =
      options.stack != nullptr ? StackRecomputeOf(*options.stack, recompute) : StackRecompute{recompute, 0};
  c.recompute = runs.mode;
  const double share = runs.mode != recompute ? runs.layer_share : options.recompute_layer_share;
  if (c.recompute == Recompute::kFull && share > 0) c.recompute_layers = RecomputeLayersForShare(model, c, share);
}

}  // namespace

int DefaultGlobalBatch(const SearchOptions& options) { return DefaultBatch(options); }

int NearestBatchDividedBy(int batch, int dp) {
  if (dp <= 1 || batch <= 0 || batch % dp == 0) return batch;
  const int below = batch / dp * dp;
  const int above = below + dp;
  return below > 0 && batch - below < above - batch ? below : above;
}

SearchResult SearchLayouts(const ModelSpec& model, const ClusterSpec& cluster, const SearchOptions& asked) {
  const auto start = std::chrono::steady_clock::now();
  SearchResult result;
  if (asked.stack != nullptr) {
    const Accelerator& acc = *cluster.accelerator;
    if (const Status runs = StackRunsOn(*asked.stack, acc.vendor, acc.id); !runs.ok()) {
      result.infeasible_reason = fmt::format("{} does not run on {} ({} devices)", asked.stack->id, acc.id, acc.vendor);
      result.infeasible_reason_text = runs.error().message;
      return result;
    }
  }
  const SearchOptions options = OnDevice(asked, *cluster.accelerator);
  const int gpus = options.gpus;
  const int target_batch = options.global_batch > 0 ? options.global_batch : DefaultBatch(options);
  const int seq_len = options.seq_len;
  const size_t k = static_cast<size_t>(std::max(1, options.top_k));

  const std::vector<WorkItem> items = WorkItems(model, options, gpus, seq_len);

  // `modules` only differs from none for models with MLA or MoE layers: it
  // is searched for those, and run as asked when pinned for others.
  std::vector<Recompute> recomputes = {Recompute::kNone, Recompute::kSelective, Recompute::kFull};
  if (HasRecomputeModules(model) || options.recompute == Recompute::kModules) {
    recomputes.insert(recomputes.begin() + 2, Recompute::kModules);
  }
  std::erase_if(recomputes, [&](Recompute mode) { return !search_space::StackCheckpoints(options, mode); });
  std::vector<Partial> partials(std::max<size_t>(1, items.size()));
  const double usable = UsableBytes(cluster.accelerator->memory_bytes);

  // One work item: every (ep, micro-batch, vp, recompute, zero, sp, overlap)
  // layout of its (tp, cp, pp). Kept as one loop nest on purpose: it carries
  // the memory of the previous layout (reused when only overlap switches
  // differ) and the selective-recompute bytes per (zero, sp) from pass to pass.
  // With first_fit, set once a layout fits; later work items are skipped.
  std::atomic<bool> first_fit_found{false};
  auto search_item = [&](size_t index) {
    if (first_fit_found) return;
    Partial& part = partials[index];
    const int tp = items[index].tp;
    const int cp = items[index].cp;
    const int pp = items[index].pp;
    const int dp = gpus / (tp * cp * pp);
    if (target_batch % dp != 0 && !options.nearest_global_batch) return;
    const int global_batch = NearestBatchDividedBy(target_batch, dp);
    const std::vector<ExpertLayout> expert_layouts = ExpertLayouts(model, options, tp, dp, cp);
    const std::vector<int> vps = VirtualStageDepths(model, options, pp);
    const std::vector<std::pair<bool, bool>> switches = ParallelSwitches(options, tp, dp, cp, seq_len);
    for (const auto [ep, expert_tp] : expert_layouts) {
      if (!Allowed(options.ep, ep)) continue;
      for (int mb : Divisors(global_batch / dp)) {
        if (mb > kMaxMicroBatch) break;
        if (!Allowed(options.micro_batch, mb)) continue;
        const int micro_batches = global_batch / (mb * dp);
        const bool can_overlap_ep_here = ep > 1 && micro_batches > 1;
        for (int vp : vps) {
          if (!Allowed(options.vp, vp)) continue;
          if (vp > 1 && micro_batches % pp != 0) continue;
          // Selective-recompute memory of this (zero, sp) pair, kept for the
          // block-recompute decision of the full-recompute pass; < 0 = unknown.
          double selective_bytes[4][2] = {{-1, -1}, {-1, -1}, {-1, -1}, {-1, -1}};
          for (Recompute recompute : recomputes) {
            if (options.recompute && *options.recompute != recompute) continue;
            // The stack may refuse EP overlap with this recompute or pipeline
            // (Megatron: no full recompute; vp > 1 when pp > 1): the layout
            // then runs without it, pinned or not.
            const bool can_overlap_ep =
                can_overlap_ep_here && search_space::StackOverlapsEp(options, pp, vp, recompute);
            for (int zero = 0; zero <= std::min(3, options.max_zero); ++zero) {
              // With one data-parallel rank there is nothing to shard over: a
              // requested stage runs as ZeRO 0 (Megatron's distributed optimizer
              // with dp 1 is plain Adam), unless the optimizer is offloaded:
              // ZeRO-Offload moves the states to the host on one rank too.
              const bool single_rank_zero = dp * cp == 1 && !options.memory.optimizer_offload;
              if (zero > 0 && single_rank_zero) continue;
              if (!Allowed(options.zero, zero) && !(zero == 0 && single_rank_zero)) continue;
              // The stack's stage rules bind at dp 1 too (zero > 0 there only
              // with offload): DeepSpeed refuses stage >= 2 with pp > 1 on its config.
              if (!search_space::StackShards(options, zero, pp)) continue;
              int last_memory_sp = -1;  // sp of last_memory; -1 = none yet
              MemoryBreakdown last_memory;
              int last_recompute_layers = 0;
              for (const auto& [sp, overlap] : switches) {
                if (!search_space::StackRunsExpertSp(options, tp, ep, sp)) continue;
                // EP all-to-all overlap only exists with experts spread over
                // ranks and a second micro-batch to hide behind; it changes no
                // memory, so its layouts reuse the memory of the one before.
                for (bool ep_overlap : {false, true}) {
                  if (ep_overlap && !can_overlap_ep) continue;
                  if (can_overlap_ep && options.ep_overlap && *options.ep_overlap != ep_overlap) continue;
                  ParallelConfig c;
                  c.tp = tp;
                  c.pp = pp;
                  c.dp = dp;
                  c.cp = cp;
                  c.ep = ep;
                  c.expert_tp = expert_tp;
                  c.vp = vp;
                  c.micro_batch = mb;
                  c.global_batch = global_batch;
                  c.seq_len = seq_len;
                  c.zero = zero;
                  c.precision = options.precision;
                  c.sequence_parallel = sp;
                  c.dp_overlap = overlap;
                  c.ep_overlap = ep_overlap;
                  c.attention = options.attention;
                  SetRecompute(model, options, recompute, c);
                  ++part.evaluated;
                  // DP and EP overlap do not change memory: the layout that
                  // differs only in them reuses the memory (and block-recompute count).
                  MemoryBreakdown memory;
                  if (last_memory_sp == (sp ? 1 : 0)) {
                    memory = last_memory;
                    c.recompute_layers = last_recompute_layers;
                  } else {
                    memory = TrainingMemory(model, c, options.memory);
                    double& selective_total = selective_bytes[zero][sp ? 1 : 0];
                    if (c.recompute == Recompute::kSelective) selective_total = memory.total_bytes;
                    const bool full_fits = recompute == Recompute::kFull && memory.total_bytes <= usable;
                    if (full_fits && options.partial_recompute) {
                      if (selective_total < 0) {
                        ParallelConfig selective = c;
                        selective.recompute = Recompute::kSelective;
                        selective_total = TrainingMemory(model, selective, options.memory).total_bytes;
                      }
                      if (selective_total > usable) {
                        RecomputeFewestLayers(model, options.memory, usable, selective_total, c, memory);
                      }
                    }
                    last_memory_sp = sp ? 1 : 0;
                    last_memory = memory;
                    last_recompute_layers = c.recompute_layers;
                  }
                  if (memory.total_bytes > usable) {
                    ++part.rejected_memory;
                    const double overflow = memory.total_bytes - usable;
                    if (part.smallest_overflow_bytes < 0 || overflow < part.smallest_overflow_bytes) {
                      part.smallest_overflow_bytes = overflow;
                      part.closest = c;
                    }
                    continue;
                  }
                  ++part.feasible;
                  SearchCandidate candidate;
                  candidate.config = c;
                  if (options.first_fit) {
                    candidate.estimate.memory = memory;
                    candidate.estimate.usable_bytes = usable;
                    candidate.estimate.fits = true;
                    part.Offer(std::move(candidate), k);
                    first_fit_found = true;
                    return;
                  }
                  candidate.estimate =
                      EstimateStepWithMemory(model, cluster, c, memory, options.assumptions);
                  part.Offer(std::move(candidate), k);
                }
              }
            }
          }
        }
      }
    }
  };

  const int threads = std::max(1, std::min<int>(options.threads, static_cast<int>(items.size())));
  std::atomic<size_t> items_done{0};
  RunInOrder(items.size(), threads, [&](size_t index) {
    search_item(index);
    if (options.on_progress) options.on_progress(++items_done, items.size());
  });

  std::vector<SearchCandidate> all;
  double smallest_overflow = -1;
  ParallelConfig closest;
  int64_t rejected_memory = 0;
  for (Partial& part : partials) {
    result.configs_evaluated += part.evaluated;
    result.feasible += part.feasible;
    rejected_memory += part.rejected_memory;
    if (part.smallest_overflow_bytes >= 0 &&
        (smallest_overflow < 0 || part.smallest_overflow_bytes < smallest_overflow)) {
      smallest_overflow = part.smallest_overflow_bytes;
      closest = part.closest;
    }
    for (auto& candidate : part.top) all.push_back(std::move(candidate));
  }
  if (rejected_memory > 0) result.rejected["does not fit in memory"] = rejected_memory;
  std::sort(all.begin(), all.end(), Better);
  if (all.size() > k) all.resize(k);
  for (size_t i = 1; i < all.size(); ++i) {
    Said lost = LostBecause(all[0], all[i]);
    all[i].lost_because = std::move(lost.english);
    all[i].lost_because_text = std::move(lost.text);
  }
  result.top = std::move(all);

  result.status = result.top.empty() ? SearchStatus::kInfeasible : SearchStatus::kFeasible;
  if (result.top.empty()) {
    Said reason = InfeasibleReason(model, options, gpus, target_batch, result.configs_evaluated, usable, closest,
                                   smallest_overflow);
    result.infeasible_reason = std::move(reason.english);
    result.infeasible_reason_text = std::move(reason.text);
  }
  result.elapsed_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace suanli
