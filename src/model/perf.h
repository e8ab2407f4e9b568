// The training performance model: time of one optimizer step for a model
// on a cluster under a parallel layout, with a breakdown that sums to it.
#pragma once

#include <string>

#include "catalog/accelerator.h"
#include "catalog/system.h"
#include "model/memory.h"
#include "workload/model_spec.h"
#include "workload/parallel.h"

namespace suanli {

// The hardware a job runs on: one accelerator kind, its scale-up domain and
// scale-out network, with the achievable fractions applied.
struct ClusterSpec {
  const Accelerator* accelerator = nullptr;
  int scale_up_domain = 8;        // devices sharing the fast fabric
  double scale_up_Bps = 0;        // per device, per direction, peak
  double scale_out_Bps = 0;       // per device, per direction, peak
  bool rail_optimized = true;
};

// Returns the cluster of `accelerator` built as `system` (or, when null,
// from the accelerator's own scale-up and scale-out figures).
ClusterSpec MakeCluster(const Accelerator& accelerator, const System* system);

// Named assumptions of the step model that are not per-accelerator
// calibration (those live in Accelerator::efficiency). Defaults and sources
// are in docs/perf-model.md.
struct PerfAssumptions {
  double kernel_overhead_s = 4e-6;        // fixed cost per kernel (launch + tail), seconds
  double scale_up_latency_s = 10e-6;      // per collective inside a scale-up domain, seconds
  double scale_out_latency_s = 25e-6;     // per collective across nodes, seconds
  double grad_bytes_per_param = 0;        // bytes reduced per gradient; 0 = GradientBytes(precision): fp32 for bf16/fp8
  double optimizer_bytes_per_param = 32;  // Adam step traffic: fp32 master/m/v read+write, grad read, param write
  double attention_backward_factor = 2.5; // flash-attention backward FLOPs / forward (recomputes scores)
  double attention_efficiency = 0.7;      // flash-attention FLOP rate / large-GEMM FLOP rate at head dim 128
  double attention_head_dim_half = 34;    // head dim at which the flash-attention rate would halve, elements
  double gemm_half_dim = 128;             // GEMM dimension at which shape efficiency halves (tiles, fill)
  double fp8_gemm_relative = 0.91;        // fp8 GEMM fraction of fp8 peak / bf16 fraction of bf16 peak
  double fp8_cast_bytes_per_element = 4;  // quantising a GEMM input: read bf16, write row- and column-wise fp8
  double grouped_gemm_relative = 0.87;    // grouped expert GEMM rate / one dense GEMM of the same rows
  double unfused_score_bytes_forward = 9;   // HBM bytes per attention score without flash attention: softmax + dropout
  double unfused_score_bytes_backward = 11; // the same in backward
  double dp_overlap = 1.0;                // fraction of the DP overlap window actually usable (0..1)
  double overlap_contention = 0.19;       // compute time lost per second of communication hidden behind it
  double moe_dispatch_overhead_s = 5e-3;  // fixed device-idle time per MoE layer per micro-batch (routing, sync, launches), seconds
};

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
  double mfu = 0;                    // model_tflops / dense peak of the precision, fraction 0..1
  StepBreakdown breakdown;
};

// Returns training model FLOPs per token (forward + backward, matmuls only,
// no recompute), per shared/validation/README.md.
double ModelFlopsPerToken(const ModelSpec& model, int seq_len);

// Returns the step estimate. Precondition: ValidateLayout(model, config).
StepEstimate EstimateStep(const ModelSpec& model, const ClusterSpec& cluster,
                          const ParallelConfig& config, const PerfAssumptions& assumptions = {});

// Same as EstimateStep with the layout's memory already computed by
// TrainingMemory (the search computes it first to reject layouts cheaply).
StepEstimate EstimateStepWithMemory(const ModelSpec& model, const ClusterSpec& cluster,
                                    const ParallelConfig& config, const MemoryBreakdown& memory,
                                    const PerfAssumptions& assumptions = {});

// Returns the dense peak FLOP/s the GEMMs of `precision` run at on
// `accelerator` (fp8 falls back to bf16, bf16 to fp16, fp16 to fp32 when the
// part lacks the format).
double GemmPeakFlops(const Accelerator& accelerator, Precision precision);

}  // namespace suanli
