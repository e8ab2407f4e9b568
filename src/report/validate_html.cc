#include "report/validate_html.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/i18n.h"
#include "report/html_page.h"
#include "report/json_util.h"
#include "report/train_report.h"
#include "report/validate_report.h"

namespace suanli {
namespace {

using nlohmann::json;

// The ±band drawn around y = x, as a fraction.
constexpr double kBand = 0.15;

// Returns the stack of run `i` (a blank column reads as megatron).
std::string StackOf(const ValidateHtmlInput& in, size_t i) {
  if (in.runs == nullptr || i >= in.runs->size() || (*in.runs)[i].stack.empty()) return "megatron";
  return (*in.runs)[i].stack;
}

// Returns one datum per predicted row, with what the tooltip shows.
json PointValues(const ValidateHtmlInput& in) {
  json values = json::array();
  for (size_t i = 0; i < in.report->rows.size(); ++i) {
    const RunPrediction& r = in.report->rows[i];
    if (!r.ok) continue;
    const PublishedRun* run = in.runs != nullptr && i < in.runs->size() ? &(*in.runs)[i] : nullptr;
    values.push_back({{"id", r.id},
                      {"published", RoundSig(r.published, 6)},
                      {"predicted", RoundSig(r.predicted, 6)},
                      {"error_pct", RoundSig(r.error_pct, 4)},
                      {"p10", RoundSig(r.predicted_p10, 4)},
                      {"p90", RoundSig(r.predicted_p90, 4)},
                      {"inside", r.inside_p10_p90 ? Tr("yes") : Tr("no")},
                      {"accelerator", r.accelerator_id},
                      {"metric", MetricLabel(r.metric)},
                      {"model", run != nullptr ? (run->model.name.empty() ? run->model.id : run->model.name) : ""},
                      {"stack", StackOf(in, i)},
                      {"layout", ConfigText(r.config) + (r.layout_searched ? " *" : "")},
                      {"source", run != nullptr ? run->source : ""},
                      {"confidence", r.confidence}});
  }
  return values;
}

// Returns the y = x line and the ±15% band over [low, high], as geometric steps.
json BandValues(double low, double high) {
  json values = json::array();
  constexpr int kSteps = 24;
  for (int k = 0; k <= kSteps; ++k) {
    const double x = low * std::pow(high / low, static_cast<double>(k) / kSteps);
    values.push_back({{"x", RoundSig(x, 6)}, {"low", RoundSig(x * (1 - kBand), 6)},
                      {"high", RoundSig(x * (1 + kBand), 6)}});
  }
  return values;
}

// Returns the tooltip of a point: the run and its numbers.
json PointTooltip() {
  return json::array({{{"field", "id"}, {"title", "id"}},
                      {{"field", "model"}, {"title", Tr("model of the run")}},
                      {{"field", "accelerator"}, {"title", Tr("accelerator id")}},
                      {{"field", "layout"}, {"title", Tr("layout predicted")}},
                      {{"field", "stack"}, {"title", Tr("software stack")}},
                      {{"field", "metric"}, {"title", Tr("measure")}},
                      {{"field", "published"}, {"title", Tr("reported")}, {"format", ",.4~g"}},
                      {{"field", "predicted"}, {"title", Tr("modelled")}, {"format", ",.4~g"}},
                      {{"field", "error_pct"}, {"title", Tr("off by (%)")}, {"format", "+.1f"}},
                      {{"field", "p10"}, {"title", Tr("modelled P10")}, {"format", ",.4~g"}},
                      {{"field", "p90"}, {"title", Tr("modelled P90")}, {"format", ",.4~g"}},
                      {{"field", "inside"}, {"title", Tr("inside P10–P90")}},
                      {{"field", "source"}, {"title", Tr("source of the run")}}});
}

}  // namespace

json ValidationScatterSpec(const ValidateHtmlInput& in) {
  const json points = PointValues(in);
  std::vector<double> all;
  for (const json& p : points) {
    all.push_back(p["published"].get<double>());
    all.push_back(p["predicted"].get<double>());
  }
  json scale = ScaleFor(all);
  const bool log = scale["type"] == "log";
  const double low = all.empty() ? 1 : *std::min_element(all.begin(), all.end());
  const double high = all.empty() ? 10 : *std::max_element(all.begin(), all.end());
  const double band_low = log ? low / 1.25 : std::max(low - 0.2 * (high - low), low > 0 ? low / 1.25 : low);
  const double band_high = log ? high * 1.25 : high + 0.2 * (high - low);
  scale["domain"] = {RoundSig(band_low, 6), RoundSig(band_high, 6)};
  scale["nice"] = false;
  const json x_axis = {{"title", Tr("reported value (each run's own measure)")}, {"format", "~s"}};
  const json y_axis = {{"title", Tr("modelled value (same measure)")}, {"format", "~s"}};
  json layers = json::array();
  layers.push_back({{"data", {{"values", BandValues(band_low, band_high)}}},
                    {"mark", {{"type", "area"}, {"opacity", 0.18}, {"color", "#3b6fb6"}, {"clip", true}}},
                    {"encoding",
                     {{"x", {{"field", "x"}, {"type", "quantitative"}, {"scale", scale}, {"axis", x_axis}}},
                      {"y", {{"field", "low"}, {"type", "quantitative"}, {"scale", scale}, {"axis", y_axis}}},
                      {"y2", {{"field", "high"}}}}}});
  layers.push_back({{"data", {{"values", BandValues(band_low, band_high)}}},
                    {"mark", {{"type", "line"}, {"color", "#5a6472"}, {"strokeDash", {5, 4}}, {"clip", true}}},
                    {"encoding",
                     {{"x", {{"field", "x"}, {"type", "quantitative"}, {"scale", scale}}},
                      {"y", {{"field", "x"}, {"type", "quantitative"}, {"scale", scale}}}}}});
  layers.push_back({{"data", {{"values", points}}},
                    {"mark", {{"type", "point"}, {"filled", true}, {"size", 60}, {"opacity", 0.85}}},
                    {"encoding",
                     {{"x", {{"field", "published"}, {"type", "quantitative"}, {"scale", scale}}},
                      {"y", {{"field", "predicted"}, {"type", "quantitative"}, {"scale", scale}}},
                      {"color", {{"field", "accelerator"}, {"type", "nominal"}, {"title", Tr("accelerator id")},
                                 {"scale", {{"scheme", "tableau20"}}}}},
                      {"shape", {{"field", "metric"}, {"type", "nominal"}, {"title", Tr("measure")}}},
                      {"tooltip", PointTooltip()}}}});
  return {{"height", 420}, {"layer", layers}};
}

namespace {

// Returns the histogram of the errors, stacked by software stack, with the ±15% lines.
json ErrorHistogramSpec(const ValidateHtmlInput& in) {
  json values = json::array();
  for (const json& p : PointValues(in)) values.push_back({{"error_pct", p["error_pct"]}, {"stack", p["stack"]}});
  json layers = json::array();
  layers.push_back(
      {{"data", {{"values", values}}},
       {"mark", {{"type", "bar"}, {"tooltip", true}}},
       {"encoding",
        {{"x", {{"field", "error_pct"}, {"type", "quantitative"}, {"bin", {{"step", 5}}},
                {"title", Tr("prediction error (%), modelled against reported")}}},
         {"y", {{"aggregate", "count"}, {"type", "quantitative"}, {"title", Tr("published runs")}}},
         {"color", {{"field", "stack"}, {"type", "nominal"}, {"title", Tr("software stack")}}}}}});
  layers.push_back({{"data", {{"values", json::array({{{"x", -100 * kBand}}, {{"x", 100 * kBand}}})}}},
                    {"mark", {{"type", "rule"}, {"strokeDash", {5, 4}}, {"color", "#5a6472"}}},
                    {"encoding", {{"x", {{"field", "x"}, {"type", "quantitative"}}}}}});
  return {{"height", 240}, {"layer", layers}};
}

// Returns the per-stack bars: median |error| with the share within 15% on hover.
json StackBarsSpec(const std::vector<StackErrors>& stacks) {
  json values = json::array();
  for (const StackErrors& e : stacks) {
    if (e.n == 0) continue;
    values.push_back({{"stack", e.stack}, {"median", RoundSig(e.median_ape_pct, 4)},
                      {"within", RoundSig(e.within_15pct, 4)}, {"n", e.n}});
  }
  const json tooltip = json::array({{{"field", "stack"}, {"title", Tr("software stack")}},
                                    {{"field", "n"}, {"title", Tr("rows predicted")}},
                                    {{"field", "median"}, {"title", Tr("median |error| (%)")}, {"format", ".1f"}},
                                    {{"field", "within"}, {"title", Tr("within 15% (% of rows)")}, {"format", ".0f"}}});
  return {{"data", {{"values", values}}},
          {"height", 40 + 28 * static_cast<int>(values.size())},
          {"mark", {{"type", "bar"}, {"color", "#3b6fb6"}}},
          {"encoding",
           {{"y", {{"field", "stack"}, {"type", "nominal"}, {"title", Tr("software stack")}}},
            {"x", {{"field", "median"}, {"type", "quantitative"}, {"title", Tr("median |error| (%)")}}},
            {"tooltip", tooltip}}}};
}

// Returns the names of the runs files, comma-separated.
std::string JoinedFiles(const ValidateHtmlInput& in) {
  std::string files;
  for (const std::string& f : in.files) files += (files.empty() ? "" : ", ") + f;
  return files;
}

// Returns a family's coverage as "82% of 109", or "-" without rows.
std::string BandShare(const BandCoverage& b) {
  return b.rows > 0 ? TrFormat("{:.0f}% of {}", b.Pct(), b.rows) : std::string("-");
}

// Returns the summary statistics as label–value pairs.
std::vector<std::pair<std::string, std::string>> SummaryFacts(const ValidateHtmlInput& in) {
  const ValidationSummary& s = in.report->summary;
  // Statistics of no predicted row print "-", not zeros.
  const auto pct = [&](double value, int decimals) {
    return s.n > 0 ? fmt::format("{:.{}f}%", value, decimals) : std::string("-");
  };
  const double rows_in_files = std::max<double>(s.rows_in_files, static_cast<double>(in.report->rows.size()));
  std::vector<std::pair<std::string, std::string>> facts = {
      {Tr("Runs files"), JoinedFiles(in)},
      {Tr("Rows predicted"), TrFormat("{} of {} rows", FormatCount(s.n), FormatCount(rows_in_files))},
      {Tr("Median |error|"), pct(s.median_ape_pct, 1)},
      {Tr("Within 15%"), pct(s.within_15pct, 0)},
      {Tr("Within 10%"), pct(s.within_10pct, 0)},
      {Tr("Mean |error| (MAPE)"), pct(s.mape_pct, 1)},
      {Tr("Largest |error|"), pct(s.max_ape_pct, 1)},
      {Tr("High-confidence rows beyond 30%"), FormatCount(s.high_confidence_beyond_30pct)}};
  if (s.dense_step_rows > 0) {
    facts.emplace_back(Tr("Dense model error (published / predicted)"),
                       TrFormat("median {:.3f}, log sd {:.3f} over {} step-rate rows", s.dense_error.median,
                                s.dense_error.log_sd, s.dense_step_rows));
  }
  if (s.moe_step_rows > 0) {
    facts.emplace_back(Tr("MoE model error (published / predicted)"),
                       TrFormat("median {:.3f}, log sd {:.3f} over {} step-rate rows", s.moe_error.median,
                                s.moe_error.log_sd, s.moe_step_rows));
  }
  const P10P90Coverage& c = s.coverage;
  if (c.total.rows > 0) {
    facts.emplace_back(Tr("Published inside the predicted P10–P90"),
                       TrFormat("{:.0f}% of {} step-rate rows (dense {}, MoE {}; target 70–90%)", c.total.Pct(),
                                c.total.rows, BandShare(c.dense), BandShare(c.moe)));
  }
  return facts;
}

// Adds the rows that were not predicted and the rows that could not be read.
void AddProblemRows(HtmlPage& page, const ValidationReport& report) {
  std::vector<std::string> items;
  for (const RunPrediction& r : report.rows) {
    if (!r.ok) items.push_back(TrFormat("not predicted: {}: {}", r.id, r.note_text));
  }
  for (const BadRow& b : report.bad_rows) items.push_back(TrFormat("bad row: {}: {}", b.where, b.message));
  if (items.empty()) return;
  page.Heading(Tr("Rows without a prediction"));
  page.List(items);
}

}  // namespace

std::string ValidationReportHtml(const ValidateHtmlInput& in) {
  const ValidationReport& report = *in.report;
  HtmlPage page(TrFormat("Validation against {} published training runs", FormatCount(report.rows.size())),
                TrFormat("suanli validate · {}", JoinedFiles(in)));
  page.Callout(ValidationSummaryLine(report.summary), HtmlPage::Tone::kInfo);
  page.Heading(Tr("Validation summary"));
  page.Facts(SummaryFacts(in));
  page.Chart(Tr("Modelled against reported, one point per run (dashed: y = x; band: ±15%)"),
             ValidationScatterSpec(in), "validation");
  page.Chart(Tr("How far off the predictions are (dashed: ±15%)"), ErrorHistogramSpec(in), "errors");
  if (!report.summary.stacks.empty()) {
    page.Heading(Tr("By software stack"));
    page.Chart(Tr("Median |error| per software stack"), StackBarsSpec(report.summary.stacks), "stacks");
    page.Table(ValidationStacksTable(report.summary.stacks));
  }
  AddProblemRows(page, report);
  page.Heading(Tr("Every run"));
  page.Paragraph(Tr("* marks a layout with fields that were not published and were searched"));
  page.Table(ValidationRowsTable(report, in.runs, true, false));
  std::vector<std::string> notes = {Tr("Rows whose layout fields are blank are predicted with the best searched "
                                       "layout; docs/validation.md says how each row is read.")};
  for (const std::string& a : in.assumed) notes.push_back(TrFormat("what-if value: {}", a));
  page.Heading(Tr("How the runs are predicted"));
  page.List(notes);
  return page.Render();
}

}  // namespace suanli
