// Named assumptions of the training step model (not per-accelerator calibration).
#pragma once

namespace suanli {

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
  double expert_dispatch_per_node = -1;   // 0: a token crosses the network once per remote expert; 1: once per remote domain (DeepEP); < 0: the stack's
  // The training software stack's terms (docs/stacks.md; defaults are Megatron's; set by StackAssumptions).
  bool fused_norm = true;                 // false: eager norms, ~8 more fp32-width passes each
  bool fused_rotary = true;               // false: eager rotary (rotate_half, cos/sin products), 5x the traffic
  bool fused_swiglu = true;               // false: eager silu and product, 5 passes over the FFN width, not 3
  bool tp_comm_overlap = false;           // tensor-parallel collectives hidden behind the layer's GEMMs
  bool optimizer_offload = false;         // with zero >= 1: the Adam step runs on the host (ZeRO-Offload)
  bool bf16_gradients_with_zero = false;  // gradients reduced in the model dtype when zero >= 1 (DeepSpeed)
  bool reduce_every_micro_batch = false;  // zero >= 2 reduce-scatters every micro-batch (DeepSpeed, FSDP)
  double layer_host_overhead_s = 0;       // host time per layer per micro-batch not hidden, seconds
  double stack_efficiency = 1.0;          // device compute rate relative to the Megatron-calibrated rate
};

}  // namespace suanli
