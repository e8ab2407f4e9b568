// Time data-parallel gradient reduction and ZeRO parameter gathers add to a step.
#pragma once

#include "model/collectives.h"
#include "model/perf_assumptions.h"
#include "workload/parallel.h"
#include "workload/stage_layout.h"

namespace suanli {

// Returns the bytes per gradient element the data-parallel reduction sends:
// --assume perf.grad_bytes_per_param, else the stack's gradient dtype at
// the layout's ZeRO stage (GradientBytes).
double ReducedGradientBytes(const ParallelConfig& config, const PerfAssumptions& assumptions);

// Time the data-parallel traffic adds to a step: the gradient reduction and
// ZeRO parameter gathers over the dp·cp ranks (stride tp) and over the
// expert data-parallel ranks, hierarchical over the two tiers, less what
// hides behind the forward (`fwd_s`) and backward (`backward_window_s`,
// recomputation included) of the micro-batches around it.
// Returns seconds, per step.
double DataParallelExposedTime(const ParallelConfig& config, const PerfAssumptions& assumptions,
                               const StageParams& params, const Fabric& fabric, int domain, int stage_layers,
                               int micro_batches, double fwd_s, double backward_window_s);

}  // namespace suanli
