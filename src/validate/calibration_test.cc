#include "validate/calibration.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>

namespace suanli {
namespace {

RunsFile OwnRuns() {
  std::ifstream file(SUANLI_OWN_RUNS_CSV);
  std::stringstream text;
  text << file.rdbuf();
  auto runs = ParseRunsCsv(text.str(), "own-runs.csv");
  EXPECT_TRUE(runs.ok());
  return runs.ok() ? *runs : RunsFile{};
}

TEST(Calibration, FitZeroesTheMeanSignedErrorOfDenseRows) {
  const RunsFile runs = OwnRuns();
  auto catalog = Catalog::LoadEmbedded();
  ASSERT_TRUE(catalog.ok());
  // Start below the shipped fraction (itself fitted to these runs), so the
  // runs are predicted slow and the fit has to raise it.
  ASSERT_TRUE(catalog->SetGemmEfficiency("h200-sxm-141gb", 0.63).ok());
  const CalibrationReport report = FitGemmFractions(runs, *catalog);
  EXPECT_EQ(report.moe_rows_skipped, 2);
  ASSERT_EQ(report.fits.size(), 1u);
  const GemmFit& fit = report.fits.front();
  EXPECT_EQ(fit.accelerator_id, "h200-sxm-141gb");
  EXPECT_EQ(fit.rows, 5);
  EXPECT_TRUE(fit.converged);
  EXPECT_LT(std::fabs(fit.mean_signed_after_pct), 0.01);
  // The dense runs are predicted slow at 0.63, so the fitted fraction is
  // higher, by about the mean error, and lands on the shipped value.
  EXPECT_LT(fit.mean_signed_before_pct, 0.0);
  EXPECT_GT(fit.fitted_fraction, fit.catalog_fraction);
  EXPECT_NEAR(fit.fitted_fraction / fit.catalog_fraction, 1.0 / (1.0 + fit.mean_signed_before_pct / 100.0),
              0.01);
  auto shipped = Catalog::LoadEmbedded();
  ASSERT_TRUE(shipped.ok());
  EXPECT_NEAR(fit.fitted_fraction, (*shipped->FindAccelerator("h200-sxm-141gb"))->efficiency.gemm, 0.002);
  // The input catalog is left as it was.
  EXPECT_DOUBLE_EQ((*catalog->FindAccelerator("h200-sxm-141gb"))->efficiency.gemm, 0.63);
}

TEST(Calibration, FasterRunsRaiseTheFraction) {
  RunsFile runs = OwnRuns();
  RunsFile faster = runs;
  for (PublishedRun& run : faster.runs) run.value *= 1.2;
  auto catalog = Catalog::LoadEmbedded();
  ASSERT_TRUE(catalog.ok());
  const double base = FitGemmFractions(runs, *catalog).fits.front().fitted_fraction;
  const double raised = FitGemmFractions(faster, *catalog).fits.front().fitted_fraction;
  EXPECT_GT(raised, base * 1.15);  // not quite 1.2: not every term is a GEMM
  EXPECT_LT(raised, base * 1.35);
}

TEST(Calibration, GemmEfficiencyIsBoundedAndNeedsAKnownId) {
  auto catalog = Catalog::LoadEmbedded();
  ASSERT_TRUE(catalog.ok());
  EXPECT_FALSE(catalog->SetGemmEfficiency("h200-sxm-141gb", 1.5).ok());
  EXPECT_FALSE(catalog->SetGemmEfficiency("h200-sxm-141gb", 0.0).ok());
  EXPECT_FALSE(catalog->SetGemmEfficiency("h2000", 0.5).ok());
  EXPECT_TRUE(catalog->SetGemmEfficiency("h200-sxm-141gb", 0.5).ok());
  EXPECT_DOUBLE_EQ((*catalog->FindAccelerator("h200-sxm-141gb"))->efficiency.gemm, 0.5);
}

}  // namespace
}  // namespace suanli
