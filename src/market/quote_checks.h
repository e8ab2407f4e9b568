// What a quote must pass to enter a quote store (`market add`, `market
// import`) beyond its own values (ValidateQuote): a supplier that names
// someone, an id of a sensible length, a currency the FX table converts to
// every report currency, an observation date neither in the future nor
// before the product existed. Readers of a store are tolerant instead: a row
// whose currency cannot be converted is skipped with a note naming it and
// the fix (docs/market.md "Bad rows in a store").
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/result.h"
#include "market/market.h"

namespace suanli {

// Longest supplier name accepted for a new quote, in bytes of UTF-8.
constexpr size_t kMaxSupplierBytes = 120;
// Longest quote id accepted for a new quote, in bytes.
constexpr size_t kMaxQuoteIdBytes = 128;
// Characters of the supplier that a derived quote id keeps (SKU-DATE-SUPPLIER).
constexpr size_t kIdSupplierChars = 40;
// Calendar years before the catalog's release year in which a quote may be
// observed: pre-orders, sampling prices and reported deals come before volume
// shipments (the WSJ's Ascend 910C deal of Aug 2024, shipping 2025). The
// catalog gives a year only, so a check by year would refuse them.
constexpr int kPreReleaseQuoteYears = 1;

// Returns the currencies reports are given in (plan, compare, market list): CNY, USD.
const std::vector<std::string>& ReportCurrencies();

// What a new quote is checked against; an unset member skips its check.
struct NewQuoteContext {
  const FxTable* fx = nullptr;    // the currency must convert to every report currency
  std::optional<Date> today;      // `observed` must not be after it
  std::function<std::optional<int>(std::string_view sku)> release_year;  // the catalog's year, nullopt unknown
  std::string db_flag;            // " --db PATH" of the store, put in the commands of hints (DbFlag); "" = default store
};

// Returns an error (field "currency", the known currencies and the `market fx
// add` fix in the hint, with `db_flag` after the verb) when `quote`'s
// currency does not convert to every report currency with `fx`.
Status CheckQuoteCurrency(const Quote& quote, const FxTable& fx, const std::string& where,
                          const std::string& db_flag = "");

// Checks `quote` as a new store row: supplier non-empty and at most
// kMaxSupplierBytes, id at most kMaxQuoteIdBytes, the currency, `observed`
// not after `today` and not before 1 January of the SKU's release year less
// kPreReleaseQuoteYears. `where` prefixes
// the field in errors ("" gives the bare field, as ValidateQuote).
Status CheckNewQuote(const Quote& quote, const NewQuoteContext& context, const std::string& where);

// Returns the default id of a quote: SKU-OBSERVED-SUPPLIER, the supplier
// normalised and cut to kIdSupplierChars.
std::string DefaultQuoteId(const Quote& quote);

// The rows of a store a reader can use, and a note for each it skipped.
struct ConvertibleQuotes {
  std::vector<Quote> quotes;          // rows whose currency converts to the reader's currency
  std::vector<std::string> skipped;   // "quote ID in STORE skipped: ...; fix: suanli market fx add ..."
};

// Returns `quotes` without the rows whose currency has no rate to `currency`
// in `fx`, each named in `skipped` with the fix (add the rate), so one bad
// row does not stop a reader of the store at `store`.
ConvertibleQuotes DropUnconvertible(std::vector<Quote> quotes, const FxTable& fx, const std::string& currency,
                                    const std::string& store);

// How far from the median of the other quotes of its card a per-card price
// may be before `market import` and `market add` warn (3×, or below 1/3):
// a server price typed as a card price is 4-10× the cards' quotes.
constexpr double kPriceOutlierFactor = 3.0;

// Returns one warning (current language) per quote of `ids` whose price per
// card is above kPriceOutlierFactor × or below 1/kPriceOutlierFactor of the
// median per-card price of the other quotes in `quotes` it compares with:
// purchases of the same SKU and condition, or rentals of the same SKU per
// card-hour (a server-month over its cards and 730 hours), each converted to
// the quote's currency on its own observation date; the warning names the
// quote, the median and the likely cause (unit, cards_per_unit, an instance's
// hourly price typed per card); none for a quote without others to compare
// with. n log n in the quotes (an import of 200,000 rows checks them all).
std::vector<std::string> PriceOutlierWarnings(const std::vector<Quote>& quotes, const std::vector<std::string>& ids,
                                              const FxTable& fx);

}  // namespace suanli
