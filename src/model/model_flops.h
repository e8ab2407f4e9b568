// Model FLOPs per token and the matmul parameter counts they are built from.
#pragma once

#include "workload/model_spec.h"

namespace suanli {

// Returns the matmul weights of one attention layer (no biases or norms).
double ParamsAttention(const ModelSpec& model);
// Returns the matmul weights of one dense MLP.
double ParamsDenseMlp(const ModelSpec& model);
// Returns the FFN width of a routed expert, or of a shared expert when `shared`.
double ExpertWidth(const ModelSpec& model, bool shared);
// Returns the number of MLP weight matrices: 3 for gated MLPs, else 2.
double MlpMatrices(const ModelSpec& model);

// Returns training model FLOPs per token (forward + backward, matmuls only,
// no recompute), as docs/perf-model.md defines them.
double ModelFlopsPerToken(const ModelSpec& model, int seq_len);
// Returns the attention core's share of it (scores and values, forward +
// backward, every layer): 6 · K · heads · (d_qk + d_v) FLOPs per token, with K
// from AttendedKeysPerQuery.
double AttentionCoreFlopsPerToken(const ModelSpec& model, int seq_len);
// Returns the keys one query is counted against, summed over the layers: s
// per full-attention layer (no causal halving), min(w, s) per layer with a
// sliding window of w tokens (its band, likewise without the start triangle).
double AttendedKeysPerQuery(const ModelSpec& model, int seq_len);

}  // namespace suanli
