#include "validate/statistics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "catalog/catalog.h"
#include "validate/test_rows.h"
#include "validate/validation.h"

namespace suanli {
namespace {

using testing::kRunsHeader;
using testing::RowWith;

TEST(Statistics, ModelErrorSummaryLeavesCampaignRowsOut) {
  // A step-rate row and a campaign (GPU-hours) row of the same model: only
  // the first enters the published / predicted throughput ratio.
  const std::string text =
      std::string(kRunsHeader) +
      "step,S,ref 2024,high,Llama,32,4096,32,8,14336,128256,8192,1,0,,,,,a100-sxm-80gb,8,8,bf16,1,1,8,1,1,1,"
      "1,1,64,selective,tokens_per_s_per_gpu,3000,,x\n"
      "campaign,S,ref 2024,high,Llama,32,4096,32,8,14336,128256,8192,1,0,,,,,a100-sxm-80gb,8,8,bf16,1,1,8,1,1,1,"
      "1,1,64,selective,gpu_hours,100000,1e11,x\n"
      "moe,S,ref 2024,high,Qwen3-like,48,2048,32,4,6144,151936,4096,1,128,8,768,0,0,h100-sxm-80gb,8,8,bf16,"
      "1,1,8,1,8,1,1,1,64,selective,tokens_per_s_per_gpu,5000,,x\n";
  auto runs = ParseRunsCsv(text, "runs.csv");
  ASSERT_TRUE(runs.ok()) << runs.error().ToString();
  auto catalog = Catalog::LoadEmbedded();
  ASSERT_TRUE(catalog.ok());
  const ValidationReport report = ValidateRuns(*runs, *catalog);
  ASSERT_TRUE(report.rows[0].ok && report.rows[1].ok && report.rows[2].ok);
  EXPECT_EQ(report.summary.n, 3);
  EXPECT_EQ(report.summary.dense_step_rows, 1);
  EXPECT_EQ(report.summary.moe_step_rows, 1);  // the MoE row has its own distribution
  EXPECT_DOUBLE_EQ(report.summary.moe_error.median, 5000 / report.rows[2].predicted);
  EXPECT_DOUBLE_EQ(report.summary.dense_error.median, 3000 / report.rows[0].predicted);
  EXPECT_DOUBLE_EQ(report.summary.dense_error.log_sd, 0.0);
}
TEST(Statistics, ModelErrorLeavesRatiosWithoutALogOut) {
  const double inf = std::numeric_limits<double>::infinity();
  const ModelError e = FitModelError({1.0, std::nan(""), inf, 0.0, -1.0, 4.0});
  EXPECT_DOUBLE_EQ(e.median, 2.5);
  // Two logs, 0 and ln 4: P10 = 0.1 ln 4, P90 = 0.9 ln 4 (linear between them).
  EXPECT_NEAR(e.log_sd, 0.8 * std::log(4.0) / (2 * 1.2815516), 1e-6);
  EXPECT_TRUE(std::isfinite(e.median) && std::isfinite(e.log_sd));
  const ModelError none = FitModelError({inf, std::nan("")});
  EXPECT_DOUBLE_EQ(none.median, 1.0);
  EXPECT_DOUBLE_EQ(none.log_sd, 0.0);
}
TEST(Statistics, ModelErrorSpreadIsTheMeasuredP10ToP90) {
  // Eleven logs evenly from -0.5 to 0.5: P10 = -0.4, P90 = 0.4, so the
  // log-normal sigma with that band is 0.8 / (2 · 1.2816) = 0.3121.
  std::vector<double> ratios;
  for (int k = -5; k <= 5; ++k) ratios.push_back(std::exp(0.1 * k));
  const ModelError even = FitModelError(ratios);
  EXPECT_NEAR(even.median, 1.0, 1e-12);
  EXPECT_NEAR(even.log_sd, 0.8 / (2 * 1.2815516), 1e-6);
  // One row 20x off moves neither the median nor the band: a standard
  // deviation would triple (0.32 → 0.98) and the band would hold every row.
  ratios.back() = 20.0;
  const ModelError outlier = FitModelError(ratios);
  EXPECT_NEAR(outlier.median, 1.0, 1e-12);
  EXPECT_NEAR(outlier.log_sd, even.log_sd, 1e-12);
  int inside = 0;
  for (double r : ratios) inside += InsideP10P90(r, outlier) ? 1 : 0;
  EXPECT_EQ(inside, 9);  // all but the two beyond P10 and P90
}
TEST(Statistics, QuantileIsLinearBetweenNeighbours) {
  const std::vector<double> sorted = {1, 2, 4, 8};
  EXPECT_DOUBLE_EQ(QuantileOfSorted(sorted, 0.0), 1);
  EXPECT_DOUBLE_EQ(QuantileOfSorted(sorted, 0.5), 3);
  EXPECT_DOUBLE_EQ(QuantileOfSorted(sorted, 1.0), 8);
  EXPECT_DOUBLE_EQ(QuantileOfSorted(sorted, 0.9), 4 + 0.7 * 4);
  EXPECT_DOUBLE_EQ(QuantileOfSorted({5}, 0.3), 5);
}

}  // namespace
}  // namespace suanli

namespace suanli {
namespace {

TEST(Statistics, ErrorsPerStackCountBlankAsMegatron) {
  std::vector<PublishedRun> runs(4);
  std::vector<RunPrediction> rows(4);
  runs[0].stack = "";
  runs[1].stack = "megatron";
  runs[2].stack = "torchtitan";
  runs[3].stack = "torchtitan";
  const double errors[] = {10, -20, 5, 0};
  for (int i = 0; i < 4; ++i) {
    rows[i].ok = i != 3;
    rows[i].error_pct = errors[i];
  }
  const std::vector<StackErrors> stacks = SummariseByStack(runs, rows, ShippedModelError());
  ASSERT_EQ(stacks.size(), 2u);
  EXPECT_EQ(stacks[0].stack, "megatron");
  EXPECT_EQ(stacks[0].rows, 2);
  EXPECT_EQ(stacks[0].n, 2);
  EXPECT_DOUBLE_EQ(stacks[0].median_ape_pct, 15.0);
  EXPECT_DOUBLE_EQ(stacks[0].within_15pct, 50.0);
  EXPECT_EQ(stacks[1].stack, "torchtitan");
  EXPECT_EQ(stacks[1].rows, 2);
  EXPECT_EQ(stacks[1].n, 1);
  EXPECT_DOUBLE_EQ(stacks[1].within_15pct, 100.0);
}

}  // namespace
}  // namespace suanli

namespace suanli {
namespace {

TEST(Statistics, P10P90CoverageCountedByHand) {
  // Dense: median 1, log sd 0.1 → band [exp(-0.128155), exp(0.128155)] = [0.8797, 1.1367].
  // MoE: median 1.2, log sd 0.2 → band [1.2·exp(-0.25631), 1.2·exp(0.25631)] = [0.9289, 1.5506].
  ModelErrorTable table;
  table.dense.error = {1.0, 0.1};
  table.moe.error = {1.2, 0.2};
  struct Row {
    bool moe;
    const char* metric;
    double published;
    bool ok;
  };
  const Row cases[] = {
      {false, "tokens_per_s_per_gpu", 100, true},  // ratio 1.00: inside
      {false, "mfu", 150, true},                   // 1.50: above P90
      {false, "tokens_per_s_per_gpu", 88, true},   // 0.88: just inside P10 (0.8797)
      {false, "model_tflops_per_gpu", 87, true},   // 0.87: below P10
      {false, "gpu_hours", 100, true},             // a campaign row: not a step rate, left out
      {false, "tokens_per_s_per_gpu", 100, false}, // not predicted: left out
      {true, "tokens_per_s_per_gpu", 100, true},   // MoE 1.00: inside
      {true, "tokens_per_s_per_gpu", 90, true},    // MoE 0.90: below P10 (0.9289)
  };
  std::vector<PublishedRun> runs;
  std::vector<RunPrediction> rows;
  for (const Row& c : cases) {
    PublishedRun run;
    run.metric = c.metric;
    run.model.moe.experts = c.moe ? 64 : 0;
    runs.push_back(run);
    RunPrediction row;
    row.ok = c.ok;
    row.published = c.published;
    row.predicted = 100;
    rows.push_back(row);
  }
  const P10P90Coverage coverage = CoverageOf(runs, rows, table);
  EXPECT_EQ(coverage.dense.rows, 4);
  EXPECT_EQ(coverage.dense.inside, 2);
  EXPECT_EQ(coverage.moe.rows, 2);
  EXPECT_EQ(coverage.moe.inside, 1);
  EXPECT_EQ(coverage.total.rows, 6);
  EXPECT_EQ(coverage.total.inside, 3);
  EXPECT_DOUBLE_EQ(coverage.total.Pct(), 50.0);
  EXPECT_DOUBLE_EQ(BandCoverage{}.Pct(), 0.0);
  EXPECT_TRUE(InsideP10P90(0.88, table.dense.error));
  EXPECT_FALSE(InsideP10P90(0.879, table.dense.error));
}

TEST(Statistics, SummaryCoverageUsesTheShippedModelError) {
  std::vector<PublishedRun> runs(1);
  runs[0].metric = "tokens_per_s_per_gpu";
  std::vector<RunPrediction> rows(1);
  rows[0].ok = true;
  rows[0].predicted = 100;
  rows[0].published = 100 * ShippedModelError().dense.error.median;  // the median: inside
  rows[0].error_pct = 100.0 * (rows[0].predicted - rows[0].published) / rows[0].published;
  const ValidationSummary s = Summarise(runs, rows);
  EXPECT_EQ(s.coverage.dense.rows, 1);
  EXPECT_EQ(s.coverage.dense.inside, 1);
  EXPECT_EQ(s.coverage.total.rows, s.dense_step_rows + s.moe_step_rows);
  ASSERT_EQ(s.stacks.size(), 1u);
  EXPECT_EQ(s.stacks[0].coverage.rows, 1);
  EXPECT_EQ(s.stacks[0].coverage.inside, 1);
}

TEST(Statistics, CoverageUsesTheStacksOwnErrorWhereItHasOne) {
  // Family dense: median 1, log sd 0.2 → band [0.7738, 1.2922]; the fsdp
  // stack's own: median 1, log sd 0.05 → [0.9380, 1.0662]. A ratio of 0.9 is
  // inside the family's band, outside fsdp's: on fsdp it counts outside, on
  // paddle (no entry) inside.
  ModelErrorTable table;
  table.dense.error = {1.0, 0.2};
  table.moe.error = {1.0, 0.2};
  StackModelError fsdp;
  fsdp.stack = "fsdp";
  fsdp.dense_rows = 10;
  fsdp.all = {1.0, 0.05};
  fsdp.dense = ModelError{1.0, 0.05};
  table.stacks = {fsdp};
  std::vector<PublishedRun> runs(3);
  std::vector<RunPrediction> rows(3);
  const char* stacks[] = {"fsdp", "paddle", "fsdp"};
  const double published[] = {90, 90, 101};
  for (int i = 0; i < 3; ++i) {
    runs[i].metric = "tokens_per_s_per_gpu";
    runs[i].stack = stacks[i];
    rows[i].ok = true;
    rows[i].predicted = 100;
    rows[i].published = published[i];
    rows[i].error_pct = 100.0 * (rows[i].predicted - rows[i].published) / rows[i].published;
  }
  EXPECT_DOUBLE_EQ(RowModelError(runs[0], table).log_sd, 0.05);
  EXPECT_DOUBLE_EQ(RowModelError(runs[1], table).log_sd, 0.2);
  const P10P90Coverage c = CoverageOf(runs, rows, table);
  EXPECT_EQ(c.total.rows, 3);
  EXPECT_EQ(c.total.inside, 2);
  const std::vector<StackErrors> by_stack = SummariseByStack(runs, rows, table);
  ASSERT_EQ(by_stack.size(), 2u);
  EXPECT_EQ(by_stack[0].stack, "fsdp");
  EXPECT_EQ(by_stack[0].coverage.rows, 2);
  EXPECT_EQ(by_stack[0].coverage.inside, 1);
  EXPECT_EQ(by_stack[1].coverage.inside, 1);
}

TEST(Statistics, MeasuredStackErrorsNeedTheMinimumOfRows) {
  // 12 dense fsdp rows and 3 MoE: an entry with its dense fit and its
  // all-rows fit, no MoE fit; 9 paddle rows: no entry.
  ValidationSummary s;
  StackErrors fsdp;
  fsdp.stack = "fsdp";
  fsdp.dense_ratios.assign(12, 0.9);
  fsdp.moe_ratios.assign(3, 1.2);
  StackErrors paddle;
  paddle.stack = "paddle";
  paddle.dense_ratios.assign(9, 1.0);
  s.stacks = {fsdp, paddle};
  const ModelErrorTable table = MeasuredModelError(s, {{"a.csv", 30}}, "2026-12-06");
  ASSERT_EQ(table.stacks.size(), 1u);
  const StackModelError& e = table.stacks[0];
  EXPECT_EQ(e.stack, "fsdp");
  EXPECT_EQ(e.dense_rows, 12);
  EXPECT_EQ(e.moe_rows, 3);
  ASSERT_TRUE(e.dense.has_value());
  EXPECT_DOUBLE_EQ(e.dense->median, 0.9);
  EXPECT_NEAR(e.dense->log_sd, 0.0, 1e-12);
  EXPECT_FALSE(e.moe.has_value());
  EXPECT_DOUBLE_EQ(e.all.median, 0.9);  // median of 12 × 0.9 and 3 × 1.2
  EXPECT_EQ(e.source, "15 fsdp step-rate rows of a.csv (first 30 rows); suanli validate, 2026-12-06");
  // The family's spread is the floor of a stack's: its median, the wider log sd.
  s.dense_error = {1.0, 0.1};
  s.moe_error = {1.0, 0.3};
  const ModelErrorTable floored = MeasuredModelError(s, {{"a.csv", 30}}, "2026-12-06");
  EXPECT_DOUBLE_EQ(floored.stacks[0].dense->median, 0.9);
  EXPECT_DOUBLE_EQ(floored.stacks[0].dense->log_sd, 0.1);
  EXPECT_DOUBLE_EQ(floored.stacks[0].all.log_sd, 0.3);  // it has MoE rows: the wider family's floor
  // What it writes parses back.
  EXPECT_TRUE(ParseModelErrorYaml(ModelErrorYaml(table), "m.yaml").ok());
}

TEST(Statistics, CampaignCoverageUsesTheStepAndCampaignErrorTogether) {
  // Dense step error median 1, log sd 0.1; no campaign error: the band of
  // realised / predicted throughput is exp(∓1.2816 · 0.1) = [0.8797, 1.1367].
  // A campaign row's ratio is predicted / published GPU-hours.
  ModelErrorTable table;
  table.dense.error = table.moe.error = {1.0, 0.1};
  std::vector<PublishedRun> runs(5);
  std::vector<RunPrediction> rows(5);
  const double predicted_gpu_hours[] = {100, 85, 113, 100, 100};
  for (int i = 0; i < 5; ++i) {
    runs[i].metric = "gpu_hours";
    rows[i].ok = true;
    rows[i].published = 100;
    rows[i].predicted = predicted_gpu_hours[i];
  }
  runs[3].metric = "tokens_per_s_per_gpu";  // a step row: not a campaign
  rows[4].ok = false;                       // not predicted
  const BandCoverage none = CampaignCoverageOf(runs, rows, table, {1.0, 0.0});
  EXPECT_EQ(none.rows, 3);
  EXPECT_EQ(none.inside, 2);  // 1.00 and 1.13 inside, 0.85 below P10
  // A campaign error of median 0.8 moves the band to [0.7037, 0.9094]:
  // only 0.85 is inside now.
  const BandCoverage slower = CampaignCoverageOf(runs, rows, table, {0.8, 0.0});
  EXPECT_EQ(slower.rows, 3);
  EXPECT_EQ(slower.inside, 1);
  // Its spread adds in quadrature: log sd √(0.1² + 0.3²) = 0.316 around 0.8
  // gives [0.534, 1.199], which holds all three.
  EXPECT_EQ(CampaignCoverageOf(runs, rows, table, {0.8, 0.3}).inside, 3);
}

TEST(Statistics, AModelErrorIsWrittenOnlyWithEnoughRowsOfEachFamily) {
  ValidationSummary s;
  s.dense_step_rows = 40;
  s.moe_step_rows = 1;  // one row: log sd 0, a band of zero width
  const Status one = CheckModelErrorRows(s);
  ASSERT_FALSE(one.ok());
  EXPECT_NE(one.error().message.find("the MoE family has 1 predicted step-rate rows"), std::string::npos)
      << one.error().message;
  EXPECT_NE(one.error().message.find("at least 5"), std::string::npos) << one.error().message;
  s.moe_step_rows = 0;
  EXPECT_FALSE(CheckModelErrorRows(s).ok());
  s.moe_step_rows = kMinFamilyStepRows;
  EXPECT_TRUE(CheckModelErrorRows(s).ok());
  s.dense_step_rows = kMinFamilyStepRows - 1;
  EXPECT_FALSE(CheckModelErrorRows(s).ok());
}

}  // namespace
}  // namespace suanli
