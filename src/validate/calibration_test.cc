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

TEST(Calibration, FitsTheRowsOfOneStackOnly) {
  // The fractions stand for one stack (megatron unless asked): rows of another
  // stack carry that stack's own kernels and efficiency and are left out, and counted.
  const RunsFile runs = OwnRuns();
  RunsFile mixed = runs;
  RunsFile all_fsdp = runs;
  auto fsdp_stack = FindStack("fsdp");
  ASSERT_TRUE(fsdp_stack.ok());
  // As `--stack fsdp` reads a blank stack column (cli UseStackForBlankRuns).
  auto read_as_fsdp = [&](PublishedRun& run) {
    run.stack = (*fsdp_stack)->id;
    ApplyStackToRun(**fsdp_stack, run);
  };
  int dense_seen = 0;
  for (PublishedRun& run : mixed.runs) {
    if (!run.model.IsMoe() && dense_seen++ < 2) read_as_fsdp(run);
  }
  for (PublishedRun& run : all_fsdp.runs) read_as_fsdp(run);
  auto catalog = Catalog::LoadEmbedded();
  ASSERT_TRUE(catalog.ok());
  const CalibrationReport megatron = FitGemmFractions(mixed, *catalog);
  EXPECT_EQ(megatron.stack, "megatron");
  EXPECT_EQ(megatron.other_stack_rows_skipped, 2);
  ASSERT_EQ(megatron.fits.size(), 1u);
  EXPECT_EQ(megatron.fits.front().rows, 3);
  EXPECT_EQ(FitGemmFractions(mixed, *catalog, 1, {}, "fsdp").fits.front().rows, 2);
  // The same five steps read as fsdp run its FlashAttention-2-class kernel and
  // unfused norms (data/stacks.yaml), so they are predicted slower and the
  // accelerator fraction fitted through that stack comes out higher.
  const CalibrationReport fsdp = FitGemmFractions(all_fsdp, *catalog, 1, {}, "fsdp");
  ASSERT_EQ(fsdp.fits.size(), 1u);
  EXPECT_EQ(fsdp.fits.front().rows, 5);
  EXPECT_EQ(fsdp.other_stack_rows_skipped, 0);
  EXPECT_GT(fsdp.fits.front().fitted_fraction, FitGemmFractions(runs, *catalog).fits.front().fitted_fraction);
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

TEST(Calibration, RowsNamingTheirSystemAreFittedUnderItsAccelerator) {
  // The own runs named by the server they ran in (the H200's usual system):
  // the same network, so the same fit, kept under the accelerator's id.
  RunsFile runs = OwnRuns();
  RunsFile by_system = runs;
  for (PublishedRun& run : by_system.runs) run.accelerator_id = "hgx-h200-8gpu";
  auto catalog = Catalog::LoadEmbedded();
  ASSERT_TRUE(catalog.ok());
  const CalibrationReport base = FitGemmFractions(runs, *catalog);
  const CalibrationReport named = FitGemmFractions(by_system, *catalog);
  ASSERT_EQ(named.fits.size(), 1u);
  EXPECT_EQ(named.fits.front().accelerator_id, "h200-sxm-141gb");
  EXPECT_EQ(named.fits.front().rows, base.fits.front().rows);
  EXPECT_DOUBLE_EQ(named.fits.front().fitted_fraction, base.fits.front().fitted_fraction);
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
