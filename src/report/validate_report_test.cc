// Validate and calibrate renderers: an empty calibration, signed percentages.
#include "report/validate_report.h"

#include <gtest/gtest.h>

namespace suanli {
namespace {

TEST(ValidateReport, CalibrationSaysWhenNothingFitsAndPrintsSignedErrors) {
  CalibrationReport report;
  report.moe_rows_skipped = 2;
  EXPECT_EQ(CalibrationText(report),
            "nothing to fit: no dense row could be predicted\n"
            "2 MoE rows left out; 0 dense rows could not be predicted\n");
  CalibrationReport refused;
  refused.unpredicted_rows = 1;
  refused.unpredicted_why = {"x1: beyond the peak"};
  EXPECT_NE(CalibrationText(refused).find("1 dense rows could not be predicted\n  x1: beyond the peak\n"),
            std::string::npos);
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

}  // namespace
}  // namespace suanli
