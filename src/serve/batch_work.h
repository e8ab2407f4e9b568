// The work of one engine iteration (prefill chunks and decode tokens) and the
// interface that prices it: the simulator's only view of the hardware.
#pragma once

namespace suanli {

// What one iteration of a continuous-batching engine computes.
struct BatchWork {
  double prefill_tokens = 0;           // prompt tokens computed this iteration
  double prefill_attention_pairs = 0;  // causal (query, key) pairs of the prefill chunks, layer-averaged
  int prefill_seqs = 0;                // sequences with a prefill chunk
  int decode_seqs = 0;                 // sequences generating one token each
  double decode_context_tokens = 0;    // sum of the keys the decode sequences attend, layer-averaged (KV read)
  // With sliding-window layers both attention figures are layer averages, a
  // sliding layer counting at most the window (model/memory.h KvWindow::Keys,
  // CausalPairs); without, they are the plain contexts and causal pairs.
};

// Prices an iteration: returns its latency in seconds.
class IterationCost {
 public:
  virtual ~IterationCost() = default;
  // Returns the seconds from the iteration's start to its sampled tokens.
  virtual double Seconds(const BatchWork& work) const = 0;
};

}  // namespace suanli
