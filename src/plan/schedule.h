// Finish times: training on cards as they arrive (staged or all at once),
// and the Monte Carlo pieces (triangular lead-time draws, percentiles, seeds).
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

namespace suanli {

// A batch of cards that becomes usable at a time.
struct Batch {
  double ready_days = 0;  // after the buyer's date (delivery + setup)
  int cards = 0;
};

// Returns days after the buyer's date when `tokens` are trained: with
// `staged`, training runs on the cards ready so far and grows at each batch
// (piecewise constant rate); otherwise it starts when all cards are ready.
// `rate` gives tokens/s (already net of failure overhead) for a card count.
double FinishDays(std::vector<Batch> batches, double tokens, bool staged,
                  const std::function<double(int)>& rate);

// Returns a sample of the triangular distribution (min, mode, max) at u in [0,1).
double TriangularSample(double min, double mode, double max, double u);
// Returns the p-quantile (nearest rank) of sorted samples; infinity when empty.
double Percentile(const std::vector<double>& sorted, double p);
// Returns the FNV-1a hash of `text` mixed with `seed` (per-quote random streams).
uint64_t Fnv1a(std::string_view text, uint64_t seed);

}  // namespace suanli
