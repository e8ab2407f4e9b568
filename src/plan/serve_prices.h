// Prices for `suanli serve`: per accelerator the cheapest rental and purchase
// on offer to a buyer (region, date, currency) from the seed market, with
// the regional running costs, through the planner's market view
// (plan/market_adapter.h), so serve and plan price cards the same way.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "core/date.h"
#include "core/result.h"
#include "market/quote_filter.h"
#include "serve/serving_cost.h"

namespace suanli {

// The buyer whose prices apply.
struct ServeBuyer {
  std::string region = "CN";     // ISO code (market/region.h)
  std::optional<Date> date;      // nullopt: the newest observation date of a seed quote serving `region`
  std::string currency = "CNY";  // CNY | USD
  double own_years = 3;          // years a bought fleet is kept and serves (resold at the end)
  int max_quote_age_days = 0;    // a quote without valid_until older than this is stale; 0 = the planner's 92
  // Ids of licence-required export rules the buyer holds a licence under
  // (--licence); LoadServePrices refuses an unknown id or a ban (CheckLicences).
  std::vector<std::string> licences;
};

// Every accelerator's pricing and the assumptions behind it.
struct ServePrices {
  Date date;                                       // the date the quotes apply on
  bool date_defaulted = false;                     // no --date: the newest date of a seed quote serving the region
  std::string region, currency;
  std::map<std::string, DevicePricing> by_accelerator;  // accelerator id -> pricing (every catalog accelerator)
  std::vector<std::string> notes;                  // the market's notes (current language)
  std::string costs_region;                        // the region whose running-cost defaults applied ("" = base)
  int max_quote_age_days = 0;                      // quotes without valid_until older than this are stale
  // Why an accelerator has no rental (purchase) on offer, for those without
  // one: its quotes of that kind counted by the check that refused them
  // (market/quote_filter.h ExplainNoUsableQuote), e.g. "3 quotes stale (...)".
  std::map<std::string, ReasonText> no_rent_reason, no_buy_reason;
};

// Returns the prices for `buyer`: of the seed quotes on offer on the date
// (the planner's checks, market/quote_filter.h CheckQuoteUse: export rules,
// region and tier, expiry, stale after kDefaultMaxQuoteAgeDays without
// valid_until, grey market excluded; the latest observation per supplier,
// SKU, unit and condition; a rule in force at the likely delivery; the
// buyer's licences lifting their rules) the cheapest
// rent per card-hour and purchase per card, in the buyer's currency, with
// data/market/costs.yaml's regional power, PUE, hosting and server defaults.
// Errors: a licence that names no licence-required rule (field "--licence").
Result<ServePrices> LoadServePrices(const Catalog& catalog, const ServeBuyer& buyer);

}  // namespace suanli
