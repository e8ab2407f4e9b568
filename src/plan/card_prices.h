// The card prices of `suanli compare`: the cheapest purchase quote per card
// a buyer may use on a date, from the seed market and (with --db) the
// buyer's own quote store, with the planner's quote checks; whether an
// export rule stops the buyer buying a card at all; why a card has no price.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "catalog/catalog.h"
#include "core/result.h"
#include "market/market.h"
#include "market/quote_filter.h"
#include "plan/compare.h"

namespace suanli {

// Whose prices, on which day, from which quotes.
struct CardPriceOptions {
  std::optional<Date> date;      // the buyer's date; nullopt: the newest quote's observation date
  std::string region = "CN";     // buyer region (export rules, supplier regions)
  std::string tier = "enterprise";  // buyer tier
  std::string currency = "CNY";  // report currency
  int max_quote_age_days = kDefaultMaxQuoteAgeDays;  // a quote without valid_until older than this is stale
  std::string store;             // SQLite quote store (`market --db`) read besides the seed; "" = seed only
  std::string store_flag = "--db";  // the flag that named `store`, for errors
  // Ids of licence-required export rules the buyer holds a licence under
  // (--licence), checked against the rules (CheckLicences: an unknown id or a
  // ban is an error naming licence_flag).
  std::vector<std::string> licences;
  std::string licence_flag = "--licence";  // the flag that named `licences`, for errors
  // The catalog whose usual servers set the host server and network of loose
  // cards (PlanAcceleratorOf); null = baseboard servers, one 400 Gb/s port per card.
  const Catalog* catalog = nullptr;
};

// The price lookups of `compare` and the day they price on.
struct CardPrices {
  // The usable purchase quote that supplies a count of cards for the least
  // money (whole servers billed, stock and minimum order), or nullopt.
  CardPriceFn price;
  // Why an accelerator has no price for a count of cards: the stock or
  // minimum order of the quotes on offer ("only 50 in stock for 3136
  // cards"), else its purchase quotes counted by the check that refused
  // them (ExplainNoUsableQuote), e.g. "3 quotes stale (...)".
  std::function<ReasonText(const std::string& accelerator, int cards)> why_none;
  // Returns the reason the buyer may not buy the card at all on the date
  // (an export rule covers every channel it buys through, or refuses every
  // purchase quote of the card), or nullopt when it may (a usable quote
  // is never blocked: resale of pre-ban stock is allowed).
  // The reason says whether a licence would lift the rule (BlockedBy::licence_required).
  std::function<std::optional<BlockedBy>(const std::string& accelerator)> blocked;
  // Returns the quote of an id (seed or store), or nullptr.
  std::function<const Quote*(const std::string& id)> quote;
  Date date;                    // the buyer's date every quote is checked on
  bool date_defaulted = false;  // no date given: the newest quote's observation date
  int quotes_seed = 0;          // seed quotes read (less those a store row replaced)
  int quotes_store = 0;         // store quotes read
  std::vector<std::string> notes;  // store rows skipped (no FX rate to the report currency), in words
  std::vector<std::string> licences;  // the licences held, as the rules spell their ids
  double used_annual_failure_rate = 0;  // used cards failing per card-year (the buyer region's costs.yaml)
};

// Returns the price lookups over the seed market and, when options.store is
// set, the store's quotes (a stored quote replaces a seed quote of the same
// id; its FX rates join the seed's) with the planner's quote checks
// (CheckQuoteUse: observed by the date, export rules, grey market, tier,
// region, expiry, staleness; a rule in force at the likely delivery; of one
// supplier's observations the latest), a licence held lifting its rule.
// Errors: a store that is missing or not a suanli database, named by
// options.store_flag; a licence that names no licence-required rule, named
// by options.licence_flag.
Result<CardPrices> MakeCardPrices(const CardPriceOptions& options);

// Sets each card's no_price and blocked reasons in `result` from `prices`,
// the licences held, and the used cards' replacement risk (PriceUsedCardRisk
// at prices.used_annual_failure_rate).
void AttachPriceReasons(const CardPrices& prices, CompareResult& result);

}  // namespace suanli
