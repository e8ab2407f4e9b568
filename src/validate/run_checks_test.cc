#include "validate/run_checks.h"

#include <gtest/gtest.h>

#include <string>

#include "validate/test_rows.h"
#include "validate/validation.h"

namespace suanli {
namespace {

using testing::kRunsHeader;
using testing::RowWith;

// A Llama 3 8B row on H100 whose accelerator column is "@".
constexpr const char* kRow =
    ",S,ref 2024,high,Llama,32,4096,32,8,14336,128256,4096,1,0,,,,,@,8,8,bf16,1,1,8,1,1,1,1,1,"
    "64,selective,tokens_per_s_per_gpu,8000,,n\n";

// Returns the runs of `rows` under the header, after MoveBadInputRuns.
RunsFile CheckedRuns(const std::string& rows, const Catalog& catalog) {
  auto runs = ParseRunsCsv(std::string(kRunsHeader) + rows, "runs.csv");
  EXPECT_TRUE(runs.ok());
  if (!runs.ok()) return {};
  MoveBadInputRuns(*runs, catalog);
  return *std::move(runs);
}

TEST(RunChecks, AnUnknownAcceleratorIsABadRowAtItsColumnWithTheNearestIdAndTheOtherRowsRun) {
  auto catalog = Catalog::LoadEmbedded();
  ASSERT_TRUE(catalog.ok());
  const RunsFile runs =
      CheckedRuns(RowWith("good", kRow, "h100-sxm-80gb") + RowWith("typo", kRow, "h100-80gb"), *catalog);
  ASSERT_EQ(runs.runs.size(), 1u);
  EXPECT_EQ(runs.runs[0].id, "good");
  ASSERT_EQ(runs.bad_rows.size(), 1u);
  EXPECT_EQ(runs.bad_rows[0].where, "runs.csv:3 (column 19 'accelerator')");
  EXPECT_NE(runs.bad_rows[0].message.find("unknown accelerator or system 'h100-80gb'"), std::string::npos);
  EXPECT_NE(runs.bad_rows[0].message.find("h100-sxm-80gb"), std::string::npos) << runs.bad_rows[0].message;
  const ValidationReport report = ValidateRuns(runs, *catalog);
  EXPECT_EQ(report.summary.n, 1);
  EXPECT_EQ(report.summary.rows_in_files, 2);
}

TEST(RunChecks, APinnedLayoutThatCannotMakeTheDevicesNamesTheFieldsAndTheProduct) {
  auto catalog = Catalog::LoadEmbedded();
  ASSERT_TRUE(catalog.ok());
  // 8192 devices, tp 8, pp 8, dp 32: 2048, not 8192 (dp should be 128).
  const std::string short_dp =
      "short,S,ref 2024,high,Llama,32,4096,32,8,14336,128256,4096,1,0,,,,,h100-sxm-80gb,8192,8,bf16,8,8,32,,1,1,1,"
      "1,2048,selective,tokens_per_s_per_gpu,800,,n\n";
  // 8000 devices, tp 8 · pp 16 = 128 does not divide them.
  const std::string odd_gpus =
      "odd,S,ref 2024,high,Llama,32,4096,32,8,14336,128256,4096,1,0,,,,,h100-sxm-80gb,8000,8,bf16,8,16,,,1,1,1,"
      "1,2048,selective,tokens_per_s_per_gpu,800,,n\n";
  const RunsFile runs = CheckedRuns(short_dp + odd_gpus, *catalog);
  EXPECT_TRUE(runs.runs.empty());
  ASSERT_EQ(runs.bad_rows.size(), 2u);
  EXPECT_EQ(runs.bad_rows[0].where, "runs.csv:2 (column 25 'dp')");
  EXPECT_NE(runs.bad_rows[0].message.find("tp·pp·dp = 2048 is not gpus 8192"), std::string::npos)
      << runs.bad_rows[0].message;
  EXPECT_NE(runs.bad_rows[0].message.find("write dp 128"), std::string::npos) << runs.bad_rows[0].message;
  EXPECT_EQ(runs.bad_rows[1].where, "runs.csv:3 (column 24 'pp')");
  EXPECT_NE(runs.bad_rows[1].message.find("tp·pp = 128 does not divide gpus 8000"), std::string::npos)
      << runs.bad_rows[1].message;
}

TEST(RunChecks, GpusPerNodeBeyondTheSystemsScaleUpDomainIsRefusedNamingTheDomain) {
  auto catalog = Catalog::LoadEmbedded();
  ASSERT_TRUE(catalog.ok());
  const std::string row = ",S,ref 2024,high,Llama,32,4096,32,8,14336,128256,4096,1,0,,,,,h100-sxm-80gb,32,@,bf16,1,1,"
                          "32,1,1,1,1,1,64,selective,tokens_per_s_per_gpu,8000,,n\n";
  const RunsFile runs = CheckedRuns(RowWith("wide", row, "16") + RowWith("narrow", row, "4"), *catalog);
  ASSERT_EQ(runs.runs.size(), 1u);
  EXPECT_EQ(runs.runs[0].id, "narrow");  // fewer devices per node than the system holds is a real set-up
  ASSERT_EQ(runs.bad_rows.size(), 1u);
  EXPECT_EQ(runs.bad_rows[0].where, "runs.csv:2 (column 21 'gpus_per_node')");
  EXPECT_NE(runs.bad_rows[0].message.find("gpus_per_node 16 is more than the 8 devices"), std::string::npos)
      << runs.bad_rows[0].message;
}

TEST(RunChecks, APrecisionTheAcceleratorHasNoPeakForIsABadRowListingThoseItHas) {
  auto catalog = Catalog::LoadEmbedded();
  ASSERT_TRUE(catalog.ok());
  const std::string row = ",S,ref 2024,high,Llama,32,4096,32,8,14336,128256,4096,1,0,,,,,a100-sxm-80gb,8,8,@,1,1,"
                          "8,1,1,1,1,1,64,selective,tokens_per_s_per_gpu,3000,,n\n";
  const RunsFile runs = CheckedRuns(RowWith("fp8", row, "fp8") + RowWith("bf16", row, "bf16"), *catalog);
  ASSERT_EQ(runs.runs.size(), 1u);
  ASSERT_EQ(runs.bad_rows.size(), 1u);
  EXPECT_EQ(runs.bad_rows[0].where, "runs.csv:2 (column 22 'precision')");
  EXPECT_NE(runs.bad_rows[0].message.find("a100-sxm-80gb has no fp8 peak"), std::string::npos)
      << runs.bad_rows[0].message;
  EXPECT_NE(runs.bad_rows[0].message.find("bf16"), std::string::npos);
}

TEST(RunChecks, TheAcceleratorColumnShowsTheIdItResolvedToAndKeepsWhatWasWrittenInANote) {
  auto catalog = Catalog::LoadEmbedded();
  ASSERT_TRUE(catalog.ok());
  const RunsFile runs =
      CheckedRuns(RowWith("alias", kRow, "H100 SXM5") + RowWith("id", kRow, "h100-sxm-80gb"), *catalog);
  ASSERT_EQ(runs.runs.size(), 2u) << (runs.bad_rows.empty() ? "" : runs.bad_rows[0].message);
  const ValidationReport report = ValidateRuns(runs, *catalog);
  EXPECT_EQ(report.rows[0].accelerator_id, "h100-sxm-80gb");
  EXPECT_NE(report.rows[0].note.find("accelerator written 'H100 SXM5'"), std::string::npos) << report.rows[0].note;
  EXPECT_EQ(report.rows[1].note.find("accelerator written"), std::string::npos) << report.rows[1].note;
}

}  // namespace
}  // namespace suanli
