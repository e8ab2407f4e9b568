// Purchase mixes: which quotes supply a cluster of exactly n cards.
#pragma once

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "plan/plan.h"

namespace suanli {

// Cards taken from one or two quotes, bought or rented.
struct Candidate {
  std::vector<std::pair<const PlanQuote*, int>> parts;  // quote, cards from it
  BuyMode mode = BuyMode::kBuy;
};

// Returns the cards a quote can supply (its quantity; 0 = effectively unlimited).
int64_t Available(const PlanQuote& q);
// Returns the part of a mix that takes `cards` from `q`, with its prices.
MixPart MakeMixPart(const PlanQuote& q, int cards);
// Returns what one card's price buys: "card", or "card-hour" / "card-month" when rented.
std::string_view CardPriceUnit(QuoteUnit unit);
// Returns the price of one card from a quote (per-card equivalent), buyer currency.
double PerCardPrice(const PlanQuote& q);
// Returns the cards paid for when `cards` come from `q`: whole servers for a
// quote sold or rented by the server (≥ cards), else `cards`.
int BilledCards(const PlanQuote& q, int cards);
// Returns the market's price of one card of `q` (the resale basis): the
// lowest PerCardPrice among the allowed purchase quotes in `quotes` of the
// same accelerator, condition and unit kind (loose card or server: a
// server's price includes its chassis), `q` itself included; never above
// `q`'s own price. Buyer currency.
double MarketCardPrice(const PlanQuote& q, const std::vector<PlanQuote>& quotes);
// Returns true when the quote can supply exactly `cards` (stock and minimum order).
bool CanSupply(const PlanQuote& q, int64_t cards);
// Returns the mixes of at most two quotes that supply exactly `n` cards (see mixes.cc).
std::vector<Candidate> GenerateMixes(const std::vector<const PlanQuote*>& quotes, int n, bool staged,
                                     int node_size);

}  // namespace suanli
