#include "report/layout_text.h"

#include <fmt/format.h>

#include "report/json_util.h"

namespace suanli {

using nlohmann::json;

json LayoutJson(const ParallelConfig& l) {
  return json{{"tp", l.tp}, {"pp", l.pp}, {"dp", l.dp}, {"cp", l.cp}, {"ep", l.ep},
              {"vp", l.vp}, {"micro_batch", l.micro_batch}, {"global_batch", l.global_batch},
              {"zero", l.zero}, {"recompute", std::string(RecomputeName(l.recompute))},
              {"expert_tp", l.ExpertTp()}};
}

std::string LayoutText(const ParallelConfig& l) {
  std::string text = fmt::format("tp{} pp{} dp{}", l.tp, l.pp, l.dp);
  if (l.cp > 1) text += fmt::format(" cp{}", l.cp);
  if (l.ep > 1) text += fmt::format(" ep{}", l.ep);
  if (l.ep > 1 && l.ExpertsFoldTp()) text += " etp1";
  return text;
}

std::string TokensText(double tokens) {
  if (tokens >= 1e12) return fmt::format("{:g}T", RoundSig(tokens / 1e12, 4));
  if (tokens >= 1e9) return fmt::format("{:g}B", RoundSig(tokens / 1e9, 4));
  if (tokens >= 1e6) return fmt::format("{:g}M", RoundSig(tokens / 1e6, 4));
  return fmt::format("{:g}", tokens);
}

json PriceJson(const std::optional<CardPrice>& p) {
  if (!p) return nullptr;
  return json{{"quote_id", p->quote_id}, {"supplier", p->supplier},
              {"price_per_card", RoundSig(p->price_per_card)}};
}

}  // namespace suanli
