// A training software stack (Megatron, torchtitan, FSDP, DeepSpeed, MindSpeed, ...) as data: what it keeps, fuses and overlaps.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "workload/parallel.h"

namespace suanli {

// The stack every layout defaults to (a blank `stack` column, no --stack).
inline constexpr std::string_view kDefaultStackId = "megatron";

// The stack id that stands for each accelerator's own platform stack
// (PlatformStack): the default of fit, train, compare, plan and scenarios.
inline constexpr std::string_view kAutoStackId = "auto";

// How a stack keeps the fp32 master copy of the weights beside the 16-bit
// compute weights (docs/stacks.md §Memory).
enum class MasterWeights {
  kSeparate,     // a persistent 16-bit copy plus the fp32 master in the optimizer (Megatron, DeepSpeed)
  kShardedFp32,  // FSDP: the sharded fp32 parameters are the master; 16-bit copies exist per layer only
  kReused,       // MindSpeed --reuse-fp32-param: the 16-bit copy shares the fp32 master's memory
  kNone,         // no fp32 master: 16-bit parameters updated in place, Adam moments in their dtype (NeMo AutoModel)
};

// What a stack's "selective" activation checkpointing recomputes (docs/stacks.md §Checkpointing).
enum class SelectiveMeaning {
  kAttentionCore,  // Megatron: the attention core only (Korthikanti et al. 2022)
  kHalfLayers,     // about half the forward: every second layer or every other matmul (torchtitan, fms-fsdp)
};

// Which layouts a stack can run (docs/stacks.md §Parallelism): the parallel
// dimensions it implements and the ZeRO / FSDP sharding stages it offers.
struct StackLayouts {
  bool tensor = true;       // tensor parallelism (tp > 1)
  bool pipeline = true;     // pipeline parallelism (pp > 1)
  bool interleaved = true;  // interleaved pipeline schedule with virtual stages (vp > 1)
  bool context = true;      // context / sequence parallelism over the sequence (cp > 1)
  bool expert = true;       // expert parallelism (ep > 1)
  std::vector<int> zero_stages = {0, 1, 2, 3};  // sharding stages over data-parallel ranks
  int max_zero_with_pipeline = 3;               // highest stage that runs together with pp > 1
  // MoE layout rules (Megatron-Core's checks; docs/stacks.md §Parallelism). The
  // defaults are Megatron's, like the rest; a stacks.yaml entry without them has none.
  bool expert_needs_sp = true;             // ep > 1 with tp > 1 needs sequence parallelism
  bool ep_overlap_no_full_recompute = true;  // EP overlap refuses full and block recompute
  bool ep_overlap_needs_vp = true;         // EP overlap with pp > 1 needs virtual stages (vp > 1)
};

// A MoE layout rule of a stack (StackLayouts) that a layout can break.
enum class MoeLayoutRule { kNone, kExpertNeedsSp, kEpOverlapFullRecompute, kEpOverlapNeedsVp };

// Returns the first MoE layout rule of `layouts` that `config` breaks
// (kNone = none); cheap enough for the layout search's inner loop.
MoeLayoutRule BrokenMoeRule(const StackLayouts& layouts, const ParallelConfig& config);

// Returns whether `layouts` lets a layout with `pp` stages, `vp` virtual
// stages and recompute mode `recompute` (as it runs) hide the EP all-to-all.
bool StackOverlapsEp(const StackLayouts& layouts, int pp, int vp, Recompute recompute);

// One training software stack: its memory, kernel, overlap and overhead
// properties, each from the stack's own source (data/stacks.yaml).
struct SoftwareStack {
  std::string id;
  std::string name;
  // Memory.
  bool bf16_gradients = false;     // gradients kept and reduced in bf16, not fp32 main grads
  bool bf16_gradients_with_zero = false;  // bf16 gradients under ZeRO 1-3, fp32 accumulation without ZeRO (DeepSpeed)
  MasterWeights master_weights = MasterWeights::kSeparate;
  bool optimizer_offload = false;  // can move optimizer states and step to host memory (ZeRO-Offload)
  std::vector<Recompute> checkpointing;  // activation-checkpointing modes the stack offers
  SelectiveMeaning selective = SelectiveMeaning::kAttentionCore;  // what its "selective" recomputes
  // Kernels.
  AttentionKernel attention = AttentionKernel::kFused;  // attention kernel of runs from 2023 on
  int unfused_attention_before_year = 0;  // runs published before this year materialised scores (0 = never)
  bool fused_norm = true;                 // RMSNorm/LayerNorm in one kernel
  bool fused_rotary = true;               // rotary embedding in one kernel
  bool fused_swiglu = true;               // gated-MLP activation in one kernel
  bool fused_cross_entropy = false;       // loss without fp32 logits and their gradient in memory
  bool per_node_expert_dispatch = false;  // MoE dispatch sends a token once per remote node (DeepEP), not per expert
  // Communication overlap.
  bool tp_comm_overlap = false;  // tensor-parallel collectives hidden behind GEMMs
  bool dp_overlap = true;        // data-parallel reduction / FSDP gathers overlap compute
  bool reduce_every_micro_batch = false;  // ZeRO/FSDP >= 2 reduce-scatters every micro-batch, not once per step
  // Host.
  double layer_host_overhead_s = 0;  // host time per layer per micro-batch not hidden behind the device, s
  bool cuda_graphs = false;          // CUDA graphs (or a compiler) remove per-kernel launch cost
  // Layouts.
  StackLayouts layouts;  // what the stack can run
  // Fitted on the stack's own dev rows (docs/stacks.md §Fitted).
  double efficiency = 1.0;  // device-time rate relative to the model's Megatron-calibrated rate (0..1.5)
  std::string fitted_on;    // the rows `efficiency` was fitted on
  std::string fitted_platform;  // vendor (catalog `vendor`) of those rows: `efficiency` applies there only
  // Platforms: the vendors (catalog `vendor`, e.g. "Huawei" for Ascend) the
  // stack runs on; empty = not restricted (docs/stacks.md §Platforms).
  std::vector<std::string> platforms;
  // The vendors whose own platform stack this is (stack `auto`; docs/stacks.md §Platforms).
  std::vector<std::string> default_on;
  std::vector<std::string> sources;
};

// Returns the stacks of a stacks YAML document (data/stacks.yaml's format);
// errors are located at file:line:col.
Result<std::vector<SoftwareStack>> ParseStacks(std::string_view text, const std::string& file_name);

// Returns the built-in stacks (the embedded data/stacks.yaml).
const std::vector<SoftwareStack>& BuiltinStacks();

// Returns the built-in stack `id` (case-insensitive; "" = the default
// stack); the error lists the known ids.
Result<const SoftwareStack*> FindStack(std::string_view id);

// Returns whether `layouts` offers ZeRO stage `zero` on a layout with `pp` pipeline stages.
bool OffersZeroStage(const StackLayouts& layouts, int zero, int pp);

// Returns whether a stack's checkpointing `modes` include `mode`.
bool OffersCheckpointing(const std::vector<Recompute>& modes, Recompute mode);

// Returns OK when `stack` can run `config` (its parallel dimensions, ZeRO
// stage, checkpointing mode and MoE layout rules); else an error saying what
// it lacks and what it offers. The ZeRO rules bind whatever dp is (they are
// checks of the stack's configuration); an offered stage with one data-parallel rank runs as stage 0.
Status StackRunsLayout(const SoftwareStack& stack, const ParallelConfig& config);

// Returns the attention kernel a run of `stack` published in `year` (0 =
// unknown) used.
AttentionKernel StackAttention(const SoftwareStack& stack, int year);

// What the memory and step models run for a checkpointing mode asked of a stack.
struct StackRecompute {
  Recompute mode = Recompute::kSelective;  // the mode the models run
  double layer_share = 0;  // with kFull: share (0..1) of each stage's layers recomputed in full,
                           // the others selective; 0 = every layer (or as the layout says)
};

// Returns what `stack` runs for the checkpointing mode `asked`: the mode
// itself, except that the "selective" of a stack whose selective recomputes
// about half the forward (memory.selective half_layers: torchtitan, fms-fsdp)
// runs as full recompute of half of each stage's layers. The one mapping
// fit, train, the search (compare, plan) and validate use.
StackRecompute StackRecomputeOf(const SoftwareStack& stack, Recompute asked);

// Returns the layers per pipeline stage that full recompute of `share` of
// each stage's layers recomputes in `config` (at least 1; 0 = every layer).
int RecomputeLayersForShare(const ModelSpec& model, const ParallelConfig& config, double share);

// Sets `config.recompute` (and `recompute_layers`) to what `stack` runs for
// the mode `config.recompute` asks; returns true when that changed them.
bool ApplyStackRecompute(const SoftwareStack& stack, const ModelSpec& model, ParallelConfig& config);

// Returns true when the catalog vendor `vendor` is the platform `platform`
// (case-insensitive; "Huawei" matches "Huawei (Ascend)").
bool IsPlatform(std::string_view vendor, std::string_view platform);

// Returns OK when `stack` runs on devices of `vendor` (`device` names the
// device in the error); else an error at --stack naming the platforms it runs on.
Status StackRunsOn(const SoftwareStack& stack, std::string_view vendor, std::string_view device);

// Returns the platform stack of `vendor`'s devices: the stack whose
// `default_on` names the vendor, else the default stack (megatron).
const SoftwareStack& PlatformStack(std::string_view vendor);

// Returns true when `id` is `auto` (case-insensitive).
bool IsAutoStack(std::string_view id);

// Returns the canonical id of a stack setting: `auto` (also for "") or a
// known stack id; the error lists the known ids and `auto`.
Result<std::string> StackSettingId(std::string_view id);

// Returns the stack `id` runs as on `vendor`'s devices: for `auto` (or "")
// the platform's own (PlatformStack); else the stack `id`, which must run
// there (StackRunsOn: an error at --stack, bad input).
Result<const SoftwareStack*> StackOn(std::string_view id, std::string_view vendor, std::string_view device);

// Returns whether the stack's `efficiency` was fitted on `vendor`'s devices
// (always true for an unfitted 1.0). It applies on every platform the stack
// runs on; held-out rows on other platforms agree with it (docs/stacks.md §Platforms).
bool StackEfficiencyFittedOn(const SoftwareStack& stack, std::string_view vendor);

// Returns the kernel `kernel` runs as on `vendor`'s devices: a
// FlashAttention-2-class kernel is CUDA and ROCm code, so on Ascend (Huawei),
// TPU (Google) and Gaudi (Intel) a stack's attention runs the platform's own
// fused kernel; others unchanged.
AttentionKernel PlatformAttention(AttentionKernel kernel, std::string_view vendor);

}  // namespace suanli
