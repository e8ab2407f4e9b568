// Time of one attention layer per micro-batch: its linear layers and its
// core (flash, FlashAttention-2-class or materialised scores).
#pragma once

#include "catalog/accelerator.h"
#include "model/perf_assumptions.h"
#include "model/roofline.h"
#include "workload/model_spec.h"
#include "workload/parallel.h"

namespace suanli {

// Attention's linear layers (Megatron column/row split over tp; MLA's low-rank
// projections) and its core (scores and weighted values) for one layer and
// one micro-batch of `tokens` per rank: times in seconds, and the local
// query and key/value widths the element-wise work streams.
struct AttentionTimes {
  LinearTime linear;                 // the projections, seconds
  double core_fwd_s = 0.0;          // scores and weighted values, forward, seconds
  double core_bwd_s = 0.0;          // the same, backward, seconds
  double q_width = 0.0;             // local query width, elements
  double kv_width = 0.0;            // local key + value width, elements
  double up_projection_fwd_s = 0.0;  // MLA: forward of the Q and KV up-projections
};
// Returns the flash-attention FLOP rate as a fraction of the large-GEMM rate
// for heads of `head_dim` elements.
double AttentionEfficiency(const PerfAssumptions& assumptions, double head_dim);

// Returns the attention times of one layer for one micro-batch of `tokens` per rank.
AttentionTimes AttentionTime(const ModelSpec& model, const ParallelConfig& config,
                             const Accelerator& accelerator, const PerfAssumptions& assumptions,
                             const DeviceRates& rates, double tokens);

}  // namespace suanli
