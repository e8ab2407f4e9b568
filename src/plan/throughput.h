// The bridge from the planner to the performance model: best-layout
// throughput of (accelerator, cluster size) for one training workload, from
// SearchLayouts on the accelerator's default system, cached.
#pragma once

#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "core/precision.h"
#include "model/perf.h"
#include "plan/plan.h"
#include "search/search.h"
#include "workload/model_spec.h"

namespace suanli {

// How the workload is trained; zeros mean the search's defaults.
struct TrainSettings {
  int seq_len = 0;                 // 0 = min(model max, 4096)
  int global_batch = 0;            // sequences per step; 0 = from global_batch_tokens or search default
  double global_batch_tokens = 0;  // tokens per step; 0 = search default (~4M)
  Precision precision = Precision::kBf16;
  int threads = 2;                 // search threads
  PerfAssumptions assumptions;     // step-model assumptions (what-if overrides)
  std::string stack;               // software stack id (data/stacks.yaml); "" = the default, megatron
};

// Sets what the stack of `settings` decides in `options` (search/search.h
// UseStack: memory kept, step terms, attention kernel, DP overlap). The
// default stack leaves `options` as they are; an unknown id is the caller's
// error to catch first (FindStack).
void UseSettingsStack(const TrainSettings& settings, SearchOptions& options);

// Returns a cached ThroughputFn over `catalog` (which must outlive it) for
// `model`. Unknown accelerators and unsupported precisions come back as
// !fits with a reason.
ThroughputFn MakeSearchThroughput(const Catalog& catalog, const ModelSpec& model,
                                  const TrainSettings& settings);

// Returns the global batch in sequences for `gpus` cards: the target tokens
// per step (0 = max(4M, 1k per card)) over seq_len, rounded to a multiple of
// `gpus` (so every data-parallel degree divides it) or, when that would more
// than double the target, to the odd part of `gpus` times the power of two
// nearest the target (so dp can reach min(batch, gpus) with tp × pp a power
// of two).
int GlobalBatchFor(double target_tokens, int seq_len, int gpus);

// Returns the precision a workload asking for `wanted` trains at on
// `accelerator`: `wanted` when the catalog has its peak, else the first of
// bf16 and fp16 it has (fp8 on an A800 or a 910B trains at bf16, bf16 on a
// V100 or a Hygon Z100L at fp16), else `wanted`. The one rule of fit's default
// precision, compare's and plan's throughput and their fewest cards that fit.
Precision TrainingPrecisionOn(const Accelerator& accelerator, Precision wanted);

// Returns the sequence length used for `model` under `settings`.
int EffectiveSeqLen(const ModelSpec& model, const TrainSettings& settings);

}  // namespace suanli
