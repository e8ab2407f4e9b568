// Enum tables, resolvers and the seed loader.
#include "market/market.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

#include <fmt/format.h>

#include "core/embedded.h"
#include "core/text.h"
#include "core/yaml_reader.h"
#include "core/i18n.h"

namespace suanli {
namespace {

template <class E, size_t N>
Result<E> ParseFromTable(std::string_view text, const std::array<std::pair<E, std::string_view>, N>& table,
                         const std::string& unknown_message) {
  const std::string lower = ToLower(text);
  std::vector<std::string> names;
  for (const auto& [value, name] : table) {
    if (lower == name) return value;
    names.emplace_back(name);
  }
  std::string hint = DidYouMean(NearestMatches(text, names));
  if (hint.empty()) hint = TrFormat("one of: {}", Join(names, ", "));
  return MakeError(unknown_message, "", hint);
}

template <class E, size_t N>
std::string_view NameFromTable(E value, const std::array<std::pair<E, std::string_view>, N>& table) {
  for (const auto& [v, name] : table)
    if (v == value) return name;
  assert(false && "enum value missing from its table");
  return "?";
}

constexpr std::array<std::pair<ChannelTier, std::string_view>, 6> kChannelNames = {{
    {ChannelTier::kManufacturerDirect, "manufacturer-direct"},
    {ChannelTier::kNationalDistributor, "national-distributor"},
    {ChannelTier::kServerMaker, "server-maker"},
    {ChannelTier::kReseller, "reseller"},
    {ChannelTier::kGreyMarket, "grey-market"},
    {ChannelTier::kCloud, "cloud"},
}};
constexpr std::array<std::pair<Condition, std::string_view>, 3> kConditionNames = {{
    {Condition::kNew, "new"},
    {Condition::kUsedPulled, "used-pulled"},
    {Condition::kRefurbished, "refurbished"},
}};
constexpr std::array<std::pair<QuoteUnit, std::string_view>, 4> kUnitNames = {{
    {QuoteUnit::kCard, "card"},
    {QuoteUnit::kServer, "server"},
    {QuoteUnit::kGpuHour, "gpu-hour"},
    {QuoteUnit::kServerMonth, "server-month"},
}};
constexpr std::array<std::pair<ExportAction, std::string_view>, 3> kActionNames = {{
    {ExportAction::kBan, "ban"},
    {ExportAction::kLicenceRequired, "licence-required"},
    {ExportAction::kAllow, "allow"},
}};

}  // namespace

std::string_view ChannelTierName(ChannelTier channel) { return NameFromTable(channel, kChannelNames); }
Result<ChannelTier> ParseChannelTier(std::string_view text) {
  return ParseFromTable(text, kChannelNames, TrFormat("unknown channel '{}'", text));
}
const std::vector<ChannelTier>& AllChannelTiers() {
  static const std::vector<ChannelTier> all = [] {
    std::vector<ChannelTier> out;
    for (const auto& entry : kChannelNames) out.push_back(entry.first);
    return out;
  }();
  return all;
}

std::string_view ConditionName(Condition condition) { return NameFromTable(condition, kConditionNames); }
Result<Condition> ParseCondition(std::string_view text) {
  if (ToLower(text) == "used") return Condition::kUsedPulled;
  return ParseFromTable(text, kConditionNames, TrFormat("unknown condition '{}'", text));
}

std::string_view QuoteUnitName(QuoteUnit unit) { return NameFromTable(unit, kUnitNames); }
Result<QuoteUnit> ParseQuoteUnit(std::string_view text) {
  return ParseFromTable(text, kUnitNames, TrFormat("unknown unit '{}'", text));
}
bool IsRental(QuoteUnit unit) { return unit == QuoteUnit::kGpuHour || unit == QuoteUnit::kServerMonth; }

std::string_view ExportActionName(ExportAction action) { return NameFromTable(action, kActionNames); }
Result<ExportAction> ParseExportAction(std::string_view text) {
  if (ToLower(text) == "license-required") return ExportAction::kLicenceRequired;
  return ParseFromTable(text, kActionNames, TrFormat("unknown action '{}'", text));
}

Result<Date> ParseMarketDate(std::string_view text) {
  auto date = ParseMonthOrDate(text);
  if (!date.ok())
    return MakeError(TrFormat("malformed date '{}'", text), "", Tr("write YYYY-MM-DD or YYYY-MM, e.g. 2023-06-15"));
  return *date;
}

std::string PaymentTermsText(const PaymentTerms& payment) {
  if (payment.cash_up_front) return "cash up front";
  std::vector<std::string> parts;
  if (payment.deposit_fraction > 0)
    parts.push_back(fmt::format("{:g}% deposit", std::round(payment.deposit_fraction * 1000) / 10));
  if (payment.net_days > 0) parts.push_back(fmt::format("net {}", payment.net_days));
  return parts.empty() ? "standard" : Join(parts, ", ");
}

SkuResolver MakeListResolver(std::vector<std::string> known_ids) {
  return [ids = std::move(known_ids)](std::string_view query) -> Result<std::string> {
    const std::string key = NormalizeId(query);
    for (const auto& id : ids)
      if (NormalizeId(id) == key) return id;
    std::string hint = DidYouMean(NearestMatches(query, ids));
    return MakeError(TrFormat("unknown accelerator '{}'", query), "",
                     hint.empty() ? Tr("use a catalog id (suanli catalog accelerators)") : hint);
  };
}

// ------------------------------------------------------------ the market ---

Result<Market> LoadSeedMarket(const SkuResolver& resolver, const std::vector<AcceleratorExportFacts>* facts) {
  auto embedded = [](std::string_view name) -> Result<std::string_view> {
    const std::string_view text = FindEmbeddedFile(name);
    if (text.empty())
      return MakeError(TrFormat("embedded data file '{}' is missing", name), "",
                       Tr("rebuild suanli: data/market files are embedded at build time"));
    return text;
  };
  Market market;
  SUANLI_ASSIGN_OR_RETURN(std::string_view fx_text, embedded("market/fx.yaml"));
  SUANLI_ASSIGN_OR_RETURN(market.fx, ParseFx(fx_text, "data/market/fx.yaml"));
  SUANLI_ASSIGN_OR_RETURN(std::string_view quotes_text, embedded("market/quotes.yaml"));
  SUANLI_ASSIGN_OR_RETURN(market.quotes, ParseQuotes(quotes_text, "data/market/quotes.yaml", resolver));
  SUANLI_ASSIGN_OR_RETURN(std::string_view rules_text, embedded("market/export_rules.yaml"));
  SUANLI_ASSIGN_OR_RETURN(market.rules,
                          ParseExportRules(rules_text, "data/market/export_rules.yaml", resolver, facts));
  SUANLI_ASSIGN_OR_RETURN(std::string_view costs_text, embedded("market/costs.yaml"));
  SUANLI_ASSIGN_OR_RETURN(market.costs, ParseCosts(costs_text, "data/market/costs.yaml"));
  return market;
}

Result<double> QuotePriceIn(const Quote& quote, const FxTable& fx, std::string_view currency) {
  auto converted = fx.Convert(quote.unit_price, quote.currency, currency, quote.observed);
  if (!converted.ok()) {
    Error error = converted.error();
    if (error.where.empty()) error.where = quote.where.empty() ? "quote " + quote.id : quote.where;
    return error;
  }
  return *converted;
}

Result<double> QuotePricePerCardIn(const Quote& quote, const FxTable& fx, std::string_view currency) {
  SUANLI_ASSIGN_OR_RETURN(double price, QuotePriceIn(quote, fx, currency));
  return price / static_cast<double>(CardsPerPrice(quote));
}

int CardsPerPrice(const Quote& quote) {
  return quote.unit == QuoteUnit::kGpuHour ? 1 : std::max(1, quote.cards_per_unit);
}

}  // namespace suanli
