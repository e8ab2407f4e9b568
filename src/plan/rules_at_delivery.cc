// Export rules at the delivery dates of a quote (plan/rules_at_delivery.h).
#include "plan/rules_at_delivery.h"

#include <fmt/format.h>

#include "core/date.h"
#include "core/i18n.h"
#include "market/quote_filter.h"

namespace suanli {
namespace {

// Returns P(lead <= weeks) under the triangular lead-time distribution
// (min, likely, max) the Monte Carlo draws from (plan/schedule.h).
double TriangularCdf(double min, double mode, double max, double weeks) {
  if (weeks < min) return 0;
  if (weeks >= max) return 1;
  if (max <= min) return weeks >= mode ? 1 : 0;
  if (weeks <= mode && mode > min) return (weeks - min) * (weeks - min) / ((max - min) * (mode - min));
  return 1 - (max - weeks) * (max - weeks) / ((max - min) * (max - mode));
}

}  // namespace

// Drops a leading "<quote id>: " the market puts on its reasons (the planner
// names the quote itself).
std::string StripQuoteId(const std::string& reason, const std::string& id, const std::string& sku) {
  std::string out = reason;
  for (const std::string& name : {id, sku}) {
    for (const std::string& prefix : {name + ": ", TrFormat("{}: {}", name, "")}) {
      if (out.rfind(prefix, 0) == 0) out = out.substr(prefix.size());
    }
  }
  return out;
}

// Applies the export rules at the delivery dates too (a rule in force at
// delivery stops the cards at the border even when the order was allowed):
// blocked when the likely delivery falls under a rule, warned when only part
// of the lead-time range (min..max) does, with the share of deliveries that
// would be stopped: the triangular lead time's probability summed over the
// delivery days under a rule (a lead of w weeks delivers on day ceil(7w),
// AddDays). The planner drops a quote whose share exceeds what the deadline
// percentile tolerates (plan.cc).
void CheckRulesAtDelivery(const std::vector<ExportRule>& rules, const Quote& q, const Scenario& scenario,
                          PlanQuote& p) {
  if (!p.allowed || p.mode == BuyMode::kRent) return;
  const BuyerPolicy buyer{scenario.buyer.region, scenario.buyer.tier, scenario.buyer.allow_grey_market, false};
  const auto at = [&](double weeks) {
    return ExportVerdictOn(rules, q, buyer, AddDays(scenario.buyer.date, WeeksToDays(weeks)));
  };
  const Availability likely = at(q.lead_weeks_likely);
  if (!likely.allowed) {
    p.allowed = false;
    p.blocked_category = "rule";
    p.blocked_reason = TrFormat("at the likely delivery {} (ordered {}): {}",
                                   FormatDate(AddDays(scenario.buyer.date, WeeksToDays(q.lead_weeks_likely))),
                                   FormatDate(scenario.buyer.date), StripQuoteId(likely.reason_text, q.id, q.sku));
    return;
  }
  const int first_day = AddDays(Date{0}, WeeksToDays(q.lead_weeks_min)).days;
  const int last_day = AddDays(Date{0}, WeeksToDays(q.lead_weeks_max)).days;
  const auto cdf = [&](double days) {
    return TriangularCdf(q.lead_weeks_min, q.lead_weeks_likely, q.lead_weeks_max, DaysToWeeks(days));
  };
  double share = 0;
  int first_blocked = -1;
  std::string reason;
  for (int day = first_day; day <= last_day; ++day) {
    const Availability verdict = ExportVerdictOn(rules, q, buyer, Date{scenario.buyer.date.days + day});
    if (verdict.allowed) continue;
    // Leads in (day - 1, day] days deliver on `day`.
    share += cdf(day) - cdf(day - 1);
    if (first_blocked < 0) {
      first_blocked = day;
      reason = StripQuoteId(verdict.reason_text, q.id, q.sku);
    }
  }
  if (first_blocked < 0) return;
  p.rule_blocked_share = share;
  const std::string straddle = TrFormat(
      "lead-time range straddles an export rule: {:.0f}% of deliveries (triangular lead time) would fall on "
      "or after {} (lead over {:.1f} weeks) and be blocked ({})",
      100 * share, FormatDate(Date{scenario.buyer.date.days + first_blocked}), DaysToWeeks(first_blocked - 1),
      reason);
  p.warning = p.warning.empty() ? straddle : TrFormat("{}; {}", p.warning, straddle);
}

}  // namespace suanli
