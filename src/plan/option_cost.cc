// The cost of a mix (plan/option_cost.h).
#include "plan/option_cost.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "core/date.h"
#include "market/costs.h"
#include "plan/plan_text.h"

namespace suanli {

OwnedPurchase OwnedTerms(const PlanQuote& q, double tdp_w) {
  OwnedPurchase p;
  p.unit_price = q.unit_price;
  p.server_unit = q.unit == QuoteUnit::kServer;
  p.cards_per_unit = q.cards_per_unit;
  p.bundle_amount = q.bundle_amount;
  p.bundle_fraction = q.bundle_fraction;
  p.used = q.condition != Condition::kNew;
  p.warranty_months = q.warranty_months;
  p.card_price = PerCardPrice(q);
  p.tdp_w = tdp_w;
  return p;
}

CostBreakdown PriceMix(const Candidate& mix, const PlanAccelerator& accel, const PlanCosts& k, bool staged,
                       double finish_days, const std::string& currency, std::vector<std::string>& notes) {
  CostBreakdown cost;
  double common_start = 0;
  for (const auto& [q, cards] : mix.parts) {
    common_start = std::max(common_start, WeeksToDays(q->lead_weeks_likely) + SetupDaysOf(*q, k));
  }
  for (const auto& [q, cards] : mix.parts) {
    const double delivered = WeeksToDays(q->lead_weeks_likely);
    const double run_from = staged ? delivered + SetupDaysOf(*q, k) : common_start;
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
    // The ownership model shared with `serve` (market/costs.h), held from
    // delivery to the end of the job and powered while it runs.
    OwnedPurchase own = OwnedTerms(*q, accel.tdp_w);
    own.cards = cards;
    own.held_days = std::max(0.0, finish_days - delivered);
    own.run_days = run_days;
    const OwnershipCost owned = CostOfOwning(own, k);
    const double purchase = owned.purchase;
    cost.purchase += owned.purchase;
    cost.bundle += owned.bundle;
    cost.servers += owned.servers;
    cost.power += owned.power;
    cost.hosting += owned.hosting;
    cost.replacement_risk += owned.replacement_risk;
    cost.residual += owned.residual;
    // Cards paid for and stopped at the border by an export rule (the share
    // of deliveries on a stopped day): the purchase and its bundle are lost.
    cost.rule_stop_loss += q->rule_blocked_share * (owned.purchase + owned.bundle);
    if (own.used && own.warranty_months < own.held_days / kDaysPerMonth) {
      notes.push_back(TrFormat(
          "{}: {} cards{}: expected replacements over the months held priced in ({:g}%/year failures = {} "
          "per card-month held)",
          q->id, ConditionName(q->condition), Tr(q->warranty_months == 0 ? " without warranty" : " with short warranty"),
          100 * k.used_annual_failure_rate,
          FormatMoney(ExpectedReplacementCost(1, PerCardPrice(*q), k.used_annual_failure_rate, 1, 0), currency)));
    }
    if (q->bundle_amount > 0 || q->bundle_fraction > 0) {
      notes.push_back(TrFormat("{}: bundled purchase required ({})", q->id,
                                    FormatMoney(q->bundle_amount + q->bundle_fraction * purchase,
                                          currency)));
    }
    if (!q->payment.empty()) notes.push_back(TrFormat("{}: payment {}", q->id, q->payment));
    if (!q->warning.empty()) notes.push_back(fmt::format("{}: {}", q->id, q->warning));
  }
  cost.cash = cost.purchase + cost.bundle + cost.servers + cost.power + cost.hosting +
              cost.replacement_risk + cost.rule_stop_loss + cost.rental;
  cost.total = cost.cash - cost.residual;
  return cost;
}

}  // namespace suanli
