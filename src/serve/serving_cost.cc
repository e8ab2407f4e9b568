// Serving cost per million output tokens (serve/serving_cost.h).
#include "serve/serving_cost.h"

#include <algorithm>

namespace suanli {
namespace {

constexpr double kHoursPerYear = 8766.0;   // 365.25 days x 24 h
constexpr double kHoursPerMonth = 730.5;   // kHoursPerYear / 12

}  // namespace

std::optional<double> ServingCost::Best() const {
  if (rented_per_mtok && bought_per_mtok) return std::min(*rented_per_mtok, *bought_per_mtok);
  return rented_per_mtok ? rented_per_mtok : bought_per_mtok;
}

std::string ServingCost::BestBasis() const {
  if (rented_per_mtok && (!bought_per_mtok || *rented_per_mtok <= *bought_per_mtok)) return "rent";
  return bought_per_mtok ? "buy" : "";
}

std::optional<double> OwnedCardHour(const DevicePricing& p) {
  if (!p.buy_per_card) return std::nullopt;
  const double capex = *p.buy_per_card + p.server_share_per_card;
  const double amortised = capex / (std::max(0.1, p.amortize_years) * kHoursPerYear);
  const double hosting = p.hosting_per_card_month / kHoursPerMonth;
  const double power = p.tdp_w / 1000.0 * p.pue * p.power_price_per_kwh;
  return amortised + hosting + power;
}

ServingCost FleetCost(const DevicePricing& p, int devices, double output_tokens_per_s) {
  ServingCost cost;
  const double mtok_per_hour = output_tokens_per_s * 3600.0 / 1e6;
  if (p.rent_per_card_hour) cost.rented_per_hour = devices * *p.rent_per_card_hour;
  if (const auto owned = OwnedCardHour(p)) cost.bought_per_hour = devices * *owned;
  if (mtok_per_hour > 0) {
    if (cost.rented_per_hour) cost.rented_per_mtok = *cost.rented_per_hour / mtok_per_hour;
    if (cost.bought_per_hour) cost.bought_per_mtok = *cost.bought_per_hour / mtok_per_hour;
  }
  return cost;
}

}  // namespace suanli
