// The cost of a mix (plan/option_cost.h).
#include "plan/option_cost.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "core/date.h"
#include "market/costs.h"
#include "plan/plan_text.h"

namespace suanli {

CostBreakdown PriceMix(const Candidate& mix, const PlanAccelerator& accel, const PlanCosts& k, bool staged,
                       double finish_days, const std::string& currency, std::vector<std::string>& notes) {
  CostBreakdown cost;
  double arrival_days = 0;
  for (const auto& part : mix.parts) arrival_days = std::max(arrival_days, WeeksToDays(part.first->lead_weeks_likely));
  const double common_start = arrival_days + k.setup_days;
  for (const auto& [q, cards] : mix.parts) {
    const double delivered = WeeksToDays(q->lead_weeks_likely);
    const double run_from = staged ? delivered + k.setup_days : common_start;
    const double run_days = std::max(0.0, finish_days - run_from);
    if (q->mode == BuyMode::kRent) {
      const double rented_days = std::max(0.0, finish_days - delivered);
      if (q->unit == QuoteUnit::kGpuHour) {
        cost.rental += cards * q->unit_price * DaysToHours(rented_days);
      } else {
        const double units = std::ceil(static_cast<double>(cards) / std::max(1, q->cards_per_unit));
        cost.rental += units * q->unit_price * std::ceil(rented_days / kDaysPerMonth - 1e-9);
      }
      continue;
    }
    double purchase = 0;
    if (q->unit == QuoteUnit::kServer) {
      purchase = std::ceil(static_cast<double>(cards) / std::max(1, q->cards_per_unit)) * q->unit_price;
      cost.servers += cards * k.network_per_card;
    } else {
      purchase = cards * q->unit_price;
      cost.servers += std::ceil(static_cast<double>(cards) / std::max(1, k.node_size)) *
                          k.server_per_node +
                      cards * k.network_per_card;
    }
    cost.purchase += purchase;
    cost.bundle += q->bundle_amount + q->bundle_fraction * purchase;
    cost.power += PowerCost(accel.tdp_w, cards, DaysToHours(run_days), k.pue, k.power_price_per_kwh);
    // Hosting is a rack position per server (data/market/costs.yaml), paid
    // per card slot: whole servers of a server quote, whole nodes of loose
    // cards, so the slots a smaller cluster leaves empty are paid too.
    const int per_server = std::max(1, q->unit == QuoteUnit::kServer ? q->cards_per_unit : k.node_size);
    const double hosted_cards = std::ceil(static_cast<double>(cards) / per_server) * per_server;
    cost.hosting += hosted_cards * k.hosting_per_card_month * std::max(0.0, finish_days - delivered) /
                    kDaysPerMonth;
    // Held from delivery to the end of the job: replacements of used cards
    // and the resale value follow that holding period, not a fixed year.
    const double held_days = std::max(0.0, finish_days - delivered);
    const double held_months = held_days / kDaysPerMonth;
    if (q->condition != Condition::kNew && q->warranty_months < held_months) {
      cost.replacement_risk += ExpectedReplacementCost(cards, CardPrice(*q), k.used_annual_failure_rate,
                                                       held_months, q->warranty_months);
      notes.push_back(TrFormat(
          "{}: {} cards{}: expected replacements over the months held priced in ({:g}%/year failures = {} "
          "per card-month held)",
          q->id, ConditionName(q->condition), Tr(q->warranty_months == 0 ? " without warranty" : " with short warranty"),
          100 * k.used_annual_failure_rate,
          FormatMoney(ExpectedReplacementCost(1, CardPrice(*q), k.used_annual_failure_rate, 1, 0), currency)));
    }
    // Cards and servers resold at the end of the job on the time-based curve.
    const double hardware = purchase + (q->unit == QuoteUnit::kServer
                                            ? 0.0
                                            : std::ceil(static_cast<double>(cards) / std::max(1, k.node_size)) *
                                                  k.server_per_node);
    cost.residual += ResaleFraction(k, held_days / (kDaysPerMonth * kMonthsPerYear)) * hardware;
    if (q->bundle_amount > 0 || q->bundle_fraction > 0) {
      notes.push_back(TrFormat("{}: bundled purchase required ({})", q->id,
                                    FormatMoney(q->bundle_amount + q->bundle_fraction * purchase,
                                          currency)));
    }
    if (!q->payment.empty()) notes.push_back(TrFormat("{}: payment {}", q->id, q->payment));
    if (!q->warning.empty()) notes.push_back(fmt::format("{}: {}", q->id, q->warning));
  }
  cost.total = cost.purchase + cost.bundle + cost.servers + cost.power + cost.hosting +
               cost.replacement_risk - cost.residual + cost.rental;
  return cost;
}

}  // namespace suanli
