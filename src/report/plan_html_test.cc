#include "report/plan_html.h"
#include "report/html_page.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace suanli {
namespace {

TEST(PlanHtml, EscapesText) { EXPECT_EQ(HtmlEscape("a<b & \"c\">"), "a&lt;b &amp; &quot;c&quot;&gt;"); }

TEST(PlanHtml, HasRecommendationOptionsAndFrontierChart) {
  PlanInput input;
  input.currency = "CNY";
  PlanResult result;
  WorkloadPlan plan;
  plan.name = "70B <test>";
  plan.model = "llama-2-70b";
  plan.tokens = 2e12;
  plan.status = PlanStatus::kFeasible;
  for (int i = 0; i < 3; ++i) {
    PlanOptionResult o;
    o.accelerator = "a800-sxm-80gb";
    o.gpus = 256 << i;
    o.finish_p50_days = 300.0 / (i + 1);
    o.cost.total = 30e6 * (i + 1);
    o.pareto = i != 1;
    plan.options.push_back(o);
  }
  plan.recommendation.option = 2;
  plan.recommendation.reasons = {"buy 1024 a800-sxm-80gb: finishes first"};
  result.workloads.push_back(plan);
  PlanReport report;
  report.file = "s.yaml";
  report.input = &input;
  report.result = &result;
  const std::string html = PlanReportHtml(report);
  EXPECT_NE(html.find("<!DOCTYPE html>"), std::string::npos);
  EXPECT_NE(html.find("70B &lt;test&gt;"), std::string::npos);
  EXPECT_NE(html.find("buy 1024 a800-sxm-80gb: finishes first"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);  // no scripts, works offline
  // Two frontier points (options 1 and 3) are joined by one path: M ... L ...
  const size_t path = html.find("<path d=\"M");
  ASSERT_NE(path, std::string::npos);
  const std::string d = html.substr(path, html.find('"', path + 9) - path);
  EXPECT_EQ(std::count(d.begin(), d.end(), 'L'), 1);
  // Three points drawn, two filled.
  size_t circles = 0;
  for (size_t at = html.find("<circle"); at != std::string::npos; at = html.find("<circle", at + 1)) ++circles;
  EXPECT_EQ(circles, 3u);
}

}  // namespace
}  // namespace suanli
