// A training job and the parallel layout it runs with.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>

#include "core/precision.h"
#include "core/result.h"
#include "workload/model_spec.h"

namespace suanli {

// Activation recomputation: none; selective (Megatron's default: the
// attention core); modules (Megatron's --recompute-modules for the model's
// cheap, memory-heavy parts: MLA's up-projections (mla_up_proj) and the
// routed experts' activation (moe_act), not the attention core); full (every
// layer's forward, or `recompute_layers` of each stage).
enum class Recompute { kNone, kSelective, kFull, kModules };

// Returns "none", "selective", "full" or "modules".
std::string_view RecomputeName(Recompute recompute);
// Parses a recompute name; the error lists the accepted names.
Result<Recompute> ParseRecompute(std::string_view text);
// Returns true when the model has a part `modules` recomputes (MLA or MoE
// layers); for other models it is the same as none.
bool HasRecomputeModules(const ModelSpec& model);

// Attention kernel: the platform's fastest fused kernel (cuDNN / FlashAttention-3
// on Hopper and Blackwell, FlashAttention-2 elsewhere), a portable
// FlashAttention-2-class kernel (FlashAttention-2, Triton, xformers: the same
// memory, Hopper and later run it slower), or scores materialised in HBM.
enum class AttentionKernel { kFused, kFlash2, kUnfused };

// Returns "flash", "flash2" or "unfused".
std::string_view AttentionKernelName(AttentionKernel kernel);
// Parses an attention kernel name; the error lists the accepted names.
Result<AttentionKernel> ParseAttentionKernel(std::string_view text);

// Megatron-style layout. Ranks are ordered TP innermost, then CP, DP, PP;
// tp*cp*dp*pp = devices. EP groups are formed inside the dp*cp ranks (ep
// divides dp*cp), so experts are sharded over ep and replicated over the rest;
// with whole experts (expert_tp 1) they fold over the tp*dp*cp ranks.
struct ParallelConfig {
  int tp = 1;
  int pp = 1;
  int dp = 1;
  int cp = 1;
  int ep = 1;
  int vp = 1;                 // virtual stages per pipeline rank (interleaved 1F1B)
  int micro_batch = 1;        // sequences per micro-batch per data-parallel rank
  int global_batch = 1;       // sequences per optimizer step
  int seq_len = 2048;         // tokens per sequence
  Recompute recompute = Recompute::kSelective;
  int zero = 1;               // 0..3: ZeRO / FSDP sharding stage over dp*cp ranks
  Precision precision = Precision::kBf16;  // GEMM precision
  bool sequence_parallel = true;           // Megatron SP when tp > 1
  bool dp_overlap = true;                  // DP gradient reduction / ZeRO gathers overlap compute
  AttentionKernel attention = AttentionKernel::kFused;  // kUnfused: scores materialised in HBM
  bool ep_overlap = false;                 // expert all-to-all hidden behind another micro-batch's
                                           // compute (Megatron --overlap-moe-expert-parallel-comm,
                                           // DeepSeek's DualPipe); off by default, as in Megatron
  int expert_tp = 0;         // expert tensor-parallel size: 0 = tp (experts split like the dense
                             // layers, ep divides dp*cp); 1 = experts whole on a rank and expert
                             // parallelism folded over the tensor-parallel ranks too (ep divides
                             // tp*dp*cp; Megatron expert_tensor_parallel_size 1, "parallel folding")
  int recompute_layers = 0;  // with full recompute: layers per stage recomputed (Megatron
                             // --recompute-method block), the others selective; 0 = every layer

  // Returns the number of devices the layout uses.
  int Devices() const { return tp * pp * dp * cp; }
  // Returns true when experts are whole on a rank with tp > 1 (expert_tp 1).
  bool ExpertsFoldTp() const { return expert_tp == 1 && tp > 1; }
  // Returns the tensor-parallel split of an expert's weights: 1 when folded, else tp.
  int ExpertTp() const { return ExpertsFoldTp() ? 1 : tp; }
  // Returns the ranks expert parallelism and expert data parallelism share:
  // tp*dp*cp when folded, else dp*cp.
  int ExpertDomainRanks() const { return (ExpertsFoldTp() ? tp : 1) * dp * cp; }
  // Returns the ranks that hold the same experts (expert data parallelism), at least 1.
  int ExpertDataRanks() const { return ep > 0 ? std::max(1, ExpertDomainRanks() / ep) : 1; }
  // Returns micro-batches per step per pipeline (global / (micro * dp)).
  int MicroBatches() const { return global_batch / (micro_batch * dp); }
};

// Checks that `config` is a valid layout of `model`: every size >= 1, tp
// divides the heads, ep divides dp*cp and the experts, micro-batches divide
// the global batch, cp and tp divide the sequence, pp*vp <= layers (stages
// may hold unequal layer counts, as Megatron's uneven pipeline split allows). The
// error names the violated constraint and the field ("--tp").
Status ValidateLayout(const ModelSpec& model, const ParallelConfig& config);

// Returns true when tensor parallelism `tp` divides the attention heads and
// the KV heads divide it or are divided by it (replicated KV heads).
bool TpSplitsHeads(const ModelSpec& model, int tp);

// Returns true when sequence parallelism can split each context-parallel
// rank's `seq_len / cp` tokens evenly over `tp` ranks (always at tp 1).
bool SequenceSplitsOverTp(int seq_len, int cp, int tp);

// Returns the share (0..1) of a stage's `stage_layers` layers whose forward
// is fully recomputed: 0 without full recompute, 1 for every layer.
double FullRecomputeShare(const ParallelConfig& config, int stage_layers);

}  // namespace suanli
