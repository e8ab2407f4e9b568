#include "report/plan_html.h"

#include "report/html_page.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include <fmt/format.h>

#include "plan/plan_text.h"

namespace suanli {
namespace {

std::string Layout(const ParallelConfig& l) {
  std::string text = fmt::format("tp{} pp{} dp{}", l.tp, l.pp, l.dp);
  if (l.cp > 1) text += fmt::format(" cp{}", l.cp);
  if (l.ep > 1) text += fmt::format(" ep{}", l.ep);
  if (l.vp > 1) text += fmt::format(" vp{}", l.vp);
  return text;
}

std::string Mix(const PlanOptionResult& o) {
  std::string text;
  for (const MixPart& part : o.mix) {
    if (!text.empty()) text += " + ";
    text += fmt::format("{} × {} ({}, {:g} wk)", part.cards, part.quote_id, part.supplier, part.lead_weeks);
  }
  return text;
}

// An SVG scatter of P50 finish (days after the buyer's date) against total
// cost; frontier points are filled and joined.
std::string FrontierSvg(const WorkloadPlan& plan, const std::string& currency) {
  if (plan.options.empty()) return "";
  constexpr double kWidth = 640, kHeight = 320, kLeft = 70, kRight = 20, kTop = 20, kBottom = 40;
  double x_min = 1e300, x_max = -1e300, y_min = 1e300, y_max = -1e300;
  for (const PlanOptionResult& o : plan.options) {
    x_min = std::min(x_min, o.finish_p50_days);
    x_max = std::max(x_max, o.finish_p50_days);
    y_min = std::min(y_min, o.cost.total);
    y_max = std::max(y_max, o.cost.total);
  }
  if (x_max <= x_min) x_max = x_min + 1;
  if (y_max <= y_min) y_max = y_min + 1;
  auto px = [&](double x) { return kLeft + (x - x_min) / (x_max - x_min) * (kWidth - kLeft - kRight); };
  auto py = [&](double y) { return kHeight - kBottom - (y - y_min) / (y_max - y_min) * (kHeight - kTop - kBottom); };
  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" role=\"img\" "
      "aria-label=\"time-to-model against cost\">\n"
      "<rect x=\"0\" y=\"0\" width=\"{0}\" height=\"{1}\" fill=\"#fff\"/>\n"
      "<line x1=\"{2}\" y1=\"{3}\" x2=\"{4}\" y2=\"{3}\" stroke=\"#333\"/>\n"
      "<line x1=\"{2}\" y1=\"{5}\" x2=\"{2}\" y2=\"{3}\" stroke=\"#333\"/>\n",
      kWidth, kHeight, kLeft, kHeight - kBottom, kWidth - kRight, kTop);
  svg += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"12\" text-anchor=\"middle\">P50 time-to-model, "
                     "days after the buyer's date ({:.0f} to {:.0f})</text>\n",
                     (kLeft + kWidth - kRight) / 2, kHeight - 8, x_min, x_max);
  svg += fmt::format("<text x=\"12\" y=\"{}\" font-size=\"12\" transform=\"rotate(-90 12 {})\" "
                     "text-anchor=\"middle\">cost ({} to {})</text>\n",
                     (kTop + kHeight - kBottom) / 2, (kTop + kHeight - kBottom) / 2,
                     HtmlEscape(FormatMoney(y_min, currency)), HtmlEscape(FormatMoney(y_max, currency)));
  std::vector<const PlanOptionResult*> frontier;
  for (const PlanOptionResult& o : plan.options) {
    if (o.pareto) frontier.push_back(&o);
  }
  std::stable_sort(frontier.begin(), frontier.end(), [](const auto* a, const auto* b) {
    return a->finish_p50_days < b->finish_p50_days;
  });
  std::string path;
  for (const PlanOptionResult* o : frontier) {
    path += fmt::format("{}{:.1f},{:.1f}", path.empty() ? "M" : " L", px(o->finish_p50_days),
                        py(o->cost.total));
  }
  if (!path.empty()) svg += fmt::format("<path d=\"{}\" fill=\"none\" stroke=\"#c0392b\"/>\n", path);
  for (size_t i = 0; i < plan.options.size(); ++i) {
    const PlanOptionResult& o = plan.options[i];
    svg += fmt::format(
        "<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"4\" fill=\"{}\" stroke=\"#c0392b\"><title>#{} {} × {}: "
        "{:.0f} days, {}</title></circle>\n",
        px(o.finish_p50_days), py(o.cost.total), o.pareto ? "#c0392b" : "#fff", i + 1, o.gpus,
        HtmlEscape(o.accelerator), o.finish_p50_days, HtmlEscape(FormatMoney(o.cost.total, currency)));
  }
  return svg + "</svg>\n";
}

}  // namespace

std::string PlanReportHtml(const PlanReport& report) {
  const PlanInput& in = *report.input;
  const PlanResult& result = *report.result;
  std::string html =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<title>suanli plan</title>\n<style>\n"
      "body{font-family:sans-serif;max-width:1200px;margin:2em auto;color:#222}"
      "table{border-collapse:collapse;margin:1em 0;font-size:13px}"
      "td,th{border:1px solid #ccc;padding:3px 6px;text-align:right}"
      "td.l,th.l{text-align:left}tr.p td{background:#fdecea}"
      ".note{color:#555;font-size:13px}\n</style>\n</head>\n<body>\n";
  html += fmt::format("<h1>suanli plan — {}</h1>\n", HtmlEscape(report.file));
  html += fmt::format(
      "<p>Buyer: {} in {} on {}, prices in {}; objective {}. Market: {} seed, {} store, {} scenario "
      "quotes.</p>\n",
      HtmlEscape(in.tier), HtmlEscape(in.region), FormatDate(in.date), HtmlEscape(in.currency),
      ObjectiveName(in.objective), report.quotes_seed, report.quotes_store, report.quotes_inline);
  for (const WorkloadPlan& plan : result.workloads) {
    html += fmt::format("<h2>{} — {} on {:.3g} tokens ({})</h2>\n", HtmlEscape(plan.name),
                        HtmlEscape(plan.model), plan.tokens,
                        plan.status == PlanStatus::kFeasible ? "feasible" : "no feasible option");
    if (plan.recommendation.option >= 0) {
      html += "<h3>Recommendation</h3>\n<ul>\n";
      for (const std::string& reason : plan.recommendation.reasons) {
        html += "<li>" + HtmlEscape(reason) + "</li>\n";
      }
      html += "</ul>\n";
    }
    if (!plan.options.empty()) {
      html += "<h3>Time-to-model against cost (filled: on the frontier)</h3>\n";
      html += FrontierSvg(plan, in.currency);
      html += "<h3>Options</h3>\n<table>\n<tr><th>#</th><th class=\"l\">accelerator</th><th>cards</th>"
              "<th class=\"l\">mode</th><th class=\"l\">source</th><th class=\"l\">layout</th>"
              "<th>tokens/s</th><th>train days</th><th>arrive wk</th><th>P50 finish</th>"
              "<th>P90 finish</th><th>cost</th></tr>\n";
      for (size_t i = 0; i < plan.options.size(); ++i) {
        const PlanOptionResult& o = plan.options[i];
        html += fmt::format(
            "<tr{}><td>{}</td><td class=\"l\">{}</td><td>{}</td><td class=\"l\">{}{}</td>"
            "<td class=\"l\">{}</td><td class=\"l\">{}</td><td>{:.0f}</td><td>{:.1f}</td>"
            "<td>{:.1f}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            o.pareto ? " class=\"p\"" : "", i + 1, HtmlEscape(o.accelerator), o.gpus,
            BuyModeName(o.mode), o.staged ? " staged" : "", HtmlEscape(Mix(o)), Layout(o.layout),
            o.tokens_per_s, o.train_days, o.arrival_weeks, FormatDate(o.finish_p50_date),
            FormatDate(o.finish_p90_date), HtmlEscape(FormatMoney(o.cost.total, in.currency)));
      }
      html += "</table>\n";
    }
    if (!plan.excluded.empty()) {
      html += "<h3>Excluded</h3>\n<ul>\n";
      for (const Excluded& e : plan.excluded) {
        html += "<li><b>" + HtmlEscape(e.accelerator) + "</b>: " + HtmlEscape(e.reason) + "</li>\n";
      }
      html += "</ul>\n";
    }
  }
  html += "<h2>Assumptions</h2>\n<ul class=\"note\">\n";
  for (const std::string& line : report.assumptions) html += "<li>" + HtmlEscape(line) + "</li>\n";
  html += "</ul>\n<p class=\"note\">Generated by suanli from the scenario file; every hardware "
          "number and quote carries its source in the catalog and the market data "
          "(suanli show ID, suanli market list).</p>\n</body>\n</html>\n";
  return html;
}

}  // namespace suanli
