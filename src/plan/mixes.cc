// Purchase mixes (plan/mixes.h).
#include "plan/mixes.h"
#include "plan/schedule.h"

#include <algorithm>
#include <limits>
#include <set>
#include <string>

#include <fmt/format.h>

namespace suanli {

int64_t Available(const PlanQuote& q) {
  return q.quantity > 0 ? q.quantity : std::numeric_limits<int64_t>::max() / 4;
}

int BilledCards(const PlanQuote& q, int cards) {
  if (q.unit != QuoteUnit::kServer && q.unit != QuoteUnit::kServerMonth) return cards;
  const int per_server = std::max(1, q.cards_per_unit);
  return (cards + per_server - 1) / per_server * per_server;
}

MixPart MakeMixPart(const PlanQuote& q, int cards) {
  MixPart part;
  part.quote_id = q.id;
  part.supplier = q.supplier;
  part.cards = cards;
  part.lead_weeks = q.lead_weeks_likely;
  part.lead_weeks_median = TriangularSample(q.lead_weeks_min, q.lead_weeks_likely, q.lead_weeks_max, 0.5);
  part.billed_cards = BilledCards(q, cards);
  part.unit = q.unit;
  part.cards_per_unit = std::max(1, q.cards_per_unit);
  part.unit_price = q.unit_price;
  part.card_price = q.unit_price / part.cards_per_unit;
  part.quote_unit_price = q.quote_unit_price;
  part.quote_currency = q.quote_currency;
  return part;
}

std::string_view CardPriceUnit(QuoteUnit unit) {
  switch (unit) {
    case QuoteUnit::kGpuHour: return "card-hour";
    case QuoteUnit::kServerMonth: return "card-month";
    default: return "card";
  }
}

double PerCardPrice(const PlanQuote& q) {
  return q.unit == QuoteUnit::kServer ? q.unit_price / std::max(1, q.cards_per_unit) : q.unit_price;
}

double MarketCardPrice(const PlanQuote& q, const std::vector<PlanQuote>& quotes) {
  double price = PerCardPrice(q);
  for (const PlanQuote& other : quotes) {
    if (!other.allowed || other.mode != BuyMode::kBuy || other.sku != q.sku || other.condition != q.condition ||
        (other.unit == QuoteUnit::kServer) != (q.unit == QuoteUnit::kServer) || other.unit_price <= 0)
      continue;
    price = std::min(price, PerCardPrice(other));
  }
  return price;
}

bool CanSupply(const PlanQuote& q, int64_t cards) {
  return cards > 0 && cards <= Available(q) && cards >= q.min_order;
}

// Mixes of at most two quotes that supply exactly `n` cards: one quote alone,
// or the first quote up to its stock and the second for the rest (this covers
// the cheapest-first and fastest-first fills), and with staged starts a fast
// expensive quote for 1/4 or 1/2 of the cluster and a slow cheap one for the rest.
std::vector<Candidate> GenerateMixes(const std::vector<const PlanQuote*>& quotes, int n,
                                     bool staged, int node_size) {
  std::vector<Candidate> out;
  std::set<std::string> seen;
  // A mix is the multiset of its parts: "a:100 + b:200" and "b:200 + a:100"
  // are one option (the parts' order changes neither schedule nor cost).
  const auto add = [&](Candidate c) {
    std::vector<std::string> parts;
    for (const auto& [q, cards] : c.parts) parts.push_back(fmt::format("{}:{}", q->id, cards));
    std::sort(parts.begin(), parts.end());
    std::string key;
    for (const std::string& part : parts) key += part + ";";
    if (seen.insert(key).second) out.push_back(std::move(c));
  };
  for (const PlanQuote* q : quotes) {
    if (CanSupply(*q, n)) add(Candidate{{{q, n}}, q->mode});
  }
  for (const PlanQuote* a : quotes) {
    for (const PlanQuote* b : quotes) {
      if (a == b || a->mode != b->mode) continue;
      const int64_t ca = std::min<int64_t>(Available(*a), n);
      if (ca < n && CanSupply(*a, ca) && CanSupply(*b, n - ca)) {
        add(Candidate{{{a, static_cast<int>(ca)}, {b, static_cast<int>(n - ca)}}, a->mode});
      }
      if (staged && a->mode == BuyMode::kBuy && a->lead_weeks_likely < b->lead_weeks_likely &&
          PerCardPrice(*a) > PerCardPrice(*b)) {
        for (int divisor : {4, 2}) {
          const int first = n / divisor / node_size * node_size;
          if (first <= 0 || first >= n) continue;
          if (CanSupply(*a, first) && CanSupply(*b, n - first)) {
            add(Candidate{{{a, first}, {b, n - first}}, a->mode});
          }
        }
      }
    }
  }
  return out;
}

}  // namespace suanli
