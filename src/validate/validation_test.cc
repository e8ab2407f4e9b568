#include "validate/validation.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>

#include "catalog/catalog.h"
#include "core/embedded.h"
#include "model/model_error.h"
#include "model/reliability.h"
#include "validate/run_checks.h"

namespace suanli {
namespace {

// Returns the runs of the CSV at `path`; a file that is present must parse
// with no bad row (the test fails naming the first), so a changed schema is
// never mistaken for an absent file.
RunsFile ReadCleanRuns(const char* path) {
  auto runs = ReadRunsCsv(path);
  EXPECT_TRUE(runs.ok()) << (runs.ok() ? "" : runs.error().ToString());
  if (!runs.ok()) return {};
  EXPECT_TRUE(runs->bad_rows.empty()) << runs->bad_rows.front().where << ": " << runs->bad_rows.front().message;
  return *std::move(runs);
}

// Returns true when the shared dev set is in this workspace (it lives outside
// the repository).
bool HaveDevSet() { return std::filesystem::exists(SUANLI_DEV_RUNS_CSV); }

// Expects every row of the held-out file at `path` to parse and be
// predicted: every held-out run ran on real hardware.
void ExpectEveryRowPredicted(const char* path) {
  const RunsFile runs = ReadCleanRuns(path);
  ASSERT_FALSE(runs.runs.empty()) << path;
  auto catalog = Catalog::LoadEmbedded();
  ASSERT_TRUE(catalog.ok());
  for (const PublishedRun& run : runs.runs) {
    const Status input = CheckRunInput(run, *catalog);
    EXPECT_TRUE(input.ok()) << input.error().ToString();
  }
  const ValidationReport report = ValidateRuns(runs, *catalog);
  for (const RunPrediction& row : report.rows) EXPECT_TRUE(row.ok) << row.id << ": " << row.note;
  // Each row's inside flag adds up to the coverage the summary prints.
  int step_inside = 0, campaign_inside = 0;
  for (size_t i = 0; i < report.rows.size(); ++i) {
    const RunPrediction& row = report.rows[i];
    if (!row.ok) continue;
    EXPECT_LT(row.predicted_p10, row.predicted_p90) << row.id;
    EXPECT_EQ(row.inside_p10_p90, row.published >= row.predicted_p10 && row.published <= row.predicted_p90)
        << row.id;
    (runs.runs[i].metric == "gpu_hours" ? campaign_inside : step_inside) += row.inside_p10_p90 ? 1 : 0;
  }
  EXPECT_EQ(step_inside, report.summary.coverage.total.inside);
  EXPECT_EQ(campaign_inside, report.summary.campaign_coverage.inside);
}

TEST(HeldOutRuns, EveryRowParsesAndIsPredicted) {
  // The two NeMo AutoModel rows did not fit before their `automodel` stack
  // kept bf16 parameters without an fp32 master.
  ExpectEveryRowPredicted(SUANLI_HOLDOUT_RUNS_CSV);
}

TEST(HeldOutRuns, EveryRowIsPredictedWithItsBatchAndDeviceCountUnpublished) {
  // A source that gives the layout but not the device count or the global
  // batch: the count is tp x pp x dp x cp and the default batch one that the
  // pinned dp divides (OPT's 992 GPUs, Narayanan's 1,536).
  auto catalog = Catalog::LoadEmbedded();
  ASSERT_TRUE(catalog.ok());
  for (const char* path : {SUANLI_HOLDOUT_RUNS_CSV, SUANLI_DEV_RUNS_CSV}) {
    if (path == std::string(SUANLI_DEV_RUNS_CSV) && !HaveDevSet()) continue;
    RunsFile runs = ReadCleanRuns(path);
    ASSERT_FALSE(runs.runs.empty()) << path;
    for (PublishedRun& run : runs.runs) {
      run.global_batch = 0;
      run.gpus = 0;
    }
    const ValidationReport report = ValidateRuns(runs, *catalog);
    for (const RunPrediction& row : report.rows) EXPECT_TRUE(row.ok) << row.id << ": " << row.note;
  }
}

TEST(HeldOutRuns, TheSecondFileIsPredictedToo) {
  // TPU v5e/v6e entered the catalog for it; MaxText's v6e recipes fit only
  // with activations and optimizer states on the host, MindFormers' rows
  // only with their parameters sharded, NVIDIA's rows only with the ZeRO
  // stage they leave unpublished searched (data/validation/README.md).
  ExpectEveryRowPredicted(SUANLI_HOLDOUT2_RUNS_CSV);
}

TEST(ModelErrorFile, TheShippedFileIsWhatValidateWritesFromItsRows) {
  // The planner's realised / predicted throughput distribution
  // (data/validation/model-error.yaml) is the summary of the step-rate rows
  // of the files it names, as many rows of each as it says: recomputed here,
  // it must come out as shipped, to the byte, so a model change that moves it
  // must regenerate the file (suanli validate ... --write-model-error). The
  // dev set lives outside this repository (shared/): skipped only where it is
  // absent.
  if (!HaveDevSet()) GTEST_SKIP() << "no dev set at " << SUANLI_DEV_RUNS_CSV;
  const ModelErrorTable& shipped = ShippedModelError();
  RunsFile all;
  std::vector<RunsFileRows> used;
  for (const RunsFileRows& source : shipped.runs) {
    const char* path = source.file == "training-runs.csv"           ? SUANLI_DEV_RUNS_CSV
                       : source.file == "holdout-training-runs.csv" ? SUANLI_HOLDOUT_RUNS_CSV
                                                                    : nullptr;
    ASSERT_NE(path, nullptr) << "the shipped model error names " << source.file << ", which this test cannot find";
    RunsFile file = ReadCleanRuns(path);
    ASSERT_GE(file.runs.size(), static_cast<size_t>(source.rows)) << path;
    file.runs.resize(source.rows);
    all.runs.insert(all.runs.end(), file.runs.begin(), file.runs.end());
    used.push_back(source);
  }
  auto catalog = Catalog::LoadEmbedded();
  ASSERT_TRUE(catalog.ok());
  const ValidationSummary s = ValidateRuns(all, *catalog).summary;
  EXPECT_EQ(s.dense_step_rows, shipped.dense.step_rows);
  EXPECT_EQ(s.moe_step_rows, shipped.moe.step_rows);
  EXPECT_NEAR(s.dense_error.median, shipped.dense.error.median, 0.0005);
  EXPECT_NEAR(s.dense_error.log_sd, shipped.dense.error.log_sd, 0.0005);
  EXPECT_NEAR(s.moe_error.median, shipped.moe.error.median, 0.0005);
  EXPECT_NEAR(s.moe_error.log_sd, shipped.moe.error.log_sd, 0.0005);
  EXPECT_EQ(ModelErrorYaml(MeasuredModelError(s, used, shipped.date)), FindEmbeddedFile(kModelErrorFile));
  // The planner's defaults are the shipped figures.
  const ReliabilityAssumptions defaults;
  EXPECT_DOUBLE_EQ(defaults.dense_error.median, shipped.dense.error.median);
  EXPECT_DOUBLE_EQ(defaults.moe_error.log_sd, shipped.moe.error.log_sd);
}

TEST(DevRuns, EveryRowParsesAndNamesItsStack) {
  if (!HaveDevSet()) GTEST_SKIP() << "no dev set at " << SUANLI_DEV_RUNS_CSV;
  const RunsFile dev = ReadCleanRuns(SUANLI_DEV_RUNS_CSV);
  ASSERT_FALSE(dev.runs.empty());
  static const char* kStacks[] = {"",          "megatron",  "torchtitan", "fsdp",    "deepspeed",
                                  "mindspeed", "colossalai", "maxtext",   "paddle"};
  for (const PublishedRun& run : dev.runs) {
    EXPECT_TRUE(std::find(std::begin(kStacks), std::end(kStacks), run.stack) != std::end(kStacks))
        << run.id << ": stack '" << run.stack << "'";
  }
}

}  // namespace
}  // namespace suanli
