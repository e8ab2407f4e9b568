// Bad serving-runs rows: every field class is checked when read, a bad row is
// reported at file:line (column N 'name') with what is wrong and the nearest
// valid values, and the other rows are still read.
#include <gtest/gtest.h>

#include <string>

#include "serve/serving_runs.h"
#include "serve/serving_runs_test_support.h"

namespace suanli {
namespace {

constexpr const char* kGood = "r1-tpot_ms,r1,s,ref,high,Llama-3-8B,32,4096,32,8,128,14336,128256,1,0,,,,,,"
                              "h100-sxm-80gb,1,1,1,1,1,bf16,bf16,vllm,128,256,1,,,0,tpot_ms,7.0,n";

// Returns the good row with the cell of `column` set to `value` and its id made `id`.
std::string RowWith(const std::string& column, const std::string& value, const std::string& id = "r2-tpot_ms") {
  std::vector<std::string> names, cells;
  for (std::string h = kHeader, c = kGood; !h.empty();) {
    const size_t hc = h.find_first_of(",\n"), cc = c.find(',');
    names.push_back(h.substr(0, hc));
    cells.push_back(c.substr(0, cc));
    h = h.substr(hc + 1);
    c = cc == std::string::npos ? "" : c.substr(cc + 1);
  }
  std::string row;
  for (size_t i = 0; i < names.size(); ++i) {
    std::string cell = names[i] == column ? value : names[i] == "id" ? id : cells[i];
    row += (i ? "," : "") + cell;
  }
  return row;
}

struct BadCase {
  const char* column;
  const char* value;
  const char* where;    // the bad row's location
  const char* message;  // a part of its message
};

class ServingRunsBadRowTest : public ::testing::TestWithParam<BadCase> {};

// The bad row (line 3) is reported where it is, with what is wrong; the good
// rows before and after it are still read.
TEST_P(ServingRunsBadRowTest, IsReportedAndTheOtherRowsRead) {
  const BadCase& c = GetParam();
  const std::string text = std::string(kHeader) + kGood + "\n" + RowWith(c.column, c.value) + "\n" +
                           RowWith("id", "r3-tpot_ms") + "\n";
  auto read = ParseServingRuns(text, "s.csv", EmbeddedCatalog());
  ASSERT_TRUE(read.ok()) << read.error().ToString();
  ASSERT_EQ(read->bad_rows.size(), 1u);
  EXPECT_EQ(read->bad_rows[0].where, c.where);
  EXPECT_NE(read->bad_rows[0].message.find(c.message), std::string::npos) << read->bad_rows[0].message;
  ASSERT_EQ(read->rows.size(), 2u);
  EXPECT_EQ(read->rows[0].id, "r1-tpot_ms");
  EXPECT_EQ(read->rows[1].id, "r3-tpot_ms");
}

INSTANTIATE_TEST_SUITE_P(
    EveryFieldClass, ServingRunsBadRowTest,
    ::testing::Values(
        // Catalog ids and SERVING.md's enums name the nearest valid values.
        BadCase{"engine", "vllmx", "s.csv:3 (column 29 'engine')", "unknown engine 'vllmx' (did you mean vllm?"},
        BadCase{"accelerator", "h100-sxm-80g", "s.csv:3 (column 21 'accelerator')",
                "unknown accelerator 'h100-sxm-80g' (did you mean h100-sxm-80gb"},
        BadCase{"weight_precision", "bf17", "s.csv:3 (column 27 'weight_precision')", "did you mean bf16"},
        BadCase{"kv_precision", "fp9", "s.csv:3 (column 28 'kv_precision')", "did you mean fp8"},
        BadCase{"metric", "tpot_msec", "s.csv:3 (column 36 'metric')", "unknown metric 'tpot_msec' (did you mean tpot_ms"},
        BadCase{"confidence", "hgh", "s.csv:3 (column 5 'confidence')", "did you mean high"},
        // Numbers: not a number, out of range, fractions for counts, a value not above 0.
        BadCase{"value", "-9", "s.csv:3 (column 37 'value')", "'-9' is not a published value"},
        BadCase{"value", "0", "s.csv:3 (column 37 'value')", "'0' is not a published value"},
        BadCase{"value", "7 ms", "s.csv:3 (column 37 'value')", "is not a number"},
        BadCase{"vocab", "abc", "s.csv:3 (column 13 'vocab')", "is not a whole number"},
        BadCase{"gpus", "0", "s.csv:3 (column 22 'gpus')", "out of range"},
        BadCase{"output_len", "-1", "s.csv:3 (column 31 'output_len')", "out of range"},
        BadCase{"batch", "1.5", "s.csv:3 (column 32 'batch')", "is not a whole number"},
        BadCase{"request_rate", "inf", "s.csv:3 (column 34 'request_rate')", "is not a number"},
        BadCase{"moe_topk", "9", "s.csv:3 (column 16 'moe_topk')", "out of range"},
        // Flags and required cells.
        BadCase{"speculative", "yes", "s.csv:3 (column 35 'speculative')", "'yes' is not 0 or 1"},
        BadCase{"layers", "", "s.csv:3 (column 7 'layers')", "layers is required but empty"},
        BadCase{"model", "", "s.csv:3 (column 6 'model')", "model is required but empty"},
        // A layout that is not its GPU count; a repeated id.
        BadCase{"tp", "2", "s.csv:3 (column 22 'gpus')", "gpus 1 is not tp x pp x dp = 2"},
        BadCase{"id", "r1-tpot_ms", "s.csv:3 (column 1 'id')", "duplicate id 'r1-tpot_ms'"}));

// A MoE row's topk is checked against its experts; the case above has 0
// experts, so give it some.
TEST(ServingRunsBadRowsTest, MoeTopkAboveTheExpertsIsBad) {
  std::string moe = RowWith("moe_experts", "8");
  moe.replace(moe.find(",8,,,,,,"), 8, ",8,9,14336,,,,");
  auto read = ParseServingRuns(std::string(kHeader) + moe + "\n", "s.csv", EmbeddedCatalog());
  ASSERT_TRUE(read.ok());
  ASSERT_EQ(read->bad_rows.size(), 1u);
  EXPECT_EQ(read->bad_rows[0].where, "s.csv:2 (column 16 'moe_topk')");
}

// A ragged row is one bad row at its line; a wrong header still fails the file.
TEST(ServingRunsBadRowsTest, RaggedRowIsABadRowAndAWrongHeaderFailsTheFile) {
  auto read = ParseServingRuns(std::string(kHeader) + "r2,x\n" + kGood + "\n", "s.csv", EmbeddedCatalog());
  ASSERT_TRUE(read.ok());
  ASSERT_EQ(read->bad_rows.size(), 1u);
  EXPECT_EQ(read->bad_rows[0].where, "s.csv:2");
  EXPECT_EQ(read->rows.size(), 1u);
  auto header = ParseServingRuns("id,model\nr1,M\n", "s.csv", EmbeddedCatalog());
  EXPECT_FALSE(header.ok());
}

}  // namespace
}  // namespace suanli
