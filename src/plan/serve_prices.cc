// Serving prices from the planner's market view (plan/serve_prices.h).
#include "plan/serve_prices.h"

#include <algorithm>

#include "core/date.h"
#include "core/text.h"
#include "market/export_rules.h"
#include "market/market.h"
#include "plan/market_adapter.h"
#include "plan/option_cost.h"
#include "plan/scenario.h"

namespace suanli {
namespace {

// Returns the newest observation date among the seed quotes serving buyers
// in `region` (a quote naming no regions serves any; every quote when none
// names the region). Until session 21 it was the newest quote of any region
// (2026-11-09, a US quote), on which every CN quote was stale: a CN buyer
// without --date saw no price at all.
Result<Date> NewestSeedQuote(const std::string& region) {
  SUANLI_ASSIGN_OR_RETURN(const Market market, LoadSeedMarket());
  Date newest, newest_any;
  for (const Quote& q : market.quotes) {
    newest_any = std::max(newest_any, q.observed);
    const bool serves = q.regions.empty() || std::any_of(q.regions.begin(), q.regions.end(), [&](const std::string& r) {
                          return ToLower(r) == ToLower(region);
                        });
    if (serves) newest = std::max(newest, q.observed);
  }
  return newest == Date{} ? newest_any : newest;
}

// Returns why no quote of `sku` renting (`rent`) or selling cards is on offer:
// each seed quote of that kind with the planner's verdict for `use`; one the
// check passes but the market view still refused (a rule in force at the
// likely delivery) with that reason.
ReasonText WhyNoQuote(const Market& seed, const PlanMarket& market, const std::string& sku, bool rent,
                      const QuoteUse& use) {
  std::vector<CheckedQuote> checked;
  for (const Quote& q : seed.quotes) {
    if (q.sku != sku || IsRental(q.unit) != rent) continue;
    CheckedQuote c{&q, CheckQuoteUse(seed.rules, q, use)};
    for (const PlanQuote& p : market.quotes) {
      if (p.id != q.id || p.allowed || !c.verdict.usable()) continue;
      c.verdict.category = QuoteCategory::kRule;
      c.verdict.availability.reason = c.verdict.availability.reason_text = p.blocked_reason;
    }
    checked.push_back(c);
  }
  return ExplainNoUsableQuote(checked, use);
}

}  // namespace

Result<ServePrices> LoadServePrices(const Catalog& catalog, const ServeBuyer& buyer) {
  ServePrices out;
  out.region = buyer.region;
  out.currency = buyer.currency;
  out.date_defaulted = !buyer.date.has_value();
  if (buyer.date) {
    out.date = *buyer.date;
  } else {
    SUANLI_ASSIGN_OR_RETURN(out.date, NewestSeedQuote(buyer.region));
  }
  Scenario scenario;
  scenario.file_name = "serve";
  scenario.buyer.region = buyer.region;
  scenario.buyer.tier = "enterprise";
  scenario.buyer.date = out.date;
  scenario.buyer.currency = buyer.currency;
  // The licences held lift their licence-required rules, as plan's buyer.licences.
  scenario.buyer.licences = buyer.licences;
  scenario.buyer.licences_where = "--licence";
  // The planner's staleness limit: a quote older than it without valid_until
  // is not on offer, and the report says why (WhyNoQuote).
  scenario.market.max_quote_age_days = buyer.max_quote_age_days > 0 ? buyer.max_quote_age_days
                                                                    : kDefaultMaxQuoteAgeDays;
  out.max_quote_age_days = scenario.market.max_quote_age_days;
  SUANLI_ASSIGN_OR_RETURN(const PlanMarket market, LoadPlanMarket(scenario, catalog));
  const std::vector<AcceleratorExportFacts> facts = ExportFactsOf(catalog.accelerators());
  SUANLI_ASSIGN_OR_RETURN(const Market seed, LoadSeedMarket(nullptr, &facts));
  const QuoteUse use = QuoteUseOf(scenario);
  out.notes = market.notes;
  out.costs_region = market.costs.region_applied;
  const PlanCosts& k = market.costs;
  for (const Accelerator& a : catalog.accelerators()) {
    const PlanAccelerator accel = PlanAcceleratorOf(a, catalog.DefaultSystemFor(a.id));
    DevicePricing p;
    p.accelerator = a.id;
    p.currency = buyer.currency;
    p.hosting_per_card_month = k.hosting_per_card_month;
    p.power_price_per_kwh = k.power_price_per_kwh;
    p.pue = k.pue;
    p.tdp_w = a.tdp_w;
    p.own_years = buyer.own_years;
    p.costs = k;  // the planner's ownership model and running costs (market/costs.h)
    for (const PlanQuote& q : market.quotes) {
      if (q.sku != a.id || !q.allowed) continue;
      if (q.mode == BuyMode::kRent) {
        const double hour = RentPerCardHour(q);
        if (p.rent_per_card_hour && *p.rent_per_card_hour <= hour) continue;
        p.rent_per_card_hour = hour;
        // Billed as plan bills it: per card-hour, or whole units and started months.
        p.rent_per_month = q.unit != QuoteUnit::kGpuHour;
        p.rent_unit_price = p.rent_per_month ? q.unit_price : hour;
        p.rent_cards_per_unit = p.rent_per_month ? std::max(1, q.cards_per_unit) : 1;
        p.rent_quote = q.id;
        p.rent_observed = FormatDate(q.observed);
      } else {
        const bool server = q.unit == QuoteUnit::kServer;
        const double card = q.unit_price / std::max(1, q.cards_per_unit);
        const OwnedPurchase terms = OwnedTerms(q, accel);
        const double share = server ? 0 : HostServerPerNode(terms, k) / std::max(1, k.node_size);
        if (p.buy_per_card && *p.buy_per_card + p.server_share_per_card <= card + share) continue;
        p.buy_per_card = card;
        p.server_share_per_card = share;
        p.buy_terms = terms;
        p.buy_quote = q.id;
        p.buy_observed = FormatDate(q.observed);
      }
    }
    // Barred by the export rules through an authorised channel (no grey
    // market; a licence the buyer holds lifts its rule): the ranking marks it
    // and lists it after the rest.
    const Availability exported = CheckExport(seed.rules, a.id, buyer.region, ChannelTier::kNationalDistributor,
                                              out.date, false, buyer.licences);
    if (!exported.allowed && !p.rent_per_card_hour && !p.buy_per_card) {
      p.blocked_reason = exported.reason;
      p.blocked_reason_text = exported.reason_text.empty() ? exported.reason : exported.reason_text;
    }
    if (!p.rent_per_card_hour) out.no_rent_reason[a.id] = WhyNoQuote(seed, market, a.id, true, use);
    if (!p.buy_per_card) out.no_buy_reason[a.id] = WhyNoQuote(seed, market, a.id, false, use);
    out.by_accelerator.emplace(a.id, p);
  }
  return out;
}

}  // namespace suanli
