#include "plan/card_prices.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <vector>

#include <fmt/format.h>

#include "core/i18n.h"
#include "market/export_rules.h"
#include "market/costs.h"
#include "market/quote_checks.h"
#include "market/store.h"
#include "market/store_check.h"
#include "plan/market_adapter.h"
#include "plan/mixes.h"
#include "plan/option_cost.h"

namespace suanli {
namespace {

// The quotes and rules prices are looked up in.
struct PriceMarket {
  Market market;
  int quotes_seed = 0;
  int quotes_store = 0;
  std::vector<std::string> notes;
};

// Adds the store's quotes and FX rates to `m` (a stored quote replaces a
// seed quote of the same id, as the planner's market does); a row whose
// currency has no rate to `currency` is skipped with a note.
Status AddStore(const CardPriceOptions& options, PriceMarket& m) {
  auto kind = ClassifyStoreFile(options.store);
  if (!kind.ok()) return MakeError(TrFormat("quote store '{}': {}", options.store, kind.error().message),
                                   options.store_flag, kind.error().hint);
  if (*kind == StoreFileKind::kMissing) {
    return MakeError(TrFormat("quote store '{}' not found", options.store), options.store_flag,
                     Tr("create it with `suanli market import --db FILE`, or leave out --db for the seed quotes"));
  }
  auto store = QuoteStore::Open(options.store);
  if (!store.ok()) return MakeError(store.error().message, options.store_flag, store.error().hint);
  auto stored = store->AllQuotes();
  if (!stored.ok()) return MakeError(stored.error().message, options.store_flag, stored.error().hint);
  auto fx = store->Fx();
  if (!fx.ok()) return MakeError(fx.error().message, options.store_flag, fx.error().hint);
  for (const FxRate& rate : fx->rates()) {
    const auto& known = m.market.fx.rates();
    const bool seen = std::any_of(known.begin(), known.end(), [&](const FxRate& r) {
      return r.from == rate.from && r.to == rate.to && r.date == rate.date;
    });
    if (!seen) m.market.fx.Add(rate);
  }
  ConvertibleQuotes usable = DropUnconvertible(std::move(*stored), m.market.fx, options.currency, options.store);
  m.notes = std::move(usable.skipped);
  std::vector<Quote>& quotes = m.market.quotes;
  for (Quote& q : usable.quotes) {
    const auto same_id = std::remove_if(quotes.begin(), quotes.end(), [&](const Quote& o) { return o.id == q.id; });
    m.quotes_seed -= static_cast<int>(quotes.end() - same_id);
    quotes.erase(same_id, quotes.end());
    ++m.quotes_store;
    quotes.push_back(std::move(q));
  }
  return OkStatus();
}

// Returns the export rule that covers every channel the buyer buys through
// (all but the grey market, which compare's buyer does not accept) on the
// date, the buyer's licences lifting theirs, or nullopt when some channel is
// open; licence_required when every one of those rules is licence-required.
std::optional<BlockedBy> RuleOnEveryChannel(const std::vector<ExportRule>& rules, const std::string& sku,
                                            const QuoteUse& use) {
  std::optional<BlockedBy> first;
  bool licensable = true;
  for (const ChannelTier channel : AllChannelTiers()) {
    if (channel == ChannelTier::kGreyMarket || channel == ChannelTier::kCloud) continue;
    const Availability a = CheckExport(rules, sku, use.buyer.region, channel, use.date, false, use.buyer.licences);
    if (a.allowed) return std::nullopt;
    licensable = licensable && a.action == ExportAction::kLicenceRequired;
    if (!first) first = BlockedBy{ReasonText{a.reason, a.reason_text}, false};
  }
  if (first) first->licence_required = licensable;
  return first;
}

// Returns the planner's view of a purchase quote in `currency`
// (PlanQuoteTerms), or nullopt without an FX rate.
std::optional<PlanQuote> AsPlanQuote(const Quote& q, const FxTable& fx, const std::string& currency, Date date) {
  auto p = PlanQuoteTerms(q, fx, currency, date);
  if (!p.ok()) return std::nullopt;
  return *std::move(p);
}

// Returns why no quote on offer supplies `cards` cards, or nullopt when
// none is on offer at all: the most any one has in stock, or the smallest
// minimum order above the count.
std::optional<ReasonText> WhyNoneSupplies(const std::vector<const Quote*>& offered, const std::string& sku,
                                          int cards) {
  int most_stock = 0, least_order = 0;
  bool any = false, short_stock = false;
  for (const Quote* q : offered) {
    if (q->sku != sku) continue;
    any = true;
    if (q->quantity_available > 0 && q->quantity_available < cards) {
      short_stock = true;
      most_stock = std::max(most_stock, q->quantity_available);
    } else if (q->min_order > cards) {
      least_order = least_order == 0 ? q->min_order : std::min(least_order, q->min_order);
    }
  }
  if (!any || (!short_stock && least_order == 0)) return std::nullopt;
  if (short_stock) {
    return ReasonText{fmt::format("only {} in stock for {} cards", most_stock, cards),
                      TrFormat("only {} in stock for {} cards", most_stock, cards)};
  }
  return ReasonText{fmt::format("minimum order {} cards, above the {} needed", least_order, cards),
                    TrFormat("minimum order {} cards, above the {} needed", least_order, cards)};
}

}  // namespace

Result<CardPrices> MakeCardPrices(const CardPriceOptions& options) {
  auto pm = std::make_shared<PriceMarket>();
  std::vector<AcceleratorExportFacts> facts;
  if (options.catalog != nullptr) facts = ExportFactsOf(options.catalog->accelerators());
  SUANLI_ASSIGN_OR_RETURN(pm->market, LoadSeedMarket(nullptr, options.catalog != nullptr ? &facts : nullptr));
  pm->quotes_seed = static_cast<int>(pm->market.quotes.size());
  if (!options.store.empty()) SUANLI_RETURN_IF_ERROR(AddStore(options, *pm));
  const Market& market = pm->market;
  CardPrices out;
  out.quotes_seed = pm->quotes_seed;
  out.quotes_store = pm->quotes_store;
  out.notes = pm->notes;
  out.date_defaulted = !options.date;
  Date date;
  if (options.date) {
    date = *options.date;
  } else {
    for (const Quote& q : market.quotes) date = std::max(date, q.observed);
  }
  out.date = date;
  SUANLI_ASSIGN_OR_RETURN(out.licences, CheckLicences(market.rules, options.licences, options.licence_flag));
  // The planner's failure rate of used cards for the buyer's region (not money: no conversion).
  SUANLI_ASSIGN_OR_RETURN(const CostSettings costs, CostsForRegion(market.costs, market.fx, options.region, date));
  // The planner's host servers, network and bundles, in the report currency.
  SUANLI_ASSIGN_OR_RETURN(const CostSettings report_costs, CostsIn(costs, market.fx, options.currency, date));
  out.used_annual_failure_rate = costs.used_annual_failure_rate;
  QuoteUse use;
  use.buyer = BuyerPolicy{options.region, options.tier, false, out.licences};
  use.date = date;
  use.max_quote_age_days = options.max_quote_age_days;
  // The quotes on offer: usable on the date and at the likely delivery, and
  // of several observations of one supplier, SKU, unit and condition the
  // latest (as the planner's OfferedQuotes).
  std::vector<const Quote*> usable;
  auto flags = std::make_shared<std::map<std::string, ReasonText>>();  // quote id -> the planner's warning
  auto refused = std::make_shared<std::map<std::string, std::vector<CheckedQuote>>>();  // sku -> why not
  auto rentals = std::make_shared<std::map<std::string, int>>();                       // sku -> rental quotes
  for (const Quote& q : market.quotes) {
    if (IsRental(q.unit)) {
      ++(*rentals)[q.sku];
      continue;
    }
    CheckedQuote checked{&q, CheckQuoteUse(market.rules, q, use)};
    const Date delivery = AddDays(date, WeeksToDays(q.lead_weeks_likely));
    if (checked.verdict.usable()) {
      // A rule in force at the likely delivery refuses it as well.
      const Availability at_delivery = ExportVerdictOn(market.rules, q, use.buyer, delivery);
      if (!at_delivery.allowed) {
        checked.verdict.category = QuoteCategory::kRule;
        checked.verdict.availability = at_delivery;
        checked.verdict.availability.reason =
            fmt::format("at the likely delivery {}: {}", FormatDate(delivery), at_delivery.reason);
        checked.verdict.availability.reason_text =
            TrFormat("at the likely delivery {}: {}", FormatDate(delivery), at_delivery.reason_text);
      }
    }
    if (!checked.verdict.usable()) {
      (*refused)[q.sku].push_back(checked);
      continue;
    }
    if (checked.verdict.category == QuoteCategory::kFlagged) {
      (*flags)[q.id] = ReasonText{checked.verdict.availability.reason, checked.verdict.availability.reason_text};
    }
    usable.push_back(&q);
  }
  // Of one offer's observations the latest; lots of one day all stay
  // (SupersededBy, the planner's and `market list`'s rule).
  const std::vector<std::optional<size_t>> superseded = SupersededBy(usable);
  auto offered = std::make_shared<std::vector<const Quote*>>();
  for (size_t i = 0; i < usable.size(); ++i) {
    if (!superseded[i]) offered->push_back(usable[i]);
  }
  std::stable_sort(offered->begin(), offered->end(),
                   [](const Quote* a, const Quote* b) { return SupersedeKey(*a) < SupersedeKey(*b); });
  // A price far from its peers or outside the plausible range goes with the
  // quote into the answer (adversary report item 4: priced silently).
  std::vector<std::string> offered_ids;
  for (const Quote* q : *offered) offered_ids.push_back(q->id);
  for (const auto& [id, warning] : QuotePriceFlags(market.quotes, offered_ids, market.fx)) {
    ReasonText& flag = (*flags)[id];
    flag.english = flag.english.empty() ? warning : flag.english + "; " + warning;
    flag.text = flag.text.empty() ? warning : TrFormat("{}; {}", flag.text, warning);
  }
  out.why_none = [pm, offered, refused, rentals, use](const std::string& accelerator, int cards) -> ReasonText {
    (void)pm;  // owns the quotes `refused` points to
    // Quotes on offer that cannot supply the count (stock, minimum order).
    if (auto short_of = WhyNoneSupplies(*offered, accelerator, cards)) return *short_of;
    const auto it = refused->find(accelerator);
    const auto rent = rentals->find(accelerator);
    if (it == refused->end() && rent != rentals->end()) {
      return {fmt::format("only rental quotes ({}); compare prices card purchases", rent->second),
              TrFormat("only rental quotes ({}); compare prices card purchases", rent->second)};
    }
    return ExplainNoUsableQuote(it == refused->end() ? std::vector<CheckedQuote>() : it->second, use);
  };
  const std::string currency = options.currency;
  const Catalog* catalog = options.catalog;
  out.price = [pm, offered, flags, date, currency, report_costs, catalog](
                  const std::string& accelerator, int cards) -> std::optional<CardPrice> {
    std::optional<CardPrice> best;
    PlanAccelerator accel{accelerator, "", 0};
    if (catalog != nullptr) {
      if (auto found = catalog->FindAccelerator(accelerator); found.ok()) {
        accel = PlanAcceleratorOf(**found, catalog->DefaultSystemFor((*found)->id));
      }
    }
    for (const Quote* q : *offered) {
      if (q->sku != accelerator) continue;
      const auto plan_quote = AsPlanQuote(*q, pm->market.fx, currency, date);
      // The planner's rules: stock and minimum order, whole servers billed.
      if (!plan_quote || !CanSupply(*plan_quote, cards)) continue;
      CardPrice price{q->id, q->supplier, PerCardPrice(*plan_quote), BilledCards(*plan_quote, cards),
                            plan_quote->cards_per_unit, q->condition, q->warranty_months,
                            ReasonText{}};
      // What plan adds to the cards bought (CostOfOwning), so that compare
      // ranks quotes as plan bills them: loose cards need host servers.
      OwnedPurchase owned = OwnedTerms(*plan_quote, accel);
      owned.cards = cards;
      const OwnershipCost own = CostOfOwning(owned, report_costs);
      price.hardware_extra = own.servers + own.bundle;
      if (!best || price.cost() < best->cost() || (price.cost() == best->cost() && q->id < best->quote_id)) {
        best = price;
        const auto flag = flags->find(q->id);
        if (flag != flags->end()) best->flag = flag->second;
      }
    }
    return best;
  };
  out.blocked = [pm, offered, refused, use](const std::string& accelerator) -> std::optional<BlockedBy> {
    // A quote on offer (whatever its stock) is never blocked.
    if (std::any_of(offered->begin(), offered->end(), [&](const Quote* q) { return q->sku == accelerator; })) {
      return std::nullopt;
    }
    // The quotes on offer to the buyer on the date (not yet observed, or
    // sold only to other regions, never were) decide: blocked when an export
    // rule refuses every one (on the date or at its likely delivery); a used
    // card resold inside the region may be allowed where a new one is not.
    std::vector<CheckedQuote> existing;
    if (const auto it = refused->find(accelerator); it != refused->end()) {
      for (const CheckedQuote& c : it->second) {
        const QuoteCategory category = c.verdict.category;
        if (category != QuoteCategory::kFuture && category != QuoteCategory::kRegion) existing.push_back(c);
      }
    }
    // Without one, the rules on the channels the buyer buys through.
    if (existing.empty()) return RuleOnEveryChannel(pm->market.rules, accelerator, use);
    const bool all_rules = std::all_of(existing.begin(), existing.end(), [](const CheckedQuote& c) {
      return c.verdict.category == QuoteCategory::kRule;
    });
    if (!all_rules) return std::nullopt;
    const bool licensable = std::all_of(existing.begin(), existing.end(), [](const CheckedQuote& c) {
      return c.verdict.availability.action == ExportAction::kLicenceRequired;
    });
    return BlockedBy{ExplainNoUsableQuote(existing, use), licensable};
  };
  out.quote = [pm](const std::string& id) -> const Quote* {
    for (const Quote& q : pm->market.quotes) {
      if (q.id == id) return &q;
    }
    return nullptr;
  };
  return out;
}

void AttachPriceReasons(const CardPrices& prices, CompareResult& result) {
  if (!result.reference_price) {
    result.reference_no_price = prices.why_none(result.reference_accelerator, result.reference_gpus);
  }
  if (auto blocked = prices.blocked(result.reference_accelerator)) {
    result.reference_blocked = blocked->reason;
    result.reference_blocked_licence = blocked->licence_required;
  }
  for (CompareEntry& e : result.candidates) {
    if (!e.price) e.no_price = prices.why_none(e.accelerator, e.gpus);
    if (auto blocked = prices.blocked(e.accelerator)) {
      e.blocked = blocked->reason;
      e.blocked_licence = blocked->licence_required;
    }
  }
  result.licences = prices.licences;
  PriceUsedCardRisk(result, prices.used_annual_failure_rate);
}

}  // namespace suanli
