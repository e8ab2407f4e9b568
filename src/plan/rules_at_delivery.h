// Export rules at the delivery dates of a purchase quote: a rule in force at
// the likely delivery blocks the quote, one that only part of the lead-time
// range falls under is a warning with the share of deliveries it would stop.
#pragma once

#include <string>
#include <vector>

#include "market/market.h"
#include "plan/plan.h"
#include "plan/scenario.h"

namespace suanli {

// Returns `reason` without a leading "<quote id>: " or "<sku>: " (the planner
// names the quote itself).
std::string StripQuoteId(const std::string& reason, const std::string& id, const std::string& sku);

// Checks the export rules at the delivery dates of `q` for the scenario's
// buyer and updates `p`: blocked (allowed, blocked_category, blocked_reason)
// when the likely delivery falls under a rule; else, when part of the
// min..max range does, rule_blocked_share and a warning. Rentals are skipped;
// rule_stopped_days lists the delivery days the rule stops.
void CheckRulesAtDelivery(const std::vector<ExportRule>& rules, const Quote& q, const Scenario& scenario,
                          PlanQuote& p);

// Returns the day after the order on which a lead of `weeks` delivers: the
// calendar day that holds the moment the lead ends, floor(7 × weeks).
int DeliveryDay(double weeks);

// Returns true when a delivery of `q` after a lead of `lead_weeks` falls on
// a day an export rule stops (q.rule_stopped_days): that draw never finishes.
bool QuoteStopsDelivery(const PlanQuote& q, double lead_weeks);

}  // namespace suanli
