// Time of one MoE layer's MLP per micro-batch: routed experts as grouped
// GEMMs, shared experts, the router, and the tokens dispatched.
#pragma once

#include "model/roofline.h"
#include "workload/model_spec.h"
#include "workload/parallel.h"

namespace suanli {

// Seconds of one MoE layer's MLP and the token copies one rank dispatches.
struct MoeMlpTimes {
  LinearTime mlp;                 // experts, shared experts and router, seconds
  double routed_tokens = 0.0;     // token copies this rank permutes and dispatches
  double activation_fwd_s = 0.0;  // the routed experts' activation, one pass
};
// Returns the MoE MLP times for one micro-batch of `tokens` per rank (zero for a dense model).
MoeMlpTimes MoeMlpTime(const ModelSpec& model, const ParallelConfig& config, const DeviceRates& rates,
                       double tokens);

}  // namespace suanli
