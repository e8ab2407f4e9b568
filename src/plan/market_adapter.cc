#include "plan/market_adapter.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <set>

#include <fmt/format.h>

#include "core/text.h"
#include "core/yaml_reader.h"
#include "market/market.h"
#include "market/quote_filter.h"
#include "market/store.h"

namespace suanli {
namespace {

// Drops a leading "<quote id>: " the market puts on its reasons (the planner
// names the quote itself).
std::string StripId(const std::string& reason, const std::string& id, const std::string& sku) {
  std::string out = reason;
  for (const std::string& name : {id, sku}) {
    const std::string prefix = name + ": ";
    if (out.rfind(prefix, 0) == 0) out = out.substr(prefix.size());
  }
  return out;
}

SkuResolver CatalogResolver(const Catalog& catalog) {
  return [&catalog](std::string_view text) -> Result<std::string> {
    SUANLI_ASSIGN_OR_RETURN(const Accelerator* accel, catalog.FindAccelerator(text));
    return accel->id;
  };
}

Result<double> Money(const FxTable& fx, double amount, const std::string& from,
                     const std::string& to, Date date, const std::string& where,
                     std::string_view field) {
  auto converted = fx.Convert(amount, from, to, date);
  if (!converted.ok()) {
    return MakeError(
        fmt::format("{} on {}", converted.error().message, FormatDate(date)),
        where.empty() ? std::string(field) : fmt::format("{} {}", where, field),
        fmt::format("quote in a currency with an FX rate ({}) or add the rate to the FX table",
                    Join(fx.Currencies(), ", ")));
  }
  return *converted;
}

}  // namespace

Result<PlanMarket> LoadPlanMarket(const Scenario& scenario, const Catalog& catalog) {
  const SkuResolver resolver = CatalogResolver(catalog);
  SUANLI_ASSIGN_OR_RETURN(Market market, LoadSeedMarket(resolver));
  PlanMarket out;
  const std::string& currency = scenario.buyer.currency;
  const Date date = scenario.buyer.date;

  std::vector<Quote> quotes;
  std::map<std::string, std::string> currency_where;  // inline quote id -> "file:l:c field"
  if (scenario.market.use_seed) {
    out.quotes_seed = static_cast<int>(market.quotes.size());
    quotes = market.quotes;
  }
  if (!scenario.market.store.empty()) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(scenario.market.store, ec)) {
      return MakeError(fmt::format("quote store '{}' not found", scenario.market.store),
                       scenario.market.store_where,
                       "create it with `suanli market import`, or set store: null");
    }
    auto store = QuoteStore::Open(scenario.market.store);
    if (!store.ok()) {
      return MakeError(store.error().message, scenario.market.store_where, store.error().hint);
    }
    auto stored = store->AllQuotes();
    if (!stored.ok()) {
      return MakeError(stored.error().message, scenario.market.store_where, stored.error().hint);
    }
    out.quotes_store = static_cast<int>(stored->size());
    for (Quote& q : *stored) {
      // A stored quote replaces a seed quote of the same id (the store is seeded from it).
      quotes.erase(std::remove_if(quotes.begin(), quotes.end(),
                                  [&](const Quote& other) { return other.id == q.id; }),
                   quotes.end());
      if (q.where.empty()) q.where = scenario.market.store + " quote " + q.id;
      quotes.push_back(std::move(q));
    }
  }
  if (scenario.market.quotes.IsDefined() && !scenario.market.quotes.IsNull()) {
    QuoteParseReport report = ParseQuotesNode(scenario.market.quotes, scenario.file_name,
                                              scenario.market.quotes_path, resolver);
    if (!report.rejected.empty()) {
      Error first = report.rejected.front();
      if (report.rejected.size() > 1) {
        first.message += fmt::format(" (and {} more bad quotes)", report.rejected.size() - 1);
      }
      return first;
    }
    out.quotes_inline = static_cast<int>(report.quotes.size());
    // Point FX errors of inline quotes at their currency field.
    const YAML::Node& list = scenario.market.quotes;
    for (size_t i = 0; i < list.size(); ++i) {
      const YAML::Node item = list[i];
      if (!item.IsMap() || !item["id"].IsDefined()) continue;
      const YamlMap map(item, scenario.file_name,
                        fmt::format("{}[{}]", scenario.market.quotes_path, i));
      currency_where[item["id"].Scalar()] = map.Where("currency");
    }
    std::set<std::string> ids;
    for (const Quote& q : quotes) ids.insert(q.id);
    for (Quote& q : report.quotes) {
      if (ids.count(q.id) > 0) {
        // An inline quote replaces the seed quote of the same id.
        quotes.erase(std::remove_if(quotes.begin(), quotes.end(),
                                    [&](const Quote& s) { return s.id == q.id; }),
                     quotes.end());
      }
      quotes.push_back(std::move(q));
    }
  }

  // Every quote must be convertible to the buyer's currency (inline ones
  // first, so a bad inline quote is named with its line).
  int future = 0, stale = 0, expired = 0, superseded = 0;
  // Latest observation per (supplier, sku, unit, condition) up to the buyer's date.
  std::map<std::string, const Quote*> latest;
  std::vector<const Quote*> usable;
  std::map<const Quote*, QuoteVerdict> verdicts;
  QuoteUse use;
  use.buyer = BuyerPolicy{scenario.buyer.region, scenario.buyer.tier, scenario.buyer.allow_grey_market, false};
  use.date = date;
  use.max_quote_age_days = scenario.market.max_quote_age_days;
  for (const Quote& q : quotes) {
    auto convertible = Money(market.fx, q.unit_price, q.currency, currency, date, q.where, "currency");
    if (!convertible.ok()) {
      Error error = convertible.error();
      if (auto it = currency_where.find(q.id); it != currency_where.end()) error.where = it->second;
      return error;
    }
    const QuoteVerdict verdict = CheckQuoteUse(market.rules, q, use);
    // Quotes not (or no longer) on offer on the date are counted in the
    // notes; the others stay, blocked ones with their reason for the report.
    if (verdict.category == QuoteCategory::kFuture) ++future;
    if (verdict.category == QuoteCategory::kExpired) ++expired;
    if (verdict.category == QuoteCategory::kStale) ++stale;
    if (verdict.category == QuoteCategory::kFuture || verdict.category == QuoteCategory::kExpired ||
        verdict.category == QuoteCategory::kStale) {
      continue;
    }
    verdicts.emplace(&q, verdict);
    const std::string key = fmt::format("{}|{}|{}|{}", q.supplier, q.sku, QuoteUnitName(q.unit),
                                        ConditionName(q.condition));
    auto it = latest.find(key);
    if (it == latest.end()) {
      latest.emplace(key, &q);
    } else {
      ++superseded;
      if (q.observed >= it->second->observed) it->second = &q;
    }
  }
  for (const Quote& q : quotes) {
    for (const auto& [key, kept] : latest) {
      if (kept == &q) usable.push_back(&q);
    }
  }

  for (const Quote* q : usable) {
    PlanQuote p;
    p.id = q->id;
    p.supplier = q->supplier;
    p.channel = q->channel;
    p.sku = q->sku;
    p.mode = IsRental(q->unit) ? BuyMode::kRent : BuyMode::kBuy;
    p.unit = q->unit;
    p.cards_per_unit = std::max(1, q->cards_per_unit);
    SUANLI_ASSIGN_OR_RETURN(p.unit_price, Money(market.fx, q->unit_price, q->currency, currency,
                                                date, q->where, "unit_price"));
    SUANLI_ASSIGN_OR_RETURN(p.bundle_amount, Money(market.fx, q->bundle_amount, q->currency,
                                                   currency, date, q->where, "bundle_amount"));
    p.bundle_fraction = q->bundle_fraction;
    p.quantity = q->quantity_available;
    p.min_order = q->min_order;
    p.lead_weeks_min = q->lead_weeks_min;
    p.lead_weeks_likely = q->lead_weeks_likely;
    p.lead_weeks_max = q->lead_weeks_max;
    p.condition = q->condition;
    p.warranty_months = q->warranty_months;
    const std::string payment = PaymentTermsText(q->payment);
    if (payment != "standard") p.payment = payment;
    const Availability& a = verdicts.at(q).availability;
    p.allowed = a.allowed;
    if (!a.allowed) p.blocked_reason = StripId(a.reason, q->id, q->sku);
    if (a.allowed && a.flagged) p.warning = StripId(a.reason, q->id, q->sku);
    p.where = q->where;
    out.quotes.push_back(std::move(p));
  }
  if (future > 0) {
    out.notes.push_back(fmt::format("{} quotes observed after the buyer's date {} were not used",
                                    future, FormatDate(date)));
  }
  if (stale > 0) {
    out.notes.push_back(fmt::format(
        "{} quotes observed more than {} days before the buyer's date (and without valid_until) "
        "were treated as stale (market.max_quote_age_days)",
        stale, scenario.market.max_quote_age_days));
  }
  if (expired > 0) {
    out.notes.push_back(fmt::format("{} quotes had expired (valid_until) by the buyer's date", expired));
  }
  if (superseded > 0) {
    out.notes.push_back(fmt::format(
        "{} older observations of the same supplier, SKU and condition were superseded by newer ones",
        superseded));
  }

  // Cost settings: the market's, converted once, then the scenario's overrides.
  const CostSettings& c = market.costs;
  PlanCosts costs;
  SUANLI_ASSIGN_OR_RETURN(static_cast<CostSettings&>(costs), CostsIn(c, market.fx, currency, date));
  ApplyCostOverrides(scenario.costs, costs);
  out.costs = costs;
  if (c.currency != currency) {
    auto rate = market.fx.RateOn(c.currency, currency, date);
    if (rate.ok()) {
      out.notes.push_back(fmt::format("cost assumptions converted from {} at {:g} {} per {} ({})",
                                      c.currency, rate->rate, rate->to, rate->from, FormatDate(rate->date)));
    }
  }
  std::set<std::string> currencies;
  for (const Quote* q : usable) {
    if (q->currency != currency) currencies.insert(q->currency);
  }
  for (const std::string& from : currencies) {
    auto rate = market.fx.RateOn(from, currency, date);
    if (rate.ok()) {
      out.notes.push_back(fmt::format("FX: 1 {} = {:g} {} (rate of {})", rate->from, rate->rate,
                                      rate->to, FormatDate(rate->date)));
    }
  }
  return out;
}

Result<double> ConvertMoney(double amount, const std::string& from, const std::string& to,
                            Date date) {
  SUANLI_ASSIGN_OR_RETURN(Market market, LoadSeedMarket());
  return Money(market.fx, amount, from, to, date, "", "");
}

Result<CardPriceFn> MakeSeedCardPrice(std::optional<Date> date, const std::string& region,
                                      const std::string& tier, const std::string& currency) {
  SUANLI_ASSIGN_OR_RETURN(Market loaded, LoadSeedMarket());
  auto market = std::make_shared<Market>(std::move(loaded));
  return CardPriceFn([market, date, region, tier,
                      currency](const std::string& accelerator) -> std::optional<CardPrice> {
    std::optional<CardPrice> best;
    QuoteUse use;
    use.buyer = BuyerPolicy{region, tier, false, false};
    for (const Quote& q : market->quotes) {
      if (q.sku != accelerator || IsRental(q.unit)) continue;
      if (date) {
        use.date = *date;
        if (!CheckQuoteUse(market->rules, q, use).usable()) continue;
      }
      auto price = market->fx.Convert(q.unit_price / std::max(1, q.cards_per_unit), q.currency,
                                      currency, date.value_or(q.observed));
      if (!price.ok()) continue;
      if (!best || *price < best->price_per_card) best = CardPrice{q.id, q.supplier, *price};
    }
    return best;
  });
}

}  // namespace suanli
