// A serving replica's memory: weights, activation reserve and the KV-cache
// capacity left for the paged cache, from the memory model.
#pragma once

#include "catalog/accelerator.h"
#include "model/memory.h"
#include "serve/iteration.h"
#include "workload/model_spec.h"

namespace suanli {

// Bytes per device of one replica and the KV tokens the replica can hold.
struct ReplicaMemory {
  double usable_bytes = 0;        // device capacity minus the runtime reserve, within the engine's share (total)
  double weights_bytes = 0;       // most loaded stage
  double reserve_bytes = 0;       // activations of the largest iteration + buffers
  double kv_bytes_per_token = 0;  // per device, all layers of the most loaded stage
  double kv_capacity_tokens = 0;  // tokens of KV cache the replica holds (0 when it does not fit)
  bool fits = false;              // weights and reserve fit with room for at least one block
  KvWindow window;                // sliding-window layers of the most loaded stage (StageKvWindow)
};

// Returns the memory of `layout` on `accelerator`: InferenceMemory for the
// weights and the activations of a full prefill budget plus a logits row per
// running sequence, KvCacheBytes per token from the same model, and as paged
// KV cache what the engine's memory fraction (layout.memory) leaves of
// UsableBytes (docs/serving.md "Cache capacity").
ReplicaMemory ServingMemory(const ModelSpec& model, const Accelerator& accelerator,
                            const ServingLayout& layout, const MemoryOptions& options = {});

}  // namespace suanli
