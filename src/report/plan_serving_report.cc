// Serving workloads of a plan: text, JSON and HTML (report/plan_serving_report.h).
#include "report/plan_serving_report.h"

#include <cmath>

#include <fmt/format.h>

#include "core/date.h"
#include "core/i18n.h"
#include "core/text.h"
#include "report/json_util.h"
#include "report/output.h"
#include "report/plan_report.h"
#include "report/serve_report.h"

namespace suanli {
namespace {

using nlohmann::json;

// Returns "2,000-in / 500-out tokens at 10 req/s; P90 TTFT ≤ 2,000 ms, TPOT ≤ 50 ms".
std::string TrafficText(const PlanServeWorkload& w) {
  std::vector<std::string> slo;
  if (w.ttft_ms > 0) slo.push_back(TrFormat("TTFT ≤ {} ms", FormatCount(w.ttft_ms)));
  if (w.tpot_ms > 0) slo.push_back(TrFormat("TPOT ≤ {} ms", FormatCount(w.tpot_ms)));
  return TrFormat("{}-in / {}-out tokens at {:g} req/s; P{:g} {}", FormatCount(w.input_tokens),
                  FormatCount(w.output_tokens), w.rate_rps, w.percentile, Join(slo, Tr("; ")));
}

// Returns when and for how long the service is needed.
std::string PeriodText(const PlanServeWorkload& w) {
  std::string text = TrFormat("priced over {:g} months at {:g}% mean load", w.period_months, 100 * w.utilisation);
  if (w.has_needed_by) text = TrFormat("needed by {}, ", FormatDate(w.needed_by)) + text;
  return text;
}

// Returns "buy" / "rent" in the current language.
std::string ModeText(BuyMode mode) { return Tr(mode == BuyMode::kRent ? "rent" : "buy"); }


// Returns "tp4 pp1 int4/fp8" for a layout ("tp1 dp-attention8 pp1 ep8 fp8/bf16" with DP attention and experts).
std::string LayoutShort(const ServingLayout& l) {
  return fmt::format("{} {}/{}", ServingRanksShort(l), PrecisionName(l.weights), PrecisionName(l.kv));
}

// Returns the replicas column: "20", or "54P + 6D" for xPyD pools.
std::string ReplicasShort(const ServingNeed& n) {
  return n.disaggregated ? fmt::format("{}P + {}D", FormatCount(n.prefill_replicas), FormatCount(n.decode_replicas))
                         : FormatCount(n.replicas);
}

// Returns the layout column: LayoutShort, or for xPyD both pools' ranks and
// their formats: "xPyD P tp1 pp1 + D tp1 pp2 bf16/bf16".
std::string NeedLayoutShort(const ServingNeed& n) {
  if (!n.disaggregated) return LayoutShort(n.layout);
  return fmt::format("xPyD P {} + D {} {}/{}", ServingRanksShort(n.prefill_layout), ServingRanksShort(n.decode_layout),
                     PrecisionName(n.decode_layout.weights), PrecisionName(n.decode_layout.kv));
}

// Returns which serving modes the fleet search compared for `w`.
std::string ModesNote(const PlanServeWorkload& w) {
  if (w.ttft_ms > 0 && w.tpot_ms > 0) {
    return Tr("Each fleet is serve's choice: aggregated replicas, or disaggregated prefill and decode pools (xPyD) "
              "where they need fewer devices; suanli serve with the same workload prints both.");
  }
  return Tr("Aggregated replicas only: disaggregated prefill and decode pools (xPyD) are sized by both a TTFT and a "
            "TPOT target.");
}

// Returns one pool's JSON: replicas, ranks and formats.
json PoolJson(int replicas, const ServingLayout& l) {
  return {{"replicas", replicas}, {"tp", l.tp}, {"pp", l.pp}, {"dp_attention", l.dp_attention}, {"ep", l.ep},
          {"weights", std::string(PrecisionName(l.weights))}, {"kv", std::string(PrecisionName(l.kv))}};
}

}  // namespace

bool PlanFeasible(const PlanReport& report) {
  return report.result->Feasible() && (report.serving == nullptr || report.serving->Feasible());
}

TextTable ServingNeedsTable(const ServingWorkloadPlan& plan) {
  const std::string p = fmt::format("P{:g}", plan.workload.percentile);
  TextTable table({Tr("accelerator"), Tr("engine"), Tr("devices"), Tr("replicas"), Tr("layout"),
                   fmt::format("TTFT {} ms", p), fmt::format("TPOT {} ms", p)});
  for (size_t c : {2, 3, 5, 6}) table.AlignColumn(c, TextTable::Align::kRight);
  for (const auto& [accelerator, need] : plan.needs) {
    if (!need.feasible) {
      table.AddRow({accelerator, need.engine, "-", "-", NoFleetText(need, /*table=*/true), "-", "-"});
      continue;
    }
    table.AddRow({accelerator, need.engine, FormatCount(need.devices), ReplicasShort(need), NeedLayoutShort(need),
                  FormatCount(need.ttft_ms), fmt::format("{:.1f}", need.tpot_ms)});
  }
  return table;
}

TextTable ServingOptionsTable(const ServingWorkloadPlan& plan, const std::string& currency, bool machine) {
  // Machine-readable (CSV): plain numbers, the units in the header.
  TextTable table({"#", Tr("accelerator"), Tr("mode"), Tr("cards"), Tr("serving P50"), "P90",
                   machine ? TrFormat("cost ({})", currency) : Tr("cost"),
                   machine ? TrFormat("cash paid ({})", currency) : Tr("cash paid"),
                   machine ? TrFormat("per Mtok ({})", currency) : Tr("per Mtok")});
  for (size_t c : {3, 6, 7, 8}) table.AlignColumn(c, TextTable::Align::kRight);
  for (size_t i = 0; i < plan.options.size(); ++i) {
    const ServingOption& o = plan.options[i];
    const auto money = [&](double x) { return machine ? fmt::format("{:.0f}", x) : FormatMoney(x, currency); };
    table.AddRow({std::to_string(i + 1), o.accelerator, ModeText(o.mode),
                  machine ? std::to_string(o.cards) : FormatCount(o.cards), FormatFinish(o.ready_p50_date),
                  FormatFinish(o.ready_p90_date), money(o.cost.total), money(o.cost.cash),
                  machine ? fmt::format("{:.4g}", o.cost_per_mtok) : PerMtokText(o.cost_per_mtok, currency)});
  }
  return table;
}

std::string ServingPlanText(const ServingPlanResult& result, const PlanInput& in) {
  std::string out;
  for (size_t wi = 0; wi < result.workloads.size(); ++wi) {
    const ServingWorkloadPlan& w = result.workloads[wi];
    const bool feasible = w.status == PlanStatus::kFeasible;
    out += TrFormat("\n== Serving workload {}: {} — {} ({}) ==\n", wi + 1, w.workload.name, w.workload.model,
                    feasible ? Tr("feasible") : Alarm(Tr("INFEASIBLE")));
    AppendWrapped(out, "", TrafficText(w.workload) + Tr("; ") + PeriodText(w.workload), 2);
    if (!w.needs.empty()) {
      out += Tr("Fleet per accelerator (fewest devices meeting the SLOs, simulated):") + "\n";
      out += ServingNeedsTable(w).Render();
      AppendWrapped(out, "", ModesNote(w.workload), 0);
    }
    if (!w.options.empty()) {
      out += TrFormat("Options ({} evaluated; time-to-serve = delivery + setup):\n", w.options_evaluated);
      out += ServingOptionsTable(w, in.currency).Render();
      std::vector<std::string> mixes;
      for (size_t i = 0; i < w.options.size(); ++i) mixes.push_back(fmt::format("#{}: {}", i + 1, MixPartsPricedText(w.options[i].mix, in.currency)));
      AppendBullets(out, Tr("Quotes (cards × quote, likely lead time):"), mixes);
      out += Tr("Recommendation:") + "\n";
      for (size_t i = 0; i < w.recommendation.reasons.size(); ++i) {
        AppendWrapped(out, "  - ", w.recommendation.reasons[i], 4, i == 0 ? &Emphasis : nullptr);
      }
    }
    AppendBullets(out, Tr("Considered and dropped (counted):"), PlanDroppedLines(w.dropped));
    std::vector<std::string> excluded;
    for (const Excluded& e : w.excluded) excluded.push_back(TrFormat("{}: {}", e.accelerator, e.reason));
    AppendBullets(out, w.options.empty() ? Alarm(Tr("No feasible option. Excluded:")) : Tr("Excluded:"), excluded);
    std::vector<std::string> notes;
    for (const ServingOption& o : w.options) {
      for (const std::string& note : o.notes) {
        if (std::find(notes.begin(), notes.end(), note) == notes.end()) notes.push_back(note);
      }
    }
    AppendBullets(out, Tr("Notes on the quotes above:"), notes);
  }
  return out;
}

json ServingPlanJson(const ServingPlanResult& result, const PlanInput& in) {
  json workloads = json::array();
  for (const ServingWorkloadPlan& w : result.workloads) {
    const PlanServeWorkload& s = w.workload;
    json needs = json::array();
    for (const auto& [accelerator, need] : w.needs) {
      needs.push_back({{"accelerator", accelerator}, {"engine", need.engine}, {"feasible", need.feasible},
                       {"devices", need.devices}, {"replicas", need.replicas}, {"tp", need.layout.tp},
                       {"pp", need.layout.pp}, {"dp_attention", need.layout.dp_attention}, {"ep", need.layout.ep},
                       {"weights", std::string(PrecisionName(need.layout.weights))},
                       {"kv", std::string(PrecisionName(need.layout.kv))}, {"ttft_ms", RoundSig(need.ttft_ms)},
                       {"tpot_ms", RoundSig(need.tpot_ms)},
                       {"reason", need.feasible ? json(nullptr) : json(need.reason)}});
      json& row = needs.back();
      row["mode"] = need.disaggregated ? "disaggregated" : "aggregated";
      row["aggregated_devices"] = need.aggregated_devices > 0 ? json(need.aggregated_devices) : json(nullptr);
      row["disaggregated_devices"] = need.xpyd_devices > 0 ? json(need.xpyd_devices) : json(nullptr);
      if (need.disaggregated) {
        for (const char* key : {"replicas", "tp", "pp", "dp_attention", "ep", "weights", "kv"}) row[key] = nullptr;
        row["prefill"] = PoolJson(need.prefill_replicas, need.prefill_layout);
        row["decode"] = PoolJson(need.decode_replicas, need.decode_layout);
        row["kv_transfer_ms"] = RoundSig(need.kv_transfer_ms);
      }
      if (!need.feasible) row["max_devices"] = need.max_devices;
    }
    json options = json::array();
    for (const ServingOption& o : w.options) {
      options.push_back({{"accelerator", o.accelerator}, {"mode", std::string(BuyModeName(o.mode))},
                         {"devices", o.need.devices}, {"cards", o.cards}, {"mix", MixJson(o.mix, in.currency)},
                         {"ready_days", RoundSig(o.ready_days)},
                         {"ready_p50_days", std::isfinite(o.ready_p50_days) ? json(RoundSig(o.ready_p50_days)) : json()},
                         {"ready_p90_days", std::isfinite(o.ready_p90_days) ? json(RoundSig(o.ready_p90_days)) : json()},
                         {"ready_p50_date", o.ready_p50_date == kNeverDate ? json() : json(FormatDate(o.ready_p50_date))},
                         {"ready_p90_date", o.ready_p90_date == kNeverDate ? json() : json(FormatDate(o.ready_p90_date))},
                         {"stop_share", RoundSig(o.stop_share, 4)}, {"cost", CostJson(o.cost)},
                         {"currency", in.currency}, {"output_tokens", RoundSig(o.output_tokens)},
                         {"cost_per_mtok", RoundSig(o.cost_per_mtok)}, {"notes", o.notes}});
    }
    json excluded = json::array();
    for (const Excluded& e : w.excluded) excluded.push_back({{"accelerator", e.accelerator}, {"reason", e.reason}});
    workloads.push_back(
        {{"name", s.name}, {"model", s.model},
         {"traffic", {{"rate_rps", s.rate_rps}, {"input_len", s.input_tokens}, {"output_len", s.output_tokens}}},
         {"slo", {{"ttft_ms", s.ttft_ms}, {"tpot_ms", s.tpot_ms}, {"percentile", s.percentile}}},
         {"needed_by", s.has_needed_by ? json(FormatDate(s.needed_by)) : json(nullptr)},
         {"period_months", s.period_months}, {"utilisation", s.utilisation},
         {"status", w.status == PlanStatus::kFeasible ? "feasible" : "infeasible"},
         {"options_evaluated", w.options_evaluated}, {"fleet", needs}, {"options", options},
         {"recommendation",
          {{"option", w.recommendation.option >= 0 ? json(w.recommendation.option) : json(nullptr)},
           {"reasons", w.recommendation.reasons}}},
         {"excluded", excluded}, {"dropped", DroppedJson(w.dropped)}});
  }
  return workloads;
}

namespace {

// A bar per option: cost per million output tokens, the recommendation marked.
json CostPerMtokChart(const ServingWorkloadPlan& w, const std::string& currency) {
  json values = json::array();
  for (size_t i = 0; i < w.options.size(); ++i) {
    const ServingOption& o = w.options[i];
    values.push_back({{"option", fmt::format("#{} {} ({})", i + 1, o.accelerator, ModeText(o.mode))},
                      {"per_mtok", o.cost_per_mtok},
                      {"per_mtok_text", PerMtokText(o.cost_per_mtok, currency)},
                      {"cards", o.cards},
                      {"ready", FormatFinish(o.ready_p50_date)},
                      {"recommended", static_cast<int>(i) == w.recommendation.option}});
  }
  const auto tip = [](const char* field, const std::string& title) { return json{{"field", field}, {"title", title}}; };
  return {{"data", {{"values", values}}},
          {"mark", "bar"},
          {"height", {{"step", 24}}},
          {"encoding",
           {{"y", {{"field", "option"}, {"type", "nominal"}, {"sort", nullptr}, {"title", nullptr}}},
            {"x", {{"field", "per_mtok"}, {"type", "quantitative"},
                   {"title", TrFormat("cost per million output tokens ({})", currency)}}},
            {"color", {{"field", "recommended"}, {"type", "nominal"}, {"title", Tr("recommended")}}},
            {"tooltip", json::array({tip("option", Tr("option")), tip("per_mtok_text", Tr("per Mtok")),
                                     tip("cards", Tr("cards")), tip("ready", Tr("serving P50"))})}}}};
}

}  // namespace

void AddServingSections(HtmlPage& page, const ServingPlanResult& result, const PlanInput& in) {
  for (size_t wi = 0; wi < result.workloads.size(); ++wi) {
    const ServingWorkloadPlan& w = result.workloads[wi];
    page.Heading(TrFormat("Serving workload {}: {} — {} ({})", wi + 1, w.workload.name, w.workload.model,
                          w.status == PlanStatus::kFeasible ? Tr("feasible") : Tr("INFEASIBLE")));
    page.Paragraph(TrafficText(w.workload) + Tr("; ") + PeriodText(w.workload));
    if (!w.needs.empty()) {
      page.Table(ServingNeedsTable(w), Tr("Fleet per accelerator (fewest devices meeting the SLOs, simulated)"));
      page.Paragraph(ModesNote(w.workload));
    }
    if (!w.options.empty()) {
      page.Chart(Tr("Cost per million output tokens per option (over the service period)"),
                 CostPerMtokChart(w, in.currency), fmt::format("serving-cost-{}", wi + 1));
      page.Table(ServingOptionsTable(w, in.currency), Tr("Serving options (time-to-serve = delivery + setup)"));
      page.List(w.recommendation.reasons);
    } else {
      page.Callout(Tr("No feasible option."), HtmlPage::Tone::kWarning);
    }
    std::vector<std::string> excluded;
    for (const Excluded& e : w.excluded) excluded.push_back(TrFormat("{}: {}", e.accelerator, e.reason));
    if (!excluded.empty()) {
      page.Heading(Tr("Excluded"));
      page.List(excluded);
    }
    if (!w.dropped.empty()) {
      page.Heading(Tr("Considered and dropped (counted)"));
      page.List(PlanDroppedLines(w.dropped));
    }
  }
}

}  // namespace suanli
