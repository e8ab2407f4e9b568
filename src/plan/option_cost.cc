// The cost of a mix (plan/option_cost.h).
#include "plan/option_cost.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "core/date.h"
#include "market/costs.h"
#include "plan/plan_text.h"

namespace suanli {

PlanAccelerator PlanAcceleratorOf(const Accelerator& a, const System* usual_server) {
  PlanAccelerator out{a.id, a.vendor, a.tdp_w};
  if (usual_server == nullptr) return out;
  const std::string& kind = usual_server->scale_up_kind;
  out.pcie_host = kind == "host" || kind == "pcie" || kind == "pcie-switch";
  const int cards = std::max(1, usual_server->accelerators_per_node);
  if (usual_server->nics > 0 && usual_server->nic_Bps > 0) {
    out.network_ports_per_card = static_cast<double>(usual_server->nics) / cards;
    out.port_gbps = usual_server->nic_Bps * 8.0 / 1e9;
  }
  return out;
}

OwnedPurchase OwnedTerms(const PlanQuote& q, const PlanAccelerator& accel) {
  OwnedPurchase p;
  p.unit_price = q.unit_price;
  p.server_unit = q.unit == QuoteUnit::kServer;
  p.cards_per_unit = q.cards_per_unit;
  p.bundle_amount = q.bundle_amount;
  p.bundle_fraction = q.bundle_fraction;
  p.used = q.condition != Condition::kNew;
  p.warranty_months = q.warranty_months;
  p.warranty_stated = q.warranty_stated;
  p.grey_market = q.channel == ChannelTier::kGreyMarket;
  p.card_price = PerCardPrice(q);
  p.includes_network = q.includes_network;
  p.tdp_w = accel.tdp_w;
  p.pcie_host = accel.pcie_host;
  p.network_ports_per_card = accel.network_ports_per_card;
  p.port_gbps = accel.port_gbps;
  return p;
}

CostBreakdown PriceMix(const Candidate& mix, const PlanAccelerator& accel, const PlanCosts& k, bool staged,
                       double finish_days, const std::string& currency, std::vector<std::string>& notes,
                       const std::vector<PlanQuote>& market) {
  CostBreakdown cost;
  double common_start = 0;
  for (const auto& [q, cards] : mix.parts) {
    common_start = std::max(common_start, WeeksToDays(q->lead_weeks_likely) + SetupDaysOf(*q, k));
  }
  // Loose cards of the option share host servers across quotes: the option
  // installs ceil(all loose cards / node_size) nodes, not one rounding per
  // quote (a later lot fills an earlier lot's partial node).
  const int node = std::max(1, k.node_size);
  int loose_before = 0;
  for (const auto& [q, cards] : mix.parts) {
    const double delivered = WeeksToDays(q->lead_weeks_likely);
    const double run_from = staged ? delivered + SetupDaysOf(*q, k) : common_start;
    const double run_days = std::max(0.0, finish_days - run_from);
    if (q->mode == BuyMode::kRent) {
      const double rented_days = std::max(0.0, finish_days - delivered);
      if (q->unit == QuoteUnit::kGpuHour) {
        cost.rental += cards * q->unit_price * DaysToHours(rented_days);
      } else {
        const double units = std::ceil(static_cast<double>(cards) / std::max(1, q->cards_per_unit));
        cost.rental += units * q->unit_price * std::ceil(rented_days / kDaysPerMonth - 1e-9);
      }
      continue;
    }
    // The ownership model shared with `serve` (market/costs.h), held from
    // delivery to the end of the job and powered while it runs.
    OwnedPurchase own = OwnedTerms(*q, accel);
    own.cards = cards;
    own.held_days = std::max(0.0, finish_days - delivered);
    own.run_days = run_days;
    own.resale_card_price = MarketCardPrice(*q, market);
    OwnershipCost owned = CostOfOwning(own, k);
    if (!own.server_unit) {
      const auto nodes_of = [node](int c) { return (c + node - 1) / node; };
      const int shared = nodes_of(loose_before + cards) - nodes_of(loose_before) - nodes_of(cards);
      loose_before += cards;
      if (shared != 0) {
        const double host = shared * HostServerPerNode(own, k);
        owned.servers += host;
        owned.hosting += shared * node * k.hosting_per_card_month * own.held_days / kDaysPerMonth;
        owned.residual += ResaleFraction(k, own.held_days / (kDaysPerMonth * kMonthsPerYear)) * host;
      }
    }
    const double purchase = owned.purchase;
    cost.purchase += owned.purchase;
    cost.bundle += owned.bundle;
    cost.servers += owned.servers;
    cost.power += owned.power;
    cost.hosting += owned.hosting;
    cost.replacement_risk += owned.replacement_risk;
    cost.residual += owned.residual;
    // Cards stopped at the border by an export rule (the share of deliveries
    // on a stopped day): what was paid before delivery under the quote's
    // terms is lost (all of it cash up front, the deposit, nothing on net terms).
    cost.rule_stop_loss += q->rule_blocked_share * q->paid_before_delivery * (owned.purchase + owned.bundle);
    if (q->rule_blocked_share > 0) {
      notes.push_back(TrFormat(
          "{}: an export rule may stop {:.0f}% of deliveries; {:.0f}% of the price is paid before delivery ({}), "
          "so the expected loss is {}",
          q->id, 100 * q->rule_blocked_share, 100 * q->paid_before_delivery,
          q->payment.empty() ? Tr("terms not stated: assumed paid in full") : q->payment,
          FormatMoney(q->rule_blocked_share * q->paid_before_delivery * (owned.purchase + owned.bundle), currency)));
    }
    const int installed = InstalledCards(own);
    if (installed > cards) {
      notes.push_back(TrFormat(
          "{}: {} cards paid (whole servers of {}), {} used: the other {} sit idle, installed and powered at "
          "{:g}% of TDP (costs.idle_power_fraction); network and hosting are billed on all {}",
          q->id, installed, q->cards_per_unit, cards, installed - cards, 100 * k.idle_power_fraction, installed));
    }
    if (q->includes_network) {
      notes.push_back(TrFormat("{}: the price includes the scale-out network (no network_per_card added)", q->id));
    }
    if (own.resale_card_price < own.card_price - 0.005) {
      notes.push_back(TrFormat("{}: resold at the market's price for the card ({} per card, the cheapest usable "
                               "quote), not the {} paid",
                               q->id, FormatMoney(own.resale_card_price, currency),
                               FormatMoney(own.card_price, currency)));
    }
    const int warranty_months = EffectiveWarrantyMonths(own, k);
    if (WarrantyAssumed(own)) {
      notes.push_back(TrFormat("{}: warranty not stated in the quote: the maker's {}-month warranty assumed for "
                               "new cards (costs.new_card_warranty_months_assumed)",
                               q->id, warranty_months));
    }
    if (warranty_months < own.held_days / kDaysPerMonth) {
      const double rate = own.used ? k.used_annual_failure_rate : k.new_annual_failure_rate;
      const char* warranty = warranty_months > 0 ? " with short warranty"
                             : own.grey_market  ? " without warranty (grey market: no manufacturer warranty)"
                                                : " without warranty";
      notes.push_back(TrFormat(
          "{}: {} cards{}: expected replacements over the months held priced in ({:g}%/year failures = {} "
          "per card-month held)",
          q->id, ConditionName(q->condition), Tr(warranty), 100 * rate,
          FormatMoney(ExpectedReplacementCost(1, PerCardPrice(*q), rate, 1, 0), currency)));
    }
    if (q->bundle_amount > 0 || q->bundle_fraction > 0) {
      notes.push_back(TrFormat("{}: bundled purchase required ({})", q->id,
                                    FormatMoney(q->bundle_amount + q->bundle_fraction * purchase,
                                          currency)));
    }
    if (!q->payment.empty()) notes.push_back(TrFormat("{}: payment {}", q->id, q->payment));
    if (!q->warning.empty()) notes.push_back(fmt::format("{}: {}", q->id, q->warning));
  }
  cost.cash = cost.purchase + cost.bundle + cost.servers + cost.power + cost.hosting +
              cost.replacement_risk + cost.rule_stop_loss + cost.rental;
  cost.total = cost.cash - cost.residual;
  return cost;
}

}  // namespace suanli
