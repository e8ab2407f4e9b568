#include "report/compare_html.h"

#include <optional>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/i18n.h"
#include "core/text.h"
#include "report/compare_report.h"
#include "report/html_page.h"
#include "report/json_util.h"
#include "report/layout_text.h"

namespace suanli {
namespace {

using nlohmann::json;

// The colours of the bars: the reference, the recommendation, other matches,
// matches the buyer may not buy, no match.
json StatusColors() {
  return {{"domain", {Tr("the reference"), Tr("best match"), Tr("also matches"), Tr("matches, but banned"),
                      Tr("matches, licence required"), Tr("cannot match")}},
          {"range", {"#7f8c8d", "#23854a", "#3b6fb6", "#8e6c8a", "#b08a3e", "#c0392b"}}};
}

// Returns one chart datum per cluster: the reference first, then each candidate.
json ClusterValues(const CompareResult& r) {
  json values = json::array();
  values.push_back({{"accelerator", r.reference_accelerator},
                    {"status", Tr("the reference")},
                    {"cards", r.reference_gpus},
                    {"label_y", r.reference_gpus},
                    {"label", FormatRatio(1, 1)},
                    {"tokens_per_s", RoundSig(r.reference_tokens_per_s, 4)},
                    {"per_card", RoundSig(r.reference_tokens_per_s / r.reference_gpus, 4)},
                    {"per_card_label", FormatRatio(1, 1)},
                    {"layout", LayoutSettingsText(r.reference_layout)},
                    {"cost", r.reference_price ? json(RoundSig(r.reference_cost)) : json(nullptr)},
                    {"cost_text", r.reference_price ? FormatMoney(r.reference_cost, r.currency) : "-"},
                    {"bound", "-"}});
  const int best = BestCandidate(r);
  const double ref_per_card = r.reference_tokens_per_s / r.reference_gpus;
  for (size_t i = 0; i < r.candidates.size(); ++i) {
    const CompareEntry& e = r.candidates[i];
    const std::string status = !e.matched                       ? Tr("cannot match")
                               : !e.buyable() && e.blocked_licence ? Tr("matches, licence required")
                               : !e.buyable()                   ? Tr("matches, but banned")
                               : static_cast<int>(i) == best    ? Tr("best match")
                                                                : Tr("also matches");
    const bool priced = e.matched && e.price;
    values.push_back({{"accelerator", e.accelerator},
                      {"status", status},
                      {"cards", e.matched ? json(e.gpus) : json(nullptr)},
                      {"label_y", e.matched ? e.gpus : 0},
                      {"label", e.matched ? FormatRatio(e.gpus, r.reference_gpus) : Tr("cannot match")},
                      {"tokens_per_s", e.tokens_per_s > 0 ? json(RoundSig(e.tokens_per_s, 4)) : json(nullptr)},
                      {"per_card", e.tokens_per_s > 0 ? json(RoundSig(e.tokens_per_s / e.gpus, 4)) : json(nullptr)},
                      {"per_card_label", e.tokens_per_s > 0 ? FormatRatio(e.tokens_per_s / e.gpus, ref_per_card) : ""},
                      {"layout", e.tokens_per_s > 0 ? LayoutSettingsText(e.layout) : "-"},
                      {"cost", priced ? json(RoundSig(e.cost)) : json(nullptr)},
                      {"cost_text", priced ? FormatMoney(e.cost, r.currency) + PaidText(e) : CostCellText(e)},
                      {"bound", BoundText(e.bound)}});
  }
  return values;
}

// Returns the tooltip shown on every bar.
json ClusterTooltip() {
  return json::array({{{"field", "accelerator"}, {"title", Tr("accelerator id")}},
                      {{"field", "cards"}, {"title", Tr("to match")}, {"format", ","}},
                      {{"field", "label"}, {"title", Tr("vs ref")}},
                      {{"field", "tokens_per_s"}, {"title", "tokens/s"}, {"format", ",.0f"}},
                      {{"field", "layout"}, {"title", Tr("best layout")}},
                      {{"field", "cost_text"}, {"title", Tr("card cost")}},
                      {{"field", "bound"}, {"title", Tr("limited by")}}});
}

// Returns a bar chart of `field` per cluster with `label_field` over each
// bar and, when `rule_value` is set, a dashed line at the reference's value.
json BarSpec(const json& values, const std::string& field, const std::string& axis_title,
             const std::string& label_field, std::optional<double> rule_value) {
  const json x = {{"field", "accelerator"}, {"type", "nominal"}, {"sort", nullptr},
                  {"title", Tr("accelerator id")}, {"axis", {{"labelAngle", -20}}}};
  json layers = json::array();
  layers.push_back({{"mark", {{"type", "bar"}, {"tooltip", true}}},
                    {"encoding",
                     {{"x", x},
                      {"y", {{"field", field}, {"type", "quantitative"}, {"title", axis_title},
                             {"axis", {{"format", "~s"}}}}},
                      {"color", {{"field", "status"}, {"type", "nominal"}, {"scale", StatusColors()},
                                 {"title", Tr("cluster role")}}},
                      {"tooltip", ClusterTooltip()}}}});
  layers.push_back({{"mark", {{"type", "text"}, {"dy", -6}, {"fontWeight", "bold"}}},
                    {"encoding",
                     {{"x", x},
                      {"y", {{"field", field == "cards" ? "label_y" : field}, {"type", "quantitative"}}},
                      {"text", {{"field", label_field}}}}}});
  if (rule_value) {
    layers.push_back({{"data", {{"values", json::array({{{"value", *rule_value}}})}}},
                      {"mark", {{"type", "rule"}, {"strokeDash", {6, 4}}, {"color", "#7f8c8d"}}},
                      {"encoding", {{"y", {{"field", "value"}, {"type", "quantitative"}}}}}});
  }
  return {{"data", {{"values", values}}}, {"height", 280}, {"layer", layers}};
}

// Returns the facts of the reference cluster.
std::vector<std::pair<std::string, std::string>> ReferenceFacts(const CompareHtmlInput& in) {
  const CompareResult& r = *in.result;
  std::vector<std::pair<std::string, std::string>> facts = {
      {Tr("Model trained"), r.model},
      {Tr("Reference cluster"), fmt::format("{} × {}", FormatCount(r.reference_gpus), r.reference_accelerator)},
      {Tr("Reference throughput"), FormatCount(r.reference_tokens_per_s) + " tokens/s"},
      {Tr("Reference layout"), LayoutSettingsText(r.reference_layout)},
      {Tr("Global batch"), SameBatchEverywhere(r) ? TrFormat("{} (every row)", BatchText(r)) : BatchText(r)}};
  if (!r.reference_blocked.english.empty()) {
    facts.emplace_back(Tr("Reference card"), BlockedText(r.reference_blocked, r.reference_blocked_licence));
  }
  if (r.reference_price) {
    facts.emplace_back(Tr("Reference price per card"),
                       TrFormat("{} (quote {})", FormatMoney(r.reference_price->price_per_card, r.currency),
                                r.reference_price->quote_id));
    facts.emplace_back(Tr("Reference cost"), FormatMoney(r.reference_cost, r.currency));
    if (r.reference_price->used()) {
      facts.emplace_back(Tr("Reference cards"), PriceLineText(r, r.reference_price, r.reference_no_price,
                                                              r.reference_blocked, r.reference_blocked_licence,
                                                              r.reference_replacement_risk));
    }
  }
  if (r.tokens > 0) {
    facts.emplace_back(Tr("Training tokens"), TokensText(r.tokens));
    facts.emplace_back(Tr("Reference training time"), TrFormat("{:.1f} days of training", r.reference_train_days));
  }
  facts.emplace_back(Tr("Buyer (export rules, prices)"), TrFormat("region {}, tier {}, date {}", in.region, in.tier,
                                           in.date.empty() ? Tr("none given") : in.date));
  return facts;
}

// Adds the recommendation (or the warning that nothing matches).
void AddVerdict(HtmlPage& page, const CompareResult& r) {
  const int best = BestCandidate(r);
  if (best < 0 && AnyMatch(r)) {
    page.Callout(TrFormat("No match the buyer may buy: every candidate that matches is blocked for a {} {} buyer "
                          "on {}.",
                          r.region, r.tier, FormatDate(r.price_date)),
                 HtmlPage::Tone::kWarning);
    return;
  }
  if (best < 0) {
    page.Callout(Tr("No candidate matches the reference within the largest cluster tried."),
                 HtmlPage::Tone::kWarning);
    return;
  }
  const CompareEntry& b = r.candidates[static_cast<size_t>(best)];
  page.Callout(b.price ? TrFormat("Cheapest match: {} × {} ({} the reference's cards), {}", FormatCount(b.gpus),
                                  b.accelerator, FormatRatio(b.gpus, r.reference_gpus), FormatMoney(b.cost, r.currency))
                       : TrFormat("Fewest cards to match: {} × {} ({} the reference's cards)", FormatCount(b.gpus),
                                  b.accelerator, FormatRatio(b.gpus, r.reference_gpus)),
               HtmlPage::Tone::kGood);
  if (b.price && b.price->used()) page.Paragraph(TrFormat("{}: {}", b.accelerator, PriceLineText(r, b.price, b.no_price,
                                                                                        b.blocked, b.blocked_licence,
                                                                                        b.replacement_risk)));
}

// Adds the charts: cards needed, cost, tokens/s per card.
void AddCharts(HtmlPage& page, const CompareResult& r) {
  const json values = ClusterValues(r);
  page.Chart(Tr("Cards needed to match the reference (labels: cards relative to the reference)"),
             BarSpec(values, "cards", Tr("to match"), "label", static_cast<double>(r.reference_gpus)),
             "cards");
  bool any_cost = r.reference_price.has_value();
  for (const CompareEntry& e : r.candidates) any_cost = any_cost || (e.matched && e.price);
  if (any_cost) {
    page.Chart(TrFormat("Cost of the cards that match the reference ({})", r.currency),
               BarSpec(values, "cost", TrFormat("cost ({})", r.currency), "cost_text",
                       r.reference_price ? std::optional<double>(RoundSig(r.reference_cost)) : std::nullopt),
               "cost");
  }
  page.Chart(Tr("Training throughput per card (tokens/s) at the size that matches, or the best size tried; labels: "
                "relative to the reference"),
             BarSpec(values, "per_card", Tr("tokens/s per card"), "per_card_label",
                     r.reference_tokens_per_s / r.reference_gpus),
             "per-card");
}

// Adds the prices and the quotes behind them.
void AddQuotes(HtmlPage& page, const CompareHtmlInput& in) {
  TextTable table({Tr("quote id"), Tr("quoted by"), Tr("price seen"), Tr("quote source"), Tr("quote notes")});
  for (const CompareQuoteSource& q : in.quotes) {
    table.AddRow({q.quote_id, q.supplier, q.observed, q.source, q.notes.empty() ? "-" : q.notes});
  }
  page.Heading(Tr("Quotes behind the prices"));
  const CompareResult& r = *in.result;
  page.Paragraph(r.store.empty()
                     ? Tr("Each price is the cheapest seed-market purchase quote the buyer may use on the date "
                          "(export rules applied), converted to the report currency.")
                     : TrFormat("Each price is the cheapest purchase quote (the seed market and {} quotes from {}) "
                                "the buyer may use on the date (export rules applied), converted to the report "
                                "currency.",
                                r.quotes_store, r.store));
  if (table.RowCount() > 0) {
    page.Table(table);
  } else {
    page.Paragraph(Tr("No usable market quote for any of these accelerators."));
  }
}

}  // namespace

std::string CompareReportHtml(const CompareHtmlInput& in) {
  const CompareResult& r = *in.result;
  HtmlPage page(TrFormat("How many cards match {} × {} training {}", FormatCount(r.reference_gpus),
                         r.reference_accelerator, r.model),
                TrFormat("suanli compare · {} · region {} · {}", in.date.empty() ? Tr("no date") : in.date,
                         in.region, r.currency));
  AddVerdict(page, r);
  page.Heading(Tr("Reference cluster"));
  page.Facts(ReferenceFacts(in));
  page.Heading(Tr("Candidate clusters"));
  page.Table(CompareCandidatesTable(r, CompareTableUse::kPage));
  AddCharts(page, r);
  page.Heading(Tr("Why each candidate needs that many cards"));
  std::vector<std::string> why;
  for (const CompareEntry& e : r.candidates) {
    std::string price = PriceLineText(r, e.price, e.no_price, e.blocked, e.blocked_licence, e.replacement_risk);
    if (e.price && e.buyable()) price = TrFormat("price: {}", price);
    std::string fit = e.min_gpus_to_fit > 0 ? TrFormat("fits from {} cards", FormatCount(e.min_gpus_to_fit))
                                            : Tr("fits on no size tried");
    why.push_back(TrFormat("{}: {} ({}; {})", e.accelerator, e.why_text, fit, price));
  }
  for (const std::string& note : PrecisionNotes(r)) why.push_back(note);
  page.List(why);
  // The layout cells name the layout; these commands reproduce each number.
  page.Heading(Tr("Each layout with suanli train"));
  page.Paragraph(SameBatchEverywhere(r)
                     ? TrFormat("The same layout and settings as the tokens/s above, every row at the reference's "
                                "global batch ({}), for `suanli train`:",
                                BatchText(r))
                     : Tr("The same layout and settings as the tokens/s above, for `suanli train` (the global batch "
                          "differs between rows: its tokens per step are named):"));
  page.Preformatted(Join(CompareTrainCommands(r, in.rerun), "\n"));
  AddQuotes(page, in);
  page.Heading(Tr("How the comparison is made"));
  std::vector<std::string> notes = {
      Tr("Each size is searched for its best parallel layout; sizes double from 1 card, then whole nodes of "
         "8 are bisected up to --max-gpus."),
      Tr("A candidate matches when its best layout reaches the reference's tokens/s.")};
  for (const std::string& a : in.assumed) notes.push_back(TrFormat("what-if value: {}", a));
  page.List(notes);
  return page.Render();
}

}  // namespace suanli
