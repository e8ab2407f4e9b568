// Serving memory of a replica from the inference memory model.
#include "serve/replica.h"

#include <algorithm>
#include <cmath>

#include "workload/stage_layout.h"

namespace suanli {

ReplicaMemory ServingMemory(const ModelSpec& model, const Accelerator& accelerator,
                            const ServingLayout& layout, const MemoryOptions& options) {
  ReplicaMemory out;
  InferenceConfig config;
  config.tp = layout.tp;
  config.pp = layout.pp;
  config.weight_precision = layout.weights;
  config.kv_precision = layout.kv;
  // Everything but the cache: a full iteration's activations (the prefill
  // budget as one chunk) and a logits row per running sequence.
  config.batch = layout.max_batch;
  config.context = layout.prefill_budget_tokens;
  config.prefill_chunk = layout.prefill_budget_tokens;
  const MemoryBreakdown fixed = InferenceMemory(model, config, options);
  // The cache of one token on the most loaded stage.
  config.batch = 1;
  config.context = 1;
  config.prefill_chunk = 1;
  out.kv_bytes_per_token = InferenceMemory(model, config, options).kv_cache_bytes;
  out.window = StageKvWindow(model, StageLayout(model, layout.tp, layout.pp, 1, layout.tp).MaxLayers());
  out.usable_bytes = UsableBytes(accelerator.memory_bytes, options);
  out.weights_bytes = fixed.weights_bytes;
  const int stage_devices = layout.tp * std::max(1, layout.dp_attention);
  if (layout.ep > 1 || stage_devices > layout.tp) {
    // Routed experts spread over ep ranks, each split over tp·dp/ep ranks,
    // instead of over tp alone (the rest stays split over tp, replicated per
    // attention group).
    const StageParams by_tp = StageLayout(model, layout.tp, layout.pp, 1, layout.tp).ParamsPerRank(0);
    const StageParams by_ep =
        StageLayout(model, layout.tp, layout.pp, layout.ep, stage_devices / std::max(1, layout.ep)).ParamsPerRank(0);
    out.weights_bytes += (by_ep.expert - by_tp.expert) * ServingWeightBytes(layout.weights);
  }
  out.reserve_bytes = fixed.activations_bytes + fixed.other_bytes;
  const double free_bytes = out.usable_bytes - out.weights_bytes - out.reserve_bytes;
  if (out.kv_bytes_per_token > 0 && free_bytes > 0) {
    // Every attention data-parallel group keeps its own sequences' cache.
    out.kv_capacity_tokens = std::floor(free_bytes / out.kv_bytes_per_token) * std::max(1, layout.dp_attention);
  }
  out.fits = out.kv_capacity_tokens >= 16;
  return out;
}

}  // namespace suanli
