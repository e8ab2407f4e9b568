// Short renderings of a parallel layout, a token count and a card price,
// shared by the plan and compare reports. Formatting only.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "plan/compare.h"
#include "workload/parallel.h"

namespace suanli {

// Returns the layout as JSON: tp, pp, dp, cp, ep, vp, micro_batch, global_batch, zero, recompute, expert_tp.
nlohmann::json LayoutJson(const ParallelConfig& layout);
// Returns "tp2 pp4 dp24" (cp, ep and etp1 only when used).
std::string LayoutText(const ParallelConfig& layout);
// Returns a token count for people: "2T", "300B", "15M".
std::string TokensText(double tokens);
// Returns the quote id, supplier and price per card, or null without a price.
nlohmann::json PriceJson(const std::optional<CardPrice>& price);

}  // namespace suanli
