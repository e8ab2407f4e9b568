// Text and JSON of the costed capacity search (report/serve_choice_report.h).
#include "report/serve_choice_report.h"

#include <algorithm>

#include <fmt/format.h>

#include "core/date.h"
#include "core/i18n.h"
#include "report/json_util.h"
#include "report/output.h"
#include "report/serve_report.h"

namespace suanli {
namespace {

// Returns a cost per Mtok with two decimals, or "-".
std::string PerMtok(const std::optional<double>& value) { return value ? fmt::format("{:.2f}", *value) : "-"; }

// Returns milliseconds with one decimal, thousands separated from 1,000 up (as the answers tables).
std::string MsText(double seconds) { return seconds >= 1 ? FormatCount(seconds * 1e3) : fmt::format("{:.1f}", seconds * 1e3); }

// Returns a pool's formats in words: "(fp8 weights, KV bf16)".
std::string PoolFormats(const ServingLayout& l) {
  return TrFormat("({} weights, KV {})", PrecisionName(l.weights), PrecisionName(l.kv));
}

std::string ModeName(const AcceleratorOption& o) { return o.disaggregated_chosen ? "xPyD" : Tr("aggregated"); }

// Returns a replica layout in short words: "tp1 pp1 fp8" (the weight
// format), with the KV format after a slash when it differs ("fp8/kv bf16").
std::string LayoutWords(const ServingLayout& l) {
  std::string words = fmt::format("{} {}", ServingRanksShort(l), PrecisionName(l.weights));
  if (l.kv != l.weights) words += fmt::format("/kv {}", PrecisionName(l.kv));
  return words;
}

// Returns the chosen mode's layout in short words: replicas and layout, or
// for xPyD the prefill and decode pools each with its formats.
std::string ShortLayout(const AcceleratorOption& o) {
  if (!o.feasible) return "-";
  if (o.disaggregated_chosen) {
    const DisaggregatedAnswer& d = o.disaggregated;
    return fmt::format("{}P {} + {}D {}", d.prefill_replicas, LayoutWords(d.prefill_layout), d.decode_replicas,
                       LayoutWords(d.decode_layout));
  }
  const CapacityAnswer& a = o.aggregated.answers.front();
  return fmt::format("{}x {}", a.replicas, LayoutWords(a.layout));
}

}  // namespace

std::string ChosenAnswerText(const AcceleratorOption& o) {
  if (!o.feasible) return "";
  if (!o.disaggregated_chosen) {
    const CapacityAnswer& a = o.aggregated.answers.front();
    return TrFormat("{}: {} of {}", DevicesText(a.devices), ReplicasText(a.replicas), ServingLayoutText(a.layout));
  }
  const DisaggregatedAnswer& d = o.disaggregated;
  return TrFormat("{}: {} prefill x tp {} pp {} {} + {} decode x tp {} pp {} {} (xPyD, {})",
                  DevicesText(d.devices), d.prefill_replicas, TpWithDpAttention(d.prefill_layout), PpWithEp(d.prefill_layout),
                  PoolFormats(d.prefill_layout), d.decode_replicas, TpWithDpAttention(d.decode_layout), PpWithEp(d.decode_layout),
                  PoolFormats(d.decode_layout), ChoiceBasisText(o));
}

std::string ChoiceBasisText(const AcceleratorOption& o) {
  if (!o.aggregated.feasible) return Tr("aggregated serving cannot meet the SLOs");
  if (!o.disaggregated.feasible) return TrFormat("xPyD: {}", o.disaggregated.reason_text);
  const int aggregated = o.aggregated.answers.front().devices;
  const bool priced = o.aggregated_cost.Best() && o.disaggregated_cost.Best();
  if (o.disaggregated_chosen) {
    return priced ? Tr("cheaper than aggregated")
                  : TrFormat("fewer devices than aggregated: {} vs {}; neither mode is priced", o.disaggregated.devices,
                             aggregated);
  }
  return priced ? Tr("aggregated is not dearer")
                : TrFormat("aggregated needs no more devices: {} vs {}; neither mode is priced", aggregated,
                           o.disaggregated.devices);
}

std::string XpydCheckText(const AcceleratorOption& o) {
  const DisaggregatedAnswer& d = o.disaggregated;
  return TrFormat("to check this xPyD answer: run this command again with --accel {} (the search is deterministic); "
                  "serve runs no fixed xPyD layout, so there is no --gpus replay of it; its pools: prefill {}, decode {}",
                  o.accelerator, ServeLayoutFlags(d.prefill_layout, d.prefill_replicas * d.prefill_layout.Devices()),
                  ServeLayoutFlags(d.decode_layout, d.decode_replicas * d.decode_layout.Devices()));
}

std::string KvTransferText(const DisaggregatedAnswer& d, double percentile) {
  return TrFormat("KV transfer: the P{:g} prompt ({} tokens) holds {:.1f} MB of KV cache for the whole model; each of "
                  "the prefill replica's {} devices sends its own share (at most {:.1f} MB) over its own {} at {:.3g} "
                  "GB/s, all at once: {:.1f} MB / {:.3g} GB/s = {:.1f} ms",
                  percentile, FormatCount(d.transfer_prompt_tokens), d.transfer_kv_bytes / 1e6,
                  d.prefill_layout.Devices(), d.transfer_share_bytes / 1e6,
                  d.scale_up_link ? Tr("scale-up link") : Tr("scale-out NIC"), d.link_Bps / 1e9,
                  d.transfer_share_bytes / 1e6, d.link_Bps / 1e9, d.transfer_s * 1e3);
}

TextTable XpydPoolsTable(const AcceleratorOption& o, double percentile) {
  const DisaggregatedAnswer& d = o.disaggregated;
  const std::string p = fmt::format("P{:g}", percentile);
  TextTable table({Tr("pool"), Tr("replicas"), Tr("layout"), Tr("devices"), fmt::format("TTFT {} ms", p),
                   fmt::format("TPOT {} ms", p)});
  for (size_t c : {1, 3, 4, 5}) table.AlignColumn(c, TextTable::Align::kRight);
  table.AddRow({Tr("prefill"), FormatCount(d.prefill_replicas), LayoutWords(d.prefill_layout),
                FormatCount(d.prefill_replicas * d.prefill_layout.Devices()),
                FormatCount(d.prefill_service.ttft.at_slo_percentile_s * 1e3), "-"});
  table.AddRow({Tr("KV transfer"), "-", d.scale_up_link ? Tr("scale-up link") : Tr("scale-out NIC"), "-",
                fmt::format("{:.1f}", d.transfer_s * 1e3), "-"});
  table.AddRow({Tr("decode"), FormatCount(d.decode_replicas), LayoutWords(d.decode_layout),
                FormatCount(d.decode_replicas * d.decode_layout.Devices()),
                FormatCount(d.decode_service.ttft.at_slo_percentile_s * 1e3),
                fmt::format("{:.1f}", d.decode_service.tpot.at_slo_percentile_s * 1e3)});
  table.AddRow({Tr("fleet"), "-", "xPyD", FormatCount(d.devices), FormatCount(d.ttft_at_slo_s * 1e3),
                fmt::format("{:.1f}", d.decode_service.tpot.at_slo_percentile_s * 1e3)});
  return table;
}

bool ChosenInt4(const AcceleratorOption& o) {
  if (!o.feasible) return false;
  if (o.disaggregated_chosen) {
    return o.disaggregated.prefill_layout.weights == Precision::kInt4 ||
           o.disaggregated.decode_layout.weights == Precision::kInt4;
  }
  return o.aggregated.answers.front().layout.weights == Precision::kInt4;
}

std::vector<std::string> ModeLines(const AcceleratorOption& o, double percentile) {
  std::vector<std::string> lines;
  const std::string cur = o.pricing.currency;
  if (o.aggregated.feasible) {
    lines.push_back(TrFormat("aggregated: {}, {} rented / {} bought {} per million output tokens",
                             DevicesText(o.aggregated.answers.front().devices), PerMtok(o.aggregated_cost.rented_per_mtok),
                             PerMtok(o.aggregated_cost.bought_per_mtok), cur));
  } else {
    lines.push_back(TrFormat("aggregated: {}", o.aggregated.reason_text));
  }
  const DisaggregatedAnswer& d = o.disaggregated;
  if (d.feasible) {
    lines.push_back(TrFormat(
        "disaggregated: {} prefill x tp {} pp {} {} + {} decode x tp {} pp {} {} = {} devices, {} rented / {} bought {} "
        "per million output tokens; TTFT P{:g} {} ms (prefill, KV transfer and the decode pool's admission), TPOT {} ms",
        d.prefill_replicas, TpWithDpAttention(d.prefill_layout), PpWithEp(d.prefill_layout), PoolFormats(d.prefill_layout), d.decode_replicas,
        TpWithDpAttention(d.decode_layout), PpWithEp(d.decode_layout), PoolFormats(d.decode_layout), d.devices,
        PerMtok(o.disaggregated_cost.rented_per_mtok), PerMtok(o.disaggregated_cost.bought_per_mtok), cur,
        percentile, fmt::format("{:.0f}", d.ttft_at_slo_s * 1e3), fmt::format("{:.1f}", d.decode_service.tpot.at_slo_percentile_s * 1e3)));
    lines.push_back(KvTransferText(d, percentile));
  } else {
    lines.push_back(TrFormat("disaggregated: {}", d.reason_text));
  }
  if (o.feasible) lines.push_back(TrFormat("chosen: {} ({})", ModeName(o), ChoiceBasisText(o)));
  if (o.feasible && o.disaggregated_chosen) lines.push_back(XpydCheckText(o));
  return lines;
}

namespace {

// Returns why `accelerator` has no quote in `reasons` (a prices map), in the current language.
std::string NoQuoteWhy(const std::map<std::string, ReasonText>& reasons, const std::string& accelerator) {
  const auto it = reasons.find(accelerator);
  return it == reasons.end() ? "" : it->second.text;
}

// Returns one option's price line: the quotes behind its costs, or why none is on offer.
std::string PriceLine(const ServePrices& prices, const DevicePricing& p) {
  const std::string no_rent = NoQuoteWhy(prices.no_rent_reason, p.accelerator);
  const std::string no_buy = NoQuoteWhy(prices.no_buy_reason, p.accelerator);
  const std::string rent =
      !p.rent_per_card_hour ? std::string()
      : p.rent_per_month
          ? TrFormat("rent {:.2f} {} per card-hour ({} per {}-card unit-month, billed in whole units and started "
                     "months; {}, {})",
                     *p.rent_per_card_hour, p.currency, FormatMoney(p.rent_unit_price, p.currency),
                     p.rent_cards_per_unit, p.rent_quote, p.rent_observed)
          : TrFormat("rent {:.2f} {} per card-hour ({}, {})", *p.rent_per_card_hour, p.currency, p.rent_quote,
                     p.rent_observed);
  const std::string rent_line = p.rent_per_card_hour
                               ? rent
                               : (no_rent.empty() ? Tr("no rental on offer")
                                                  : TrFormat("no rental on offer ({})", no_rent));
  const std::string buy = p.buy_per_card ? TrFormat("buy {} per card + {} server share ({}, {})",
                                                    FormatMoney(*p.buy_per_card, p.currency),
                                                    FormatMoney(p.server_share_per_card, p.currency), p.buy_quote,
                                                    p.buy_observed)
                                         : (no_buy.empty() ? Tr("no purchase on offer")
                                                           : TrFormat("no purchase on offer ({})", no_buy));
  return fmt::format("{}: {}; {}", p.accelerator, rent_line, buy);
}

}  // namespace

std::string RankingHeading(const ServeChoice& choice) {
  size_t feasible = 0, priced = 0, blocked = 0;
  for (const AcceleratorOption& o : choice.options) {
    if (!o.feasible) continue;
    ++feasible;
    if (o.cost.Best()) ++priced;
    if (o.Blocked()) ++blocked;
  }
  std::string heading;
  if (priced == feasible) {
    heading = Tr("accelerators ranked by cost per million output tokens");
  } else if (priced > 0) {
    heading = Tr("accelerators ranked by cost per million output tokens, those without a price after them by devices");
  } else {
    heading = Tr("accelerators ranked by devices needed: none has a rent or purchase quote on offer to the buyer, so "
                 "no cost is compared");
  }
  if (blocked > 0 && priced < feasible) heading += Tr("; those the buyer cannot buy (blocked) after the rest");
  return heading;
}

TextTable ChoiceTable(const ServeChoice& choice, double percentile) {
  const std::string cur = choice.prices.currency;
  const std::string p = fmt::format("P{:g}", percentile);
  const bool latencies = percentile > 0;
  std::vector<std::string> header = {"#", Tr("accelerator"), Tr("mode"), Tr("devices"), Tr("layout")};
  if (latencies) header.insert(header.end(), {"TTFT " + p + " ms", "TPOT " + p + " ms"});
  header.insert(header.end(), {TrFormat("rent {}/Mtok", cur), TrFormat("buy {}/Mtok", cur), Tr("why it lost")});
  TextTable table(header);
  for (size_t c = 3; c + 1 < header.size(); ++c) table.AlignColumn(c, c == 4 ? TextTable::Align::kLeft : TextTable::Align::kRight);
  for (size_t i = 0; i < choice.options.size(); ++i) {
    const AcceleratorOption& o = choice.options[i];
    // The chosen mode's latencies at the percentile: the xPyD fleet's, else the first aggregated answer's.
    const SimulationResult* s = !o.feasible ? nullptr : o.disaggregated_chosen ? &o.disaggregated.decode_service
                                                                               : &o.aggregated.answers.front().service;
    const std::string ttft = s ? MsText(o.disaggregated_chosen ? o.disaggregated.ttft_at_slo_s : s->ttft.at_slo_percentile_s) : "-";
    const std::string tpot = s ? MsText(s->tpot.at_slo_percentile_s) : "-";
    std::vector<std::string> row = {std::to_string(i + 1),
                                    o.Blocked() ? TrFormat("{} (blocked)", o.accelerator) : o.accelerator,
                                    o.feasible ? ModeName(o) : "-", o.feasible ? FormatCount(o.devices) : "-",
                                    ShortLayout(o)};
    if (latencies) row.insert(row.end(), {ttft, tpot});
    row.insert(row.end(), {PerMtok(o.cost.rented_per_mtok), PerMtok(o.cost.bought_per_mtok),
                           o.why_lost_text.empty() ? "-" : o.why_lost_text});
    table.AddRow(row);
  }
  return table;
}

std::vector<std::string> CostAssumptionLines(const ServeChoice& c) {
  std::vector<std::string> lines;
  lines.push_back(TrFormat(
      "rented = the cheapest rental billed as plan bills it, from hand-over for {:g} day(s) of the renter's setup "
      "plus the {:g}-year period: per card-hour, or whole rented units (servers) and started months for a "
      "unit-month quote (a monthly contract bills a started month whole)",
      c.options.empty() ? 0.0 : c.options.front().pricing.costs.rental_setup_days, c.own_years));
  lines.push_back(TrFormat(
      "cost per million output tokens: the fleet serves the offered rate around the clock; rented = the rental "
      "bill above over the period's tokens; bought = the planner's ownership cost of the fleet kept {:g} years "
      "(--own-years) after {:g} days of setup: cards, host servers and network, hosting per server slot, TDP x PUE x "
      "electricity, less the resale value at the end (data/market/costs.yaml), over the period's tokens",
      c.own_years, c.options.empty() ? 0.0 : c.options.front().pricing.costs.setup_days));
  lines.push_back(TrFormat("quotes on offer to a buyer in {} on {}{} (seed market, export rules applied, no grey "
                           "market), in {}; running costs from data/market/costs.yaml{}",
                           c.prices.region, FormatDate(c.prices.date),
                           c.prices.date_defaulted ? TrFormat(" (the newest seed quote on offer in {}; set --date, or --max-quote-age for older quotes)", c.prices.region) : "",
                           c.prices.currency,
                           c.prices.costs_region.empty() ? "" : TrFormat(" (region {})", c.prices.costs_region)));
  for (const AcceleratorOption& o : c.options) {
    if (o.feasible) lines.push_back(PriceLine(c.prices, o.pricing));
  }
  if (!c.options.empty()) {
    const DevicePricing& p = c.options.front().pricing;
    lines.push_back(TrFormat("running costs: hosting {} per card-month, electricity {:.3g} {}/kWh, PUE {:.2g}",
                             FormatMoney(p.hosting_per_card_month, p.currency), p.power_price_per_kwh, p.currency,
                             p.pue));
  }
  for (const std::string& note : c.prices.notes) lines.push_back(note);
  return lines;
}

std::string CrossoverText(const ServeChoice& choice) {
  if (!choice.crossover) return choice.crossover_error;
  const Crossover& x = *choice.crossover;
  const CrossoverSide& lead = x.leader_at_1 == 0 ? x.first : x.second;
  const CrossoverSide& other = x.leader_at_1 == 0 ? x.second : x.first;
  std::string text = TrFormat("at batch 1 {} decodes {:.1f} tok/s per device vs {:.1f} on {} (tp {}, context {} tokens); ",
                              lead.accelerator, lead.batch1_tok_s, other.batch1_tok_s, other.accelerator,
                              lead.layout.tp, FormatCount(x.context_tokens));
  text += x.crossover_batch > 0 ? TrFormat("{} overtakes at batch {}; ", other.accelerator, x.crossover_batch)
                                : TrFormat("{} does not overtake up to batch {}; ", other.accelerator, x.batches.back());
  const bool second_faster = x.second.prefill_tok_s >= x.first.prefill_tok_s;
  const CrossoverSide& fast = second_faster ? x.second : x.first;
  const CrossoverSide& slow = second_faster ? x.first : x.second;
  text += TrFormat("on prefill {} is {:.1f}x faster; ", fast.accelerator, fast.prefill_tok_s / slow.prefill_tok_s);
  const CrossoverSide& card = x.first.peak_tok_s >= x.second.peak_tok_s ? x.first : x.second;
  text += TrFormat("per card at the batch its KV cache holds ({}: {}, {}: {}) {} wins with {:.0f} vs {:.0f} tok/s",
                   x.first.accelerator, x.first.max_batch, x.second.accelerator, x.second.max_batch, card.accelerator,
                   card.peak_tok_s, (&card == &x.first ? x.second : x.first).peak_tok_s);
  if (x.first.per_mtok && x.second.per_mtok) {
    const CrossoverSide& cheap = *x.first.per_mtok <= *x.second.per_mtok ? x.first : x.second;
    const CrossoverSide& dear = &cheap == &x.first ? x.second : x.first;
    text += TrFormat("; per {} {} wins: {:.2f} vs {:.2f} per million decoded tokens at that batch",
                     choice.prices.currency, cheap.accelerator, *cheap.per_mtok, *dear.per_mtok);
  } else {
    text += Tr("; per unit of money: no price for one of them");
  }
  return text;
}

std::string ServeChoiceText(const ServeSubject& subject, const ServeChoice& choice) {
  std::string text;
  if (choice.options.size() == 1) {
    const AcceleratorOption& o = choice.options.front();
    text = CapacityText(subject, o.aggregated, &o.answer_costs, choice.prices.currency);
    if (!o.feasible) return text;
    text += '\n';
    for (const std::string& line : ModeLines(o, subject.slo.percentile)) text += WrapText(line);
    // CapacityText gave the aggregated answer's caveat; the chosen xPyD pools may need their own.
    const bool aggregated_int4 =
        o.aggregated.feasible && o.aggregated.answers.front().layout.weights == Precision::kInt4;
    if (ChosenInt4(o) && !aggregated_int4) text += WrapText(Int4Caveat(Precision::kInt4));
  } else {
    text = CapacityHeader(subject);
    std::string skipped;
    if (choice.skipped_no_fit > 0) {
      skipped += TrFormat(", {} without memory for the model skipped", choice.skipped_no_fit);
    }
    if (choice.skipped_platform > 0) {
      skipped += TrFormat(", {} the engine does not run on skipped", choice.skipped_platform);
    }
    text += '\n' + WrapText(TrFormat("{} ({} compared{}):", RankingHeading(choice), choice.options.size(), skipped)) + "\n";
    text += ChoiceTable(choice).Render() + "\n";  // the latencies are in each option's lines below
    for (const AcceleratorOption& o : choice.options) {
      if (!o.feasible) continue;
      text += o.accelerator + ":\n";
      for (const std::string& line : ModeLines(o, subject.slo.percentile)) text += WrapText("  " + line);
      if (!o.disaggregated_chosen) text += WrapText("  " + ReplayText(subject, o.accelerator, o.aggregated.answers.front()));
    }
    if (std::any_of(choice.options.begin(), choice.options.end(), ChosenInt4)) {
      text += WrapText(Int4Caveat(Precision::kInt4));
    }
  }
  const std::string crossover = CrossoverText(choice);
  if (!crossover.empty()) text += '\n' + WrapText(crossover);
  text += '\n';
  for (const std::string& line : CostAssumptionLines(choice)) text += WrapText(line);
  return text;
}

}  // namespace suanli
