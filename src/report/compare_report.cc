#include "report/compare_report.h"

#include <fmt/format.h>

#include "core/i18n.h"
#include "report/json_util.h"
#include "report/layout_text.h"
#include "report/table.h"

namespace suanli {

using nlohmann::json;

json CompareReportJson(const CompareResult& r) {
  json candidates = json::array();
  for (const CompareEntry& e : r.candidates) {
    json entry = {{"accelerator", e.accelerator},
                  {"matched", e.matched},
                  {"gpus", e.gpus},
                  {"tokens_per_s", RoundSig(e.tokens_per_s)},
                  {"ratio_to_reference", RoundSig(e.ratio_to_reference, 4)},
                  {"min_gpus_to_fit", e.min_gpus_to_fit},
                  {"layout", e.tokens_per_s > 0 ? LayoutJson(e.layout) : json(nullptr)},
                  {"bound", e.bound},
                  {"why", e.why},
                  {"price", PriceJson(e.price)},
                  {"cost", e.matched && e.price ? json(RoundSig(e.cost)) : json(nullptr)}};
    if (r.tokens > 0) entry["train_days"] = e.tokens_per_s > 0 ? json(RoundSig(e.train_days)) : json(nullptr);
    candidates.push_back(entry);
  }
  json reference = {{"accelerator", r.reference_accelerator},
                    {"gpus", r.reference_gpus},
                    {"tokens_per_s", RoundSig(r.reference_tokens_per_s)},
                    {"layout", LayoutJson(r.reference_layout)},
                    {"price", PriceJson(r.reference_price)},
                    {"cost", r.reference_price ? json(RoundSig(r.reference_cost)) : json(nullptr)}};
  if (r.tokens > 0) reference["train_days"] = RoundSig(r.reference_train_days);
  return json{{"model", r.model},
              {"tokens", r.tokens > 0 ? json(RoundSig(r.tokens)) : json(nullptr)},
              {"currency", r.currency},
              {"reference", reference},
              {"candidates", candidates}};
}

std::string CompareReportText(const CompareResult& r) {
  std::string out = fmt::format(
      "Reference: {} x {} on {}: {:.0f} tokens/s ({}){}{}\n", r.reference_gpus,
      r.reference_accelerator, r.model, r.reference_tokens_per_s, LayoutText(r.reference_layout),
      r.reference_price ? ", " + FormatMoney(r.reference_cost, r.currency) : std::string(),
      r.tokens > 0 ? fmt::format(", {:.1f} days for {} tokens", r.reference_train_days, TokensText(r.tokens))
                   : std::string());
  TextTable table({"candidate", "cards", "x ref", "tokens/s", "layout", "cost", "bound"});
  for (size_t col : {1, 2, 3, 5}) table.AlignColumn(col, TextTable::Align::kRight);
  for (const CompareEntry& e : r.candidates) {
    table.AddRow({e.accelerator, e.matched ? std::to_string(e.gpus) : "-",
                  e.matched ? fmt::format("{:.2f}", e.ratio_to_reference) : "-",
                  e.tokens_per_s > 0 ? fmt::format("{:.0f}", e.tokens_per_s) : "-",
                  e.tokens_per_s > 0 ? LayoutText(e.layout) : "-",
                  e.matched && e.price ? FormatMoney(e.cost, r.currency) : "-", e.bound});
  }
  out += table.Render();
  out += "Why:\n";
  for (const CompareEntry& e : r.candidates) {
    out += fmt::format("  - {}: {}{}\n", e.accelerator, e.why,
                       e.price ? fmt::format(" (price: {} per card, quote {})",
                                             FormatMoney(e.price->price_per_card, r.currency),
                                             e.price->quote_id)
                               : " (no usable market quote)");
  }
  return out;
}

}  // namespace suanli
