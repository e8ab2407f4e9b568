// The report page: language attribute, escaping, inlined chart libraries, chart hooks.
#include "report/html_page.h"

#include <gtest/gtest.h>

#include "core/i18n.h"

namespace suanli {
namespace {

TEST(HtmlPage, SelfContainedWithChartLibrariesAndEscapedText) {
  HtmlPage page("Plan <a>", "scenario.yaml");
  page.Paragraph("5 < 6 & \"quoted\"");
  page.Chart("Frontier", {{"mark", "point"}, {"data", {{"values", nlohmann::json::array()}}}}, "frontier");
  const std::string html = page.Render();
  EXPECT_NE(html.find("<html lang=\"en\">"), std::string::npos);
  EXPECT_NE(html.find("<title>Plan &lt;a&gt;</title>"), std::string::npos);
  EXPECT_NE(html.find("5 &lt; 6 &amp; &quot;quoted&quot;"), std::string::npos);
  EXPECT_NE(html.find("data-chart=\"frontier\""), std::string::npos);
  EXPECT_NE(html.find("vegaEmbed"), std::string::npos);
  EXPECT_NE(html.find("vega-lite.min.js"), std::string::npos);  // the library is inlined
  EXPECT_EQ(html.find("src=\"http"), std::string::npos);        // nothing fetched at view time
  EXPECT_EQ(html.find("cdn"), std::string::npos);
  EXPECT_LT(html.size(), 2u * 1024 * 1024);
  EXPECT_EQ(page.ChartCount(), 1u);
}

TEST(HtmlPage, ChineseDeclaresItsLanguageAndACjkFont) {
  SetLanguage(Language::kChinese);
  HtmlPage page("计划", "");
  const std::string html = page.Render();
  SetLanguage(Language::kEnglish);
  EXPECT_NE(html.find("<html lang=\"zh-CN\">"), std::string::npos);
  EXPECT_NE(html.find("Noto Sans CJK SC"), std::string::npos);
  EXPECT_EQ(html.find("vegaEmbed"), std::string::npos);  // no charts, no libraries
}

TEST(HtmlPage, ScriptDataCannotCloseTheScriptElement) {
  HtmlPage page("t", "");
  page.Chart("c", {{"mark", "point"}, {"title", "</script><b>"}});
  const std::string html = page.Render();
  EXPECT_EQ(html.find("</script><b>"), std::string::npos);
}

TEST(ScaleFor, LogOnlyWhenPositiveAndWide) {
  EXPECT_EQ(ScaleFor({1, 10, 1000})["type"], "log");
  EXPECT_EQ(ScaleFor({10, 20, 40})["type"], "linear");
  EXPECT_EQ(ScaleFor({0, 10, 1000})["type"], "linear");
}

}  // namespace
}  // namespace suanli
