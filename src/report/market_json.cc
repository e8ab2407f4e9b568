// JSON of the quote store's answers; see market_json.h.
#include "report/market_json.h"

#include "report/json_util.h"

namespace suanli {

using nlohmann::json;

json QuoteJson(const Quote& q) {
  return {{"id", q.id},
          {"supplier", q.supplier},
          {"channel", std::string(ChannelTierName(q.channel))},
          {"sku", q.sku},
          {"system", q.system},
          {"unit", std::string(QuoteUnitName(q.unit))},
          {"cards_per_unit", q.cards_per_unit},
          {"unit_price", RoundSig(q.unit_price)},
          {"currency", q.currency},
          {"observed", FormatDate(q.observed)},
          {"valid_until", FormatDate(q.valid_until)},
          {"quantity_available", q.quantity_available},
          {"lead_weeks", {{"min", RoundSig(q.lead_weeks_min)}, {"likely", RoundSig(q.lead_weeks_likely)},
                          {"max", RoundSig(q.lead_weeks_max)}}},
          {"condition", std::string(ConditionName(q.condition))},
          {"warranty_months", q.warranty_months},
          {"payment", {{"cash_up_front", q.payment.cash_up_front},
                       {"deposit_fraction", RoundSig(q.payment.deposit_fraction)},
                       {"net_days", q.payment.net_days}}},
          {"bundle_amount", RoundSig(q.bundle_amount)},
          {"bundle_fraction", RoundSig(q.bundle_fraction)},
          {"min_order", q.min_order},
          {"buyers", q.buyers},
          {"regions", q.regions},
          {"estimate", q.estimate},
          {"source", q.source},
          {"notes", q.notes}};
}

json QuotesJson(const std::vector<Quote>& quotes) {
  json items = json::array();
  for (const Quote& q : quotes) items.push_back(QuoteJson(q));
  return {{"quotes", items}};
}

json AvailabilityJson(const Availability& a) {
  return {{"allowed", a.allowed},
          {"flagged", a.flagged},
          {"action", std::string(ExportActionName(a.action))},
          {"rule", a.rule_id},
          {"reason", a.reason}};
}

json ErrorJson(const Error& error) {
  return {{"where", error.where}, {"message", error.message}, {"hint", error.hint}};
}

json ImportJson(const std::string& file, const ImportReport& report) {
  json rejected = json::array();
  for (const Error& e : report.rejected) rejected.push_back(ErrorJson(e));
  return {{"file", file},
          {"rows", report.rows},
          {"imported", report.imported},
          {"skipped_seed_rows", report.skipped},
          {"bad_rows", report.bad_rows},
          {"rejected", rejected}};
}

json StoreCheckJson(const StoreCheck& check) {
  return {{"path", check.path},         {"ok", check.ok},
          {"schema_version", check.schema_version}, {"quotes", check.quotes},
          {"fx_rates", check.fx_rates}, {"problems", check.problems}};
}

json RepairJson(const RepairReport& report) {
  return {{"path", report.path},
          {"backup_path", report.backup_path},
          {"quotes_imported", report.quotes_imported},
          {"seed_skipped", report.seed_skipped},
          {"fx_rates_salvaged", report.fx_rates_salvaged}};
}

json QuoteListingJson(const QuoteListing& listing, const std::vector<double>& per_card,
                      const QuoteFilter& filter, const std::string& currency, const std::vector<ListedPrice>& prices) {
  json items = json::array();
  for (size_t i = 0; i < listing.quotes.size(); ++i) {
    json item = QuoteJson(listing.quotes[i].quote);
    item["price_per_card"] = RoundSig(per_card[i]);
    if (i < prices.size() && listing.quotes[i].quote.currency != currency) {
      item["fx"] = {{"rate", prices[i].fx.rate},
                    {"rate_date", FormatDate(prices[i].fx.date)},
                    {"converted_on", FormatDate(prices[i].converted_on)},
                    {"source", prices[i].fx.source}};
    }
    item["availability"] = AvailabilityJson(listing.quotes[i].availability);
    if (!listing.quotes[i].superseded_by.empty()) item["superseded_by"] = listing.quotes[i].superseded_by;
    items.push_back(std::move(item));
  }
  json excluded = json::array();
  for (const ListedQuote& listed : listing.excluded) {
    json entry = {{"id", listed.quote.id}, {"sku", listed.quote.sku},
                  {"category", std::string(QuoteCategoryName(listed.category))},
                  {"reason", listed.availability.reason}};
    if (!listed.superseded_by.empty()) entry["superseded_by"] = listed.superseded_by;
    excluded.push_back(std::move(entry));
  }
  return {{"filter", {{"sku", filter.sku}, {"as_of", FormatDate(filter.as_of)}, {"buyer_region", filter.region},
                      {"buyer_tier", filter.buyer.tier}, {"allow_grey_market", filter.buyer.allow_grey_market},
                      {"max_quote_age_days", filter.as_of && filter.max_quote_age_days
                                                 ? json(*filter.max_quote_age_days) : json(nullptr)}}},
          {"currency", currency},
          {"quotes", items},
          {"excluded", excluded}};
}

json PriceHistoryJson(const std::string& sku, const std::string& currency,
                      const std::vector<HistoryPoint>& history) {
  json points = json::array();
  for (const HistoryPoint& p : history) {
    points.push_back({{"observed", FormatDate(p.observed)}, {"id", p.quote_id}, {"supplier", p.supplier},
                      {"channel", std::string(ChannelTierName(p.channel))},
                      {"condition", std::string(ConditionName(p.condition))},
                      {"unit", std::string(QuoteUnitName(p.unit))}, {"price", RoundSig(p.price)},
                      {"price_per_card", RoundSig(p.price_per_card)},
                      {"lead_weeks_likely", RoundSig(p.lead_weeks_likely)}, {"estimate", p.estimate}});
  }
  return {{"sku", sku}, {"currency", currency}, {"history", points}};
}

json FxRatesJson(const std::vector<FxRate>& rates) {
  json items = json::array();
  for (const FxRate& r : rates) {
    items.push_back(
        {{"date", FormatDate(r.date)}, {"from", r.from}, {"to", r.to}, {"rate", r.rate}, {"source", r.source}});
  }
  return {{"rates", items}};
}

json ChannelChecksJson(const std::string& sku, const std::string& region, const Date& date,
                       const std::vector<ChannelCheck>& checks) {
  json items = json::array();
  for (const auto& [channel, availability] : checks) {
    items.push_back(
        {{"channel", std::string(ChannelTierName(channel))}, {"availability", AvailabilityJson(availability)}});
  }
  return {{"sku", sku}, {"region", region}, {"date", FormatDate(date)}, {"channels", items}};
}

json RulesJson(const std::vector<const ExportRule*>& rules, const RulesScope& scope) {
  json items = json::array();
  for (const ExportRule* rule : rules) {
    const ExportRule& r = *rule;
    json channels = json::array();
    for (ChannelTier c : r.channels) channels.push_back(std::string(ChannelTierName(c)));
    items.push_back({{"id", r.id},       {"effective", FormatDate(r.effective)}, {"until", FormatDate(r.until)},
                     {"skus", r.skus},   {"regions", r.regions},       {"channels", channels},
                     {"action", std::string(ExportActionName(r.action))}, {"summary", r.summary},
                     {"source", r.source}});
  }
  return {{"filter", {{"sku", scope.sku}, {"region", scope.region}, {"date", FormatDate(scope.date)}}},
          {"total", scope.total},
          {"rules", items}};
}

}  // namespace suanli
