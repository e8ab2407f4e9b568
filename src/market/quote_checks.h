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
#include <map>
#include <optional>
#include <string>
#include <utility>
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
  bool check_plausibility = true;  // false (--force): skip the absolute price bounds (PricePlausibilityProblem)
};

// Absolute plausibility bounds in CNY (estimates, docs/market.md "Price
// plausibility"): a purchase (card or server) per card, a rental (gpu-hour or
// server-month) per card-hour. Far outside any real quote in the seed
// (13,500 CNY RTX 4090 to ~340,000 CNY a GB200 GPU; 1-20 USD a card-hour).
struct PlausibleRange {
  double min_cny;  // below: a price typed in 万 (10,000s) or in the wrong unit
  double max_cny;  // above: a server's or a month's price typed as a card's or an hour's
};
constexpr PlausibleRange kPlausiblePurchasePerCardCny{1000, 3000000};
constexpr PlausibleRange kPlausibleRentalPerCardHourCny{0.2, 1000};

// Returns an error naming `where`'s unit_price when the quote's price per
// card (purchase) or per card-hour (rental), converted to CNY at its observed
// date with `fx`, is outside the plausible range for its unit; OK when it is
// inside or does not convert (CheckQuoteCurrency reports that).
Status PricePlausibilityProblem(const Quote& quote, const FxTable& fx, const std::string& where);

// Returns an error (field "currency", the known currencies and the `market fx
// add` fix in the hint, with `db_flag` after the verb) when `quote`'s
// currency does not convert to every report currency with `fx`.
Status CheckQuoteCurrency(const Quote& quote, const FxTable& fx, const std::string& where,
                          const std::string& db_flag = "");

// Checks `quote` as a new store row: supplier non-empty and at most
// kMaxSupplierBytes, id at most kMaxQuoteIdBytes, the currency, `observed`
// not after `today` and not before 1 January of the SKU's release year less
// kPreReleaseQuoteYears, and (unless context.check_plausibility is false)
// a price inside the plausible range (PricePlausibilityProblem). `where` prefixes
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
// Returns PriceOutlierWarnings with the id of the quote each is about, for
// the planner and `compare`, which carry the warning with the quote they price.
std::vector<std::pair<std::string, std::string>> PriceOutliersById(const std::vector<Quote>& quotes,
                                                                   const std::vector<std::string>& ids,
                                                                   const FxTable& fx);

// Returns, per quote of `ids` priced as an outlier (PriceOutliersById) or
// outside the plausible range (PricePlausibilityProblem), the warning in the
// current language: what `plan` and `compare` say beside an option priced
// with that quote (adversary report item 4: it was priced silently).
std::map<std::string, std::string> QuotePriceFlags(const std::vector<Quote>& quotes,
                                                   const std::vector<std::string>& ids, const FxTable& fx);

}  // namespace suanli
