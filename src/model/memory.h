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
#include "workload/stack.h"

namespace suanli {

// Bytes per device, by kind; `total_bytes` is the sum of the others.
struct MemoryBreakdown {
  double weights_bytes = 0;
  double gradients_bytes = 0;
  double optimizer_bytes = 0;
  double activations_bytes = 0;
  double kv_cache_bytes = 0;
  double other_bytes = 0;  // framework buffers, communication buckets, fragmentation
  double total_bytes = 0;
  double host_bytes = 0;   // host RAM this device's offloaded states take (ZeRO-Offload), not in total_bytes
};

// Named assumptions of the memory model (documented in docs/memory-model.md).
struct MemoryOptions {
  double runtime_reserve_bytes = 0;       // CUDA context + library workspaces, per device (0 = model default)
  double fragmentation_fraction = -1;     // allocator fragmentation as a fraction of activations (<0 = default)
  bool flash_attention = true;            // serving prefill: no s^2 attention-score activations
                                          // (training layouts carry ParallelConfig::attention)
  bool fp32_master_weights = true;        // mixed precision keeps fp32 master weights (Adam)
  bool bf16_gradients = false;            // keep and reduce bf16 gradients (--grad-reduce-in-bf16) instead of the
                                          // fp32 main grads Megatron and DeepSpeed use for bf16/fp8 training
  bool bf16_gradients_with_zero = false;  // gradients in the model dtype when zero >= 1, fp32 main grads without
                                          // ZeRO (DeepSpeed engine.get_data_types())
  double communication_buffer_bytes = -1; // NCCL buffers + gradient buckets per device (<0 = default)
  // What the training software stack keeps (docs/stacks.md; defaults are Megatron's).
  MasterWeights master_weights = MasterWeights::kSeparate;  // how the fp32 master copy sits beside the weights
  bool optimizer_offload = false;        // with zero >= 1: optimizer states (and from zero 2 the gradient
                                         // partition) live in host memory (ZeRO-Offload)
  bool checkpoint_offload = false;       // full-recompute checkpoints live in host memory (DeepSpeed cpu_checkpointing)
  bool fused_cross_entropy = false;      // the loss keeps no fp32 logits or logit gradients
};

// Returns the memory options of training under `stack`.
MemoryOptions StackMemoryOptions(const SoftwareStack& stack);

// Defaults of the named assumptions (docs/memory-model.md §Assumptions).
// Runtime reserve, bytes: CUDA context (~0.3-0.6 GiB on A100/H100) plus
// cuBLAS/cuDNN/NCCL workspaces.
inline constexpr double kDefaultRuntimeReserveBytes = 1024.0 * 1024 * 1024;
// ...but never more than this fraction of the device's capacity (a 2010
// GTX 580's CUDA context took ~0.1 of its 1.5 GB).
inline constexpr double kMaxRuntimeReserveFraction = 0.10;
// Fragmentation of the PyTorch caching allocator, as a fraction of activations.
inline constexpr double kDefaultFragmentationFraction = 0.10;
// Communication buffers (NCCL channels + DDP/ZeRO buckets), bytes per device
// when more than one device takes part.
inline constexpr double kDefaultCommunicationBufferBytes = 512.0 * 1024 * 1024;
// Host RAM of ZeRO-Offload as a multiple of the offloaded states: DeepSpeed's
// own estimator (estimate_zero2/zero3_model_states_mem_needs,
// additional_buffer_factor = 1.5) for pinned copy buffers and allocator slack.
inline constexpr double kOffloadHostBufferFactor = 1.5;
// Bytes per offloaded parameter of the fp32 gradient partition the host
// optimizer reads (DeepSpeed keeps it fp32 beside the fp32 master).
inline constexpr double kOffloadHostGradientBytes = 4.0;
// Host memory bandwidth the CPU Adam step is assumed to get per device,
// bytes/s (PerfAssumptions' offload term, docs/perf-model.md "The software stack").
inline constexpr double kCpuAdamHostBandwidthBps = 25e9;
// Fit margin: among layouts within this fraction of the best throughput the
// search should prefer the one with the most free device memory, and a
// layout leaving less than kFitHeadroomFraction of the usable bytes free is
// flagged as tight (docs/memory-model.md "Fit margin").
inline constexpr double kFitMarginSpeedFraction = 0.01;
// Free device memory below which a fitting layout is called tight, as a fraction of the usable bytes.
inline constexpr double kFitHeadroomFraction = 0.02;
// Group size of group-wise weight quantisation (int8/int4/fp4): one fp16
// scale per this many weights (GPTQ/AWQ default group 128).
inline constexpr int kQuantGroupSize = 128;

// Returns bytes per gradient element kept and reduced in training: 4 (fp32
// main grads) for bf16 and fp8 recipes unless `bf16_gradients`, 2 for fp16,
// 4 for fp32/tf32.
double GradientBytes(Precision precision, bool bf16_gradients = false);

// Weights, gradients and optimizer bytes per device for `params` parameters
// under ZeRO stage `zero` sharded over `shard_ranks` data-parallel ranks
// (Rajbhandari et al. 2020, Fig. 1). Only weights/gradients/optimizer are set.
MemoryBreakdown ModelStateBytes(double params, int zero, int shard_ranks, Precision precision,
                                const MemoryOptions& options = {});

// Returns activation bytes that one transformer layer (0-based `layer`)
// keeps for the backward pass, per micro-batch per device (Korthikanti et
// al. 2022, Table 2, generalised to GQA, gated MLPs, MoE and MLA).
double LayerActivationBytes(const ModelSpec& model, const ParallelConfig& config, int layer,
                            const MemoryOptions& options = {});

// Returns the factor by which interleaving multiplies the first stage's
// in-flight activations: 1 + (pp-1)/(pp*vp) (Korthikanti §4.2.3); 1 when vp = 1.
double InterleaveFactor(int pp, int vp);

// Returns the peak bytes on the most loaded device: the largest total over
// the pipeline stages (usually the first, which holds the embedding and the
// most in-flight micro-batches; the last holds the logits; MoE models with
// leading dense layers can peak in the middle).
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

// Returns bytes per device for serving on the most loaded pipeline stage
// (weights, KV cache, activations of the largest prefill chunk, buffers; the
// runtime reserve is subtracted by UsableBytes instead).
MemoryBreakdown InferenceMemory(const ModelSpec& model, const InferenceConfig& config,
                                const MemoryOptions& options = {});

// Returns KV-cache bytes per token for the whole model (all layers, all KV
// heads; MLA: the latent plus the shared rotary key), at `kv_precision`.
double KvCacheBytesPerToken(const ModelSpec& model, Precision kv_precision);

// Returns KV-cache bytes per token of one layer on one of `tp` devices
// (KV heads split over tp, replicated beyond them; MLA's latent replicated).
double LayerKvBytesPerToken(const ModelSpec& model, int tp, double element_bytes);

// Sliding-window attention as the KV cache and the attention kernels see it:
// of `layers` layers, `window_layers` attend only the last `window` tokens
// (Mistral 7B v0.1: all 32 at 4,096; gpt-oss, Gemma 2: every second layer).
// Layer-averaged figures are in tokens of a full-attention layer, so KV bytes
// = LayerKvBytesPerToken × layers × Keys(context).
struct KvWindow {
  double layers = 0;         // layers counted
  double window_layers = 0;  // of them, sliding-window layers
  double window = 0;         // tokens; 0 = full attention everywhere
  bool Active() const { return window > 0 && window_layers > 0; }
  // Returns the tokens of KV summed over the layers for a sequence of
  // `context` tokens: (layers − window_layers)·context + window_layers·min(context, window).
  double LayerTokens(double context) const;
  // Returns LayerTokens(context) / layers: the keys a query attends and the
  // KV a sequence holds per layer on average (exactly `context` without a window).
  double Keys(double context) const;
  // Returns the layer-averaged causal (query, key) pairs of queries
  // start+1 .. start+chunk, each attending min(position, window) keys in a
  // sliding layer and all earlier positions in a full one.
  double CausalPairs(double start, double chunk) const;
};

// Returns the window of `stage_layers` layers of `model`; the sliding layers
// are taken as spread evenly over the pipeline stages:
// round(stage_layers × sliding_window_layers / layers).
KvWindow StageKvWindow(const ModelSpec& model, int stage_layers);

// Returns bytes per transformer-layer weight served at `precision`: the
// element size plus one fp16 scale per kQuantGroupSize weights for int8/int4/fp4.
double ServingWeightBytes(Precision precision);

// Returns the bytes of device memory a job may use: capacity minus the
// runtime reserve (see docs/memory-model.md).
double UsableBytes(double capacity_bytes, const MemoryOptions& options = {});

// Returns the usable bytes with the runtime reserve of the platform:
// `runtime_reserve_bytes` from the system's data (System::runtime_reserve_bytes,
// e.g. 3 GiB for CANN on Ascend), 0 = the CUDA default of UsableBytes.
double UsableBytesWithReserve(double capacity_bytes, double runtime_reserve_bytes);

// Returns the host RAM one node needs for `memory`'s offloaded states:
// host_bytes per device × the devices of the job on one node
// (min(devices, devices_per_node)); 0 without offload.
double HostBytesPerNode(const MemoryBreakdown& memory, int devices, int devices_per_node);

// Returns whether a layout needing `host_bytes_per_node` fits a node of
// `host_capacity_bytes` (an unknown capacity, 0, fits).
bool FitsHost(double host_bytes_per_node, double host_capacity_bytes);

// Returns whether a fitting layout leaves less than kFitHeadroomFraction of
// `usable_bytes` free: allocator spikes and runtime growth can OOM it.
bool TightFit(double total_bytes, double usable_bytes);

// Returns whether layout A (step time `a_step_s`, `a_free_bytes` free per
// device) should be preferred to B: faster by more than
// kFitMarginSpeedFraction, or within it and with more free memory. Not a
// strict weak order (not for std::sort): rank by speed first, then move the
// layout it prefers among those within the margin of the fastest to the top.
bool PreferWithMargin(double a_step_s, double a_free_bytes, double b_step_s, double b_free_bytes);

}  // namespace suanli
