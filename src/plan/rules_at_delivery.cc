// Export rules at the delivery dates of a quote (plan/rules_at_delivery.h).
#include "plan/rules_at_delivery.h"

#include <algorithm>
#include <cmath>

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

// The day (after the order) a lead of `weeks` delivers on: the calendar day
// that contains the moment the lead ends, floor(7 × weeks), so a 3.0-week
// lead ordered on 10-01 arrives on 10-22 and a 3.1-week one (21.7 days)
// still on 10-22. A delivery on a rule's effective date falls under the rule
// (the rule binds from the start of that day).
int DeliveryDay(double weeks) { return static_cast<int>(std::floor(WeeksToDays(weeks) + 1e-9)); }

bool QuoteStopsDelivery(const PlanQuote& q, double lead_weeks) {
  if (q.rule_stopped_days.empty()) return false;
  return std::binary_search(q.rule_stopped_days.begin(), q.rule_stopped_days.end(), DeliveryDay(lead_weeks));
}

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
// delivery days under a rule (a lead of w weeks delivers on day floor(7w),
// DeliveryDay; delivered on the effective date = blocked). The planner drops a
// quote whose share exceeds what the deadline percentile tolerates (plan.cc),
// and its Monte Carlo never finishes a draw delivered on a stopped day.
void CheckRulesAtDelivery(const std::vector<ExportRule>& rules, const Quote& q, const Scenario& scenario,
                          PlanQuote& p) {
  if (!p.allowed || p.mode == BuyMode::kRent) return;
  const BuyerPolicy buyer{scenario.buyer.region, scenario.buyer.tier, scenario.buyer.allow_grey_market,
                          scenario.buyer.licences};
  const Date likely_date{scenario.buyer.date.days + DeliveryDay(q.lead_weeks_likely)};
  const Availability likely = ExportVerdictOn(rules, q, buyer, likely_date);
  if (!likely.allowed) {
    p.allowed = false;
    p.blocked_category = "rule";
    p.blocked_reason = TrFormat("at the likely delivery {} (ordered {}): {}", FormatDate(likely_date),
                                FormatDate(scenario.buyer.date), StripQuoteId(likely.reason_text, q.id, q.sku));
    return;
  }
  const int first_day = DeliveryDay(q.lead_weeks_min);
  const int last_day = DeliveryDay(q.lead_weeks_max);
  const auto cdf = [&](double days) {
    return TriangularCdf(q.lead_weeks_min, q.lead_weeks_likely, q.lead_weeks_max, DaysToWeeks(days));
  };
  double share = 0;
  std::vector<int> stopped;
  int first_blocked = -1;
  std::string reason;
  for (int day = first_day; day <= last_day; ++day) {
    const Availability verdict = ExportVerdictOn(rules, q, buyer, Date{scenario.buyer.date.days + day});
    if (verdict.allowed) continue;
    // Leads in [day, day + 1) days deliver on `day`.
    share += cdf(day + 1) - cdf(day);
    stopped.push_back(day);
    if (first_blocked < 0) {
      first_blocked = day;
      reason = StripQuoteId(verdict.reason_text, q.id, q.sku);
    }
  }
  // A range that only touches the rule's date at its end (max lead exactly
  // on it) stops no delivery with any probability.
  if (first_blocked < 0 || share <= 1e-12) return;
  p.rule_blocked_share = share;
  p.rule_stopped_days = std::move(stopped);
  const std::string straddle = TrFormat(
      "lead-time range straddles an export rule: {:.0f}% of deliveries (triangular lead time) would fall on "
      "or after {} (a lead of {} days, {:.2f} weeks, or more) and be blocked ({})",
      100 * share, FormatDate(Date{scenario.buyer.date.days + first_blocked}), first_blocked,
      DaysToWeeks(first_blocked), reason);
  p.warning = p.warning.empty() ? straddle : TrFormat("{}; {}", p.warning, straddle);
}

}  // namespace suanli
