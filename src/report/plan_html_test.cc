#include "report/plan_html.h"

#include <gtest/gtest.h>

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
      o.mix = {MixPart{"q" + std::to_string(i), "Shenzhen", o.gpus, 2.0 + i}};
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
  EXPECT_NE(html.find("<li>#1: 256 × q0 (2 wk); arrives week", list), std::string::npos);
  EXPECT_NE(html.find("<li>#3: 1,024 × q2 (4 wk); arrives week", list), std::string::npos);
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
