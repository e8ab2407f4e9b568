// The validate report page: the scatter with y = x and the ±15% band, its charts, Chinese captions.
#include "report/validate_html.h"

#include <gtest/gtest.h>

#include "core/i18n.h"
#include "report/validate_report.h"

namespace suanli {
namespace {

// Returns a report of three runs on two accelerators and two stacks, one not predicted.
struct Sample {
  ValidationReport report;
  std::vector<PublishedRun> runs;
};

Sample MakeSample() {
  Sample s;
  auto add = [&s](const std::string& id, const std::string& accel, double published, double predicted, bool ok,
                  const std::string& stack) {
    RunPrediction r;
    r.id = id;
    r.accelerator_id = accel;
    r.metric = "tokens_per_s_per_gpu";
    r.confidence = "high";
    r.published = published;
    r.predicted = predicted;
    r.error_pct = 100 * (predicted - published) / published;
    r.ok = ok;
    r.config.tp = 8;
    if (!ok) r.note = r.note_text = "does not fit";
    s.report.rows.push_back(r);
    PublishedRun run;
    run.id = id;
    run.accelerator_id = accel;
    run.model.id = "llama-2-70b";
    run.source = "paper " + id;
    run.stack = stack;
    s.runs.push_back(run);
  };
  add("a", "a100-sxm-80gb", 100, 110, true, "");
  add("b", "h100-sxm-80gb", 5000, 4200, true, "torchtitan");
  add("c", "h100-sxm-80gb", 50, 0, false, "");
  s.report.summary.n = 2;
  s.report.summary.median_ape_pct = 12.3;
  s.report.summary.stacks = {{"megatron", 2, 1, 10, 100}, {"torchtitan", 1, 1, 16.7, 0}};
  s.report.summary.coverage = {{2, 1}, {0, 0}, {2, 1}};  // dense, MoE, total
  return s;
}

TEST(ValidateHtml, ScatterHasIdentityLineBandAndRunTooltips) {
  const Sample s = MakeSample();
  ValidateHtmlInput in{&s.report, &s.runs, {"runs.csv"}, {}};
  const nlohmann::json spec = ValidationScatterSpec(in);
  ASSERT_EQ(spec["layer"].size(), 3u);
  const auto& band = spec["layer"][0];
  EXPECT_EQ(band["mark"]["type"], "area");
  for (const auto& v : band["data"]["values"]) {
    EXPECT_NEAR(v["low"].get<double>(), 0.85 * v["x"].get<double>(), 1e-3 * v["x"].get<double>());
    EXPECT_NEAR(v["high"].get<double>(), 1.15 * v["x"].get<double>(), 1e-3 * v["x"].get<double>());
  }
  const auto& identity = spec["layer"][1];
  EXPECT_EQ(identity["mark"]["type"], "line");
  EXPECT_EQ(identity["encoding"]["y"]["field"], "x");  // y = x
  const auto& points = spec["layer"][2];
  EXPECT_EQ(points["data"]["values"].size(), 2u);  // the row without a prediction is left out
  EXPECT_EQ(points["encoding"]["color"]["field"], "accelerator");
  EXPECT_EQ(points["encoding"]["x"]["scale"]["type"], "log");  // 100 to 5000 spans more than 30×
  const std::string tooltip = points["encoding"]["tooltip"].dump();
  for (const char* field : {"model", "accelerator", "layout", "stack", "source"}) {
    EXPECT_NE(tooltip.find(std::string("\"") + field + "\""), std::string::npos) << field;
  }
  EXPECT_EQ(points["data"]["values"][1]["stack"], "torchtitan");
  EXPECT_EQ(points["data"]["values"][0]["stack"], "megatron");  // blank reads as megatron
}

TEST(ValidateHtml, PageHasTheChartsSummaryAndRows) {
  const Sample s = MakeSample();
  const std::string html = ValidationReportHtml({&s.report, &s.runs, {"runs.csv"}, {"overlap_contention=0"}});
  for (const char* chart : {"validation", "errors", "stacks"}) {
    EXPECT_NE(html.find(std::string("data-chart=\"") + chart + "\""), std::string::npos) << chart;
  }
  EXPECT_NE(html.find("12.3%"), std::string::npos);
  EXPECT_NE(html.find("paper b"), std::string::npos);
  EXPECT_NE(html.find("not predicted: c: does not fit"), std::string::npos);
  EXPECT_NE(html.find("overlap_contention=0"), std::string::npos);
  EXPECT_NE(html.find("Published inside the predicted P10–P90"), std::string::npos);
  EXPECT_NE(html.find("50% of 2 step-rate rows (dense 50% of 2, MoE -; target 70–90%)"), std::string::npos);
  EXPECT_NE(ValidationText(s.report).find("published inside the predicted P10–P90"), std::string::npos);
  EXPECT_NE(ValidationJson(s.report)["summary"]["coverage_p10_p90"]["total"]["pct"], nullptr);
}

TEST(ValidateHtml, ChineseCaptions) {
  const Sample s = MakeSample();
  SetLanguage(Language::kChinese);
  const std::string html = ValidationReportHtml({&s.report, &s.runs, {"runs.csv"}, {}});
  const std::string text = ValidationText(s.report);
  const auto missing = MissingTranslations();
  SetLanguage(Language::kEnglish);
  EXPECT_NE(html.find("<html lang=\"zh-CN\">"), std::string::npos);
  EXPECT_NE(html.find(TrIn(Language::kChinese, "Modelled against reported, one point per run (dashed: y = x; "
                                               "band: ±15%)")),
            std::string::npos);
  EXPECT_EQ(html.find("one point per run"), std::string::npos);
  EXPECT_EQ(text.find("rows predicted:"), std::string::npos);
  EXPECT_TRUE(missing.empty()) << missing.front();
}

TEST(ValidateReport, RowsTableCsvHasPlainNumbersAndTheStack) {
  const Sample s = MakeSample();
  const std::string csv = ValidationRowsTable(s.report, &s.runs, true, false).RenderCsv();
  EXPECT_NE(csv.find("b,h100-sxm-80gb,tokens_per_s_per_gpu,5000,4200,-16.0,"), std::string::npos) << csv;
  EXPECT_NE(csv.find("torchtitan"), std::string::npos);
  EXPECT_NE(ValidationText(s.report).find("5,000"), std::string::npos);
}

}  // namespace
}  // namespace suanli
