// The search space of the layout search, one generator per dimension: the
// (tp, cp, pp) work items, expert layouts, virtual-stage depths and the
// sequence-parallel / DP-overlap switches (internal to search/).
#pragma once

#include <optional>
#include <utility>
#include <vector>

#include "search/search.h"

namespace suanli::search_space {

// Returns the divisors of n in increasing order (O(sqrt n)).
std::vector<int> Divisors(int n);

// Returns whether `value` is allowed by an optional pin (none = any value).
inline bool Allowed(const std::optional<int>& pin, int value) { return !pin || *pin == value; }

// One (tp, cp, pp) of the search; threads take them in order.
struct WorkItem {
  int tp, cp, pp;
};

// An expert layout: ep, and expert tp (0 = experts split like dense layers).
struct ExpertLayout {
  int ep, expert_tp;
};

// Returns every valid (tp, cp, pp) on `gpus` devices: tp divides the heads
// (KV heads divide or are replicated; sizes beyond the scale-up domain are
// valid, only slow), cp splits the sequence, pp at most one stage per layer.
std::vector<WorkItem> WorkItems(const ModelSpec& model, const SearchOptions& options, int gpus, int seq_len);

// Returns the expert layouts of one (tp, dp, cp): experts split over tp with
// ep inside the dp·cp ranks, or — with tp > 1 — whole experts with ep folded
// over the tp·dp·cp ranks (Megatron's expert_tensor_parallel_size 1).
std::vector<ExpertLayout> ExpertLayouts(const ModelSpec& model, const SearchOptions& options, int tp, int dp,
                                        int cp);

// Returns every interleaving depth with at least one layer per virtual
// stage; uneven splits are priced by their largest chunk (perf.cc).
std::vector<int> VirtualStageDepths(const ModelSpec& model, const SearchOptions& options, int pp);

// Returns the (sequence parallel, DP overlap) switches worth trying: SP only
// changes anything with tp > 1 and needs each rank's sequence share to split
// over tp; DP overlap only with more than one data-parallel rank.
std::vector<std::pair<bool, bool>> ParallelSwitches(const SearchOptions& options, int tp, int dp, int cp,
                                                    int seq_len);

// Returns whether the stack runs EP (`ep` > 1) with `tp` > 1 and sequence
// parallelism `sp` (Megatron-Core needs SP there: StackLayouts::expert_needs_sp).
bool StackRunsExpertSp(const SearchOptions& options, int tp, int ep, bool sp);

// Returns whether the stack can hide the EP all-to-all on a layout with
// `pp` stages and `vp` virtual stages under the asked mode `recompute` (as
// the stack runs it): Megatron refuses it with full or block recompute and,
// with pp > 1, without interleaving.
bool StackOverlapsEp(const SearchOptions& options, int pp, int vp, Recompute recompute);

// Returns whether the stack offers checkpointing `mode` (or the mode is pinned).
bool StackCheckpoints(const SearchOptions& options, Recompute mode);

// Returns whether the stack offers ZeRO stage `zero` with `pp` pipeline
// stages (or the stage is pinned together with pp); it binds at dp 1 too.
bool StackShards(const SearchOptions& options, int zero, int pp);

}  // namespace suanli::search_space
