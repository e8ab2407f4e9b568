// The layout search's space, dimension by dimension; see search_space.h.
#include "search/search_space.h"

#include "workload/parallel.h"
#include "workload/stage_layout.h"

namespace suanli::search_space {

std::vector<int> Divisors(int n) {
  std::vector<int> small, large;
  for (int64_t d = 1; d * d <= n; ++d) {
    if (n % d != 0) continue;
    small.push_back(static_cast<int>(d));
    if (d * d != n) large.push_back(static_cast<int>(n / d));
  }
  small.insert(small.end(), large.rbegin(), large.rend());
  return small;
}

// Returns every valid (tp, cp, pp) on `gpus` devices: tp divides the heads
// (KV heads divide or are replicated; sizes beyond the scale-up domain are
// valid, only slow), cp splits the sequence, pp at most one stage per layer.
std::vector<WorkItem> WorkItems(const ModelSpec& model, const SearchOptions& options, int gpus, int seq_len) {
  std::vector<int> tps;
  for (int tp : Divisors(gpus)) {
    if (!Allowed(options.tp, tp) || !TpSplitsHeads(model, tp)) continue;
    if (options.max_tp > 0 && tp > options.max_tp) continue;
    if (tp > 1 && !options.stack_layouts.tensor && !options.tp) continue;
    tps.push_back(tp);
  }
  std::vector<WorkItem> items;
  for (int tp : tps) {
    for (int cp : Divisors(gpus / tp)) {
      if (!Allowed(options.cp, cp)) continue;
      if (cp > 1 && (seq_len % (2 * cp) != 0 || cp > 32)) continue;
      if (cp > 1 && !options.stack_layouts.context && !options.cp) continue;
      for (int pp : Divisors(gpus / (tp * cp))) {
        if (!Allowed(options.pp, pp) || pp > model.layers) continue;
        if (pp > 1 && !options.stack_layouts.pipeline && !options.pp) continue;
        if (!Allowed(options.dp, gpus / (tp * cp * pp))) continue;
        items.push_back({tp, cp, pp});
      }
    }
  }
  return items;
}

// Returns the expert layouts of one (tp, dp, cp): experts split over tp with
// ep inside the dp·cp ranks, or — with tp > 1 — whole experts with ep folded
// over the tp·dp·cp ranks (Megatron's expert_tensor_parallel_size 1).
std::vector<ExpertLayout> ExpertLayouts(const ModelSpec& model, const SearchOptions& options, int tp, int dp,
                                        int cp) {
  if (!model.IsMoe()) return {{1, 0}};
  std::vector<ExpertLayout> layouts;
  // Every ep dividing the experts and the `ranks` the experts spread over.
  auto add = [&](int ranks, int expert_tp) {
    for (int ep : Divisors(ranks)) {
      if (ep > 1 && !options.stack_layouts.expert && !options.ep) continue;
      if (model.moe.experts % ep == 0) layouts.push_back({ep, expert_tp});
    }
  };
  if (!options.expert_tp || *options.expert_tp != 1) add(dp * cp, 0);
  if (tp > 1 && (!options.expert_tp || *options.expert_tp == 1)) add(tp * dp * cp, 1);
  return layouts;
}

// Returns every interleaving depth with at least one layer per virtual
// stage; uneven splits are priced by their largest chunk (perf.cc).
std::vector<int> VirtualStageDepths(const ModelSpec& model, const SearchOptions& options, int pp) {
  std::vector<int> vps = {1};
  if (pp <= 1 || (!options.stack_layouts.interleaved && !options.vp)) return vps;
  const int stage_layers = StageLayout(model, 1, pp, 1, 1).MaxLayers();
  for (int vp = 2; vp * pp <= model.layers; ++vp) {
    const bool even = stage_layers % vp == 0;
    if (!options.even_vp_only || even || (options.vp && *options.vp == vp)) vps.push_back(vp);
  }
  return vps;
}

// Returns the (sequence parallel, DP overlap) switches worth trying: SP only
// changes anything with tp > 1 and needs each rank's sequence share to split
// over tp; DP overlap only with more than one data-parallel rank. A pinned
// switch binds only where it changes something (--dp-overlap off still lets
// a dp-1 layout run), as the EP overlap pin does in the search.
std::vector<std::pair<bool, bool>> ParallelSwitches(const SearchOptions& options, int tp, int dp, int cp,
                                                    int seq_len) {
  const bool sp_splits = SequenceSplitsOverTp(seq_len, cp, tp);
  std::vector<std::pair<bool, bool>> switches;
  for (bool sp : {true, false}) {
    if (!sp && tp == 1) continue;
    if (sp && !sp_splits) continue;
    if (tp > 1 && options.sequence_parallel && *options.sequence_parallel != sp) continue;
    for (bool overlap : {true, false}) {
      if (!overlap && dp * cp == 1) continue;
      if (dp * cp > 1 && options.dp_overlap && *options.dp_overlap != overlap) continue;
      switches.emplace_back(sp, overlap);
    }
  }
  return switches;
}

bool StackRunsExpertSp(const SearchOptions& options, int tp, int ep, bool sp) {
  return sp || tp <= 1 || ep <= 1 || !options.stack_layouts.expert_needs_sp;
}

bool StackOverlapsEp(const SearchOptions& options, int pp, int vp, Recompute recompute) {
  const Recompute runs = options.stack != nullptr ? StackRecomputeOf(*options.stack, recompute).mode : recompute;
  return suanli::StackOverlapsEp(options.stack_layouts, pp, vp, runs);
}

bool StackCheckpoints(const SearchOptions& options, Recompute mode) {
  return options.recompute || options.stack_checkpointing.empty() ||
         OffersCheckpointing(options.stack_checkpointing, mode);
}

bool StackShards(const SearchOptions& options, int zero, int pp) {
  // A pinned stage is taken as given (a published layout ran) only with its
  // pipeline pinned too; a searched pp keeps the stack's pipeline rule.
  if (options.zero && (options.pp || pp <= 1 || zero <= options.stack_layouts.max_zero_with_pipeline)) return true;
  return OffersZeroStage(options.stack_layouts, zero, pp);
}

}  // namespace suanli::search_space
