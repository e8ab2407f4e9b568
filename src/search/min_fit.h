// The fewest devices on which a model trains (or serves) within device memory.
#pragma once

#include <string>

#include "catalog/catalog.h"
#include "model/memory.h"
#include "model/perf.h"
#include "search/search.h"
#include "workload/model_spec.h"

namespace suanli {

// The smallest layout found by MinTrainingDevices / MinServingDevices.
struct MinFit {
  bool found = false;
  int devices = 0;          // tp*pp*dp*cp of the layout
  ParallelConfig train;     // training layout (MinTrainingDevices)
  InferenceConfig infer;    // serving layout (MinServingDevices)
  MemoryBreakdown memory;   // bytes per device of that layout
  std::string reason;       // why nothing was found (when !found; English, JSON)
  std::string reason_text;  // `reason` in the current language (text and HTML)
};

// Returns the fewest devices N <= max_devices of `cluster` on which
// SearchLayouts, with its own validity rules (tp dividing the heads and
// within the scale-up domain, divisors of N, dp dividing the global batch,
// every recompute and ZeRO option), finds a layout that fits in memory, and
// the search's fastest layout on N. `options` supplies
// seq_len, precision, attention, pins and global_batch; options.gpus,
// top_k, threads, max_tp and first_fit are set here. With global_batch 0,
// size N runs the search's DefaultGlobalBatch on N devices, as train
// --search on N does. A stack that does not run on the device finds nothing
// (the reason says why).
MinFit MinTrainingDevices(const ModelSpec& model, const ClusterSpec& cluster, const SearchOptions& options,
                          int max_devices);

// Returns MinTrainingDevices on `accelerator` built as its catalog default
// system: the one answer `fit`, `compare` and `plan` give.
MinFit MinTrainingDevicesOf(const Catalog& catalog, const ModelSpec& model, const Accelerator& accelerator,
                            const SearchOptions& options, int max_devices);

// Returns the fewest devices tp*pp (<= max_devices) on which one serving
// replica of `base` (batch, context, precisions) fits, tp dividing the heads
// and within the scale-up domain of `cluster`.
MinFit MinServingDevices(const ModelSpec& model, const ClusterSpec& cluster, const InferenceConfig& base,
                         int max_devices);

// Returns the expert-parallel flags that would make `config` of the MoE
// `model` fit in `usable_bytes` per device under `options`: "--ep N" (with
// " --expert-tp 1" when only experts folded over tp allow an ep), N the
// smallest ep dividing the experts and the ranks they spread over that fits,
// else the largest; "" for a dense model, a layout with ep > 1 already, or
// one that allows no ep > 1.
std::string ExpertParallelHint(const ModelSpec& model, const ParallelConfig& config, const MemoryOptions& options,
                               double usable_bytes);

}  // namespace suanli
