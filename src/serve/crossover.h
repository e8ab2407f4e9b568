// Where one accelerator overtakes another: per-device decode throughput
// against the decode batch for a model (the H20 leads an H800 at batch 1 on
// memory bandwidth and falls behind as the batch grows on compute), the
// prefill speed ratio, and which wins per card and per unit of money.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "model/cluster.h"
#include "model/perf_assumptions.h"
#include "serve/engine.h"
#include "serve/iteration.h"
#include "serve/serving_cost.h"
#include "serve/traffic.h"
#include "workload/model_spec.h"

namespace suanli {

// One accelerator's side of the comparison.
struct CrossoverSide {
  std::string accelerator;
  ServingLayout layout;              // the smallest tp (same on both sides) where the model fits on both
  int max_batch = 0;                 // largest decode batch its KV cache holds at the context (<= engine cap)
  double batch1_tok_s = 0;           // per device, decode at batch 1
  double peak_tok_s = 0;             // per device, decode at max_batch
  double prefill_tok_s = 0;          // per device, a lone prefill of the mean prompt
  std::optional<double> per_mtok;    // cost per million tokens at peak_tok_s (cheaper of rent and buy)
  std::string per_mtok_basis;        // "rent" or "buy"
};

// Two accelerators' decode curves for one model.
struct Crossover {
  CrossoverSide first, second;   // as named
  double context_tokens = 0;     // mean context of a decode step, tokens
  int leader_at_1 = 0;           // 0: first decodes faster at batch 1; 1: second
  int crossover_batch = 0;       // smallest batch where the other one overtakes (0: never up to max_batch)
  std::vector<int> batches;      // the batches compared (powers of two and the caps)
  std::vector<double> first_tok_s, second_tok_s;  // per device at each batch (the KV cap not applied)
};

// Returns the comparison of `first` and `second` for `model` at the traffic's
// mean context (input + output / 2): per-device decode tokens/s = batch /
// step seconds / (tp*pp) at each batch from 1 to the larger of the engine's
// cap and the KV-bounded batches (the iteration's time alone: each side's
// KV cap is reported in max_batch, and its peak is at that cap), the first
// batch where the slower one at batch 1 overtakes, and prefill tokens/s per
// device. Errors
// when the model fits on neither with one tp within both scale-up domains.
Result<Crossover> FindCrossover(const ModelSpec& model, const ClusterSpec& first, const ClusterSpec& second,
                                const EngineSpec& engine, Precision weights, Precision kv,
                                const TrafficSpec& traffic, const PerfAssumptions& assumptions = {});

// Sets each side's cost per million tokens at its peak decode rate from its pricing.
void PriceCrossover(Crossover& crossover, const DevicePricing& first, const DevicePricing& second);

}  // namespace suanli
