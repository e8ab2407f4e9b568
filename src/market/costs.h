// Running-cost and risk settings (power, hosting, servers, network, failures,
// residual value, setup): one struct, loaded from data/market/costs.yaml (the
// only source of defaults), overridden by key, converted to a currency once.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/result.h"
#include "core/yaml_reader.h"

namespace suanli {

class FxTable;
struct PaymentTerms;

// A region's own defaults for some keys (power, PUE, hosting, servers,
// network), in its currency, each with its source.
struct RegionCosts {
  std::string currency;
  std::map<std::string, double> values;       // CostFields() key -> value
  std::map<std::string, std::string> sources;  // key -> source
};

// Cost and risk settings. Money fields are in `currency`. The fields have no
// defaults here: data/market/costs.yaml gives every value with its source.
struct CostSettings {
  std::string currency;                 // currency of every money field
  double power_price_per_kwh = 0;       // currency per kWh
  double pue = 0;                       // facility power / IT power
  double hosting_per_card_month = 0;    // currency per card per month (rack, cooling, ops)
  double server_per_node = 0;           // currency per node: baseboard chassis, CPUs, RAM, NVMe for loose SXM/OAM modules
  double pcie_server_per_node = 0;      // currency per node: PCIe GPU server for loose PCIe cards (no NVLink/NVSwitch board)
  double network_per_card = 0;          // currency per 400 Gb/s scale-out port (NIC, switch share, optics)
  double network_port_fixed_share = 0;  // share of a port's cost that does not scale with its speed, 0..1
  int node_size = 0;                    // cards per node
  double annual_value_decline = 0;      // resale value lost per year owned (declining balance), fraction
  double resale_discount = 0;           // share of that value lost in the sale itself (broker, testing, no warranty)
  double ownership_years = 0;           // years an owned cluster is kept (break-even horizon)
  double utilisation = 0;               // fraction of hours an owned cluster does useful work over its life
  double used_annual_failure_rate = 0;  // cards failing per card-year, used without warranty
  double new_annual_failure_rate = 0;   // cards failing per card-year, new (replaced at cost past the warranty)
  double idle_power_fraction = 0;       // an installed, powered card's idle draw / its TDP (paid cards left idle)
  int new_card_warranty_months_assumed = 0;  // months of maker's warranty assumed for a new card whose quote states none
  double failures_per_gpu_day = 0;      // job interruptions per GPU-day
  double setup_days = 0;                // bought cards: racking, burn-in, software bring-up after delivery, days
  double rental_setup_days = 0;         // rented cards: the renter's software bring-up after hand-over, days (billed)
  std::map<std::string, std::string> sources;  // key -> source or "estimate: reasoning"
  std::map<std::string, RegionCosts> regions;  // buyer region (lower case) -> its own defaults
  std::string region_applied;                  // the region whose defaults CostsForRegion applied ("" = none)
};

// One key of the settings: its name (the YAML key in costs.yaml and in a
// scenario's `costs:`), the field, its range and whether it is money.
struct CostField {
  std::string_view key;
  double CostSettings::*number = nullptr;  // set for real-valued fields
  int CostSettings::*count = nullptr;      // set for whole-number fields
  double min = 0, max = 0;                 // accepted range, inclusive
  bool money = false;                      // converted between currencies
  bool overridable = true;                 // a scenario may set it
};
// Returns every settable key, in costs.yaml order.
const std::vector<CostField>& CostFields();
// Returns the field of `key`, or nullptr when it is not a cost key.
const CostField* FindCostField(std::string_view key);

// Returns an error naming the first key of `map` not in `known` (file:line,
// nearest match); `map` must be a mapping. For key lists built at run time.
Status CheckKnownKeys(const YamlMap& map, const std::vector<std::string>& known);
// Parses a YAML document with a top-level `costs:` mapping of `currency` and
// key: {value, unit, source} for every key of CostFields().
Result<CostSettings> ParseCosts(std::string_view text, const std::string& file_name);
// Reads `key` (a CostFields() key) from `map` as a plain number in range and
// sets it in `costs`; errors name the field's file:line.
Status ReadCostOverride(const YamlMap& map, std::string_view key, CostSettings& costs);
// Returns the settings for a buyer in `region`: its regional defaults (in
// their currency) over the base ones converted to that currency, or the base
// ones unchanged when the region has none (region_applied says which).
Result<CostSettings> CostsForRegion(const CostSettings& costs, const FxTable& fx, const std::string& region,
                                    Date date);
// Returns the settings with every money field converted to `currency` at `date`.
Result<CostSettings> CostsIn(const CostSettings& costs, const FxTable& fx, const std::string& currency, Date date);

// Expected cost of replacing cards that fail outside warranty over `months`:
//   cards x annual_failure_rate x max(0, months - warranty_months) / 12 x unit_price.
// Assumes a constant failure rate (exponential lifetimes, rate << 1 so the
// expected count ~ rate x time), failed cards replaced at the same price,
// and failures inside the warranty replaced free. Currency of unit_price.
double ExpectedReplacementCost(int cards, double unit_price, double annual_failure_rate,
                               double months, int warranty_months);
// Resale value after `years` owned / purchase price:
// (1 - resale_discount) * (1 - annual_value_decline)^years.
double ResaleFraction(const CostSettings& costs, double years);
// Electricity cost: tdp_w x cards x hours / 1000 x pue x price_per_kwh
// (cards assumed to draw their TDP; host power folded into the PUE).
double PowerCost(double tdp_w, int cards, double hours, double pue, double price_per_kwh);

// One purchase from one quote, held from delivery to the end of a period (a
// training job or a service), the terms the ownership cost needs.
struct OwnedPurchase {
  int cards = 0;                // cards bought
  double unit_price = 0;        // per card, or per server of cards_per_unit cards (server_unit)
  bool server_unit = false;     // priced per server (chassis included: no host server added)
  int cards_per_unit = 1;       // cards per server of a server quote
  double bundle_amount = 0;     // bundled purchase the supplier requires, currency
  double bundle_fraction = 0;   // bundled purchase as a fraction of the purchase
  bool used = false;            // not new: failures past the warranty at the used rate, else the new rate
  int warranty_months = 0;      // warranty of the cards as quoted, months (0 = none or not stated)
  bool warranty_stated = false; // the quote states warranty_months (an explicit 0 = none)
  bool grey_market = false;     // bought on the grey market: no manufacturer warranty reaches the buyer
  double card_price = 0;        // one card's price paid (per-card share of a server), for replacements
  double resale_card_price = 0; // the market's price of one such card (resale basis); 0 = card_price
  bool includes_network = false;  // the price includes the scale-out network (no network_per_card added)
  double tdp_w = 0;             // board power, watts
  // The server loose cards go into (the accelerator's usual system): a PCIe
  // server or a baseboard one, and its scale-out ports per card and speed.
  bool pcie_host = false;             // PCIe cards: pcie_server_per_node, else server_per_node
  double network_ports_per_card = 1;  // scale-out NICs per card (a node's NICs / its cards)
  double port_gbps = 400;             // speed of each scale-out port, Gb/s
  double held_days = 0;         // delivery to the end: hosting, replacements, resale
  double run_days = 0;          // days powered (the job or the service)
};

// Returns the warranty (months) the cards of `p` carry against replacement
// costs: the quote's warranty_months when > 0; 0 for grey-market cards (no
// manufacturer warranty reaches the buyer), for an explicit 0 and for used
// cards whose quote states none; else (a new card through a manufacturer,
// distributor, server maker or reseller, warranty not stated) the maker's
// warranty assumed, costs.new_card_warranty_months_assumed.
int EffectiveWarrantyMonths(const OwnedPurchase& p, const CostSettings& costs);
// Returns true when EffectiveWarrantyMonths(p, ...) is the assumed maker's
// warranty (a new card whose quote does not state one, not grey market).
bool WarrantyAssumed(const OwnedPurchase& p);

// Returns the host server of one node of loose cards of `p`, currency:
// pcie_server_per_node for PCIe cards, else server_per_node.
double HostServerPerNode(const OwnedPurchase& p, const CostSettings& costs);
// Returns the scale-out network per card of `p`, currency: its ports per
// card x network_per_card x (f + (1 - f) x port_gbps / 400), f =
// network_port_fixed_share (a 400 Gb/s port costs network_per_card; a
// slower one less, its NIC, switch port and optics scaling with speed).
double NetworkPerCard(const OwnedPurchase& p, const CostSettings& costs);

// Returns the cards installed (paid for) when `p.cards` are used: whole
// servers of a server quote, else the cards themselves.
int InstalledCards(const OwnedPurchase& p);

// Returns the share (0..1) of a purchase paid before delivery under `terms`,
// the money an export rule stopping the delivery at the border takes:
// 1 for cash up front and for unstated terms, deposit_fraction for a
// deposit, 0 for net terms without a deposit (paid after delivery).
double PaidBeforeDeliveryShare(const PaymentTerms& terms);

// The cost of owning an OwnedPurchase, by term, in the settings' currency.
struct OwnershipCost {
  double purchase = 0;          // cards or servers
  double bundle = 0;            // bundled purchase
  double servers = 0;           // host servers for loose cards (whole nodes) and a network port per installed card
  double power = 0;             // PowerCost over the days run: cards used at TDP, paid idle ones at idle draw
  double hosting = 0;           // per card slot of the servers owned, per month held
  double replacement_risk = 0;  // ExpectedReplacementCost of cards past their warranty over the months held
  double residual = 0;          // resale value at the end (ResaleFraction over the years held) of cards and servers
  // Returns purchase + bundle + servers + power + hosting + replacement_risk - residual.
  double Total() const { return purchase + bundle + servers + power + hosting + replacement_risk - residual; }
};

// Returns the cost of owning `p` under `costs` (the planner's ownership model,
// shared by `plan` and `serve`); installed = InstalledCards(p) (the cards paid):
//   purchase = cards x price (or whole servers x server price)
//   servers  = whole nodes x HostServerPerNode (loose cards)
//              + installed x NetworkPerCard (0 when the price includes the network)
//   power    = PowerCost(tdp, cards, run hours)
//              + idle_power_fraction x PowerCost(tdp, installed - cards, run hours)
//   hosting  = card slots of whole servers x hosting_per_card_month x months held
//   residual = ResaleFraction(years held)
//              x (installed x min(card_price, resale_card_price) + host servers)
// plus bundles and, for cards past their warranty (EffectiveWarrantyMonths),
// ExpectedReplacementCost at used_annual_failure_rate (used cards) or
// new_annual_failure_rate (new).
OwnershipCost CostOfOwning(const OwnedPurchase& p, const CostSettings& costs);

}  // namespace suanli
