// Test support shared by the planner's tests: a fake model whose throughput is linear in the cards.
#pragma once

#include <string>

#include "plan/plan.h"

namespace suanli::testing {

// Tokens/s per card of the fake model.
inline constexpr double kRatePerCard = 3000;

// Returns the fake model's throughput on `gpus` cards of any accelerator:
// kRatePerCard per card, always fitting, pure data parallelism.
inline Throughput LinearThroughput(const std::string& /*accelerator*/, int gpus) {
  Throughput t;
  t.fits = true;
  t.tokens_per_s = kRatePerCard * gpus;
  t.layout.dp = gpus;
  return t;
}

}  // namespace suanli::testing
