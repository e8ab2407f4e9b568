// The value checks of one quote (price, currency, dates, lead times,
// fractions, amounts), shared by the quote-file reader and `market add`:
// every problem of a row is collected, each bad field once. Internal to src/market.
#pragma once

#include <algorithm>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "market/market.h"

namespace suanli {

// No supplier promises delivery more than five years out.
constexpr double kMaxLeadWeeks = 260;

// Returns the location of a field of the row: "q.csv:4 unit_price".
using WhereFn = std::function<std::string(std::string_view)>;

// The problems of one quote row: every bad field once, each with its location
// (file:line and the field) from the row's WhereFn.
class QuoteProblems {
 public:
  explicit QuoteProblems(WhereFn where) : where_(std::move(where)) {}
  // Records a failed status under `key` (the first problem of a field only).
  void Add(std::string_view key, const Status& status) {
    if (status.ok() || Bad(key)) return;
    bad_.emplace_back(key);
    errors_.push_back(status.error());
  }
  // Records a problem of `key` with the field's location.
  void Add(std::string_view key, std::string message, std::string hint = {}) {
    Add(key, Status(MakeError(std::move(message), where_(key), std::move(hint))));
  }
  // Returns true when `key` already has a problem (a check of its value would mislead).
  bool Bad(std::string_view key) const { return std::find(bad_.begin(), bad_.end(), key) != bad_.end(); }
  // Returns true when any of `keys` has a problem.
  bool AnyBad(std::initializer_list<std::string_view> keys) const {
    return std::any_of(keys.begin(), keys.end(), [this](std::string_view k) { return Bad(k); });
  }
  // Returns the problems in the order found.
  std::vector<Error>& errors() { return errors_; }

 private:
  WhereFn where_;
  std::vector<std::string> bad_;
  std::vector<Error> errors_;
};

// What a whole-number field of a quote counts, named in its range message.
enum class QuoteCount { kCards, kUnits, kMonths, kDays };

// The range of one whole-number field of a quote (file key, bounds inclusive).
struct QuoteIntRange {
  std::string_view key;  // "quantity_available"
  int min = 0;
  int max = 0;
  QuoteCount counts = QuoteCount::kUnits;
};

// Returns the ranges of the whole-number fields (quantity_available,
// min_order, net_days, warranty_months, cards_per_unit): the one table the
// file reader and `market add` check against.
const std::vector<QuoteIntRange>& QuoteIntRanges();
// Returns the range of `key`; nullptr when `key` is not a whole-number field.
const QuoteIntRange* FindQuoteIntRange(std::string_view key);
// Returns the message of a value `text` outside `range` ("'-5' is not a
// whole number of units from 0 to 10000000").
std::string QuoteIntRangeMessage(const QuoteIntRange& range, std::string_view text);

// Adds to `errors` every value of `q` out of its range, skipping the fields
// that already have a problem (one that did not parse keeps its default):
// CheckStoredQuoteValues' checks, the whole-number ranges, the buyer tiers
// and a gpu-hour price for one card (cards_per_unit 1).
void CheckQuoteValues(const Quote& q, QuoteProblems& errors);
// Adds the checks a stored row is read with: those of rows written before the
// ranges, tiers and the gpu-hour rule (session 21) joined the checks, which
// `market check` reports instead (CheckQuoteValues), so an old row does not
// stop a reader of the store.
void CheckStoredQuoteValues(const Quote& q, QuoteProblems& errors);

}  // namespace suanli
