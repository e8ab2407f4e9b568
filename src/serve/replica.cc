// Serving memory of a replica from the inference memory model.
#include "serve/replica.h"

#include <algorithm>
#include <cmath>

#include "workload/stage_layout.h"

namespace suanli {
namespace {

// Returns the bytes per device the engine gives its KV cache under its memory
// fraction (data/engines.yaml memory_fraction_of); `m` holds the usable
// bytes (capacity less the runtime reserve), the weights and the reserve.
// Never more than what is left of the usable bytes.
double KvBytes(const EngineMemory& engine, double capacity_bytes, const ReplicaMemory& m) {
  const double f = std::clamp(engine.fraction, 0.0, 1.0);
  const double runtime = capacity_bytes - m.usable_bytes;  // CUDA context and workspaces
  const double left = m.usable_bytes - m.weights_bytes - m.reserve_bytes;
  switch (engine.of) {
    case MemoryShareOf::kTotal:  // f x capacity holds all of it, the context too (vLLM gpu_memory_utilization)
      return std::min(left, f * capacity_bytes - runtime - m.weights_bytes - m.reserve_bytes);
    case MemoryShareOf::kStatic:  // f x capacity holds the weights and the pool (SGLang mem_fraction_static)
      return std::min(left, f * capacity_bytes - m.weights_bytes);
    case MemoryShareOf::kFreeAfterLoad:  // f of what the loaded engine leaves (TensorRT-LLM)
      return f * left;
    case MemoryShareOf::kFreeAfterWeights:  // f of what the weights leave (LMDeploy cache_max_entry_count)
      return std::min(left, f * (m.usable_bytes - m.weights_bytes));
  }
  return left;
}

}  // namespace

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
  const double free_bytes = KvBytes(layout.memory, accelerator.memory_bytes, out);
  if (layout.memory.of == MemoryShareOf::kTotal) {  // the engine uses no more than its share
    const double runtime = accelerator.memory_bytes - out.usable_bytes;
    out.usable_bytes = std::max(0.0, std::min(out.usable_bytes, layout.memory.fraction * accelerator.memory_bytes - runtime));
  }
  if (out.kv_bytes_per_token > 0 && free_bytes > 0) {
    // Every attention data-parallel group keeps its own sequences' cache.
    out.kv_capacity_tokens = std::floor(free_bytes / out.kv_bytes_per_token) * std::max(1, layout.dp_attention);
  }
  out.fits = out.kv_capacity_tokens >= 16;
  return out;
}

}  // namespace suanli
