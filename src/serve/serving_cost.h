// Cost per million output tokens of a serving fleet, rented (card-hours at a
// rental quote) or bought (the planner's ownership model, market/costs.h:
// the fleet kept for a stated period and resold at its end, with host
// servers, network, power and hosting). Prices come in from the market
// (plan/serve_prices.h); this file holds only the formulas.
#pragma once

#include <optional>
#include <string>

#include "market/costs.h"

namespace suanli {

// One accelerator's prices and running costs, in one currency.
struct DevicePricing {
  std::string accelerator;
  std::string currency;                      // currency of every money field
  std::optional<double> rent_per_card_hour;  // cheapest rental on offer (nullopt: none)
  std::string rent_quote;                    // its quote id
  std::string rent_observed;                 // its observation date, YYYY-MM-DD
  double rent_unit_price = 0;                // the rental's price per card-hour, or per unit-month when rent_per_month
  int rent_cards_per_unit = 1;               // cards of one rented unit (an 8-card server: 8)
  bool rent_per_month = false;               // billed per whole unit and started month (server-month quotes)
  std::optional<double> buy_per_card;        // cheapest purchase on offer, per card (nullopt: none)
  std::string buy_quote;                     // its quote id
  std::string buy_observed;                  // its observation date, YYYY-MM-DD
  double server_share_per_card = 0;          // chassis share added to a loose card's price
  double hosting_per_card_month = 0;         // rack, cooling, operations per card-month
  double power_price_per_kwh = 0;            // electricity price per kWh
  double pue = 1;                            // facility power / IT power
  double tdp_w = 0;                          // board power, watts (drawn all the time)
  OwnedPurchase buy_terms;                   // the purchase quote's terms (cards and days unset)
  CostSettings costs;                        // the buyer's running costs and resale curve, in `currency`
  double own_years = 3;                      // years a bought fleet is kept and serves, resold at the end
  std::string blocked_reason;                // export rules bar the buyer from it on the date (English); "" = not
  std::string blocked_reason_text;           // the same in the current language
};

// A fleet's cost per hour and per million output tokens; a field is nullopt
// where the price behind it is missing.
struct ServingCost {
  std::optional<double> rented_per_hour;   // the rental bill (RentalBill) over the service hours
  std::optional<double> rented_total;      // the rental bill over the service period (RentalBill)
  int rented_cards = 0;                    // cards the rental bills (whole units; RentedCards)
  std::optional<double> bought_per_hour;   // the ownership cost over the period / its hours
  std::optional<double> bought_total;      // the ownership cost over the period (CostOfOwning)
  std::optional<double> rented_per_mtok;   // rented_per_hour / (output tokens per hour / 1e6)
  std::optional<double> bought_per_mtok;   // bought_total / (output tokens over the period / 1e6)
  // Returns the cheaper of the two per-Mtok costs, or nullopt when neither is known.
  std::optional<double> Best() const;
  // Returns "rent" or "buy" for Best(), or "" when neither is known.
  std::string BestBasis() const;
};

// Returns the days a bought fleet serves: own_years x 12 x 30.44.
double ServiceDays(const DevicePricing& pricing);

// Returns the cost of owning `devices` cards of the purchase quote for the
// service period, as the planner prices a bought serving fleet (plan's
// PriceMix, market/costs.h CostOfOwning): delivered, set up for
// costs.setup_days, powered for ServiceDays, hosted and held from delivery
// to the end, then resold on the costs.yaml curve; nullopt without a purchase.
std::optional<OwnershipCost> OwnedFleetCost(const DevicePricing& pricing, int devices);

// Returns the cards of one whole server of the purchase (the node size for
// loose cards), the unit at which hosting and host servers are paid.
int ServerCards(const DevicePricing& pricing);

// Returns the cards a rental of `devices` devices bills: whole units of the
// quote (54 or 56 cards of an 8-card server-month quote: 56), else `devices`.
int RentedCards(const DevicePricing& pricing, int devices);

// Returns the rent of `devices` devices held `days` days, as the planner bills
// a rental (plan/option_cost.cc PriceMix): per card-hour, cards x price x
// hours; per unit-month, whole units x price x started months (a monthly
// contract bills a started month whole: 1 day of rental setup before a
// 12-month period is 13 months, where an hourly quote bills the 1 day).
// nullopt without a rental.
std::optional<double> RentalBill(const DevicePricing& pricing, int devices, double days);

// Returns the cost of `devices` cards serving `output_tokens_per_s` output
// tokens per second around the clock (the offered rate, not the peak the
// fleet could reach): rented, RentalBill from hand-over (the rental setup,
// costs.rental_setup_days, then ServiceDays serving) over the tokens of
// ServiceDays, as plan bills a rented serving fleet; bought, OwnedFleetCost
// over the tokens of ServiceDays.
ServingCost FleetCost(const DevicePricing& pricing, int devices, double output_tokens_per_s);

}  // namespace suanli
