// The prices `market list` shows (market/listed_prices.h).
#include "market/listed_prices.h"

#include <algorithm>

namespace suanli {

Result<std::vector<ListedPrice>> ListedPrices(const std::vector<ListedQuote>& quotes, const FxTable& fx,
                                              const std::string& currency, std::optional<Date> as_of) {
  std::vector<ListedPrice> out;
  out.reserve(quotes.size());
  for (const ListedQuote& listed : quotes) {
    const Quote& q = listed.quote;
    ListedPrice price;
    price.converted_on = as_of.value_or(q.observed);
    auto rate = fx.RateOn(q.currency, currency, price.converted_on);
    if (!rate.ok()) {
      Error error = rate.error();
      if (error.where.empty()) error.where = q.where.empty() ? "quote " + q.id : q.where;
      return error;
    }
    price.fx = *rate;
    price.per_card = q.unit_price * rate->rate / static_cast<double>(CardsPerPrice(q));
    out.push_back(std::move(price));
  }
  return out;
}

std::vector<double> PerCardPrices(const std::vector<ListedPrice>& prices) {
  std::vector<double> out;
  out.reserve(prices.size());
  for (const ListedPrice& p : prices) out.push_back(p.per_card);
  return out;
}

}  // namespace suanli
