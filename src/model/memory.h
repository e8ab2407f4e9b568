// The memory model: bytes per device for training (weights, gradients,
// optimizer states, activations) and inference (weights, KV cache,
// activations) under a parallel layout. All results in bytes per device.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/precision.h"
#include "core/result.h"
#include "workload/model_spec.h"
#include "workload/parallel.h"

namespace suanli {

// Bytes per device, by kind; `total` is the sum of the others.
struct MemoryBreakdown {
  double weights = 0;
  double gradients = 0;
  double optimizer = 0;
  double activations = 0;
  double kv_cache = 0;
  double other = 0;  // framework buffers, communication buckets, fragmentation
  double total = 0;
};

// Named assumptions of the memory model (documented in docs/memory-model.md).
struct MemoryOptions {
  double runtime_reserve_bytes = 0;       // CUDA context + library workspaces, per device (0 = model default)
  double fragmentation_fraction = -1;     // allocator fragmentation as a fraction of activations (<0 = default)
  bool flash_attention = true;            // no s^2 attention-score activations
  bool fp32_master_weights = true;        // mixed precision keeps fp32 master weights (Adam)
};

// Returns the peak bytes on the most loaded device (the first pipeline
// stage, which holds the embedding and the most in-flight micro-batches).
// Precondition: ValidateLayout(model, config) succeeded.
MemoryBreakdown TrainingMemory(const ModelSpec& model, const ParallelConfig& config,
                               const MemoryOptions& options = {});

// A serving layout and load.
struct InferenceConfig {
  int tp = 1;
  int pp = 1;
  int batch = 1;                 // concurrent sequences
  int64_t context = 4096;        // tokens per sequence (prompt + generated)
  Precision weight_precision = Precision::kBf16;  // down to int4/fp4
  Precision kv_precision = Precision::kBf16;
  int64_t prefill_chunk = 0;     // tokens per prefill chunk (0 = the whole context)
};

// Returns bytes per device for serving (weights, KV cache, activations of
// the largest prefill chunk, runtime reserve).
MemoryBreakdown InferenceMemory(const ModelSpec& model, const InferenceConfig& config,
                                const MemoryOptions& options = {});

// Returns KV-cache bytes per token for the whole model (all layers, all KV
// heads; MLA: the latent plus the shared rotary key), at `kv_precision`.
double KvCacheBytesPerToken(const ModelSpec& model, Precision kv_precision);

// Returns the bytes of device memory a job may use: capacity minus the
// runtime reserve (see docs/memory-model.md).
double UsableBytes(double capacity_bytes, const MemoryOptions& options = {});

}  // namespace suanli
