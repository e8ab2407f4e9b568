// Validate and calibrate renderers: an empty calibration, signed percentages.
#include "report/validate_report.h"

#include <gtest/gtest.h>

namespace suanli {
namespace {

TEST(ValidateReport, CalibrationSaysWhenNothingFitsAndPrintsSignedErrors) {
  CalibrationReport report;
  report.moe_rows_skipped = 2;
  EXPECT_EQ(CalibrationText(report), "nothing to fit: all 2 rows are MoE, and calibrate fits dense rows only\n");
  CalibrationReport refused;
  refused.stack = "megatron";
  refused.stack_dense_rows = 1;
  refused.unpredicted_rows = 1;
  refused.unpredicted_why = {"x1: beyond the peak"};
  EXPECT_EQ(CalibrationText(refused),
            "nothing to fit: none of the 1 dense rows of megatron could be predicted\n"
            "1 of 1 dense rows could not be predicted:\n  x1: beyond the peak\n");
  GemmFit fit;
  fit.accelerator_id = "h100-sxm-80gb";
  fit.rows = 3;
  fit.mean_signed_before_pct = -12.34;
  fit.mean_signed_after_pct = -0.001;  // rounds to zero: printed +0.00%
  fit.converged = true;
  report.fits.push_back(fit);
  const std::string text = CalibrationText(report);
  EXPECT_NE(text.find("-12.3%"), std::string::npos);
  EXPECT_NE(text.find("+0.00%"), std::string::npos);
  EXPECT_EQ(CalibrationJson(report)["fits"][0]["rows"], 3);
}

TEST(ValidateReport, CalibrationOfAnotherStacksRowsLeadsWithTheStackToFit) {
  // One maxtext row under the default stack: the reason is the stack, and no
  // count of zero rows comes before it.
  CalibrationReport report;
  report.stack = "megatron";
  report.other_stack_rows_skipped = 1;
  report.other_stacks = {"maxtext"};
  EXPECT_EQ(CalibrationText(report),
            "nothing to fit: the 1 dense rows are of another stack (maxtext), and the fractions stand for "
            "megatron; fit them with --stack maxtext\n");
  EXPECT_EQ(CalibrationJson(report)["other_stacks"][0], "maxtext");
}

TEST(ValidateReport, EmptyStatisticsPrintADashAndJsonNull) {
  ValidationReport report;
  report.summary.dense_step_rows = 3;
  report.summary.dense_error = {0.9, 0.1};
  report.summary.n = 3;
  report.summary.rows_in_files = 4;
  report.summary.coverage.dense = {3, 2};
  report.summary.coverage.total = {3, 2};
  const std::string line = ModelErrorLine(report.summary);
  EXPECT_NE(line.find("3 dense step-rate rows median 0.900, log sd 0.100; 0 MoE rows median -, log sd -"),
            std::string::npos)
      << line;
  const std::string text = ValidationText(report);
  EXPECT_NE(text.find("(dense 67% of 3, MoE -)"), std::string::npos) << text;
  EXPECT_NE(text.find("3 of 4 rows predicted"), std::string::npos) << text;
  const nlohmann::json json = ValidationJson(report);
  EXPECT_TRUE(json["summary"]["model_error"]["moe"]["throughput_ratio_median"].is_null());
  EXPECT_TRUE(json["summary"]["model_error"]["moe"]["throughput_ratio_log_sd"].is_null());
  EXPECT_EQ(json["summary"]["model_error"]["dense"]["throughput_ratio_median"], 0.9);
  EXPECT_TRUE(json["summary"]["coverage_p10_p90"]["moe"]["pct"].is_null());
  EXPECT_TRUE(json["summary"]["campaigns"]["median_ape_pct"].is_null());
  EXPECT_TRUE(json["summary"]["campaigns"]["coverage_p10_p90"]["pct"].is_null());
  EXPECT_EQ(json["summary"]["rows_in_files"], 4);
}

TEST(ValidateReport, EachRowShowsItsPredictedBandAndWhetherThePublishedValueIsInside) {
  ValidationReport report;
  RunPrediction row;
  row.id = "r1";
  row.metric = "tokens_per_s_per_gpu";
  row.published = 1000;
  row.predicted = 1100;
  row.error_pct = 10;
  row.predicted_p10 = 950;
  row.predicted_p90 = 1250;
  row.inside_p10_p90 = true;
  row.ok = true;
  report.rows.push_back(row);
  const nlohmann::json json = ValidationJson(report);
  EXPECT_EQ(json["rows"][0]["predicted_p10"], 950);
  EXPECT_EQ(json["rows"][0]["predicted_p90"], 1250);
  EXPECT_EQ(json["rows"][0]["inside_p10_p90"], true);
  const std::string csv = ValidationRowsTable(report, nullptr, true, false).RenderAs(TableFormat::kCsv);
  EXPECT_NE(csv.find("modelled P10,modelled P90,inside P10–P90"), std::string::npos) << csv;
  EXPECT_NE(csv.find("1100,+10.0,950,1250,yes"), std::string::npos) << csv;
}

}  // namespace
}  // namespace suanli
