#include "report/plan_html.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>

using namespace std::string_literals;

#include "core/i18n.h"
#include "report/html_page.h"
#include "report/plan_html_charts.h"
#include "report/html_test_support.h"

namespace suanli {
namespace {

// A plan of three a800/rtx options, the third recommended, two on the frontier.
struct Fixture {
  PlanInput input;
  PlanResult result;
  PlanReport report;

  Fixture() {
    input.currency = "CNY";
    input.date = ParseDate("2023-06-15").value();
    WorkloadPlan plan;
    plan.name = "70B <test>";
    plan.model = "llama-2-70b";
    plan.tokens = 2e12;
    plan.status = PlanStatus::kFeasible;
    for (int i = 0; i < 3; ++i) {
      PlanOptionResult o;
      o.accelerator = i == 1 ? "rtx-4090" : "a800-sxm-80gb";
      o.gpus = 256 << i;
      o.mix = {MixPart{"q" + std::to_string(i), "Shenzhen", o.gpus, 2.0 + i, o.gpus, QuoteUnit::kCard, 1, 0, 0, 0, ""}};
      o.mix[0].unit_price = o.mix[0].card_price = o.mix[0].quote_unit_price = 120000;
      o.mix[0].quote_currency = "CNY";
      o.finish_p10_days = 250.0 / (i + 1);
      o.finish_p50_days = 300.0 / (i + 1);
      o.finish_p90_days = 350.0 / (i + 1);
      o.finish_p50_date = AddDays(input.date, o.finish_p50_days);
      o.finish_p90_date = AddDays(input.date, o.finish_p90_days);
      o.cost.purchase = 30e6 * (i + 1);
      o.cost.total = 30e6 * (i + 1);
      o.step_terms = {StepTerm{"compute", 1.0}, StepTerm{"DP comm", 0.2}};
      o.pareto = true;  // each earlier option costs more: all three on the frontier
      plan.options.push_back(o);
    }
    plan.frontier = {2, 0};  // the frontier line samples two of the three
    plan.recommendation.option = 2;
    plan.recommendation.reasons = {"buy 1024 a800-sxm-80gb: finishes first"};
    result.workloads.push_back(plan);
    report.file = "s.yaml";
    report.input = &input;
    report.result = &result;
  }
};

TEST(PlanHtml, EscapesText) { EXPECT_EQ(HtmlEscape("a<b & \"c\">"), "a&lt;b &amp; &quot;c&quot;&gt;"); }

TEST(PlanHtml, HasTheFiveChartsFrontierFirstAndTheRecommendation) {
  Fixture f;
  const std::string html = PlanReportHtml(f.report);
  EXPECT_NE(html.find("<!DOCTYPE html>"), std::string::npos);
  EXPECT_NE(html.find("70B &lt;test&gt;"), std::string::npos);
  EXPECT_NE(html.find("<title>Plan: s.yaml"), std::string::npos);
  EXPECT_NE(html.find("buy 1024 a800-sxm-80gb: finishes first"), std::string::npos);
  EXPECT_NE(html.find("callout good"), std::string::npos);
  EXPECT_EQ(Count(html, "data-chart=\""), 5u);
  const size_t frontier = html.find("data-chart=\"frontier\"");
  ASSERT_NE(frontier, std::string::npos);
  EXPECT_LT(frontier, html.find("data-chart=\""s + "timeline"));
  for (const char* name : {"timeline", "step-time", "cost", "throughput"}) {
    EXPECT_NE(html.find("data-chart=\""s + name + "\""), std::string::npos) << name;
  }
  // Money and dates sit in cells that never wrap.
  EXPECT_NE(html.find("<td class=\"num\">90.00 M CNY</td>"), std::string::npos);
}

// The options table on the page keeps to short columns that do not wrap
// (money, dates and counts in no-wrap cells, layouts with no-break spaces,
// one mark column) and puts the quotes and schedule in a list under it.
TEST(PlanHtml, OptionsTableIsShortWithQuotesAndScheduleUnderIt) {
  Fixture f;
  f.result.workloads[0].options[0].layout.tp = 2;
  f.result.workloads[0].options[0].layout.pp = 4;
  const std::string html = PlanReportHtml(f.report);
  const size_t caption = html.find("<caption>Options (");
  ASSERT_NE(caption, std::string::npos);
  const size_t end = html.find("</table>", caption);
  const size_t body = html.find("</caption>", caption);
  const std::string table = html.substr(body, end - body);
  // The terminal's columns and the cash paid beside the (net) cost.
  EXPECT_EQ(Count(table, "<th") - Count(table, "<thead"), 11u);
  EXPECT_NE(table.find("cash paid"), std::string::npos);
  EXPECT_EQ(table.find("quotes (cards × quote, lead)"), std::string::npos);
  EXPECT_EQ(table.find("training days"), std::string::npos);
  EXPECT_NE(table.find("<td class=\"num\">2023-"), std::string::npos);
  EXPECT_NE(table.find("<td class=\"num\">30.00 M CNY</td>"), std::string::npos);
  EXPECT_NE(table.find("tp2\u00a0pp4"), std::string::npos);
  EXPECT_EQ(table.find("tp2 pp4"), std::string::npos);
  // Option 3 is recommended and on the frontier; options 1 and 2 only on the
  // frontier: `*` marks every option whose JSON says pareto, also option 2,
  // which the sampled frontier line leaves out.
  EXPECT_NE(table.find("<td>*\u00a0★</td></tr>"), std::string::npos);
  EXPECT_EQ(Count(table, "★"), 1u);
  EXPECT_EQ(Count(table, "<td>*</td></tr>"), 2u);
  const size_t list = html.find("Quotes and schedule (cards × quote, likely lead time):", end);
  ASSERT_NE(list, std::string::npos);
  // Each part with the price the plan used (session 20).
  EXPECT_NE(html.find("<li>#1: 256 × q0 (2 wk) at 120,000 CNY/card; arrives week", list), std::string::npos);
  EXPECT_NE(html.find("<li>#3: 1,024 × q2 (4 wk) at 120,000 CNY/card; arrives week", list), std::string::npos);
}

TEST(PlanHtml, FrontierMarksTheRecommendationWithTooltipsAndAgreeingDays) {
  Fixture f;
  const nlohmann::json spec = PlanFrontierChart(f.result.workloads[0], f.input);
  const nlohmann::json& values = spec["data"]["values"];
  ASSERT_EQ(values.size(), 3u);
  int recommended = 0;
  for (const auto& v : values) {
    if (v["recommended"].get<bool>()) {
      ++recommended;
      EXPECT_EQ(v["option"], "#3");
    }
  }
  EXPECT_EQ(recommended, 1);
  // The x value is the day of the date the table prints.
  const PlanOptionResult& o = f.result.workloads[0].options[0];
  EXPECT_EQ(values[0]["p50_days"].get<int>(), DaysBetween(f.input.date, o.finish_p50_date));
  EXPECT_EQ(values[0]["p50_date"], FormatDate(o.finish_p50_date));
  bool has_tooltip = false, has_ring = false;
  for (const auto& layer : spec["layer"]) {
    if (layer["mark"].contains("type") && layer["mark"]["type"] == "point" && layer["encoding"].contains("tooltip")) {
      has_tooltip = true;
    }
    if (layer.contains("transform") && layer["transform"][0]["filter"] == "datum.recommended") has_ring = true;
  }
  EXPECT_TRUE(has_tooltip);
  EXPECT_TRUE(has_ring);
}

// Buyer testers (session 20): a P90 that never comes (an export rule stops 45%
// of the deliveries) drew a whisker that stopped at the P50, so the option
// looked the safest; it now runs to the chart's edge, dashed and marked "never".
TEST(PlanHtml, FrontierWhiskerOfANeverP90RunsToTheEdgeMarkedNever) {
  Fixture f;
  PlanOptionResult& o = f.result.workloads[0].options[1];
  o.stop_share = 0.45;
  o.finish_p90_days = std::numeric_limits<double>::infinity();
  o.finish_p90_date = kNeverDate;
  const nlohmann::json spec = PlanFrontierChart(f.result.workloads[0], f.input);
  const nlohmann::json& values = spec["data"]["values"];
  ASSERT_EQ(values.size(), 3u);
  int latest_finite = 0;
  for (size_t i : {0u, 2u}) latest_finite = std::max(latest_finite, values[i]["p90_days"].get<int>());
  EXPECT_GT(values[1]["p90_days"].get<int>(), latest_finite);
  EXPECT_GT(values[1]["p90_days"].get<int>(), values[1]["p50_days"].get<int>());
  EXPECT_TRUE(values[1]["p90_never"].get<bool>());
  EXPECT_NE(values[1]["p90_date"].get<std::string>().find("may never finish: an export rule stops 45.0%"),
            std::string::npos);
  bool dashed_legend = false, never_label = false;
  for (const auto& layer : spec["layer"]) {
    const auto& enc = layer["encoding"];
    if (enc.contains("strokeDash") && enc["strokeDash"]["scale"]["domain"].size() == 2) dashed_legend = true;
    if (layer.contains("transform") && layer["transform"][0]["filter"] == "datum.p90_never" &&
        layer["mark"]["type"] == "text") {
      never_label = true;
    }
  }
  EXPECT_TRUE(dashed_legend);
  EXPECT_TRUE(never_label);
  // The recommendation's callout and risk line say it in words, not "never (P90)".
  f.result.workloads[0].recommendation.option = 1;
  f.input.constraints.has_deadline = true;
  f.input.constraints.deadline = AddDays(f.input.date, 400);
  const std::string html = PlanReportHtml(f.report);
  EXPECT_EQ(html.find("never (P90)"), std::string::npos);
  EXPECT_EQ(html.find("P90 finish never"), std::string::npos);
  EXPECT_NE(html.find("but it may never finish: an export rule stops 45.0% of its deliveries (no P90 finish)"),
            std::string::npos);
  EXPECT_NE(html.find("Risk: it may never finish: an export rule stops 45.0% of its deliveries, so no P90 finish "
                      "comes by the deadline"),
            std::string::npos);
  EXPECT_NE(html.find("marked &quot;never&quot;"), std::string::npos);
}

// Buyer testers (session 20): the training bar ended at the modelled duration
// on the full cluster, weeks before the P50 finish the dates and cost use.
TEST(PlanHtml, TimelineTrainingRunsToTheP50FinishInLabelledSegments) {
  Fixture f;
  PlanOptionResult& o = f.result.workloads[0].options[0];
  o.start_weeks = 3;
  o.steady_train_days = 50;
  o.train_days = 54;
  o.finish_days = 21 + 54;
  o.train_p50_days = 75.2;
  o.finish_p50_days = 21 + 75.2;
  o.finish_p50_date = AddDays(f.input.date, o.finish_p50_days);
  const nlohmann::json spec = PlanTimelineChart(f.result.workloads[0], f.input);
  std::vector<std::string> phases;
  std::string last_end;
  for (const auto& bar : spec["layer"][0]["data"]["values"]) {
    if (bar["option"].get<std::string>().rfind("#1 ", 0) != 0) continue;
    const std::string phase = bar["phase"];
    if (phase.rfind("training", 0) != 0) continue;
    phases.push_back(phase);
    last_end = bar["end"];
  }
  EXPECT_EQ(phases, (std::vector<std::string>{"training: steady state", "training: campaign losses",
                                              "training: to the P50 finish"}));
  EXPECT_EQ(last_end, FormatDate(o.finish_p50_date));
}

// Buyer testers (session 20): the price a plan used appeared nowhere; the
// quotes table now has it in the report's currency and as quoted.
TEST(PlanHtml, QuotesTableShowsThePriceInTheReportCurrencyAndAsQuoted) {
  Fixture f;
  PlanQuote q;
  q.id = "h20-usd";
  q.supplier = "Distributor B";
  q.sku = "h20-96gb";
  q.unit_price = 108450;
  q.quote_unit_price = 15000;
  q.quote_currency = "USD";
  f.input.quotes.push_back(q);
  const std::string html = PlanReportHtml(f.report);
  EXPECT_NE(html.find("price (CNY; as quoted)"), std::string::npos);
  EXPECT_NE(html.find("108,450 CNY/card, quoted 15,000 USD/card"), std::string::npos);
}

TEST(PlanHtml, ChineseCaptionsUnderChinese) {
  Fixture f;
  SetLanguage(Language::kChinese);
  const std::string html = PlanReportHtml(f.report);
  SetLanguage(Language::kEnglish);
  EXPECT_NE(html.find("lang=\"zh-CN\""), std::string::npos);
  EXPECT_NE(html.find(TrIn(Language::kChinese, "Training throughput against cluster size")), std::string::npos);
  EXPECT_NE(TrIn(Language::kChinese, "Training throughput against cluster size"), "Training throughput against cluster size");
  EXPECT_EQ(html.find("Training throughput against cluster size"), std::string::npos);
  EXPECT_EQ(Count(html, "data-chart=\""), 5u);
}

TEST(PlanQuoteNotes, LeavesOutWhatTheRecommendationAlreadySays) {
  Fixture f;
  WorkloadPlan& plan = f.result.workloads.front();
  const std::string cut = "cut interconnect: 1024 cards of a800-sxm-80gb ...";
  plan.options[2].notes = {cut, "q2: payment cash up front"};
  plan.options[0].notes = {cut};
  plan.recommendation.reasons.push_back(cut);
  EXPECT_EQ(PlanQuoteNotes(plan), std::vector<std::string>{"q2: payment cash up front"});
}

}  // namespace
}  // namespace suanli
