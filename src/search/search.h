// The layout search: every valid parallel layout of a model on N devices,
// rejected by memory first, ranked by throughput, deterministic.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/perf.h"

namespace suanli {

struct SearchOptions {
  int gpus = 8;
  int global_batch = 0;        // sequences per step; 0 = choose ~4M tokens rounded to dp
  // true: global_batch is a target; a layout whose dp does not divide it runs
  // the nearest batch its dp does (NearestBatchDividedBy), not no layout.
  bool nearest_global_batch = false;
  int seq_len = 4096;
  Precision precision = Precision::kBf16;
  int top_k = 5;
  int threads = 1;
  // Optional pins: when set, only layouts with this value are considered.
  std::optional<int> tp, pp, dp, cp, ep, vp, micro_batch, zero;
  std::optional<int> expert_tp;  // 1 = experts whole, ep folded over tp; 0 = experts split over tp
  std::optional<Recompute> recompute;
  std::optional<bool> sequence_parallel, dp_overlap, ep_overlap;
  AttentionKernel attention = AttentionKernel::kFused;  // kernel of every layout (not searched: the stack decides)
  bool even_vp_only = false;   // only interleaving depths that split each stage's layers evenly
  bool partial_recompute = true;  // full recompute of only as many layers as memory needs (block)
  double recompute_layer_share = 0;  // with full recompute: this share of each stage's layers (0 = as above)
  PerfAssumptions assumptions;  // step-model assumptions (defaults: docs/perf-model.md)
  MemoryOptions memory;         // what the software stack keeps (StackMemoryOptions; default Megatron's)
  StackLayouts stack_layouts;   // what the stack can run; a pinned value is taken as given
  // The stack (UseStack / UseStackLayouts; null = Megatron's defaults as set
  // above): per device, its platforms, its fitted efficiency where it was
  // fitted and the platform's attention kernel; per layout, what its
  // "selective" runs as (StackRecomputeOf).
  const SoftwareStack* stack = nullptr;
  std::vector<Recompute> stack_checkpointing;  // the stack's checkpointing modes; empty = any
  int max_zero = 3;            // highest ZeRO stage considered (2 when parameters are known unsharded)
  int max_tp = 0;              // largest tensor-parallel size considered (0 = any divisor)
  bool first_fit = false;      // stop at the first layout (in enumeration order) that fits in
                               // memory; it is returned untimed (min_fit.h)
  // Called after each work item (one (tp, cp, pp) group of layouts, not each
  // layout) with the items done and their total, from the search threads at
  // once: it must be cheap and thread-safe (core/progress.h). May be empty.
  std::function<void(size_t done, size_t total)> on_progress;
};

enum class SearchStatus { kFeasible, kInfeasible };

struct SearchCandidate {
  ParallelConfig config;
  StepEstimate estimate;
  std::string lost_because;       // for runners-up: why it is slower than the best (English, JSON)
  std::string lost_because_text;  // `lost_because` in the current language (text and HTML)
};

struct SearchResult {
  SearchStatus status = SearchStatus::kInfeasible;
  std::vector<SearchCandidate> top;      // best first
  int64_t configs_evaluated = 0;         // layouts generated and checked
  int64_t feasible = 0;                  // layouts that fit in memory
  double elapsed_s = 0;
  std::map<std::string, int64_t> rejected;  // reason → count
  std::string infeasible_reason;         // when status is kInfeasible (English, JSON)
  std::string infeasible_reason_text;    // `infeasible_reason` in the current language (text and HTML)
};

// Sets what `stack` decides in `options`: the memory it keeps, its step-model
// terms (on top of the current assumptions), its attention kernel, the
// layouts it can run and, for a stack that does not overlap DP
// communication, dp_overlap off.
void UseStack(const SoftwareStack& stack, SearchOptions& options);

// Sets the layouts `stack` can run (its dimensions, ZeRO stages and
// checkpointing modes) in `options`; UseStack does this too.
void UseStackLayouts(const SoftwareStack& stack, SearchOptions& options);

// Returns OK when `stack` can run the values `options` pins (unpinned
// dimensions are the search's to choose); else StackRunsLayout's reason.
Status CheckPinsAgainstStack(const SoftwareStack& stack, const SearchOptions& options);

// Returns the default global batch of a search on `options.gpus` devices,
// sequences: ~4M tokens (at least ~1k tokens per device) as the pinned dp
// (else the device count's odd part) times a power of two, so that the
// layouts' dp divide it. The one default of train --search, --gpus-range,
// fit's and compare's fewest devices (min_fit.h).
int DefaultGlobalBatch(const SearchOptions& options);

// Returns the multiple of `dp` nearest `batch` (ties to the larger, at least
// dp): the batch a data-parallel degree that does not divide `batch` runs
// (validate's published rows, compare's unstated batches).
int NearestBatchDividedBy(int batch, int dp);

// Returns the best layouts for `model` on `options.gpus` devices of `cluster`.
// With `options.stack`: nothing on a device its platforms exclude (the
// reason says why), its efficiency only on the platform it was fitted on.
SearchResult SearchLayouts(const ModelSpec& model, const ClusterSpec& cluster,
                           const SearchOptions& options);

}  // namespace suanli
