// Cost per million output tokens of a serving fleet, rented (card-hours at a
// rental quote) or bought (the purchase amortised over a stated period plus
// power and hosting). Prices come in from the market (plan/serve_prices.h);
// this file holds only the formulas.
#pragma once

#include <optional>
#include <string>

namespace suanli {

// One accelerator's prices and running costs, in one currency.
struct DevicePricing {
  std::string accelerator;
  std::string currency;                      // currency of every money field
  std::optional<double> rent_per_card_hour;  // cheapest rental on offer (nullopt: none)
  std::string rent_quote;                    // its quote id
  std::string rent_observed;                 // its observation date, YYYY-MM-DD
  std::optional<double> buy_per_card;        // cheapest purchase on offer, per card (nullopt: none)
  std::string buy_quote;                     // its quote id
  std::string buy_observed;                  // its observation date, YYYY-MM-DD
  double server_share_per_card = 0;          // chassis share added to a loose card's price
  double hosting_per_card_month = 0;         // rack, cooling, operations per card-month
  double power_price_per_kwh = 0;            // electricity price per kWh
  double pue = 1;                            // facility power / IT power
  double tdp_w = 0;                          // board power, watts (drawn all the time)
  double amortize_years = 3;                 // straight-line amortisation of a purchase, years
};

// A fleet's cost per hour and per million output tokens; a field is nullopt
// where the price behind it is missing.
struct ServingCost {
  std::optional<double> rented_per_hour;   // devices x rent per card-hour
  std::optional<double> bought_per_hour;   // devices x owned card-hour (amortisation + hosting + power)
  std::optional<double> rented_per_mtok;   // rented_per_hour / (output tokens per hour / 1e6)
  std::optional<double> bought_per_mtok;   // bought_per_hour / (output tokens per hour / 1e6)
  // Returns the cheaper of the two per-Mtok costs, or nullopt when neither is known.
  std::optional<double> Best() const;
  // Returns "rent" or "buy" for Best(), or "" when neither is known.
  std::string BestBasis() const;
};

// Returns the cost of one owned card-hour:
//   (buy_per_card + server_share_per_card) / (amortize_years x 8,766 h)
//   + hosting_per_card_month / 730.5 h + tdp_w / 1000 x pue x power_price_per_kwh.
// Straight-line amortisation without resale value; the card is powered at
// its TDP around the clock (host power folded into the PUE). nullopt
// without a purchase price.
std::optional<double> OwnedCardHour(const DevicePricing& pricing);

// Returns the cost of `devices` cards serving `output_tokens_per_s` output
// tokens per second around the clock (the offered rate, not the peak the
// fleet could reach): the fleet is sized for the rate and paid for every hour.
ServingCost FleetCost(const DevicePricing& pricing, int devices, double output_tokens_per_s);

}  // namespace suanli
