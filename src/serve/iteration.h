// The time of one serving-engine iteration (prefill chunks and decode tokens
// batched together) on one replica, from the training model's primitives:
// GEMM rooflines, flash attention, collectives, the memory model's KV bytes.
#pragma once

#include <string>

#include "catalog/accelerator.h"
#include "core/precision.h"
#include "core/result.h"
#include "model/cluster.h"
#include "model/perf_assumptions.h"
#include "model/roofline.h"
#include "serve/batch_work.h"
#include "serve/engine.h"
#include "workload/model_spec.h"

namespace suanli {

// Speculative decoding: a draft (model, MTP head or n-gram) proposes k
// tokens, the target model verifies k + 1 positions in one step.
struct SpeculativeSpec {
  int draft_tokens = 0;      // k, tokens proposed per step (0 = off)
  double acceptance = 0;     // α, probability that a draft token is accepted (0..1)
  double draft_cost = 0;     // time of one draft token as a fraction of a batch-1 target decode step

  // Returns the expected tokens emitted per verify step, (1 − α^(k+1)) / (1 − α)
  // (Leviathan et al. 2023, eq. 1); 1 when off.
  double TokensPerStep() const;
  bool enabled() const { return draft_tokens > 0; }
};

// One serving replica's layout and formats.
struct ServingLayout {
  int tp = 1;                           // tensor-parallel ranks per stage (per attention group)
  int pp = 1;                           // pipeline stages
  int ep = 1;                           // expert-parallel ranks the routed experts are spread over
  int dp_attention = 1;                 // attention data-parallel groups of tp ranks (DeepSeek-style)
  SpeculativeSpec speculative;          // off by default
  Precision weights = Precision::kBf16; // bf16, fp8, int8, int4
  Precision kv = Precision::kBf16;      // KV-cache format
  int max_batch = 256;                  // running sequences per engine
  int prefill_budget_tokens = 8192;     // tokens per iteration
  EngineMemory memory;                  // the engine's memory fraction (EngineSpec::memory; default all)

  // Returns devices per replica, tp * dp_attention * pp (ep spans the same devices).
  int Devices() const { return tp * dp_attention * pp; }
};

// Returns a replica's ranks in short words: "tp1 dp-attention8 pp1 ep8" (dp-attention and ep only when not 1).
std::string ServingRanksShort(const ServingLayout& layout);
// Returns tp with its DP-attention groups when not 1, for a sentence's "tp {}": "1 dp-attention 8".
std::string TpWithDpAttention(const ServingLayout& layout);
// Returns pp with its expert-parallel ranks when not 1, for a sentence's "pp {}": "1 ep 8".
std::string PpWithEp(const ServingLayout& layout);

// Seconds of one iteration by cause; they sum to total_s.
struct IterationBreakdown {
  double gemm_s = 0;       // dense projections, MLPs, shared experts, router, LM head
  double experts_s = 0;    // routed-expert grouped GEMMs (distinct experts touched)
  double attention_s = 0;  // decode KV reads and flash-attention prefill
  double comm_s = 0;       // tensor-parallel all-reduces, expert all-to-alls and pipeline sends
  double draft_s = 0;      // speculative draft tokens
  double overhead_s = 0;   // engine host time and eager launches
  double total_s = 0;      // the iteration's latency, all stages
};

// Returns the fraction of `seqs` sequences' work on the busiest of `groups`
// DP-attention groups when requests are placed whole, ceil(n/d)/n: 1 for a
// lone sequence, 1/d for a multiple of d (1/d when seqs is 0).
double BusiestGroupShare(int seqs, int groups);

// Returns the expected number of distinct experts `tokens` token copies touch
// when each picks `topk` of `experts` uniformly: E·(1 − (1 − k/E)^tokens).
double DistinctExperts(double experts, double topk, double tokens);

// The iteration-time model of one replica.
class IterationModel : public IterationCost {
 public:
  // Builds the model; an error names the flag when the layout cannot run
  // (tp not dividing the heads, more stages than layers, a format the engine
  // or the accelerator lacks).
  static Result<IterationModel> Make(const ModelSpec& model, const ClusterSpec& cluster,
                                     const ServingLayout& layout, const EngineSpec& engine,
                                     const PerfAssumptions& assumptions = {});

  // Returns the latency of one iteration by cause.
  IterationBreakdown Breakdown(const BatchWork& work) const;
  // Returns Breakdown(work) less the terms that read the prefill pairs or
  // the decode context (attention, draft; total_s 0): a function of the
  // prefill tokens and sequences and the decode sequences alone.
  IterationBreakdown ContextFreeBreakdown(const BatchWork& work) const;
  // Returns Breakdown(work) from `fixed` = ContextFreeBreakdown(work), bit for bit.
  IterationBreakdown CompleteBreakdown(IterationBreakdown fixed, const BatchWork& work) const;
  // Returns Seconds(work), bit for bit, from ContextFreeBreakdown(work)'s
  // gemm_s + experts_s, comm_s and overhead_s (the memo's fast path).
  double CompleteSeconds(double gemm_experts_s, double comm_s, double overhead_s, const BatchWork& work) const;
  // Returns Breakdown(work).total_s.
  double Seconds(const BatchWork& work) const override;

  const ServingLayout& layout() const { return layout_; }

 private:
  IterationModel() = default;
  double ExpertSeconds(double tokens) const;
  double AttentionSeconds(const BatchWork& work) const;
  double AllReduceSeconds(double tokens) const;
  double AllToAllSeconds(double group_tokens) const;  // tokens of the busiest attention group
  double ScaledAttentionSeconds(const BatchWork& replica_work) const;  // all layers and stages, per DP group
  double DraftSeconds(double compute_s, const BatchWork& work) const;   // speculative drafts

  const ModelSpec* model_ = nullptr;
  ClusterSpec cluster_;
  ServingLayout layout_;
  const EngineSpec* engine_ = nullptr;
  PerfAssumptions assumptions_;
  DeviceRates rates_;          // gemm: the weight format's GEMM rate and bytes; bf16: attention
  Fabric fabric_;
  int stage_layers_ = 1;       // layers of the slowest stage
  int stage_moe_layers_ = 0;   // MoE layers of the slowest stage
  double kv_bytes_per_token_layer_ = 0;  // per device
  double attention_flops_per_pair_ = 0;  // prefill, per device per layer
  double decode_flops_per_context_ = 0;  // decode, per device per layer
  double attention_rate_flops_ = 0;      // flash-attention FLOP/s
  double expert_tp_ = 1;                 // ranks one routed expert is split over
  double verify_tokens_ = 1;             // positions verified per decode sequence (k + 1)
};

// Returns the fraction of the HBM rate a weight-only int4 GEMM reaches when
// bandwidth-bound under `engine` (1 for other formats).
double WeightOnlyBandwidthFactor(const EngineSpec& engine, Precision weights);

}  // namespace suanli
