// Terminal text of the quote store's answers (`suanli market ...`): tables of
// quotes, price history, FX rates and export rules, and one-line confirmations.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "market/market.h"
#include "market/listed_prices.h"
#include "market/store.h"
#include "market/store_check.h"
#include "report/market_json.h"
#include "report/table.h"

namespace suanli {

// Returns "market check: PATH ok|damaged" with the counts and one line per problem.
std::string StoreCheckText(const StoreCheck& check);

// Returns what `market repair` rebuilt: path, backup, quotes and FX rates kept.
std::string RepairText(const RepairReport& report);

// Returns "imported N quotes from FILE into PATH\n" (and the seed rows skipped).
std::string ImportedText(const std::string& file, const ImportReport& report, const std::string& store_path);

// Returns "added quote ID (SKU PRICE CUR per UNIT) to PATH\n".
std::string AddedQuoteText(const Quote& quote, const std::string& store_path);

// Returns "added 1 FROM = RATE TO on DATE to PATH\n".
std::string AddedFxText(const FxRate& rate, const std::string& store_path);

// Returns every field of the listed quotes, one column per field as the
// quote files name them (plain numbers: CSV reads them; quantity_available
// counts cards), then the price per card in `currency`, what it is per, the
// FX rate, its date and source, and the note (--format csv|md|json).
TextTable QuoteListingTable(const QuoteListing& listing, const std::vector<ListedPrice>& prices,
                            const std::string& currency);
// Returns the line under a listing that says which FX rates converted its
// prices to `currency`: on `as_of` (the rates, as plan converts on the
// buyer's date), else on each quote's observation date; "" when every
// listed quote is in `currency`.
std::string ListingFxText(const QuoteListing& listing, const std::vector<ListedPrice>& prices,
                          const std::string& currency, std::optional<Date> as_of);
// Returns the price history rows of one SKU, prices per card in `currency`;
// the quote's unit and supplier only with `all_fields` (the terminal lists
// suppliers under the table).
TextTable PriceHistoryTable(const std::string& currency, const std::vector<HistoryPoint>& history,
                            bool all_fields = true);
// Returns the price history rows for `--format csv`: plain numbers at full
// precision (no separators, no rounding), the price per unit as quoted
// (price_CUR, a server's whole price) and per card (price_per_card_CUR, with
// `per`), cards_per_unit, lead_weeks_likely and estimate (true/false).
TextTable PriceHistoryCsvTable(const std::string& currency, const std::vector<HistoryPoint>& history);
// Returns the stored exchange rates, one row each.
TextTable FxRatesTable(const std::vector<FxRate>& rates);

// Returns the listing for the terminal: a narrow table per SKU (per-card prices in `currency`, one per listed
// quote; stock in cards), the counts, `fx_note` (ListingFxText) and, with
// `show_excluded`, why each quote was excluded.
std::string QuoteListingText(const QuoteListing& listing, const std::vector<double>& per_card,
                             const std::string& currency, bool show_excluded, const std::string& fx_note = "");

// Returns the price history table of `sku`, prices in `currency`.
std::string PriceHistoryText(const std::string& sku, const std::string& currency,
                             const std::vector<HistoryPoint>& history);

// Returns the table of stored exchange rates.
std::string FxRatesText(const std::vector<FxRate>& rates);

// Returns the deciding rule per channel, one row each (--format csv|md|json).
TextTable ChannelChecksTable(const std::vector<ChannelCheck>& checks);
// Returns the deciding rule per channel for `sku` sold to `region` on `date`.
std::string ChannelChecksText(const std::string& sku, const std::string& region, const Date& date,
                              const std::vector<ChannelCheck>& checks);

// Returns the first line of `market rules`: how many of the file's rules are
// listed and for which buyer, e.g. "14 of 17 rules apply to buyers in CN".
std::string RulesCountLine(size_t shown, const RulesScope& scope);
// Returns every field of the rules, one row each (--format csv|md|json).
TextTable RulesTable(const std::vector<const ExportRule*>& rules);
// Returns the rules for the terminal: the count line, a table, a summary per rule.
std::string RulesText(const std::vector<const ExportRule*>& rules, const RulesScope& scope);

}  // namespace suanli
