// The training performance model: time of one optimizer step for a model
// on a cluster under a parallel layout, with a breakdown that sums to it.
// The public entry point of the step model; its parts live in roofline.h,
// collectives.h, attention_time.h, moe_time.h, data_parallel_time.h.
#pragma once

#include <string>

#include "catalog/accelerator.h"
#include "catalog/system.h"
#include "model/cluster.h"
#include "model/memory.h"
#include "model/model_flops.h"
#include "model/perf_assumptions.h"
#include "model/roofline.h"
#include "workload/model_spec.h"
#include "workload/parallel.h"

namespace suanli {

// Seconds of one step by cause; they sum to StepEstimate::step_time_s.
struct StepBreakdown {
  double compute_s = 0;        // forward + backward GEMMs, attention, element-wise
  double recompute_s = 0;      // forward work repeated by activation recomputation
  double tp_comm_s = 0;        // exposed tensor/sequence-parallel collectives
  double cp_comm_s = 0;        // exposed context-parallel KV exchange
  double ep_comm_s = 0;        // exposed expert-parallel all-to-all
  double dp_comm_s = 0;        // exposed data-parallel gradient / ZeRO traffic
  double pp_comm_s = 0;        // pipeline point-to-point sends
  double bubble_s = 0;         // pipeline fill and drain
  double optimizer_s = 0;      // optimizer step (memory-bound)
  double moe_dispatch_s = 0;   // fixed MoE dispatch overhead: routing, host sync, launch-bound permutations
};

struct StepEstimate {
  bool fits = false;                 // memory.total_bytes <= usable capacity
  MemoryBreakdown memory;            // per device, bytes
  double usable_bytes = 0;           // per device
  double step_time_s = 0;
  double tokens_per_s = 0;           // whole cluster
  double tokens_per_s_per_gpu = 0;
  double model_flops_per_token = 0;  // 6·P_active + 6·V·h + attention (validation/README.md)
  double model_tflops_per_gpu = 0;   // model FLOPs (no recompute) per second per device, 1e12
  double hw_tflops_per_gpu = 0;      // executed FLOPs incl. recompute, 1e12/s
  double mfu = 0;                    // model_tflops / dense bf16 peak (at every precision), fraction 0..1
  double expert_dispatch_per_node = 0;  // share of the expert all-to-all sent once per node (DeepEP-style), 0..1
  StepBreakdown breakdown;
};

// Returns the step estimate; `memory` says what the stack keeps (default
// Megatron's). Precondition: ValidateLayout(model, config).
StepEstimate EstimateStep(const ModelSpec& model, const ClusterSpec& cluster,
                          const ParallelConfig& config, const PerfAssumptions& assumptions = {},
                          const MemoryOptions& memory = {});

// Returns `base` with the step-model terms of `stack` set: its fused
// kernels, TP overlap, host overhead, gradient reduction width and fitted rate.
PerfAssumptions StackAssumptions(const SoftwareStack& stack, PerfAssumptions base);

// Same as EstimateStep with the layout's memory already computed by
// TrainingMemory (the search computes it first to reject layouts cheaply).
StepEstimate EstimateStepWithMemory(const ModelSpec& model, const ClusterSpec& cluster,
                                    const ParallelConfig& config, const MemoryBreakdown& memory,
                                    const PerfAssumptions& assumptions = {});

}  // namespace suanli
