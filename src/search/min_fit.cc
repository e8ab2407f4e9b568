// Minimum devices to fit: a scan over device counts, each answered by the
// layout search itself (training) or by the serving layouts tp*pp.
#include "search/min_fit.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "core/i18n.h"
#include "search/search_space.h"

namespace suanli {
namespace {

// Returns a device count below which no layout can fit: the model states of
// the whole model fully sharded (ZeRO 3) over N devices, which every
// layout's per-device memory is at least.
int LowerBound(const ModelSpec& model, const SearchOptions& options, double usable_bytes) {
  if (usable_bytes <= 0) return 1;
  // ZeRO-3 states on one device with what the stack keeps (an offloaded
  // optimizer keeps only the 16-bit weights on the device).
  const double states =
      ModelStateBytes(CountParams(model).total, 3, 1, options.precision, options.memory).total_bytes;
  return std::max(1, static_cast<int>(std::floor(states / usable_bytes)));
}

}  // namespace

MinFit MinTrainingDevices(const ModelSpec& model, const ClusterSpec& cluster, const SearchOptions& options,
                          int max_devices) {
  MinFit best;
  if (options.stack != nullptr) {
    const Accelerator& acc = *cluster.accelerator;
    if (const Status runs = StackRunsOn(*options.stack, acc.vendor, acc.id); !runs.ok()) {
      best.reason = fmt::format("{} does not run on {} ({} devices)", options.stack->id, acc.id, acc.vendor);
      best.reason_text = runs.error().message;
      return best;
    }
  }
  const double usable = UsableBytes(cluster.accelerator->memory_bytes);
  SearchOptions o = options;
  o.top_k = 1;
  o.threads = 1;  // the first fit in the search's order, deterministic
  o.first_fit = true;
  o.max_tp = std::max(1, cluster.scale_up_domain);
  for (int n = LowerBound(model, options, usable); n <= max_devices; ++n) {
    o.gpus = n;
    // Without --global-batch, the search's own default on n devices
    // (DefaultGlobalBatch): the batch train --search uses on n.
    if (SearchLayouts(model, cluster, o).status != SearchStatus::kFeasible) continue;
    // The size fits: report the search's best layout on it.
    SearchOptions ranked = o;
    ranked.first_fit = false;
    ranked.threads = std::max(1, options.threads);
    const SearchResult result = SearchLayouts(model, cluster, ranked);
    best.found = true;
    best.devices = n;
    best.train = result.top.front().config;
    best.memory = result.top.front().estimate.memory;
    return best;
  }
  best.reason = fmt::format("no layout of up to {} devices fits (tp up to {})", max_devices, o.max_tp);
  best.reason_text = TrFormat("no layout of up to {} devices fits (tp up to {})", max_devices, o.max_tp);
  return best;
}

MinFit MinTrainingDevicesOf(const Catalog& catalog, const ModelSpec& model, const Accelerator& accelerator,
                            const SearchOptions& options, int max_devices) {
  const ClusterSpec cluster = MakeCluster(accelerator, catalog.DefaultSystemFor(accelerator.id));
  return MinTrainingDevices(model, cluster, options, max_devices);
}

MinFit MinServingDevices(const ModelSpec& model, const ClusterSpec& cluster, const InferenceConfig& base,
                         int max_devices) {
  MinFit best;
  const double usable = UsableBytes(cluster.accelerator->memory_bytes);
  const int max_tp = std::max(1, cluster.scale_up_domain);
  for (int tp = 1; tp <= std::min(max_tp, model.heads); ++tp) {
    if (!TpSplitsHeads(model, tp)) continue;
    for (int pp = 1; pp <= model.layers && tp * pp <= max_devices; ++pp) {
      if (best.found && tp * pp > best.devices) break;
      InferenceConfig c = base;
      c.tp = tp;
      c.pp = pp;
      const MemoryBreakdown memory = InferenceMemory(model, c);
      if (memory.total_bytes > usable) continue;
      const bool better = !best.found || tp * pp < best.devices ||
                          (tp * pp == best.devices && memory.total_bytes < best.memory.total_bytes);
      if (better) {
        best.found = true;
        best.devices = tp * pp;
        best.infer = c;
        best.memory = memory;
      }
    }
  }
  if (!best.found) {
    best.reason = fmt::format("no serving layout of up to {} devices fits (tp up to {})", max_devices, max_tp);
    best.reason_text = TrFormat("no serving layout of up to {} devices fits (tp up to {})", max_devices, max_tp);
  }
  return best;
}

std::string ExpertParallelHint(const ModelSpec& model, const ParallelConfig& config, const MemoryOptions& options,
                               double usable_bytes) {
  if (!model.IsMoe() || config.ep > 1) return "";
  // Experts as the layout splits them first, then whole experts folded over tp.
  for (const int expert_tp : {config.expert_tp, 1}) {
    if (expert_tp == 1 && (config.ExpertsFoldTp() || config.tp <= 1)) continue;
    ParallelConfig trial = config;
    trial.expert_tp = expert_tp;
    int largest = 0;
    for (int ep : search_space::Divisors(trial.ExpertDomainRanks())) {
      if (ep <= 1 || model.moe.experts % ep != 0) continue;
      trial.ep = ep;
      if (!ValidateLayout(model, trial).ok()) continue;
      largest = ep;
      if (TrainingMemory(model, trial, options).total_bytes <= usable_bytes) break;
    }
    if (largest > 1) return fmt::format("--ep {}{}", largest, expert_tp == 1 && config.tp > 1 ? " --expert-tp 1" : "");
  }
  return "";
}

}  // namespace suanli
