// The serve report page: facts, answer, latency and throughput charts over
// the sweep, the tables the terminal prints. Formatting only.
#include "report/serve_html.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "core/i18n.h"
#include "core/precision.h"

namespace suanli {
namespace {

using nlohmann::json;

// Returns a tooltip entry: `field` of Vega-Lite `type` titled `title`.
json Tip(const char* field, const char* type, const std::string& title) {
  return {{"field", field}, {"type", type}, {"title", title}};
}

// Returns the sweep's x value of `point`: devices, or the offered rate.
double AxisValue(const ServeSweep& sweep, const SweepPoint& point) {
  return sweep.axis == SweepAxis::kDevices ? point.devices : point.rate_rps;
}

std::string AxisTitle(const ServeSweep& sweep) {
  return sweep.axis == SweepAxis::kDevices ? Tr("devices") : Tr("offered load (req/s)");
}

// Returns the facts every serve page opens with.
std::vector<std::pair<std::string, std::string>> SubjectFacts(const ServeSubject& s) {
  std::vector<std::pair<std::string, std::string>> facts = {
      {Tr("model"), s.model},
      {Tr("accelerator"), s.accelerator},
      {Tr("engine"), s.engine},
      {Tr("traffic"), TrafficText(s)},
      {Tr("input tokens (mean)"), FormatCount(s.traffic.input.mean_tokens)},
      {Tr("output tokens (mean)"), FormatCount(s.traffic.output.mean_tokens)},
  };
  const std::string slo = SloText(s.slo);
  facts.push_back({Tr("latency targets (SLO)"), slo.empty() ? Tr("none") : slo});
  return facts;
}

// Returns a vertical rule at x = `x` (the answer), its tooltip `label`.
json MarkRule(double x, const std::string& label) {
  return {{"data", {{"values", json::array({{{"x", x}, {"label", label}}})}}},
          {"mark", {{"type", "rule"}, {"color", "#27ae60"}, {"strokeWidth", 2}}},
          {"encoding",
           {{"x", {{"field", "x"}, {"type", "quantitative"}}},
            {"tooltip", json::array({{{"field", "label"}, {"type", "nominal"}, {"title", Tr("answer")}}})}}}};
}

// Returns the latency chart: TTFT and TPOT at P50/P90/P99 along the sweep,
// the SLO targets as dashed rules, the answer as a green rule (when > 0).
json LatencyChart(const ServeSubject& subject, const ServeSweep& sweep, double answer_x) {
  json rows = json::array();
  std::vector<double> xs, ms;
  for (const SweepPoint& p : sweep.points) {
    const double x = AxisValue(sweep, p);
    xs.push_back(x);
    const std::pair<const char*, const LatencyStats*> metrics[] = {{"TTFT", &p.service.ttft},
                                                                   {"TPOT", &p.service.tpot}};
    for (const auto& [metric, stats] : metrics) {
      const std::pair<const char*, double> percentiles[] = {
          {"P50", stats->p50_s}, {"P90", stats->p90_s}, {"P99", stats->p99_s}};
      for (const auto& [pct, seconds] : percentiles) {
        if (seconds <= 0) continue;
        ms.push_back(seconds * 1e3);
        rows.push_back({{"x", x}, {"series", fmt::format("{} {}", metric, pct)}, {"metric", metric}, {"percentile", pct},
                        {"ms", seconds * 1e3}, {"replicas", p.replicas}});
      }
    }
  }
  json targets = json::array();
  if (subject.slo.ttft_s > 0) targets.push_back({{"ms", subject.slo.ttft_s * 1e3}, {"label", "TTFT SLO"}});
  if (subject.slo.tpot_s > 0) targets.push_back({{"ms", subject.slo.tpot_s * 1e3}, {"label", "TPOT SLO"}});
  for (const json& t : targets) ms.push_back(t["ms"].get<double>());
  const json x = {{"field", "x"}, {"type", "quantitative"}, {"title", AxisTitle(sweep)}, {"scale", ScaleFor(xs)}};
  const json y = {{"field", "ms"}, {"type", "quantitative"}, {"title", Tr("latency (ms)")}, {"scale", ScaleFor(ms)}};
  json layers = json::array();
  layers.push_back(
      {{"mark", {{"type", "line"}, {"point", true}}},
       {"encoding",
        {{"x", x},
         {"y", y},
         {"color", {{"field", "metric"}, {"type", "nominal"}, {"title", Tr("latency")}}},
         {"detail", {{"field", "series"}, {"type", "nominal"}}},
         {"strokeDash", {{"field", "percentile"}, {"type", "nominal"}, {"title", Tr("percentile")}}},
         {"tooltip", json::array({{{"field", "series"}, {"type", "nominal"}, {"title", Tr("latency")}},
                                  {{"field", "ms"}, {"type", "quantitative"}, {"title", "ms"}, {"format", ",.1f"}},
                                  {{"field", "x"}, {"type", "quantitative"}, {"title", AxisTitle(sweep)}},
                                  {{"field", "replicas"}, {"type", "quantitative"}, {"title", Tr("replicas")}}})}}}});
  if (!targets.empty()) {
    layers.push_back(
        {{"data", {{"values", targets}}},
         {"mark", {{"type", "rule"}, {"color", "#c0392b"}, {"strokeDash", json::array({6, 4})}}},
         {"encoding",
          {{"y", {{"field", "ms"}, {"type", "quantitative"}}},
           {"tooltip", json::array({{{"field", "label"}, {"type", "nominal"}, {"title", Tr("target")}},
                                    {{"field", "ms"}, {"type", "quantitative"}, {"title", "ms"}}})}}}});
  }
  if (answer_x > 0) layers.push_back(MarkRule(answer_x, Tr("the answer")));
  return {{"data", {{"values", rows}}}, {"height", 320}, {"layer", layers}};
}

// Returns the throughput chart: output tokens/s of the whole service along
// the sweep, points coloured by whether the SLOs hold.
json ThroughputChart(const ServeSubject& subject, const ServeSweep& sweep, double answer_x) {
  json rows = json::array();
  std::vector<double> xs, ys;
  const bool has_slo = subject.slo.ttft_s > 0 || subject.slo.tpot_s > 0;
  for (const SweepPoint& p : sweep.points) {
    const double x = AxisValue(sweep, p);
    xs.push_back(x);
    ys.push_back(p.service.output_tokens_per_s);
    rows.push_back({{"x", x},
                    {"tokens_per_s", p.service.output_tokens_per_s},
                    {"per_device", p.service.output_tokens_per_s / std::max(1, p.devices)},
                    {"slo", !has_slo ? Tr("no targets") : p.service.meets_slo ? Tr("met") : Tr("not met")}});
  }
  const json x = {{"field", "x"}, {"type", "quantitative"}, {"title", AxisTitle(sweep)}, {"scale", ScaleFor(xs)}};
  json scale = ScaleFor(ys);
  if (scale["type"] == "linear") scale["zero"] = true;  // saturation reads as a plateau, not as noise
  const json y = {{"field", "tokens_per_s"}, {"type", "quantitative"}, {"title", Tr("output tokens/s")},
                  {"scale", scale}};
  json layers = json::array();
  layers.push_back({{"mark", {{"type", "line"}, {"color", "#888"}}}, {"encoding", {{"x", x}, {"y", y}}}});
  layers.push_back(
      {{"mark", {{"type", "point"}, {"filled", true}, {"size", 70}}},
       {"encoding",
        {{"x", x},
         {"y", y},
         {"color", {{"field", "slo"},
                    {"type", "nominal"},
                    {"title", Tr("SLO")},
                    {"scale", {{"domain", json::array({Tr("met"), Tr("not met"), Tr("no targets")})},
                               {"range", json::array({"#27ae60", "#c0392b", "#4c78a8"})}}}}},
         {"tooltip", json::array({{{"field", "x"}, {"type", "quantitative"}, {"title", AxisTitle(sweep)}},
                                  {{"field", "tokens_per_s"}, {"type", "quantitative"},
                                   {"title", Tr("output tokens/s")}, {"format", ",.0f"}},
                                  {{"field", "per_device"}, {"type", "quantitative"},
                                   {"title", Tr("tok/s/dev")}, {"format", ",.0f"}},
                                  {{"field", "slo"}, {"type", "nominal"}, {"title", Tr("SLO")}}})}}}});
  if (answer_x > 0) layers.push_back(MarkRule(answer_x, Tr("the answer")));
  return {{"data", {{"values", rows}}}, {"height", 280}, {"layer", layers}};
}

// Adds the two sweep charts and the sweep table to `page`.
void AddSweep(HtmlPage& page, const ServeSubject& subject, const ServeSweep& sweep, double answer_x) {
  if (sweep.points.empty()) return;
  const bool devices = sweep.axis == SweepAxis::kDevices;
  page.Heading(devices ? Tr("Latency and throughput against the number of devices")
                       : Tr("Latency and throughput against the offered load"));
  page.Chart(devices ? Tr("TTFT and TPOT at P50, P90 and P99 against devices (dashed red: the targets)")
                     : Tr("TTFT and TPOT at P50, P90 and P99 against the request rate (dashed red: the targets)"),
             LatencyChart(subject, sweep, answer_x), "latency");
  page.Chart(devices ? Tr("Output tokens per second of the whole service against devices")
                     : Tr("Output tokens per second against the request rate"),
             ThroughputChart(subject, sweep, answer_x), "throughput");
  page.Table(SweepTable(subject, sweep), Tr("The sweep (latencies in ms)"));
}

}  // namespace

HtmlPage ServeRunPage(const ServeSubject& subject, const ServeRun& run, const ServeSweep& sweep) {
  HtmlPage page(TrFormat("suanli serve — {} on {}", subject.model, subject.accelerator),
                fmt::format("{}, {}", subject.engine, TrafficText(subject)));
  auto facts = SubjectFacts(subject);
  const int devices = run.replicas * run.layout.Devices();
  facts.push_back({Tr("layout"), ServingLayoutText(run.layout)});
  facts.push_back({Tr("replicas × devices each"), fmt::format("{} × {} = {}", run.replicas, run.layout.Devices(),
                                                              FormatCount(devices))});
  page.Facts(facts);
  if (!run.verdict.served) {  // no latencies to chart: the reason instead of zeros
    page.Callout(TrFormat("no feasible answer: {}", run.verdict.reason_text), HtmlPage::Tone::kWarning);
    page.Paragraph(MemoryLine(run.memory));
    return page;
  }
  const SimulationResult& r = run.service;
  const bool has_slo = subject.slo.ttft_s > 0 || subject.slo.tpot_s > 0;
  // The SLO's percentile (P99 by default), the one the verdict judges.
  const double p = subject.slo.percentile;
  const std::string answer = TrFormat("{}: TTFT P{:g} {} ms, TPOT P{:g} {} ms, {} output tokens/s",
                                      DevicesText(devices), p, FormatCount(r.ttft.at_slo_percentile_s * 1e3), p,
                                      fmt::format("{:.1f}", r.tpot.at_slo_percentile_s * 1e3),
                                      FormatCount(r.output_tokens_per_s));
  page.Callout(has_slo ? answer + " — " + (r.meets_slo ? Tr("the SLOs are met") : Tr("the SLOs are NOT met"))
                       : answer,
               has_slo && !r.meets_slo ? HtmlPage::Tone::kWarning : HtmlPage::Tone::kGood);
  page.Table(LatencyTable(r, subject.slo.percentile), Tr("Simulated latency"));
  page.List(ServeRunDetails(subject, run));
  AddSweep(page, subject, sweep, sweep.axis == SweepAxis::kLoad ? subject.traffic.rate_rps : 0);
  const std::string caveat = Int4Caveat(run.layout.weights);
  if (!caveat.empty()) page.Callout(caveat, HtmlPage::Tone::kWarning);
  return page;
}

namespace {

// Adds the chosen xPyD answer of `o`: its pools with their latencies, the
// modes compared, the KV transfer and how to check it.
void AddXpydAnswer(HtmlPage& page, const AcceleratorOption& o, double percentile) {
  page.Table(XpydPoolsTable(o, percentile),
             TrFormat("the chosen answer: disaggregated prefill and decode pools (xPyD) on {}", o.accelerator));
  page.List(ModeLines(o, percentile));
}

// Returns the page of a capacity search with `headline` in the answer's box
// ("" = the fewest-devices answer of `result`), and `int4` its caveat; with
// `xpyd` (the chosen xPyD answer) its pools first, the aggregated layout
// after them as the alternative compared.
HtmlPage CapacityPageWith(const ServeSubject& subject, const CapacityResult& result, const ServeSweep& sweep,
                          const std::string& headline, bool int4, const AcceleratorOption* xpyd) {
  HtmlPage page(TrFormat("suanli serve — {} on {}", subject.model, subject.accelerator),
                fmt::format("{}, {}", subject.engine, TrafficText(subject)));
  page.Facts(SubjectFacts(subject));
  if (!result.feasible && !headline.empty()) {
    page.Callout(headline, HtmlPage::Tone::kGood);
    if (xpyd != nullptr) AddXpydAnswer(page, *xpyd, subject.slo.percentile);
    page.Callout(TrFormat("aggregated: {}", result.reason_text), HtmlPage::Tone::kWarning);
    if (int4) page.Callout(Int4Caveat(Precision::kInt4), HtmlPage::Tone::kWarning);
    return page;
  }
  if (!result.feasible) {
    page.Callout(TrFormat("no feasible answer: {}", result.reason_text), HtmlPage::Tone::kWarning);
    page.Paragraph(TrFormat("({} layouts considered, {} simulations)", FormatCount(result.layouts),
                            FormatCount(result.simulations)));
    return page;
  }
  const CapacityAnswer& best = result.answers.front();
  page.Callout(!headline.empty() ? headline
                                 : TrFormat("{}: {} of {}", DevicesText(best.devices), ReplicasText(best.replicas),
                                            ServingLayoutText(best.layout)),
               HtmlPage::Tone::kGood);
  if (xpyd != nullptr) {
    AddXpydAnswer(page, *xpyd, subject.slo.percentile);
    page.Heading(Tr("The aggregated alternative (compared, not chosen)"));
    page.Paragraph(Tr("The table, the sweep and the charts below are aggregated serving's, not the chosen xPyD "
                      "answer's (whose pools and latencies are above)."));
  }
  page.Table(CapacityTable(subject, result),
             TrFormat("fewest devices meeting the SLOs ({} layouts, {} simulations):", FormatCount(result.layouts),
                      FormatCount(result.simulations)));
  page.Paragraph(Tr("TTFT/TPOT at the SLO percentile of the whole fleet replayed as serve --gpus runs it (the search "
                       "simulates one replica's share)."));
  page.Paragraph(ReplayText(subject, subject.accelerator, best));
  AddSweep(page, subject, sweep, best.devices);
  if (int4) page.Callout(Int4Caveat(Precision::kInt4), HtmlPage::Tone::kWarning);
  return page;
}

}  // namespace

HtmlPage CapacityPage(const ServeSubject& subject, const CapacityResult& result, const ServeSweep& sweep) {
  return CapacityPageWith(subject, result, sweep, "",
                          result.feasible && result.answers.front().layout.weights == Precision::kInt4, nullptr);
}

HtmlPage CapacityPage(const ServeSubject& subject, const ServeChoice& choice, const ServeSweep& sweep) {
  if (choice.options.empty()) return CapacityPage(subject, CapacityResult{}, sweep);
  const AcceleratorOption& best = choice.options.front();
  const AcceleratorOption* xpyd = best.feasible && best.disaggregated_chosen ? &best : nullptr;
  // The headline is the chosen answer (xPyD when it is chosen), not the aggregated table's first row.
  const bool int4 = std::any_of(choice.options.begin(), choice.options.end(), ChosenInt4) ||
                    (best.aggregated.feasible && best.aggregated.answers.front().layout.weights == Precision::kInt4);
  HtmlPage page = choice.options.size() == 1 ? CapacityPageWith(subject, best.aggregated, sweep,
                                                                xpyd != nullptr ? ChosenAnswerText(best) : "",
                                                                int4, xpyd)
                                             : HtmlPage(TrFormat("suanli serve — {} on {}", subject.model,
                                                                 subject.accelerator),
                                                        fmt::format("{}, {}", subject.engine, TrafficText(subject)));
  if (choice.options.size() > 1) {
    page.Facts(SubjectFacts(subject));
    if (best.feasible) page.Callout(TrFormat("{}: {}", best.accelerator, ChosenAnswerText(best)), HtmlPage::Tone::kGood);
    if (xpyd != nullptr) AddXpydAnswer(page, best, subject.slo.percentile);
    if (int4) page.Callout(Int4Caveat(Precision::kInt4), HtmlPage::Tone::kWarning);
  }
  page.Table(ChoiceTable(choice, subject.slo.percentile), RankingHeading(choice));
  const std::string crossover = CrossoverText(choice);
  if (!crossover.empty()) page.Paragraph(crossover);
  for (const std::string& line : CostAssumptionLines(choice)) page.Paragraph(line);
  return page;
}

HtmlPage ServingValidationPage(const std::string& file, const std::vector<ServingCheck>& checks,
                              const std::vector<BadRow>& bad_rows) {
  HtmlPage page(Tr("suanli serve — serving validation"), file);
  json rows = json::array();
  std::vector<double> values;
  for (const ServingCheck& c : checks) {
    if (!c.predicted || c.row.value <= 0 || c.prediction <= 0) continue;
    values.push_back(c.row.value);
    values.push_back(c.prediction);
    rows.push_back({{"id", c.row.id}, {"metric", c.row.metric}, {"family", MetricFamily(c.row.metric)},
                    {"published", c.row.value}, {"predicted", c.prediction},
                    {"error", fmt::format("{:+.0f}%", 100 * c.RelativeError())}});
  }
  std::vector<std::pair<std::string, std::string>> facts;
  for (auto& [family, errors] : ServingErrorsByFamily(checks)) {
    facts.push_back({TrFormat("median |error|, {}", family),
                     fmt::format("{:.0f}% ", 100 * InterpolatedPercentile(errors, 50)) + TrFormat("({} rows)", errors.size())});
  }
  page.Facts(facts);
  if (!values.empty()) {
    const double low = *std::min_element(values.begin(), values.end()) * 0.8;
    const double high = *std::max_element(values.begin(), values.end()) * 1.25;
    json band = json::array();
    for (double v = low; v < high * 1.5; v *= 1.5) band.push_back({{"v", v}, {"lo", v * 0.85}, {"hi", v * 1.15}});
    const json scale = {{"type", "log"}};
    json layers = json::array();
    layers.push_back({{"data", {{"values", band}}},
                      {"mark", {{"type", "area"}, {"opacity", 0.15}, {"color", "#27ae60"}}},
                      {"encoding",
                       {{"x", {{"field", "v"}, {"type", "quantitative"}, {"scale", scale},
                               {"title", Tr("published (the metric's unit)")}}},
                        {"y", {{"field", "lo"}, {"type", "quantitative"}, {"scale", scale},
                               {"title", Tr("predicted (the metric's unit)")}}},
                        {"y2", {{"field", "hi"}}}}}});
    layers.push_back({{"mark", {{"type", "point"}, {"filled", true}, {"size", 60}}},
                      {"encoding",
                       {{"x", {{"field", "published"}, {"type", "quantitative"}, {"scale", scale}}},
                        {"y", {{"field", "predicted"}, {"type", "quantitative"}, {"scale", scale}}},
                        {"color", {{"field", "family"}, {"type", "nominal"}, {"title", Tr("metric family")}}},
                        {"tooltip", json::array({Tip("id", "nominal", Tr("row")), Tip("metric", "nominal", Tr("metric")),
                                                 Tip("published", "quantitative", Tr("published")),
                                                 Tip("predicted", "quantitative", Tr("predicted")),
                                                 Tip("error", "nominal", Tr("error"))})}}}});
    page.Chart(Tr("Predicted against published (green band: within ±15%)"),
               {{"data", {{"values", rows}}}, {"height", 360}, {"layer", layers}}, "validation");
  }
  page.Table(ServingValidationTable(checks), Tr("Every row"));
  if (!bad_rows.empty()) {
    std::vector<std::string> items;
    for (const BadRow& b : bad_rows) items.push_back(TrFormat("bad row: {}: {}", b.where, b.message));
    page.Heading(Tr("Rows that could not be read"));
    page.List(items);
  }
  return page;
}

}  // namespace suanli
