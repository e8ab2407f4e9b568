// Default parallel layouts and the rules that complete a partly given one (dp, sequence length, batch).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/precision.h"
#include "core/result.h"
#include "workload/model_spec.h"
#include "workload/parallel.h"

namespace suanli {

// Largest device count any layout may use (also the bound of each parallel size).
inline constexpr int kMaxDevices = 1 << 20;
// Largest global batch, in sequences.
inline constexpr int kMaxGlobalBatch = 1 << 24;
// Training tokens accepted by --tokens and scenario `tokens`: 1M is a smoke
// test, 1000T about 30x the largest published run.
inline constexpr double kMinTrainingTokens = 1e6;
inline constexpr double kMaxTrainingTokens = 1e15;
// Tokens per optimizer step above which a global batch given in sequences is
// implausible: the largest published pre-training batches are ~60M tokens
// (DeepSeek-V3, arXiv 2412.19437 §4.2: 15,360 sequences × 4,096 = 62.9M;
// Llama 3 405B 16M), so more than 100M in one step is almost surely a count
// of tokens where sequences were asked for.
inline constexpr double kImplausibleStepTokens = 100e6;
// Longest default training sequence, in tokens (the model's own maximum when shorter).
inline constexpr int kDefaultSeqLenCap = 4096;

// A training layout as a user asks for it: the parallel sizes and settings
// given, dp, the global batch and the sequence length possibly left to the defaults.
struct LayoutRequest {
  int tp = 1, pp = 1, cp = 1, ep = 1, vp = 1;
  int expert_tp = 0;                 // 0 or tp = experts split like dense layers; 1 = whole experts
  std::optional<int> dp;             // default: devices / (tp*pp*cp)
  int micro_batch = 1;               // sequences per micro-batch
  std::optional<int> global_batch;   // sequences per step; default: dp * micro_batch * pp (a full pipeline)
  int seq_len = 0;                   // tokens; 0 = DefaultSeqLen(model)
  Recompute recompute = Recompute::kSelective;
  int recompute_layers = 0;          // with full recompute: layers per stage (0 = all)
  int zero = 1;
  Precision precision = Precision::kBf16;
  bool sequence_parallel = true;
  bool dp_overlap = true;
  AttentionKernel attention = AttentionKernel::kFused;
  bool ep_overlap = false;
};

// Returns the default training sequence length in tokens: the model's
// maximum context, capped at kDefaultSeqLenCap (the cap when unknown).
int DefaultSeqLen(const ModelSpec& model);

// Returns the note for a global batch of `sequences` × `seq_len` tokens per
// step above kImplausibleStepTokens, naming `name` (the flag or scenario
// field that counts sequences), or "" when the batch is plausible.
std::string LargeGlobalBatchNote(int64_t sequences, int64_t seq_len, std::string_view name);

// Returns `request` with every parallel size 1 and dp and the global batch
// left to the defaults: the layout-independent settings a search starts from.
LayoutRequest SearchBaseRequest(LayoutRequest request);

// Returns the complete layout of `request` on `devices` devices (defaults
// filled in), checked by ValidateLayout; errors name the violated constraint
// and the flag ("--gpus", "--dp", "--precision").
Result<ParallelConfig> CompleteLayout(const LayoutRequest& request, const ModelSpec& model,
                                      int devices);

}  // namespace suanli
