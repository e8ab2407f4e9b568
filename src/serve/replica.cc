// Serving memory of a replica from the inference memory model.
#include "serve/replica.h"

#include <algorithm>
#include <cmath>

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
  out.usable_bytes = UsableBytes(accelerator.memory_bytes, options);
  out.weights_bytes = fixed.weights_bytes;
  out.reserve_bytes = fixed.activations_bytes + fixed.other_bytes;
  const double free_bytes = out.usable_bytes - out.weights_bytes - out.reserve_bytes;
  if (out.kv_bytes_per_token > 0 && free_bytes > 0) {
    out.kv_capacity_tokens = std::floor(free_bytes / out.kv_bytes_per_token);
  }
  out.fits = out.kv_capacity_tokens >= 16;
  return out;
}

}  // namespace suanli
