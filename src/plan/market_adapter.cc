#include "plan/market_adapter.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <set>

#include <fmt/format.h>

#include "core/i18n.h"
#include "core/text.h"
#include "core/yaml_reader.h"
#include "market/export_rules.h"
#include "market/fx_override.h"
#include "market/market.h"
#include "market/quote_checks.h"
#include "market/quote_filter.h"
#include "market/store.h"
#include "market/store_check.h"
#include "plan/no_offer.h"
#include "plan/rules_at_delivery.h"
#include "plan/scenario_rules.h"

namespace suanli {
namespace {

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

// Adds the store's quotes; a stored quote replaces a seed quote of the same
// id (the store is seeded from it), and the store's FX rates join the
// market's (`market fx add`). A stored row whose currency has no rate to the
// buyer's is skipped with a note in `skipped` (one bad row does not stop the
// plan; the scenario's own quotes are still errors). Returns how many were
// read; `replaced` counts the quotes of `quotes` a stored one replaced and
// `seed_rows` the stored rows copied from the seed when the store was made:
// kept (and counted as seed quotes) with use_seed, dropped without it.
Result<int> AddStoreQuotes(const ScenarioMarket& m, const std::string& currency, Market& market,
                           std::vector<Quote>& quotes, std::vector<std::string>& skipped, int& replaced,
                           int& seed_rows) {
  // A directory, device or other non-store path is named as what it is.
  auto kind = ClassifyStoreFile(m.store);
  if (!kind.ok()) return MakeError(fmt::format("quote store '{}': {}", m.store, kind.error().message), m.store_where,
                                   kind.error().hint);
  if (*kind == StoreFileKind::kMissing) {
    return MakeError(fmt::format("quote store '{}' not found", m.store), m.store_where,
                     "create it with `suanli market import`, or set store: null");
  }
  auto store = QuoteStore::Open(m.store);
  if (!store.ok()) return MakeError(store.error().message, m.store_where, store.error().hint);
  auto stored = store->AllQuotes();
  if (!stored.ok()) return MakeError(stored.error().message, m.store_where, stored.error().hint);
  auto fx = store->Fx();
  if (!fx.ok()) return MakeError(fx.error().message, m.store_where, fx.error().hint);
  for (const FxRate& rate : fx->rates()) {
    const auto& known = market.fx.rates();
    const bool seen = std::any_of(known.begin(), known.end(), [&](const FxRate& r) {
      return r.from == rate.from && r.to == rate.to && r.date == rate.date;
    });
    if (!seen) market.fx.Add(rate);
  }
  if (!m.use_seed) {
    // A store made by `market init` without --no-seed holds the seed's
    // quotes; a scenario that leaves the seed out leaves them out too.
    stored->erase(std::remove_if(stored->begin(), stored->end(), [](const Quote& q) { return q.from_seed; }),
                  stored->end());
  }
  seed_rows = static_cast<int>(std::count_if(stored->begin(), stored->end(), [](const Quote& q) { return q.from_seed; }));
  const int count = static_cast<int>(stored->size());
  ConvertibleQuotes usable = DropUnconvertible(std::move(*stored), market.fx, currency, m.store);
  skipped = std::move(usable.skipped);
  for (Quote& q : usable.quotes) {
    const auto same_id =
        std::remove_if(quotes.begin(), quotes.end(), [&](const Quote& other) { return other.id == q.id; });
    replaced += static_cast<int>(quotes.end() - same_id);
    quotes.erase(same_id, quotes.end());
    if (q.where.empty()) q.where = m.store + " quote " + q.id;
    quotes.push_back(std::move(q));
  }
  return count;
}

// Adds the scenario's inline quotes (an inline quote replaces one of the same
// id) and records where each one's currency field is, for FX errors. Returns
// how many were read; a bad quote is the error (with several problems, one
// error that counts them and lists each in `more`).
Result<int> AddInlineQuotes(const Scenario& scenario, const SkuResolver& resolver, std::vector<Quote>& quotes,
                            std::map<std::string, std::string>& currency_where) {
  const ScenarioMarket& m = scenario.market;
  QuoteParseReport report = ParseQuotesNode(m.quotes, scenario.file_name, m.quotes_path, resolver);
  if (!report.rejected.empty()) {
    // Every problem of every bad quote, each located, after a count of both
    // (as `market import` reports a file).
    if (report.rejected.size() == 1) return report.rejected.front();
    const YamlMap holder(m.quotes, scenario.file_name, m.quotes_path);
    Error all = MakeError(TrFormat("{} of {} quotes are bad, {} problems (each listed below)", report.bad_rows,
                                   report.rows, report.rejected.size()),
                          holder.Where(), Tr("fix them and rerun"));
    all.more = std::move(report.rejected);
    return all;
  }
  for (size_t i = 0; i < m.quotes.size(); ++i) {
    const YAML::Node item = m.quotes[i];
    if (!item.IsMap() || !item["id"].IsDefined()) continue;
    const YamlMap map(item, scenario.file_name, fmt::format("{}[{}]", m.quotes_path, i));
    currency_where[item["id"].Scalar()] = map.Where("currency");
  }
  const int count = static_cast<int>(report.quotes.size());
  for (Quote& q : report.quotes) {
    quotes.erase(std::remove_if(quotes.begin(), quotes.end(), [&](const Quote& s) { return s.id == q.id; }),
                 quotes.end());
    quotes.push_back(std::move(q));
  }
  return count;
}

// A quote on offer on the buyer's date, with the market's verdict.
struct Offered {
  const Quote* quote = nullptr;
  QuoteVerdict verdict;
};

// Quotes dropped before planning, by reason.
struct DropCounts {
  int future = 0, stale = 0, expired = 0, superseded = 0;
  std::set<std::string> stale_only_skus;  // SKUs whose every quote was stale
};

// Returns the quotes on offer on the buyer's date (not yet observed, expired
// and stale ones dropped; of several observations of one supplier, SKU, unit
// and condition the latest), in input order. Every quote must convert to the
// buyer's currency (an inline one's error names its currency field).
Result<std::vector<Offered>> OfferedQuotes(const std::vector<Quote>& quotes, const Market& market,
                                           const Scenario& scenario,
                                           const std::map<std::string, std::string>& currency_where,
                                           DropCounts& drops) {
  const QuoteUse use = QuoteUseOf(scenario);
  std::vector<const Quote*> all;
  for (const Quote& q : quotes) {
    auto convertible =
        Money(market.fx, q.unit_price, q.currency, scenario.buyer.currency, use.date, q.where, "currency");
    if (!convertible.ok()) {
      Error error = convertible.error();
      if (auto it = currency_where.find(q.id); it != currency_where.end()) error.where = it->second;
      return error;
    }
    all.push_back(&q);
  }
  // The one classification of `market list` too (ClassifyQuotes): the
  // checks of CheckQuoteUse, then of several observations of one supplier,
  // SKU, unit and condition the latest stays. Quotes not (or no longer) on
  // offer are counted in the notes; blocked ones stay, with their reason.
  const std::vector<QuoteVerdict> verdicts =
      ClassifyQuotes(market.rules, all, [&use](const Quote&) { return use; });
  std::vector<Offered> out;
  for (size_t i = 0; i < all.size(); ++i) {
    switch (verdicts[i].category) {
      case QuoteCategory::kFuture: ++drops.future; continue;
      case QuoteCategory::kExpired: ++drops.expired; continue;
      case QuoteCategory::kStale:
        ++drops.stale;
        drops.stale_only_skus.insert(all[i]->sku);
        continue;
      case QuoteCategory::kSuperseded: ++drops.superseded; continue;
      default: out.push_back(Offered{all[i], verdicts[i]});
    }
  }
  for (const Offered& offered : out) drops.stale_only_skus.erase(offered.quote->sku);
  return out;
}

// Returns the planner's view of an offered quote, in the buyer's currency:
// its terms (PlanQuoteTerms) and the quote check's verdict.
Result<PlanQuote> ToPlanQuote(const Offered& offered, const FxTable& fx, const std::string& currency, Date date) {
  const Quote& q = *offered.quote;
  SUANLI_ASSIGN_OR_RETURN(PlanQuote p, PlanQuoteTerms(q, fx, currency, date));
  const Availability& a = offered.verdict.availability;
  p.allowed = a.allowed;
  if (!a.allowed) {
    p.blocked_reason = StripQuoteId(a.reason_text, q.id, q.sku);
    p.blocked_category = std::string(QuoteCategoryName(offered.verdict.category));
  }
  if (a.allowed && a.flagged) p.warning = StripQuoteId(a.reason_text, q.id, q.sku);
  return p;
}

// Returns the notes on dropped quotes, in words.
std::vector<std::string> DropNotes(const DropCounts& drops, const Scenario& scenario) {
  std::vector<std::string> notes;
  if (drops.future > 0) {
    notes.push_back(TrFormat("quotes observed after the buyer's date {}, not used: {}",
                                FormatDate(scenario.buyer.date), drops.future));
  }
  if (drops.stale > 0) {
    notes.push_back(TrFormat(
        "quotes observed more than {} days before the buyer's date (and without valid_until), "
        "treated as stale (market.max_quote_age_days): {}",
        scenario.market.max_quote_age_days, drops.stale));
  }
  if (!drops.stale_only_skus.empty()) {
    // Which parts lost every quote, and how to bring them back: a buyer
    // whose part has only old quotes should see that, not just a count.
    notes.push_back(TrFormat("no current quote for {} (all older than {} days): give current quotes under "
                             "market.quotes, or raise market.max_quote_age_days to use the old ones",
                             fmt::join(drops.stale_only_skus, ", "), scenario.market.max_quote_age_days));
  }
  if (drops.expired > 0) {
    notes.push_back(TrFormat("quotes expired (valid_until) by the buyer's date: {}", drops.expired));
  }
  if (drops.superseded > 0) {
    notes.push_back(TrFormat(
        "older observations of the same supplier, SKU and condition, superseded by newer ones: {}",
        drops.superseded));
  }
  return notes;
}

// Returns the notes on the FX rates used: for the cost settings and for each
// quote currency other than the buyer's.
std::vector<std::string> FxNotes(const Market& market, const std::vector<Offered>& offered,
                                 const std::string& currency, Date date, const std::string& from_costs) {
  std::vector<std::string> notes;
  if (from_costs != currency) {
    auto rate = market.fx.RateOn(from_costs, currency, date);
    if (rate.ok()) {
      notes.push_back(TrFormat("cost assumptions converted from {} at {:g} {} per {} ({})", from_costs,
                                  rate->rate, rate->to, rate->from, FormatDate(rate->date)));
    }
  }
  std::set<std::string> currencies;
  for (const Offered& o : offered) {
    if (o.quote->currency != currency) currencies.insert(o.quote->currency);
  }
  for (const std::string& from : currencies) {
    auto rate = market.fx.RateOn(from, currency, date);
    if (rate.ok()) {
      if (rate->source.rfind(kFxOverrideSource, 0) == 0) {
        notes.push_back(TrFormat("FX: 1 {} = {:g} {} ({})", rate->from, rate->rate, rate->to, rate->source));
      } else {
        notes.push_back(TrFormat("FX: 1 {} = {:g} {} (rate of {})", rate->from, rate->rate, rate->to,
                                 FormatDate(rate->date)));
      }
    }
  }
  return notes;
}

}  // namespace

QuoteUse QuoteUseOf(const Scenario& scenario) {
  QuoteUse use;
  use.buyer = BuyerPolicy{scenario.buyer.region, scenario.buyer.tier, scenario.buyer.allow_grey_market,
                          scenario.buyer.licences};
  use.date = scenario.buyer.date;
  use.max_quote_age_days = scenario.market.max_quote_age_days;
  return use;
}


Result<PlanQuote> PlanQuoteTerms(const Quote& q, const FxTable& fx, const std::string& currency, Date date) {
  PlanQuote p;
  p.id = q.id;
  p.supplier = q.supplier;
  p.channel = q.channel;
  p.sku = q.sku;
  p.mode = IsRental(q.unit) ? BuyMode::kRent : BuyMode::kBuy;
  p.unit = q.unit;
  p.cards_per_unit = std::max(1, q.cards_per_unit);
  SUANLI_ASSIGN_OR_RETURN(p.unit_price, Money(fx, q.unit_price, q.currency, currency, date, q.where, "unit_price"));
  p.quote_unit_price = q.unit_price;
  p.quote_currency = q.currency;
  SUANLI_ASSIGN_OR_RETURN(p.bundle_amount,
                          Money(fx, q.bundle_amount, q.currency, currency, date, q.where, "bundle_amount"));
  p.bundle_fraction = q.bundle_fraction;
  p.quantity = q.quantity_available;
  p.min_order = q.min_order;
  p.lead_weeks_min = q.lead_weeks_min;
  p.lead_weeks_likely = q.lead_weeks_likely;
  p.lead_weeks_max = q.lead_weeks_max;
  p.condition = q.condition;
  p.warranty_months = q.warranty_months;
  p.warranty_stated = q.warranty_stated;
  const std::string payment = PaymentTermsText(q.payment);
  if (payment != "standard") p.payment = payment;
  p.paid_before_delivery = PaidBeforeDeliveryShare(q.payment);
  p.includes_network = q.includes_network;
  p.where = q.where;
  p.source = q.source;
  p.observed = q.observed;
  return p;
}

Result<PlanMarket> LoadPlanMarket(const Scenario& scenario, const Catalog& catalog) {
  const SkuResolver resolver = CatalogResolver(catalog);
  // The rules' criteria cover the scenario's catalog, user entries included.
  const std::vector<AcceleratorExportFacts> facts = ExportFactsOf(catalog.accelerators());
  SUANLI_ASSIGN_OR_RETURN(Market market, LoadSeedMarket(resolver, &facts));
  PlanMarket out;
  SUANLI_RETURN_IF_ERROR(AddScenarioRules(scenario, resolver, market, out.notes));
  const std::string& currency = scenario.buyer.currency;
  const Date date = scenario.buyer.date;

  std::vector<Quote> quotes;
  std::map<std::string, std::string> currency_where;  // inline quote id -> "file:l:c field"
  if (scenario.market.use_seed) {
    out.quotes_seed = static_cast<int>(market.quotes.size());
    quotes = market.quotes;
  }
  std::vector<std::string> store_skipped;
  if (!scenario.market.store.empty()) {
    // A store is seeded from the seed: a seed quote it holds counts once, as the store's.
    int replaced = 0, seed_rows = 0;
    SUANLI_ASSIGN_OR_RETURN(out.quotes_store, AddStoreQuotes(scenario.market, currency, market, quotes,
                                                             store_skipped, replaced, seed_rows));
    // Seed quotes count as seed whether read from the seed or the store's copy.
    out.quotes_seed += seed_rows - replaced;
    out.quotes_store -= seed_rows;
  }
  // The scenario's FX what-if (market.fx) replaces the seed's and the
  // store's rates of each pair it gives, for this plan only.
  // (A missing key is an invalid yaml-cpp node: IsDefined() first, never Type().)
  const YAML::Node root = scenario.root;
  const YAML::Node market_node = root.IsDefined() && root.IsMap() ? root["market"] : YAML::Node();
  if (market_node.IsDefined() && market_node.IsMap()) {
    SUANLI_ASSIGN_OR_RETURN(const std::vector<FxRate> overrides,
                            ParseFxOverrides(market_node["fx"], scenario.file_name, "market.fx", date));
    market.fx = ApplyFxOverrides(market.fx, overrides);
  }
  if (scenario.market.quotes.IsDefined() && !scenario.market.quotes.IsNull()) {
    SUANLI_ASSIGN_OR_RETURN(out.quotes_inline, AddInlineQuotes(scenario, resolver, quotes, currency_where));
  }

  DropCounts drops;
  SUANLI_ASSIGN_OR_RETURN(const std::vector<Offered> offered,
                          OfferedQuotes(quotes, market, scenario, currency_where, drops));
  // A price far from its peers or outside the plausible range is carried
  // with the quote, so every option priced with it says so.
  std::vector<std::string> offered_ids;
  for (const Offered& o : offered) offered_ids.push_back(o.quote->id);
  const std::map<std::string, std::string> price_flags = QuotePriceFlags(quotes, offered_ids, market.fx);
  for (const Offered& o : offered) {
    SUANLI_ASSIGN_OR_RETURN(PlanQuote p, ToPlanQuote(o, market.fx, currency, date));
    CheckRulesAtDelivery(market.rules, *o.quote, scenario, p);
    if (const auto flag = price_flags.find(p.id); flag != price_flags.end()) {
      p.warning = p.warning.empty() ? flag->second : TrFormat("{}; {}", p.warning, flag->second);
    }
    out.quotes.push_back(std::move(p));
  }
  out.drop_notes = DropNotes(drops, scenario);
  out.no_offer = NoOfferReasons(quotes, market.rules, scenario);
  out.notes.insert(out.notes.end(), store_skipped.begin(), store_skipped.end());
  if (!store_skipped.empty()) {
    out.dropped.push_back(DropGroup{"quote", Tr("store row without an FX rate to the buyer's currency (skipped)"),
                                    static_cast<int>(store_skipped.size())});
  }
  for (const auto& [count, reason] : {std::pair<int, std::string>{drops.future, Tr("future: observed after the buyer's date")},
                                      {drops.expired, Tr("expired: valid_until before the buyer's date")},
                                      {drops.stale, Tr("stale: older than market.max_quote_age_days")},
                                      {drops.superseded, Tr("superseded by a newer observation")}}) {
    if (count > 0) out.dropped.push_back(DropGroup{"quote", reason, count});
  }

  // Cost settings: the market's, converted once, then the scenario's overrides.
  // Regional defaults (data/market/costs.yaml regions:) first, so a US buyer
  // gets US power, hosting and server prices rather than China's converted.
  SUANLI_ASSIGN_OR_RETURN(const CostSettings regional,
                          CostsForRegion(market.costs, market.fx, scenario.buyer.region, date));
  SUANLI_ASSIGN_OR_RETURN(static_cast<CostSettings&>(out.costs), CostsIn(regional, market.fx, currency, date));
  out.notes.push_back(
      regional.region_applied.empty()
          ? TrFormat("cost defaults: the base ones of data/market/costs.yaml (written for a buyer in China{})",
                     NormalizeId(scenario.buyer.region) == "cn"
                         ? ""
                         : TrFormat("; no regions.{} entry, so converted from {}", scenario.buyer.region,
                                    market.costs.currency))
          : TrFormat("cost defaults: region {} (power, PUE, hosting, servers, network from "
                        "data/market/costs.yaml regions.{}; the rest base)", regional.region_applied,
                        regional.region_applied));
  ApplyCostOverrides(scenario.costs, out.costs);
  for (std::string& note : FxNotes(market, offered, currency, date, regional.currency)) out.notes.push_back(std::move(note));
  return out;
}

Result<double> ConvertMoney(double amount, const std::string& from, const std::string& to,
                            Date date) {
  SUANLI_ASSIGN_OR_RETURN(Market market, LoadSeedMarket());
  return Money(market.fx, amount, from, to, date, "", "");
}

double RentPerCardHour(const PlanQuote& q) {
  if (q.unit == QuoteUnit::kGpuHour) return q.unit_price;
  return q.unit_price / std::max(1, q.cards_per_unit) / DaysToHours(kDaysPerMonth);
}

}  // namespace suanli
