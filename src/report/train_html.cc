// The train report pages; see train_html.h.
#include "report/train_html.h"

#include <fmt/format.h>

#include "core/i18n.h"
#include "core/units.h"
#include "report/html_page.h"
#include "report/json_util.h"
#include "report/train_report.h"

namespace suanli {
namespace {

using nlohmann::json;

// Returns a stacked horizontal bar layer of `values` ({layout, part, order, amount}).
json StackedBars(json values, const std::string& amount_title, const std::vector<std::string>& part_order) {
  return {{"data", {{"values", std::move(values)}}},
          {"mark", {{"type", "bar"}}},
          {"encoding",
           {{"y", {{"field", "layout"}, {"type", "nominal"}, {"title", nullptr}, {"sort", nullptr},
                   {"axis", {{"labelLimit", 360}}}}},
            {"x", {{"field", "amount"}, {"type", "quantitative"}, {"stack", "zero"}, {"title", amount_title}}},
            {"color", {{"field", "part"}, {"type", "nominal"}, {"title", Tr("part")}, {"sort", part_order}}},
            {"order", {{"field", "order"}}},
            {"tooltip",
             json::array({{{"field", "layout"}, {"title", Tr("layout")}},
                          {{"field", "part"}, {"title", Tr("part")}},
                          {{"field", "amount"}, {"title", amount_title}, {"format", ".3~f"}}})}}}};
}

// Returns the height in pixels of a chart of `bars` horizontal bars (a fixed
// height: a discrete one would not fit the page's autosize).
int BarsHeight(size_t bars) { return 40 + 32 * static_cast<int>(bars); }

// Returns the translated names of `parts` in order (the legend's order).
std::vector<std::string> PartNames(const std::vector<NamedAmount>& parts) {
  std::vector<std::string> names;
  for (const NamedAmount& part : parts) names.push_back(Tr(part.name));
  return names;
}

// Adds the subject's what-if line, the facts and the callout of one estimate.
void AddEstimate(HtmlPage& page, const TrainSubject& subject, const ParallelConfig& config,
                 const StepEstimate& estimate) {
  if (!subject.assumed.empty()) page.Callout(StripColor(AssumedLine(subject.assumed)), HtmlPage::Tone::kInfo);
  FactList facts = {{Tr("model"), subject.model}, {Tr("accelerator"), subject.accelerator}};
  for (auto& [label, value] : EstimateFacts(config, estimate)) facts.emplace_back(label, StripColor(value));
  page.Facts(facts);
  if (!estimate.fits) {
    page.Callout(TrFormat("{}: {}", Tr("does not fit"), NotFitReason(estimate)), HtmlPage::Tone::kWarning);
  }
}

// Adds the step-time table, notes and charts of one estimate labelled `label`.
void AddEstimateDetail(HtmlPage& page, const TrainSubject& subject, const std::string& label,
                       const ParallelConfig& config, const StepEstimate& estimate) {
  if (estimate.fits) {
    page.Chart(Tr("Where the step time goes"), StepTimeChart({{label, estimate.breakdown}}), "step-time");
    page.Table(BreakdownTable(estimate), Tr("Step time by part"));
    const std::vector<std::string> notes = EstimateNotes(config, estimate);
    if (!notes.empty()) {
      page.Heading(Tr("Notes"));
      page.List(notes);
    }
  }
  page.Chart(Tr("Memory per device against capacity"),
             MemoryChart({{label, estimate.memory}}, estimate.usable_bytes, subject.capacity_bytes), "memory");
}

// Adds the campaign sentences under a heading.
void AddCampaign(HtmlPage& page, const TrainSubject& subject, const std::optional<CampaignTotals>& totals) {
  if (!totals) return;
  page.Heading(Tr("Training campaign"));
  page.Preformatted(CampaignText(*totals, subject.gpus));
  page.Table(CampaignTable(*totals, subject.gpus), Tr("Steady state and campaign"));
}

}  // namespace

json StepTimeChart(const std::vector<std::pair<std::string, StepBreakdown>>& bars) {
  json values = json::array();
  std::vector<std::string> order;
  for (const auto& [label, breakdown] : bars) {
    const std::vector<NamedAmount> parts = StepParts(breakdown, true);
    if (order.empty()) order = PartNames(parts);
    for (size_t i = 0; i < parts.size(); ++i) {
      if (parts[i].amount <= 0) continue;
      values.push_back({{"layout", label}, {"part", Tr(parts[i].name)}, {"order", i},
                        {"amount", RoundSig(parts[i].amount, 4)}});
    }
  }
  json spec = StackedBars(std::move(values), Tr("seconds per step"), order);
  spec["height"] = BarsHeight(bars.size());
  return spec;
}

json MemoryChart(const std::vector<std::pair<std::string, MemoryBreakdown>>& bars, double usable_bytes,
                 double capacity_bytes) {
  json values = json::array();
  std::vector<std::string> order;
  for (const auto& [label, memory] : bars) {
    const std::vector<NamedAmount> parts = MemoryParts(memory);
    for (size_t i = 0; i < parts.size(); ++i) {
      const std::string name = Tr(parts[i].name);
      if (std::find(order.begin(), order.end(), name) == order.end()) order.push_back(name);
      values.push_back({{"layout", label}, {"part", name}, {"order", i},
                        {"amount", RoundSig(parts[i].amount / kGiB, 4)}});
    }
  }
  const std::string title = Tr("memory per device (GiB)");
  json limits = json::array({{{"label", Tr("usable")}, {"amount", RoundSig(usable_bytes / kGiB, 4)}}});
  if (capacity_bytes > usable_bytes) {
    limits.push_back({{"label", Tr("capacity")}, {"amount", RoundSig(capacity_bytes / kGiB, 4)}});
  }
  const json rule = {
      {"data", {{"values", limits}}},
      {"mark", {{"type", "rule"}, {"color", "#b91c1c"}, {"strokeDash", {6, 3}}, {"size", 2}}},
      {"encoding",
       {{"x", {{"field", "amount"}, {"type", "quantitative"}}},
        {"tooltip", json::array({{{"field", "label"}, {"title", Tr("limit")}},
                                 {{"field", "amount"}, {"title", title}}})}}}};
  // The usable label left of its rule, the capacity label right of its own: they never overlap.
  auto rule_label = [&](size_t index, const char* align, int dx) {
    return json{{"data", {{"values", json::array({limits[index]})}}},
                {"mark", {{"type", "text"}, {"align", align}, {"dx", dx}, {"dy", -4}, {"baseline", "bottom"},
                          {"color", "#b91c1c"}}},
                {"encoding",
                 {{"x", {{"field", "amount"}, {"type", "quantitative"}}},
                  {"y", {{"value", 0}}},
                  {"text", {{"field", "label"}}}}}};
  };
  json layers = json::array({StackedBars(std::move(values), title, order), rule, rule_label(0, "right", -3)});
  if (limits.size() > 1) layers.push_back(rule_label(1, "left", 3));
  return {{"height", BarsHeight(bars.size())}, {"layer", std::move(layers)}};
}

std::string TrainEstimateHtml(const TrainSubject& subject, const ParallelConfig& config,
                              const StepEstimate& estimate, const std::optional<CampaignTotals>& totals) {
  HtmlPage page(TrFormat("Training estimate: {}", SubjectLine(subject)), CompactConfigText(config));
  AddEstimate(page, subject, config, estimate);
  if (!estimate.fits && !subject.advice.empty()) page.Paragraph(subject.advice);
  AddEstimateDetail(page, subject, CompactConfigText(config), config, estimate);
  AddCampaign(page, subject, totals);
  return page.Render();
}

std::string TrainSearchHtml(const TrainSubject& subject, const SearchResult& result,
                            const std::optional<CampaignTotals>& totals, size_t top) {
  HtmlPage page(TrFormat("Layout search: {}", SubjectLine(subject)), SearchSummary(subject, result));
  if (result.top.empty()) {
    if (!subject.assumed.empty()) page.Callout(StripColor(AssumedLine(subject.assumed)), HtmlPage::Tone::kInfo);
    page.Callout(TrFormat("{}: {}", Tr("no feasible layout"), result.infeasible_reason_text), HtmlPage::Tone::kWarning);
    return page.Render();
  }
  const SearchCandidate& best = result.top.front();
  page.Callout(TrFormat("best layout: {}", CompactConfigText(best.config)), HtmlPage::Tone::kGood);
  AddEstimate(page, subject, best.config, best.estimate);
  const std::vector<RankedRow> rows = RankRows(result, top);
  page.Table(RankingTable(result, rows), Tr("Ranking (runner-ups that differ only in a detail are collapsed)"));
  if (const std::string fewer = FewerRowsNote(result, rows, top); !fewer.empty()) page.Paragraph(fewer);
  std::vector<std::pair<std::string, StepBreakdown>> steps;
  std::vector<std::pair<std::string, MemoryBreakdown>> memories;
  for (size_t r = 0; r < rows.size(); ++r) {
    const SearchCandidate& c = result.top[rows[r].index];
    const std::string label = fmt::format("#{} {}", r + 1, CompactConfigText(c.config));
    steps.emplace_back(label, c.estimate.breakdown);
    memories.emplace_back(label, c.estimate.memory);
  }
  page.Chart(Tr("Where the step time goes, by layout"), StepTimeChart(steps), "step-time");
  page.Chart(Tr("Memory per device against capacity, by layout"),
             MemoryChart(memories, best.estimate.usable_bytes, subject.capacity_bytes), "memory");
  page.Table(BreakdownTable(best.estimate), Tr("Step time of the best layout by part"));
  const std::vector<std::string> notes = EstimateNotes(best.config, best.estimate);
  if (!notes.empty()) {
    page.Heading(Tr("Notes"));
    page.List(notes);
  }
  AddCampaign(page, subject, totals);
  return page.Render();
}

std::string ScalingHtml(const TrainSubject& subject, const std::vector<ScalingPoint>& points) {
  const std::string heading = TrFormat("{} on {}: best layout at each cluster size", subject.model,
                                       subject.accelerator);
  HtmlPage page(TrFormat("Scaling: {}", heading), "");
  if (!subject.assumed.empty()) page.Callout(StripColor(AssumedLine(subject.assumed)), HtmlPage::Tone::kInfo);
  json values = json::array();
  std::vector<double> sizes;
  std::vector<std::string> misses;
  for (const ScalingPoint& p : points) {
    sizes.push_back(p.gpus);
    if (!p.best) {
      misses.push_back(TrFormat("{} devices: {}", FormatCount(p.gpus), p.reason_text));
      continue;
    }
    const StepEstimate& e = p.best->estimate;
    values.push_back({{"devices", p.gpus}, {"tokens_per_s", RoundSig(e.tokens_per_s, 4)},
                      {"mfu", RoundSig(100 * e.mfu, 3)}, {"layout", CompactConfigText(p.best->config)}});
  }
  page.Table(ScalingTable(points), heading);
  if (!misses.empty()) page.List(misses);
  auto line = [&](const std::string& field, const std::string& title, json y_scale) {
    // The sizes are powers of two: a log2 axis spaces them evenly, ticked at each size.
    const json x = {{"field", "devices"},
                    {"type", "quantitative"},
                    {"title", Tr("devices")},
                    {"scale", sizes.size() > 2 ? json{{"type", "log"}, {"base", 2}} : ScaleFor(sizes)},
                    {"axis", {{"values", sizes}, {"format", ","}}}};
    return json{{"data", {{"values", values}}},
                {"mark", {{"type", "line"}, {"point", true}}},
                {"encoding",
                 {{"x", x},
                  {"y", {{"field", field}, {"type", "quantitative"}, {"title", title}, {"scale", y_scale}}},
                  {"tooltip", json::array({{{"field", "devices"}, {"title", Tr("devices")}},
                                           {{"field", field}, {"title", title}, {"format", ",.4~r"}},
                                           {{"field", "layout"}, {"title", Tr("layout")}}})}}}};
  };
  std::vector<double> throughputs;
  for (const json& v : values) throughputs.push_back(v["tokens_per_s"].get<double>());
  page.Chart(Tr("Throughput against cluster size"), line("tokens_per_s", "tokens/s", ScaleFor(throughputs)),
             "scaling");
  page.Chart(Tr("MFU against cluster size"), line("mfu", "MFU (%)", {{"zero", true}}), "mfu");
  return page.Render();
}

}  // namespace suanli
