#include "model/model_error.h"

#include <gtest/gtest.h>

#include <cmath>

#include <fmt/format.h>

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
      "moe:\n  median: 1\n  log_sd: 0.1\n  step_rows: 2\n  source: y\n"
      "stack_min_step_rows: 10\nstacks: []\n";
  ASSERT_TRUE(ParseModelErrorYaml(good, "m.yaml").ok());
  auto negative = ParseModelErrorYaml(std::string(good).replace(good.find("log_sd: 0.1"), 11, "log_sd: -1"), "m.yaml");
  ASSERT_FALSE(negative.ok());
  EXPECT_NE(negative.error().ToString().find("log_sd"), std::string::npos);
  auto nan = ParseModelErrorYaml(std::string(good).replace(good.find("median: 1"), 9, "median: .nan"), "m.yaml");
  EXPECT_FALSE(nan.ok());
  auto missing = ParseModelErrorYaml(good.substr(0, good.find("moe:")) + "stack_min_step_rows: 10\nstacks: []\n",
                                     "m.yaml");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().ToString().find("moe"), std::string::npos);
  EXPECT_FALSE(ParseModelErrorYaml("- a\n", "m.yaml").ok());
}

// A table with one stack entry, `entry` (YAML lines of one list item).
std::string WithStack(const std::string& entry) {
  return "date: 2026-12-05\nruns:\n  - file: a.csv\n    rows: 30\n"
         "dense:\n  median: 1\n  log_sd: 0.1\n  step_rows: 20\n  source: x\n"
         "moe:\n  median: 1\n  log_sd: 0.1\n  step_rows: 10\n  source: y\n"
         "stack_min_step_rows: 10\nstacks:\n" +
         entry;
}

constexpr const char* kFsdpEntry =
    "  - stack: fsdp\n    dense_rows: 12\n    moe_rows: 3\n    median: 0.97\n    log_sd: 0.2\n"
    "    dense:\n      median: 0.95\n      log_sd: 0.15\n    source: z\n";

TEST(ModelError, StackEntriesParse) {
  auto table = ParseModelErrorYaml(WithStack(kFsdpEntry), "m.yaml");
  ASSERT_TRUE(table.ok()) << table.error().ToString();
  EXPECT_EQ(table->stack_min_step_rows, 10);
  ASSERT_EQ(table->stacks.size(), 1u);
  const StackModelError& fsdp = table->stacks[0];
  EXPECT_EQ(fsdp.stack, "fsdp");
  EXPECT_EQ(fsdp.dense_rows, 12);
  EXPECT_EQ(fsdp.moe_rows, 3);
  EXPECT_DOUBLE_EQ(fsdp.all.median, 0.97);
  ASSERT_TRUE(fsdp.dense.has_value());
  EXPECT_DOUBLE_EQ(fsdp.dense->log_sd, 0.15);
  EXPECT_FALSE(fsdp.moe.has_value());
  // The writer writes what the parser reads.
  auto back = ParseModelErrorYaml(ModelErrorYaml(*table), "m.yaml");
  ASSERT_TRUE(back.ok()) << back.error().ToString();
  ASSERT_EQ(back->stacks.size(), 1u);
  EXPECT_EQ(back->stacks[0].source, "z");
  EXPECT_DOUBLE_EQ(back->stacks[0].dense->median, 0.95);
  EXPECT_EQ(ModelErrorYaml(*back), ModelErrorYaml(*table));
}

// Returns the error text of parsing a table with `entry`, "" when it parses.
std::string StackError(const std::string& entry) {
  auto table = ParseModelErrorYaml(WithStack(entry), "m.yaml");
  return table.ok() ? "" : table.error().ToString();
}

TEST(ModelError, BadStackEntriesNameTheField) {
  const std::string fsdp = kFsdpEntry;
  auto replaced = [&](const std::string& from, const std::string& to) {
    return std::string(fsdp).replace(fsdp.find(from), from.size(), to);
  };
  // An unknown stack names the known ones.
  EXPECT_NE(StackError(replaced("stack: fsdp", "stack: jax")).find("megatron"), std::string::npos);
  // Fewer rows than the minimum in all: no entry of its own.
  EXPECT_NE(StackError(replaced("dense_rows: 12", "dense_rows: 5")).find("dense_rows"), std::string::npos);
  // A family block needs the minimum of that family's rows, and must be there when it has them.
  EXPECT_NE(StackError(replaced("moe_rows: 3", "moe_rows: 10")).find("moe"), std::string::npos);
  EXPECT_NE(StackError(fsdp + "    moe:\n      median: 1\n      log_sd: 0.1\n").find("fewer than 10"),
            std::string::npos);
  EXPECT_NE(StackError(replaced("log_sd: 0.15", "log_sd: -0.15")).find("log_sd"), std::string::npos);
  EXPECT_NE(StackError(replaced("source: z", "sourc: z")).find("sourc"), std::string::npos);
  // Each stack once, ordered by id.
  EXPECT_NE(StackError(fsdp + fsdp).find("repeated or out of order"), std::string::npos);
  // Both keys are required.
  auto no_stacks = ParseModelErrorYaml(WithStack("").substr(0, WithStack("").find("stack_min")), "m.yaml");
  ASSERT_FALSE(no_stacks.ok());
  EXPECT_NE(no_stacks.error().ToString().find("stack_min_step_rows"), std::string::npos);
}

TEST(ModelError, AStackWithEnoughRowsGetsItsOwnError) {
  StackModelError fsdp;
  fsdp.stack = "fsdp";
  fsdp.dense_rows = 21;
  fsdp.moe_rows = 0;
  fsdp.all = {0.968, 0.138};
  fsdp.dense = ModelError{0.968, 0.138};
  StackModelError mixed;  // enough rows in all, too few of either family
  mixed.stack = "deepspeed";
  mixed.dense_rows = 6;
  mixed.moe_rows = 5;
  mixed.all = {1.1, 0.3};
  const std::vector<StackModelError> stacks = {mixed, fsdp};
  ReliabilityAssumptions r;
  r.dense_error = {0.9, 0.2};
  r.moe_error = {1.2, 0.3};
  r.stack_errors = stacks;
  // No stack stated, or a stack without an entry: the family's error.
  EXPECT_EQ(&ErrorFor(r, false), &r.dense_error);
  r.stack = "colossalai";
  EXPECT_EQ(&ErrorFor(r, true), &r.moe_error);
  // The stack's own fit of the family.
  r.stack = "fsdp";
  EXPECT_DOUBLE_EQ(ErrorFor(r, false).median, 0.968);
  ChosenModelError chosen = ChosenErrorFor(r, false);
  EXPECT_EQ(chosen.stack, "fsdp");
  EXPECT_FALSE(chosen.all_families);
  EXPECT_EQ(chosen.step_rows, 21);
  EXPECT_EQ(ModelErrorBasis(chosen), "fsdp stack, dense, 21 rows");
  // No MoE row on fsdp: its dense spread says nothing about MoE.
  EXPECT_EQ(&ErrorFor(r, true), &r.moe_error);
  chosen = ChosenErrorFor(r, true);
  EXPECT_TRUE(chosen.stack.empty());
  EXPECT_EQ(chosen.step_rows, ShippedModelError().moe.step_rows);
  EXPECT_EQ(ModelErrorBasis(chosen), fmt::format("MoE family, every stack, {} rows", chosen.step_rows));
  // Some rows of the family but fewer than the minimum: the stack's fit over all its rows.
  r.stack = "deepspeed";
  EXPECT_DOUBLE_EQ(ErrorFor(r, true).median, 1.1);
  chosen = ChosenErrorFor(r, true);
  EXPECT_TRUE(chosen.all_families);
  EXPECT_EQ(chosen.step_rows, 11);
  EXPECT_EQ(ModelErrorBasis(chosen), "deepspeed stack, all its families, 11 rows");
  // Set by hand (a scenario's costs): no rows to name.
  r.stack = "";
  r.family_errors_measured = false;
  EXPECT_EQ(ModelErrorBasis(ChosenErrorFor(r, false)), "dense family, as the scenario sets it");
}

TEST(ModelError, HandCheckedStackBand) {
  // fsdp 2026-12-06: median 0.968, log sd 0.138; Φ⁻¹(0.9) = 1.2815516:
  // 0.968 · exp(∓1.2815516 · 0.138) = 0.81109, 1.15527.
  const ThroughputBand band = P10P90Band({0.968, 0.138});
  EXPECT_NEAR(band.p10, 0.81109, 1e-5);
  EXPECT_NEAR(band.p90, 1.15527, 1e-5);
}

}  // namespace
}  // namespace suanli
