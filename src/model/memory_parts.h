// Small pieces the training and serving halves of the memory model share
// (internal to model/: memory.cc, inference_memory.cc).
#pragma once

#include "model/memory.h"

namespace suanli::memory_parts {

// Sets `m.total_bytes` to the sum of the other kinds, bytes.
inline void Total(MemoryBreakdown& m) {
  m.total_bytes = m.weights_bytes + m.gradients_bytes + m.optimizer_bytes + m.activations_bytes + m.kv_cache_bytes +
                  m.other_bytes;
}

// Returns the allocator fragmentation as a fraction of activations (the option, else the default).
inline double Fragmentation(const MemoryOptions& o) {
  return o.fragmentation_fraction < 0 ? kDefaultFragmentationFraction : o.fragmentation_fraction;
}

// Returns the communication buffers of one of `devices` devices, bytes (0 alone).
inline double CommBuffers(const MemoryOptions& o, int devices) {
  if (devices <= 1) return 0;
  return o.communication_buffer_bytes < 0 ? kDefaultCommunicationBufferBytes : o.communication_buffer_bytes;
}

}  // namespace suanli::memory_parts
