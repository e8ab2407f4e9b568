// Serving cost per million output tokens (serve/serving_cost.h).
#include "serve/serving_cost.h"

#include <algorithm>
#include <cmath>

#include "core/date.h"

namespace suanli {
std::optional<double> ServingCost::Best() const {
  if (rented_per_mtok && bought_per_mtok) return std::min(*rented_per_mtok, *bought_per_mtok);
  return rented_per_mtok ? rented_per_mtok : bought_per_mtok;
}

std::string ServingCost::BestBasis() const {
  if (rented_per_mtok && (!bought_per_mtok || *rented_per_mtok <= *bought_per_mtok)) return "rent";
  return bought_per_mtok ? "buy" : "";
}

double ServiceDays(const DevicePricing& p) { return std::max(0.1, p.own_years) * kMonthsPerYear * kDaysPerMonth; }

std::optional<OwnershipCost> OwnedFleetCost(const DevicePricing& p, int devices) {
  if (!p.buy_per_card) return std::nullopt;
  OwnedPurchase own = p.buy_terms;
  own.cards = devices;
  own.run_days = ServiceDays(p);
  own.held_days = p.costs.setup_days + own.run_days;  // from delivery: set up, then serve
  return CostOfOwning(own, p.costs);
}

int ServerCards(const DevicePricing& p) {
  return std::max(1, p.buy_terms.server_unit ? p.buy_terms.cards_per_unit : p.costs.node_size);
}

int RentedCards(const DevicePricing& p, int devices) {
  if (!p.rent_per_month) return devices;
  const int unit = std::max(1, p.rent_cards_per_unit);
  return (devices + unit - 1) / unit * unit;
}

std::optional<double> RentalBill(const DevicePricing& p, int devices, double days) {
  if (!p.rent_per_card_hour) return std::nullopt;
  if (!p.rent_per_month) return devices * *p.rent_per_card_hour * DaysToHours(std::max(0.0, days));
  const double units = RentedCards(p, devices) / std::max(1, p.rent_cards_per_unit);
  return units * p.rent_unit_price * std::ceil(std::max(0.0, days) / kDaysPerMonth - 1e-9);
}

ServingCost FleetCost(const DevicePricing& p, int devices, double output_tokens_per_s) {
  ServingCost cost;
  const double mtok_per_hour = output_tokens_per_s * 3600.0 / 1e6;
  // Billed from hand-over: the rental setup, then the service period (plan's rule).
  if (const auto rent = RentalBill(p, devices, p.costs.rental_setup_days + ServiceDays(p))) {
    cost.rented_total = *rent;
    cost.rented_cards = RentedCards(p, devices);
    cost.rented_per_hour = *rent / DaysToHours(ServiceDays(p));
  }
  if (const auto owned = OwnedFleetCost(p, devices)) {
    cost.bought_total = owned->Total();
    cost.bought_per_hour = *cost.bought_total / DaysToHours(ServiceDays(p));
  }
  if (mtok_per_hour > 0) {
    if (cost.rented_per_hour) cost.rented_per_mtok = *cost.rented_per_hour / mtok_per_hour;  // total / period Mtok
    // As the serving planner: the period's cost over the period's tokens.
    const double period_mtok = output_tokens_per_s * ServiceDays(p) * kSecondsPerDay / 1e6;
    if (cost.bought_total) cost.bought_per_mtok = *cost.bought_total / period_mtok;
  }
  return cost;
}

}  // namespace suanli
