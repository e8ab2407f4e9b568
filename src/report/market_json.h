// JSON of the quote store's answers (`suanli market ... --json`): quotes,
// availability, export rules, listings, price history, FX rates. Formats only.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/date.h"
#include "market/store_check.h"
#include "core/result.h"
#include "market/market.h"
#include "market/listed_prices.h"
#include "market/store.h"

namespace suanli {

// Returns one quote with every field (prices rounded to 6 significant digits).
nlohmann::json QuoteJson(const Quote& quote);

// Returns {"quotes": [...]}: every quote of an export.
nlohmann::json QuotesJson(const std::vector<Quote>& quotes);

// Returns whether a quote may be sold, the deciding rule and the reason.
nlohmann::json AvailabilityJson(const Availability& availability);

// Returns {"where", "message", "hint"} of one error.
nlohmann::json ErrorJson(const Error& error);

// Returns the outcome of an import of `file`: rows, imported, rejected rows.
nlohmann::json ImportJson(const std::string& file, const ImportReport& report);

// Returns {path, ok, schema_version, quotes, fx_rates, problems[]} of `market check`.
nlohmann::json StoreCheckJson(const StoreCheck& check);

// Returns {path, backup_path, quotes_imported, seed_skipped, fx_rates_salvaged} of `market repair`.
nlohmann::json RepairJson(const RepairReport& report);

// Returns a listing: the filter, the currency of `per_card` (one price per
// listed quote, per card), the quotes (each in another currency with `fx`:
// the rate that converted it, its date and the date converted on, when
// `prices` are given)
// and the excluded quotes with reasons.
nlohmann::json QuoteListingJson(const QuoteListing& listing, const std::vector<double>& per_card,
                                const QuoteFilter& filter, const std::string& currency,
                                const std::vector<ListedPrice>& prices = {});

// Returns the price history of `sku`, prices in `currency`.
nlohmann::json PriceHistoryJson(const std::string& sku, const std::string& currency,
                                const std::vector<HistoryPoint>& history);

// Returns {"rates": [...]}: the stored exchange rates.
nlohmann::json FxRatesJson(const std::vector<FxRate>& rates);

// The availability of one SKU through one channel.
using ChannelCheck = std::pair<ChannelTier, Availability>;

// Returns the deciding rule per channel for `sku` sold to `region` on `date`.
nlohmann::json ChannelChecksJson(const std::string& sku, const std::string& region,
                                 const Date& date,
                                 const std::vector<ChannelCheck>& checks);

// Returns {"rules": [...]}: export rules with every field.
// Which rules `market rules` lists: those that name `sku`, cover buyers in
// `region` and are in force on `date`, each when given; out of `total`.
struct RulesScope {
  std::string sku, region;
  std::optional<Date> date;
  size_t total = 0;  // rules in the file
};
// With `scope`: "filter" {sku, region, date; "" = any} and "total" (rules in the file).
nlohmann::json RulesJson(const std::vector<const ExportRule*>& rules, const RulesScope& scope);

}  // namespace suanli
