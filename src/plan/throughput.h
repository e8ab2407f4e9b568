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
  // Software stack id (data/stacks.yaml); "auto" = each accelerator's own
  // (PlatformStack); "" = the default, megatron.
  std::string stack;
  bool optimizer_offload = false;  // optimizer states and step on the host (the stack's offload mode)
  // true: global_batch is a target each layout rounds to the nearest batch
  // its dp divides (SearchOptions::nearest_global_batch), not a fixed recipe.
  bool nearest_global_batch = false;
};

// Returns the stack `settings` runs on `accelerator` ("auto": the
// platform's; "": megatron); an unknown id is the caller's error to catch
// first (StackSettingId), and comes back as megatron.
const SoftwareStack& SettingsStackOn(const TrainSettings& settings, const Accelerator& accelerator);

// Returns OK when the stack of `settings` runs on `accelerator` with what
// `settings` asks of it (optimizer offload); else the error at --stack or
// --offload, bad input for a stack named on the command line.
Status SettingsStackRuns(const TrainSettings& settings, const Accelerator& accelerator);

// Sets what the stack of `settings` on `accelerator` decides in `options`
// (search/search.h UseStack: memory kept, step terms, attention kernel, DP
// overlap; optimizer offload when asked). The default stack without offload
// leaves `options` as they are.
void UseSettingsStack(const TrainSettings& settings, const Accelerator& accelerator, SearchOptions& options);

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
