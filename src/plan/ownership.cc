// Owning against renting over the ownership horizon (plan/ownership.h).
#include "plan/ownership.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "core/date.h"
#include "market/costs.h"
#include "plan/market_adapter.h"
#include "plan/mixes.h"
#include "plan/option_cost.h"
#include "plan/plan_text.h"

namespace suanli {
namespace {

constexpr double kHoursPerYear = 24.0 * kDaysPerMonth * kMonthsPerYear;

}  // namespace

std::optional<BreakEven> OwnVersusRent(const PlanOptionResult& buy, const std::vector<PlanQuote>& quotes,
                                       const PlanCosts& k, const PlanAccelerator& accel) {
  if (buy.mode != BuyMode::kBuy || buy.mix.empty() || buy.gpus <= 0) return std::nullopt;
  const PlanQuote* own = nullptr;
  const PlanQuote* rent = nullptr;
  for (const PlanQuote& q : quotes) {
    if (q.id == buy.mix.front().quote_id) own = &q;
    if (q.sku != buy.accelerator || q.mode != BuyMode::kRent || !q.allowed) continue;
    if (rent == nullptr || RentPerCardHour(q) < RentPerCardHour(*rent)) rent = &q;
  }
  if (own == nullptr || rent == nullptr) return std::nullopt;
  BreakEven b;
  b.accelerator = buy.accelerator;
  // The option cost's ownership terms (plan/option_cost.h OwnedTerms,
  // market/costs.h CostOfOwning) for the option's cards from that quote held
  // over the whole horizon: purchase, bundle, host servers and network,
  // hosting, replacements past the warranty (used or new), less the resale value.
  // Power is left out here (run_days 0): it is paid per hour worked.
  const double years = k.ownership_years;
  OwnedPurchase terms = OwnedTerms(*own, accel);
  terms.cards = std::max(1, buy.mix.front().cards);
  terms.held_days = years * kMonthsPerYear * kDaysPerMonth;
  terms.run_days = 0;
  terms.resale_card_price = MarketCardPrice(*own, quotes);  // resold at the market's price (plan/mixes.h)
  const OwnershipCost owned = CostOfOwning(terms, k);
  const double cards = terms.cards;
  b.own_capex_per_card = (owned.purchase + owned.bundle + owned.servers) / cards;
  b.own_replacement_per_card = owned.replacement_risk / cards;
  b.own_fixed_per_card = owned.Total() / cards;
  b.own_power_per_hour = PowerCost(accel.tdp_w, 1, 1.0, k.pue, k.power_price_per_kwh);
  b.rent_per_card_hour = RentPerCardHour(*rent);
  const double used_hours = std::max(1e-9, k.utilisation) * years * kHoursPerYear;
  b.own_per_used_hour = b.own_fixed_per_card / used_hours + b.own_power_per_hour;
  // own_fixed / (u * H * hours) + power = rent  =>  u = own_fixed / (H * hours * (rent - power)).
  const double margin = b.rent_per_card_hour - b.own_power_per_hour;
  b.break_even_utilisation =
      margin > 0 ? b.own_fixed_per_card / (years * kHoursPerYear * margin) : std::numeric_limits<double>::infinity();
  return b;
}

std::string BreakEvenText(const BreakEven& b, const PlanCosts& k, const std::string& currency) {
  const std::string verdict =
      b.break_even_utilisation > 1
          ? TrFormat("renting stays cheaper even at 100% utilisation over {:g} years", k.ownership_years)
          : TrFormat("owning beats renting above {:.0f}% utilisation", 100 * b.break_even_utilisation);
  return TrFormat(
      "own vs rent over {:g} years (costs.ownership_years) at {:.0f}% utilisation (costs.utilisation): an "
      "owned {} costs {:.2f} {} per used card-hour (capex {} per card, resale {:.0f}% after {:g} years, "
      "hosting and power included{}) vs {:.2f} {} to rent: {}",
      k.ownership_years, 100 * k.utilisation, b.accelerator, b.own_per_used_hour, currency,
      FormatMoney(b.own_capex_per_card, currency), 100 * ResaleFraction(k, k.ownership_years), k.ownership_years,
      b.own_replacement_per_card > 0
          ? TrFormat(", replacements past the warranty {} per card", FormatMoney(b.own_replacement_per_card, currency))
          : std::string(),
      b.rent_per_card_hour, currency, verdict);
}

}  // namespace suanli
