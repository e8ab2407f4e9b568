// The one answer to "may this buyer use this quote on this date?": observed
// by the date, region, export rules, channel policy, buyer tier, expiry,
// staleness and stock, checked in that order, with a reason category.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "market/market.h"

namespace suanli {

// Default age after which a quote without valid_until is stale (the
// planner's market.max_quote_age_days, compare's and serve's seed prices,
// `market list --as-of`): the seed's article spot quotes count as valid for
// about three months (docs/scenario.md).
constexpr int kDefaultMaxQuoteAgeDays = 92;

// Why a quote is (not) usable; the checks run in this order and the first
// that fails decides.
enum class QuoteCategory {
  kOk,       // usable
  kFlagged,  // usable with a warning (grey market, used stock, licence)
  kFuture,   // observed after the date
  kRegion,   // the supplier does not sell to the buyer's region (before the rules: never on offer to this buyer)
  kRule,     // an export rule blocks it on the date
  kChannel,  // grey-market supply and the buyer does not accept it
  kTier,     // the supplier does not sell to the buyer's tier
  kExpired,  // valid_until is before the date
  kStale,    // no valid_until and observed more than max_quote_age_days before the date
  kStock,    // fewer cards in stock than wanted
  kSuperseded,  // a newer observation of the same supplier, SKU, unit and condition is on offer
                // (SupersededBy; CheckQuoteUse never returns it)
};
// Returns "ok", "flagged", "rule", "channel", "tier", "region", "future",
// "expired", "stale", "stock" or "superseded".
std::string_view QuoteCategoryName(QuoteCategory category);

// Who wants the quote, when, and how strictly.
struct QuoteUse {
  BuyerPolicy buyer;                      // region, tier, grey-market policy and licences held
  bool check_buyer = true;                // false: skip region, rules, channel, tier (no buyer given)
  Date date;                              // decision date
  std::optional<int> max_quote_age_days;  // nullopt: quotes never go stale
  int64_t cards_wanted = 0;               // 0: no stock check
};

// The verdict on one quote.
struct QuoteVerdict {
  QuoteCategory category = QuoteCategory::kOk;
  // allowed/flagged/reason are the verdict's; rule_id/action name the export
  // rule in effect on the date (also when another check decided).
  Availability availability;
  std::string superseded_by;  // id of the newer quote that supersedes this one (ClassifyQuotes), or empty
  // Returns true for kOk and kFlagged.
  bool usable() const { return category == QuoteCategory::kOk || category == QuoteCategory::kFlagged; }
};

// Returns the export-rule verdict alone on `date` (the resale exception for
// used stock included): a rule in force at delivery, not only at the order.
Availability ExportVerdictOn(const std::vector<ExportRule>& rules, const Quote& quote, const BuyerPolicy& buyer,
                             Date date);

// Returns the verdict on `quote` for `use`. Used or refurbished stock sold by
// a reseller or the grey market inside the region is resale of cards imported
// before a ban: allowed, flagged. Tier and region compare case-insensitively.
QuoteVerdict CheckQuoteUse(const std::vector<ExportRule>& rules, const Quote& quote, const QuoteUse& use);

// Returns the key of "the same offer" (docs/market.md): the same supplier,
// SKU, unit and condition, "supplier|sku|unit|condition"; another unit or
// condition is another offer.
std::string SupersedeKey(const Quote& quote);
// Returns, for each of `quotes` in order, the index in `quotes` of the quote
// that supersedes it, or nullopt when none does. A quote is superseded only
// (a) by a quote with the same id entered later (a correction: the larger
// Quote::entry_seq when both come from a store, else the later in `quotes`),
// or (b) by the newest observation of the same offer (SupersedeKey) when that
// was observed on a LATER date. Quotes of one offer observed the same day
// with different ids are different lots and all stay. Give it the quotes on
// offer on the buyer's date (future, expired and stale ones left out,
// blocked ones kept): the planner's rule (plan/market_adapter.cc) and
// `market list`'s.
std::vector<std::optional<size_t>> SupersededBy(const std::vector<const Quote*>& quotes);

// Returns the verdict on each of `quotes` (in order) for the use
// `use_of(quote)` gives: CheckQuoteUse, then of those on offer (future,
// expired and stale ones left out, blocked ones kept) SupersededBy: an
// older observation gets category kSuperseded with the newer one's id in
// `superseded_by`, or, with `keep_superseded`, keeps its own verdict with
// `superseded_by` set. The one classification of `market list`
// (FilterQuotes) and the planner (plan/market_adapter.cc).
std::vector<QuoteVerdict> ClassifyQuotes(const std::vector<ExportRule>& rules, const std::vector<const Quote*>& quotes,
                                         const std::function<QuoteUse(const Quote&)>& use_of,
                                         bool keep_superseded = false);

// One quote and its verdict, for ExplainNoUsableQuote.
struct CheckedQuote {
  const Quote* quote = nullptr;
  QuoteVerdict verdict;
};

// A reason in English (JSON) and in the current language (text).
struct ReasonText {
  std::string english;
  std::string text;
};

// Returns why none of `checked` (one SKU's quotes with their verdicts for
// `use`) may be used, counted per category in the check order, "; "-joined,
// e.g. "3 quotes stale (observed 2024-02-01, 121 days before 2024-06-01;
// limit 92 days)"; quotes observed after the date only when no other reason
// applies; "no quote in the market" when `checked` is empty. Usable
// verdicts are skipped (a caller that drops one for its own reason gives it
// a failing verdict, such as kRule for a rule in force at delivery).
ReasonText ExplainNoUsableQuote(const std::vector<CheckedQuote>& checked, const QuoteUse& use);

}  // namespace suanli
