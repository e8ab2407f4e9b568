// Cost settings: the key table, the costs.yaml parser, overrides, conversion
// and the cost formulas.
#include "market/costs.h"

#include <algorithm>
#include <cassert>
#include <cmath>

#include <fmt/format.h>

#include "core/text.h"
#include "market/market.h"
#include "core/i18n.h"

namespace suanli {

const std::vector<CostField>& CostFields() {
  using C = CostSettings;
  static const std::vector<CostField> fields = {
      {"power_price_per_kwh", &C::power_price_per_kwh, nullptr, 0, 1e3, true},
      {"pue", &C::pue, nullptr, 1, 3, false},
      {"hosting_per_card_month", &C::hosting_per_card_month, nullptr, 0, 1e7, true},
      {"network_per_card", &C::network_per_card, nullptr, 0, 1e8, true},
      {"network_port_fixed_share", &C::network_port_fixed_share, nullptr, 0, 1, false},
      {"server_per_node", &C::server_per_node, nullptr, 0, 1e9, true},
      {"pcie_server_per_node", &C::pcie_server_per_node, nullptr, 0, 1e9, true},
      {"node_size", nullptr, &C::node_size, 1, 1024, false},
      {"annual_value_decline", &C::annual_value_decline, nullptr, 0, 1, false},
      {"resale_discount", &C::resale_discount, nullptr, 0, 1, false},
      {"ownership_years", &C::ownership_years, nullptr, 0.1, 20, false},
      {"utilisation", &C::utilisation, nullptr, 0.01, 1, false},
      {"used_annual_failure_rate", &C::used_annual_failure_rate, nullptr, 0, 1, false},
      {"new_annual_failure_rate", &C::new_annual_failure_rate, nullptr, 0, 1, false},
      {"idle_power_fraction", &C::idle_power_fraction, nullptr, 0, 1, false},
      {"new_card_warranty_months_assumed", nullptr, &C::new_card_warranty_months_assumed, 0, 120, false},
      {"failures_per_gpu_day", &C::failures_per_gpu_day, nullptr, 0, 1, false},
      {"setup_days", &C::setup_days, nullptr, 0, 365, false},
      {"rental_setup_days", &C::rental_setup_days, nullptr, 0, 365, false},
  };
  return fields;
}

const CostField* FindCostField(std::string_view key) {
  for (const CostField& field : CostFields())
    if (field.key == key) return &field;
  return nullptr;
}

namespace {

// Reads `yaml_key` of `map` into the field, checking its range.
Status ReadCostValue(const YamlMap& map, std::string_view yaml_key, const CostField& field, CostSettings& costs) {
  if (field.count != nullptr) {
    SUANLI_ASSIGN_OR_RETURN(const int64_t value, map.Int(yaml_key, static_cast<int64_t>(field.min),
                                                         static_cast<int64_t>(field.max)));
    costs.*field.count = static_cast<int>(value);
  } else {
    SUANLI_ASSIGN_OR_RETURN(costs.*field.number, map.Number(yaml_key, field.min, field.max));
  }
  return OkStatus();
}

// Reads `currency` and the CostFields() keys of `map` as {value, unit,
// source} into `out` (every key required when `required`); returns the keys
// read.
Result<std::vector<std::string>> ReadCostMapping(const YamlMap& map, bool required, CostSettings& out) {
  std::vector<std::string> known = {"currency"};
  for (const CostField& field : CostFields()) known.emplace_back(field.key);
  SUANLI_RETURN_IF_ERROR(CheckKnownKeys(map, known));
  SUANLI_ASSIGN_OR_RETURN(out.currency, map.String("currency"));
  std::vector<std::string> read;
  for (const CostField& field : CostFields()) {
    if (!required && !map.Has(field.key)) continue;
    SUANLI_ASSIGN_OR_RETURN(YamlMap entry, map.Map(field.key));
    SUANLI_RETURN_IF_ERROR(entry.CheckKeys({"value", "unit", "source"}));
    SUANLI_ASSIGN_OR_RETURN(out.sources[std::string(field.key)], entry.String("source"));
    SUANLI_RETURN_IF_ERROR(ReadCostValue(entry, "value", field, out));
    read.emplace_back(field.key);
  }
  return read;
}

// Parses regions.<name>: currency and key: {value, unit, source} for some
// CostFields() keys.
Result<RegionCosts> ParseRegionCosts(const YamlMap& regions, const std::string& name) {
  SUANLI_ASSIGN_OR_RETURN(YamlMap map, regions.Map(name));
  CostSettings values;
  SUANLI_ASSIGN_OR_RETURN(const std::vector<std::string> keys, ReadCostMapping(map, false, values));
  RegionCosts out;
  out.currency = values.currency;
  for (const std::string& key : keys) {
    const CostField& field = *FindCostField(key);
    out.values[key] = field.count != nullptr ? static_cast<double>(values.*field.count) : values.*field.number;
    out.sources[key] = values.sources.at(key);
  }
  return out;
}

}  // namespace

Status ReadCostOverride(const YamlMap& map, std::string_view key, CostSettings& costs) {
  const CostField* field = FindCostField(key);
  assert(field != nullptr && "ReadCostOverride takes CostFields() keys");
  return ReadCostValue(map, key, *field, costs);
}

Status CheckKnownKeys(const YamlMap& map, const std::vector<std::string>& known) {
  if (!map.node().IsMap()) return MakeError(Tr("must be a mapping"), map.Where());
  for (const auto& entry : map.node()) {
    const std::string key = entry.first.Scalar();
    if (std::find(known.begin(), known.end(), key) != known.end()) continue;
    std::string hint = DidYouMean(NearestMatches(key, known));
    if (hint.empty()) hint = TrFormat("known fields: {}", Join(known, ", "));
    return MakeError(TrFormat("unknown field '{}'", key), map.Where(key), hint);
  }
  return OkStatus();
}

Result<CostSettings> ParseCosts(std::string_view text, const std::string& file_name) {
  SUANLI_ASSIGN_OR_RETURN(YAML::Node root, ParseYaml(text, file_name));
  YamlMap top(root, file_name, "");
  SUANLI_RETURN_IF_ERROR(top.CheckKeys({"costs", "regions"}));
  SUANLI_ASSIGN_OR_RETURN(YamlMap costs, top.Map("costs"));
  CostSettings out;
  SUANLI_ASSIGN_OR_RETURN(const std::vector<std::string> read, ReadCostMapping(costs, true, out));
  (void)read;  // every key is required
  if (top.Has("regions")) {
    SUANLI_ASSIGN_OR_RETURN(YamlMap regions, top.Map("regions"));
    for (const auto& entry : regions.node()) {
      const std::string region = ToLower(entry.first.Scalar());
      SUANLI_ASSIGN_OR_RETURN(out.regions[region], ParseRegionCosts(regions, entry.first.Scalar()));
    }
  }
  return out;
}

Result<CostSettings> CostsForRegion(const CostSettings& costs, const FxTable& fx, const std::string& region,
                                    Date date) {
  auto it = costs.regions.find(ToLower(region));
  if (it == costs.regions.end()) return costs;
  const RegionCosts& r = it->second;
  SUANLI_ASSIGN_OR_RETURN(CostSettings out, CostsIn(costs, fx, r.currency, date));
  for (const auto& [key, value] : r.values) {
    const CostField* field = FindCostField(key);
    if (field->count != nullptr) {
      out.*field->count = static_cast<int>(value);
    } else {
      out.*field->number = value;
    }
    out.sources[key] = r.sources.at(key);
  }
  out.region_applied = region;
  return out;
}

Result<CostSettings> CostsIn(const CostSettings& costs, const FxTable& fx, const std::string& currency, Date date) {
  CostSettings out = costs;
  out.currency = currency;
  for (const CostField& field : CostFields()) {
    if (!field.money) continue;
    auto converted = fx.Convert(costs.*field.number, costs.currency, currency, date);
    if (!converted.ok()) {
      return MakeError(TrFormat("{} on {}", converted.error().message, FormatDate(date)),
                       fmt::format("costs.{}", field.key), converted.error().hint);
    }
    out.*field.number = *converted;
  }
  return out;
}

double ExpectedReplacementCost(int cards, double unit_price, double annual_failure_rate, double months,
                               int warranty_months) {
  const double exposed_months = std::max(0.0, months - static_cast<double>(warranty_months));
  return static_cast<double>(cards) * annual_failure_rate * exposed_months / kMonthsPerYear * unit_price;
}

double ResaleFraction(const CostSettings& costs, double years) {
  return (1.0 - costs.resale_discount) * std::pow(1.0 - costs.annual_value_decline, std::max(0.0, years));
}

double PowerCost(double tdp_w, int cards, double hours, double pue, double price_per_kwh) {
  return tdp_w * static_cast<double>(cards) * hours / 1000.0 * pue * price_per_kwh;
}

bool WarrantyAssumed(const OwnedPurchase& p) {
  return !p.used && !p.grey_market && !p.warranty_stated && p.warranty_months <= 0;
}

int EffectiveWarrantyMonths(const OwnedPurchase& p, const CostSettings& k) {
  if (p.warranty_months > 0) return p.warranty_months;
  return WarrantyAssumed(p) ? k.new_card_warranty_months_assumed : 0;
}

int InstalledCards(const OwnedPurchase& p) {
  if (!p.server_unit) return p.cards;
  const int per_server = std::max(1, p.cards_per_unit);
  return (p.cards + per_server - 1) / per_server * per_server;
}

double PaidBeforeDeliveryShare(const PaymentTerms& terms) {
  if (terms.cash_up_front) return 1.0;
  if (terms.deposit_fraction > 0) return std::clamp(terms.deposit_fraction, 0.0, 1.0);
  if (terms.net_days > 0) return 0.0;
  return 1.0;  // terms not stated: assumed paid before the goods cross the border
}

double HostServerPerNode(const OwnedPurchase& p, const CostSettings& k) {
  return p.pcie_host ? k.pcie_server_per_node : k.server_per_node;
}

double NetworkPerCard(const OwnedPurchase& p, const CostSettings& k) {
  constexpr double kReferencePortGbps = 400.0;
  const double f = k.network_port_fixed_share;
  return std::max(0.0, p.network_ports_per_card) * k.network_per_card *
         (f + (1.0 - f) * std::max(0.0, p.port_gbps) / kReferencePortGbps);
}

OwnershipCost CostOfOwning(const OwnedPurchase& p, const CostSettings& k) {
  OwnershipCost c;
  const double cards = static_cast<double>(p.cards);
  // The cards paid for are installed: a whole server of a server quote is
  // delivered, racked, cabled and powered whether the job uses all its cards
  // or not, so what scales with installed hardware follows these.
  const double installed = static_cast<double>(InstalledCards(p));
  const double nodes = std::ceil(cards / std::max(1, k.node_size));
  const double network = p.includes_network ? 0.0 : installed * NetworkPerCard(p, k);
  if (p.server_unit) {
    c.purchase = std::ceil(cards / std::max(1, p.cards_per_unit)) * p.unit_price;
    c.servers = network;
  } else {
    c.purchase = p.cards * p.unit_price;
    c.servers = nodes * HostServerPerNode(p, k) + network;
  }
  c.bundle = p.bundle_amount + p.bundle_fraction * c.purchase;
  const double run_hours = DaysToHours(p.run_days);
  c.power = PowerCost(p.tdp_w, p.cards, run_hours, k.pue, k.power_price_per_kwh) +
            k.idle_power_fraction *
                PowerCost(p.tdp_w, static_cast<int>(installed) - p.cards, run_hours, k.pue, k.power_price_per_kwh);
  // Hosting is a rack position per server (data/market/costs.yaml), paid
  // per card slot: whole servers of a server quote, whole nodes of loose
  // cards, so the slots a smaller cluster leaves empty are paid too.
  const int per_server = std::max(1, p.server_unit ? p.cards_per_unit : k.node_size);
  const double hosted_cards = std::ceil(cards / per_server) * per_server;
  c.hosting = hosted_cards * k.hosting_per_card_month * p.held_days / kDaysPerMonth;
  // Replacements of cards past their warranty (used at the used rate, new at
  // the new rate) and the resale value follow the holding period (delivery
  // to the end), not a fixed year.
  const double held_months = p.held_days / kDaysPerMonth;
  const int warranty_months = EffectiveWarrantyMonths(p, k);
  if (warranty_months < held_months) {
    const double rate = p.used ? k.used_annual_failure_rate : k.new_annual_failure_rate;
    c.replacement_risk = ExpectedReplacementCost(p.cards, p.card_price, rate, held_months, warranty_months);
  }
  // Cards and host servers resold at the end on the time-based curve, the
  // cards at the market's price for such a card (what a used-card buyer
  // pays against), never above what was paid: a premium paid for fast
  // delivery is not credited back.
  // (A server's price, chassis included, scales by the same ratio.)
  const double resale_share =
      p.card_price > 0 && p.resale_card_price > 0 ? std::min(1.0, p.resale_card_price / p.card_price) : 1.0;
  const double hardware = resale_share * c.purchase + (p.server_unit ? 0.0 : nodes * HostServerPerNode(p, k));
  c.residual = ResaleFraction(k, p.held_days / (kDaysPerMonth * kMonthsPerYear)) * hardware;
  return c;
}

}  // namespace suanli
