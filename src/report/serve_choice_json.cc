// JSON of the costed capacity search (report/serve_choice_report.h).
#include "report/serve_choice_report.h"

#include <fmt/format.h>

#include "core/date.h"
#include "report/json_util.h"
#include "report/serve_report.h"

namespace suanli {
namespace {

nlohmann::json OptionalJson(const std::optional<double>& value) {
  return value ? nlohmann::json(RoundSig(*value, 4)) : nlohmann::json(nullptr);
}

nlohmann::json CostJson(const ServingCost& c) {
  return {{"rented_per_hour", OptionalJson(c.rented_per_hour)},
          {"rented_cards", c.rented_cards},
          {"bought_per_hour", OptionalJson(c.bought_per_hour)},
          {"rented_per_mtok", OptionalJson(c.rented_per_mtok)},
          {"bought_per_mtok", OptionalJson(c.bought_per_mtok)}};
}

nlohmann::json OptionJson(const AcceleratorOption& o) {
  nlohmann::json answers = nlohmann::json::array();
  for (size_t i = 0; i < o.aggregated.answers.size(); ++i) {
    const CapacityAnswer& a = o.aggregated.answers[i];
    answers.push_back({{"devices", a.devices},
                       {"replicas", a.replicas},
                       {"tp", a.layout.tp},
                       {"pp", a.layout.pp},
                       {"dp_attention", a.layout.dp_attention},
                       {"ep", a.layout.ep},
                       {"serve_flags", fmt::format("--accel {} {}", o.accelerator, ServeLayoutFlags(a.layout, a.devices))},
                       {"weights", std::string(PrecisionName(a.layout.weights))},
                       {"kv", std::string(PrecisionName(a.layout.kv))},
                       {"ttft_ms", RoundSig(a.service.ttft.at_slo_percentile_s * 1e3, 4)},
                       {"tpot_ms", RoundSig(a.service.tpot.at_slo_percentile_s * 1e3, 4)},
                       {"cost", CostJson(o.answer_costs[i])}});
  }
  const DisaggregatedAnswer& d = o.disaggregated;
  nlohmann::json disagg = {{"feasible", d.feasible}, {"reason", d.reason}};
  if (d.feasible) {
    disagg.update({{"devices", d.devices},
                   {"prefill", {{"replicas", d.prefill_replicas}, {"tp", d.prefill_layout.tp}, {"pp", d.prefill_layout.pp},
                                {"dp_attention", d.prefill_layout.dp_attention}, {"ep", d.prefill_layout.ep},
                                {"weights", std::string(PrecisionName(d.prefill_layout.weights))},
                                {"kv", std::string(PrecisionName(d.prefill_layout.kv))}}},
                   {"decode", {{"replicas", d.decode_replicas}, {"tp", d.decode_layout.tp}, {"pp", d.decode_layout.pp},
                               {"dp_attention", d.decode_layout.dp_attention}, {"ep", d.decode_layout.ep},
                               {"weights", std::string(PrecisionName(d.decode_layout.weights))},
                                {"kv", std::string(PrecisionName(d.decode_layout.kv))}}},
                   {"kv_bytes_per_request", RoundSig(d.kv_bytes_per_request, 4)},
                   {"transfer_prompt_tokens", RoundSig(d.transfer_prompt_tokens, 4)},
                   {"transfer_kv_bytes", RoundSig(d.transfer_kv_bytes, 4)},
                   {"transfer_bytes_per_device", RoundSig(d.transfer_share_bytes, 4)},
                   {"link", d.scale_up_link ? "scale-up" : "scale-out"},
                   {"link_bytes_per_s", RoundSig(d.link_Bps, 4)},
                   {"transfer_ms", RoundSig(d.transfer_s * 1e3, 4)},
                   {"ttft_ms", RoundSig(d.ttft_at_slo_s * 1e3, 4)},
                   {"tpot_ms", RoundSig(d.decode_service.tpot.at_slo_percentile_s * 1e3, 4)},
                   {"cost", CostJson(o.disaggregated_cost)}});
  }
  const DevicePricing& p = o.pricing;
  return {{"accelerator", o.accelerator},
          {"feasible", o.feasible},
          {"reason", o.aggregated.reason},
          {"mode", o.disaggregated_chosen ? "disaggregated" : "aggregated"},
          {"blocked", o.Blocked() ? nlohmann::json(p.blocked_reason) : nlohmann::json(nullptr)},
          {"devices", o.devices},
          {"cost", CostJson(o.cost)},
          {"why_lost", o.why_lost},
          {"aggregated", answers},
          {"disaggregated", disagg},
          {"pricing", {{"rent_per_card_hour", OptionalJson(p.rent_per_card_hour)},
                       {"rent_quote", p.rent_quote},
                       {"buy_per_card", OptionalJson(p.buy_per_card)},
                       {"buy_quote", p.buy_quote},
                       {"server_share_per_card", RoundSig(p.server_share_per_card, 4)},
                       {"hosting_per_card_month", RoundSig(p.hosting_per_card_month, 4)},
                       {"power_price_per_kwh", RoundSig(p.power_price_per_kwh, 4)},
                       {"pue", p.pue},
                       {"tdp_w", p.tdp_w}}}};
}

}  // namespace

nlohmann::json ServeChoiceJson(const ServeSubject& subject, const ServeChoice& choice) {
  nlohmann::json options = nlohmann::json::array();
  for (const AcceleratorOption& o : choice.options) {
    nlohmann::json option = OptionJson(o);
    // Which quotes priced it, and why there is none where there is none.
    nlohmann::json& pricing = option["pricing"];
    pricing["rent_observed"] = o.pricing.rent_observed;
    pricing["buy_observed"] = o.pricing.buy_observed;
    for (const auto& [key, reasons] : {std::pair{"no_rent_reason", &choice.prices.no_rent_reason},
                                       std::pair{"no_buy_reason", &choice.prices.no_buy_reason}}) {
      const auto it = reasons->find(o.accelerator);
      pricing[key] = it == reasons->end() ? nlohmann::json(nullptr) : nlohmann::json(it->second.english);
    }
    options.push_back(std::move(option));
  }
  nlohmann::json out = choice.options.size() == 1
                           ? CapacityJson(subject, choice.options.front().aggregated)
                           : nlohmann::json{{"subject", CapacitySubjectJson(subject)}};
  out["accelerators"] = options;
  if (std::any_of(choice.options.begin(), choice.options.end(), ChosenInt4)) out["caveat"] = Int4CaveatEnglish() + "\n";
  out["feasible"] = std::any_of(choice.options.begin(), choice.options.end(),
                                [](const AcceleratorOption& o) { return o.feasible; });
  out["cost_assumptions"] = {{"region", choice.prices.region},
                             {"date", FormatDate(choice.prices.date)},
                             {"date_defaulted", choice.prices.date_defaulted},
                             {"currency", choice.prices.currency},
                             {"own_years", choice.own_years},
                             {"max_quote_age_days", choice.prices.max_quote_age_days},
                             {"basis", "offered output tokens, fleet paid around the clock; bought: the planner's "
                                       "ownership cost over the period, resale value subtracted"}};
  if (choice.crossover) {
    const Crossover& x = *choice.crossover;
    auto side = [](const CrossoverSide& s) {
      return nlohmann::json{{"accelerator", s.accelerator},       {"tp", s.layout.tp},
                            {"batch1_tok_s", RoundSig(s.batch1_tok_s, 4)}, {"max_batch", s.max_batch},
                            {"peak_tok_s", RoundSig(s.peak_tok_s, 4)},     {"prefill_tok_s", RoundSig(s.prefill_tok_s, 4)},
                            {"per_mtok", OptionalJson(s.per_mtok)}};
    };
    out["crossover"] = {{"first", side(x.first)},
                        {"second", side(x.second)},
                        {"context_tokens", x.context_tokens},
                        {"leader_at_batch_1", x.leader_at_1 == 0 ? x.first.accelerator : x.second.accelerator},
                        {"crossover_batch", x.crossover_batch}};
  }
  return out;
}

}  // namespace suanli
