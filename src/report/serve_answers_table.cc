// The answers table of a single-accelerator capacity search (report/serve_answers_table.h).
#include "report/serve_answers_table.h"

#include <algorithm>
#include <optional>
#include <vector>

#include <fmt/format.h>

#include "core/i18n.h"
#include "report/output.h"

namespace suanli {
namespace {

// Returns milliseconds with one decimal, thousands separated from 1,000 up (as CapacityTable).
std::string MsCell(double seconds) {
  const double ms = seconds * 1e3;
  return ms >= 1000 ? FormatCount(ms) : fmt::format("{:.1f}", ms);
}

// Returns a per-device throughput: whole from 100 up, else three significant digits (as CapacityTable).
std::string PerDeviceCell(double value) { return value >= 100 ? FormatCount(value) : fmt::format("{:.3g}", value); }

std::string MoneyCell(const std::optional<double>& value) { return value ? fmt::format("{:.2f}", *value) : "-"; }

// One row's cells before they are laid out in the table's columns.
struct AnswerRow {
  std::string number, mode, pool, devices = "-", replicas = "-";
  const ServingLayout* layout = nullptr;  // nullptr: "-" in the layout columns
  std::string ttft = "-", tpot = "-", per_device = "-", rent = "-", buy = "-";
  bool chosen = false;
};

bool UsesWideRanks(const ServingLayout& l) { return l.dp_attention != 1 || l.ep != 1; }

// Returns the rows of the xPyD answer numbered `number`: the fleet, then its pools.
std::vector<AnswerRow> XpydRows(const AcceleratorOption& o, const std::string& number) {
  const DisaggregatedAnswer& d = o.disaggregated;
  const std::string tpot = MsCell(d.decode_service.tpot.at_slo_percentile_s);
  AnswerRow fleet{number, "xPyD", Tr("fleet"), FormatCount(d.devices)};
  fleet.ttft = MsCell(d.ttft_at_slo_s);
  fleet.tpot = tpot;
  // decode_service is one decode replica's share of the traffic.
  fleet.per_device = PerDeviceCell(d.decode_service.output_tokens_per_s * d.decode_replicas / std::max(1, d.devices));
  fleet.rent = MoneyCell(o.disaggregated_cost.rented_per_mtok);
  fleet.buy = MoneyCell(o.disaggregated_cost.bought_per_mtok);
  AnswerRow prefill{number, "xPyD", Tr("prefill"), FormatCount(d.prefill_replicas * d.prefill_layout.Devices()),
                    FormatCount(d.prefill_replicas), &d.prefill_layout};
  prefill.ttft = MsCell(d.prefill_service.ttft.at_slo_percentile_s);
  AnswerRow transfer{number, "xPyD", Tr("KV transfer")};
  transfer.ttft = MsCell(d.transfer_s);
  AnswerRow decode{number, "xPyD", Tr("decode"), FormatCount(d.decode_replicas * d.decode_layout.Devices()),
                   FormatCount(d.decode_replicas), &d.decode_layout};
  decode.ttft = MsCell(d.decode_service.ttft.at_slo_percentile_s);
  decode.tpot = tpot;
  std::vector<AnswerRow> rows = {fleet, prefill, transfer, decode};
  for (AnswerRow& r : rows) r.chosen = o.feasible && o.disaggregated_chosen;
  return rows;
}

// Returns the rows of the aggregated answers, numbered from `first`.
std::vector<AnswerRow> AggregatedRows(const AcceleratorOption& o, size_t first) {
  std::vector<AnswerRow> rows;
  for (size_t i = 0; i < o.aggregated.answers.size(); ++i) {
    const CapacityAnswer& a = o.aggregated.answers[i];
    AnswerRow r{std::to_string(first + i), Tr("aggregated"), "-", FormatCount(a.devices), FormatCount(a.replicas),
                &a.layout};
    r.ttft = MsCell(a.service.ttft.at_slo_percentile_s);
    r.tpot = MsCell(a.service.tpot.at_slo_percentile_s);
    r.per_device = PerDeviceCell(a.service.output_tokens_per_s / std::max(1, a.devices));
    if (i < o.answer_costs.size()) {
      r.rent = MoneyCell(o.answer_costs[i].rented_per_mtok);
      r.buy = MoneyCell(o.answer_costs[i].bought_per_mtok);
    }
    r.chosen = i == 0 && o.feasible && !o.disaggregated_chosen;
    rows.push_back(r);
  }
  return rows;
}

}  // namespace

TextTable ServeAnswersTable(const ServeSubject& subject, const AcceleratorOption& o, const std::string& currency) {
  std::vector<AnswerRow> rows;
  const bool xpyd = o.disaggregated.feasible;
  if (o.feasible && o.disaggregated_chosen) {
    rows = XpydRows(o, "1");
    for (AnswerRow& r : AggregatedRows(o, 2)) rows.push_back(r);
  } else {
    rows = AggregatedRows(o, 1);
    if (xpyd) {
      for (AnswerRow& r : XpydRows(o, std::to_string(o.aggregated.answers.size() + 1))) rows.push_back(r);
    }
  }
  const bool wide = std::any_of(rows.begin(), rows.end(), [](const AnswerRow& r) {
    return r.layout != nullptr && UsesWideRanks(*r.layout);
  });
  const std::string p = fmt::format("P{:g}", subject.slo.percentile);
  std::vector<std::string> header = {"#", Tr("mode"), Tr("pool"), Tr("devices"), Tr("replicas"), "tp"};
  if (wide) header.push_back("dp-attention");
  header.push_back("pp");
  if (wide) header.push_back("ep");
  for (const std::string& h : {Tr("weights"), std::string("KV"), "TTFT " + p + " ms", "TPOT " + p + " ms",
                               Tr("tok/s/dev"), TrFormat("rent {}/Mtok", currency), TrFormat("buy {}/Mtok", currency),
                               Tr("chosen")}) {
    header.push_back(h);
  }
  TextTable table(header);
  const size_t weights_column = header.size() - 8;  // weights, KV, TTFT, TPOT, tok/s/dev, rent, buy, chosen
  for (size_t c = 3; c + 1 < header.size(); ++c) {
    if (c != weights_column && c != weights_column + 1) table.AlignColumn(c, TextTable::Align::kRight);
  }
  for (const AnswerRow& r : rows) {
    std::vector<std::string> cells = {r.number, r.mode, r.pool, r.devices, r.replicas};
    const ServingLayout* l = r.layout;
    cells.push_back(l ? std::to_string(l->tp) : "-");
    if (wide) cells.push_back(l ? std::to_string(l->dp_attention) : "-");
    cells.push_back(l ? std::to_string(l->pp) : "-");
    if (wide) cells.push_back(l ? std::to_string(l->ep) : "-");
    cells.push_back(l ? std::string(PrecisionName(l->weights)) : "-");
    cells.push_back(l ? std::string(PrecisionName(l->kv)) : "-");
    for (const std::string& cell : {r.ttft, r.tpot, r.per_device, r.rent, r.buy}) cells.push_back(cell);
    cells.push_back(r.chosen ? Tr("yes") : Tr("no"));
    table.AddRow(cells);
  }
  return table;
}

}  // namespace suanli
