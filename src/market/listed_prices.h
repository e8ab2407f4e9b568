// The prices `market list` shows: each listed quote per card in the listing
// currency, with the FX rate and its date behind the number, converted as
// the planner converts (on the buyer's date) when a date is given.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/result.h"
#include "market/market.h"
#include "market/store.h"

namespace suanli {

// One listed quote's price in the listing currency.
struct ListedPrice {
  double per_card = 0;  // listing currency per card (per card-hour or card-month for rentals)
  // The rate used: units of the listing currency per unit of the quote's
  // currency, the date it was observed and its source ("identity" when the
  // quote is in the listing currency).
  FxRate fx;
  Date converted_on;    // the date the conversion was made for: the as-of date, else the quote's observation
};

// Returns the price of each of `quotes` per card in `currency`, converted
// on `as_of` when given (as the planner converts on the buyer's date, so
// `market list --as-of D` and a plan dated D show one price), else on each
// quote's observation date. Errors: a currency without an FX rate.
Result<std::vector<ListedPrice>> ListedPrices(const std::vector<ListedQuote>& quotes, const FxTable& fx,
                                              const std::string& currency, std::optional<Date> as_of);

// Returns the per-card prices of `prices`, in order.
std::vector<double> PerCardPrices(const std::vector<ListedPrice>& prices);

}  // namespace suanli
