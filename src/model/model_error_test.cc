#include "model/model_error.h"

#include <gtest/gtest.h>

#include <cmath>

#include "model/reliability.h"

namespace suanli {
namespace {

TEST(ModelError, TheShippedFileParsesAndIsThePlannersDefault) {
  const ModelErrorTable& shipped = ShippedModelError();
  EXPECT_FALSE(shipped.date.empty());
  ASSERT_FALSE(shipped.runs.empty());
  EXPECT_GT(shipped.dense.step_rows, 0);
  EXPECT_GT(shipped.moe.step_rows, 0);
  EXPECT_NE(shipped.dense.source.find(shipped.runs.front().file), std::string::npos);
  const ReliabilityAssumptions defaults;
  EXPECT_DOUBLE_EQ(defaults.dense_error.median, shipped.dense.error.median);
  EXPECT_DOUBLE_EQ(defaults.dense_error.log_sd, shipped.dense.error.log_sd);
  EXPECT_DOUBLE_EQ(defaults.moe_error.median, shipped.moe.error.median);
  EXPECT_DOUBLE_EQ(defaults.moe_error.log_sd, shipped.moe.error.log_sd);
}

TEST(ModelError, P10P90BandIsThePlannersQuantiles) {
  const ModelError e{0.958, 0.143};
  const ThroughputBand band = P10P90Band(e);
  EXPECT_DOUBLE_EQ(band.p10, ThroughputRatioAt(e, 0.1));
  EXPECT_DOUBLE_EQ(band.p90, ThroughputRatioAt(e, 0.9));
  EXPECT_NEAR(band.p10, 0.958 * std::exp(-1.2816 * 0.143), 1e-4);
  EXPECT_NEAR(band.p90, 0.958 * std::exp(1.2816 * 0.143), 1e-4);
  const ThroughputBand none = P10P90Band({1.1, 0.0});
  EXPECT_DOUBLE_EQ(none.p10, 1.1);
  EXPECT_DOUBLE_EQ(none.p90, 1.1);
}

TEST(ModelError, WrittenYamlReadsBack) {
  ModelErrorTable table;
  table.date = "2026-12-05";
  table.runs = {{"a.csv", 10}, {"b.csv", 3}};
  table.dense = {{0.95449, 0.1361}, 12, ""};
  table.moe = {{1.2, 0.25}, 1, ""};
  table.dense.source = ModelErrorSource(table, 12, "dense");
  table.moe.source = ModelErrorSource(table, 1, "MoE");
  EXPECT_EQ(table.dense.source, "12 dense step-rate rows of a.csv (first 10 rows) and b.csv (first 3 rows); "
                                "suanli validate, 2026-12-05");
  auto back = ParseModelErrorYaml(ModelErrorYaml(table), "m.yaml");
  ASSERT_TRUE(back.ok()) << back.error().ToString();
  EXPECT_EQ(back->date, "2026-12-05");
  ASSERT_EQ(back->runs.size(), 2u);
  EXPECT_EQ(back->runs[1].file, "b.csv");
  EXPECT_EQ(back->runs[1].rows, 3);
  EXPECT_DOUBLE_EQ(back->dense.error.median, 0.954);  // written to 3 decimals
  EXPECT_DOUBLE_EQ(back->dense.error.log_sd, 0.136);
  EXPECT_EQ(back->dense.step_rows, 12);
  EXPECT_EQ(back->moe.source, table.moe.source);
}

TEST(ModelError, BadFilesNameTheField) {
  const std::string good =
      "date: 2026-12-05\nruns:\n  - file: a.csv\n    rows: 3\n"
      "dense:\n  median: 1\n  log_sd: 0.1\n  step_rows: 2\n  source: x\n"
      "moe:\n  median: 1\n  log_sd: 0.1\n  step_rows: 2\n  source: y\n";
  ASSERT_TRUE(ParseModelErrorYaml(good, "m.yaml").ok());
  auto negative = ParseModelErrorYaml(std::string(good).replace(good.find("log_sd: 0.1"), 11, "log_sd: -1"), "m.yaml");
  ASSERT_FALSE(negative.ok());
  EXPECT_NE(negative.error().ToString().find("log_sd"), std::string::npos);
  auto nan = ParseModelErrorYaml(std::string(good).replace(good.find("median: 1"), 9, "median: .nan"), "m.yaml");
  EXPECT_FALSE(nan.ok());
  auto missing = ParseModelErrorYaml(good.substr(0, good.find("moe:")), "m.yaml");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().ToString().find("moe"), std::string::npos);
  EXPECT_FALSE(ParseModelErrorYaml("- a\n", "m.yaml").ok());
}

}  // namespace
}  // namespace suanli
