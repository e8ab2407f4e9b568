// The planner's view of the market (src/market): quotes from the embedded
// seed, the SQLite store and the scenario, checked against the catalog and
// the export rules on the buyer's date, converted to the buyer's currency;
// cost assumptions with the scenario's overrides.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "core/result.h"
#include "plan/compare.h"
#include "core/date.h"
#include "market/quote_filter.h"
#include "plan/plan.h"
#include "plan/scenario.h"

namespace suanli {

struct PlanMarket {
  std::vector<PlanQuote> quotes;
  int quotes_seed = 0;    // from the embedded seed market
  int quotes_store = 0;   // from the SQLite store
  int quotes_inline = 0;  // from the scenario
  PlanCosts costs;        // market defaults in the buyer's currency + scenario overrides
  std::vector<std::string> notes;  // assumptions in words (FX rates used, ...)
  // Quotes not used (future, stale, expired, superseded) in the scenario's
  // words (market.max_quote_age_days); `plan` prints them, `serve` says per
  // accelerator why it has no price instead.
  std::vector<std::string> drop_notes;
  std::vector<DropGroup> dropped;  // quotes not on offer on the buyer's date, counted by reason
  std::map<std::string, std::string> no_offer;  // SKU -> why none of its quotes is on offer (NoOfferReasons)
};

// Returns the check of whether the scenario's buyer may use a quote on its
// date: region, tier, grey market, staleness (market/quote_filter.h).
QuoteUse QuoteUseOf(const Scenario& scenario);

// Returns the planner's view of quote `q`'s terms in `currency` at `date`
// (prices converted; the export verdict fields left at "allowed"), or an
// error at the quote's price field when no FX rate converts it.
Result<PlanQuote> PlanQuoteTerms(const Quote& q, const FxTable& fx, const std::string& currency, Date date);

// Loads the scenario's market. Errors (unknown SKU, negative price, lead
// min > max, a currency without an FX rate) name the quote's file:line.
Result<PlanMarket> LoadPlanMarket(const Scenario& scenario, const Catalog& catalog);

// Converts `amount` between currencies at `date` with the market's FX table.
Result<double> ConvertMoney(double amount, const std::string& from, const std::string& to,
                            Date date);

// Returns the rent of one card-hour under rental quote `q`, in its
// currency: a gpu-hour price as is, a server-month price over its cards and
// the mean month's hours (core/date.h kDaysPerMonth).
double RentPerCardHour(const PlanQuote& q);

}  // namespace suanli
