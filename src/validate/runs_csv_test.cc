#include "validate/runs_csv.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "validate/test_rows.h"

namespace suanli {
namespace {

using testing::kRunsHeader;
using testing::RowWith;

TEST(RunsCsv, NotesSupplyHeadDimAndUnpublishedZero) {
  const std::string text =
      std::string(kRunsHeader) +
      "r1,S,ref,high,Qwen3-like,48,2048,32,4,6144,151936,4096,1,128,8,768,0,0,h100-sxm-80gb,16,8,"
      "fp8,1,2,8,1,8,24,0,2,512,,tokens_per_s_per_gpu,5275,,\"head_dim 128 (heads*head_dim=4096 != "
      "hidden); FSDP=0; distributed-optimizer use not stated in table -> zero 0\"\n"
      "r2,S,ref,high,GPT,24,2304,24,24,9216,51200,2048,0,0,,,,,a100-sxm-80gb,32,8,fp16,1,1,32,1,1,,0,,"
      "512,full,hw_tflops_per_gpu,137,,\"v_head_dim 128) is not a head_dim note\"\n";
  auto runs = ParseRunsCsv(text, "runs.csv");
  ASSERT_TRUE(runs.ok()) << runs.error().ToString();
  ASSERT_EQ(runs->runs.size(), 2u);
  EXPECT_EQ(runs->runs[0].model.head_dim, 128);  // not 2048/32 = 64
  EXPECT_EQ(runs->runs[0].zero, -1);             // a collector's default, searched
  EXPECT_EQ(runs->runs[0].max_zero, 2);          // "FSDP=0": parameters not sharded
  EXPECT_EQ(runs->runs[1].max_zero, 3);
  EXPECT_EQ(runs->runs[1].model.head_dim, 96);   // 2304/24
  EXPECT_EQ(runs->runs[1].zero, 0);              // published
}

TEST(RunsCsv, BadRowIsReportedWithLineAndColumnAndOthersRun) {
  const std::string text =
      std::string(kRunsHeader) +
      "bad,S,ref,high,GPT,24,2304,24,24,9216,51200,2048,0,0,,,,,a100-sxm-80gb,thirty-two,8,fp16,1,1,"
      "32,1,1,,0,,512,full,hw_tflops_per_gpu,137,,\n"
      "good,S,ref,high,GPT,24,2304,24,24,9216,51200,2048,0,0,,,,,a100-sxm-80gb,32,8,fp16,1,1,32,1,1,,"
      "0,,512,full,hw_tflops_per_gpu,137,,\n";
  auto runs = ParseRunsCsv(text, "runs.csv");
  ASSERT_TRUE(runs.ok());
  ASSERT_EQ(runs->bad_rows.size(), 1u);
  EXPECT_EQ(runs->bad_rows[0].where, "runs.csv:2 (column 20 'gpus')");
  ASSERT_EQ(runs->runs.size(), 1u);
  EXPECT_EQ(runs->runs[0].id, "good");
}

TEST(RunsCsv, TheGatedMlpFlagReadsZeroOneAndTrueFalseAndNamesItsColumnOtherwise) {
  // Columns 1-12 of a GPT row, then gated_mlp, then the rest.
  const std::string head = "g,S,ref,high,GPT,24,2304,24,24,9216,51200,2048,";
  const std::string tail = ",0,,,,,a100-sxm-80gb,32,8,fp16,1,1,32,1,1,,0,,512,full,hw_tflops_per_gpu,137,,\n";
  const std::string text = std::string(kRunsHeader) + head + "TRUE" + tail + head + "false" + tail + head + "1" +
                           tail + head + "2" + tail;
  auto runs = ParseRunsCsv(text, "runs.csv");
  ASSERT_TRUE(runs.ok());
  ASSERT_EQ(runs->runs.size(), 3u);
  EXPECT_TRUE(runs->runs[0].model.gated_mlp);
  EXPECT_FALSE(runs->runs[1].model.gated_mlp);
  EXPECT_TRUE(runs->runs[2].model.gated_mlp);
  ASSERT_EQ(runs->bad_rows.size(), 1u);
  EXPECT_EQ(runs->bad_rows[0].where, "runs.csv:5 (column 13 'gated_mlp')");
  EXPECT_NE(runs->bad_rows[0].message.find("is not 0 or 1"), std::string::npos) << runs->bad_rows[0].message;
}

TEST(RunsCsv, NotesSupplyAnAlternatingSlidingWindow) {
  const std::string row =
      ",S,ref,high,GPT OSS 120B,36,2880,64,8,2880,201088,4096,1,128,4,2880,0,0,b200-sxm-180gb,64,8,bf16,"
      "1,1,64,1,8,1,0,4,512,,tokens_per_s_per_gpu,8213,,\"@\"\n";
  const std::string text =
      std::string(kRunsHeader) +
      RowWith("windowed", row, "head_dim 64 (heads*head_dim=4096 != hidden), alternating full / 128-token "
                               "sliding-window attention") +
      RowWith("plain", row, "head_dim 64 (heads*head_dim=4096 != hidden)");
  auto runs = ParseRunsCsv(text, "runs.csv");
  ASSERT_TRUE(runs.ok()) << runs.error().ToString();
  ASSERT_EQ(runs->runs.size(), 2u);
  EXPECT_EQ(runs->runs[0].model.sliding_window, 128);
  EXPECT_EQ(runs->runs[0].model.sliding_window_layers, 18);
  EXPECT_EQ(runs->runs[1].model.sliding_window, 0);
}

TEST(RunsCsv, NotesSupplyMultiHeadLatentAttention) {
  const std::string row =
      ",S,ref,high,DeepSeekV3,61,7168,128,128,18432,129280,4096,1,256,8,2048,1,3,b200-sxm-180gb,256,8,fp8,"
      "1,16,16,1,8,1,0,1,2048,,tokens_per_s_per_gpu,2139,,\"@\"\n";
  const std::string text =
      std::string(kRunsHeader) +
      RowWith("mla", row, "arch from memory: MLA attention (q_lora_rank 1536, kv_lora_rank 512, qk_nope 128 + "
                          "qk_rope 64 head dim, v_head_dim 128), kv_heads=128 is the config value") +
      RowWith("mha", row, "arch from memory");
  auto runs = ParseRunsCsv(text, "runs.csv");
  ASSERT_TRUE(runs.ok()) << runs.error().ToString();
  const ModelSpec& mla = runs->runs[0].model;
  EXPECT_TRUE(mla.use_mla);
  EXPECT_EQ(mla.mla.q_lora_rank, 1536);
  EXPECT_EQ(mla.mla.kv_lora_rank, 512);
  EXPECT_EQ(mla.mla.qk_nope_head_dim, 128);
  EXPECT_EQ(mla.mla.qk_rope_head_dim, 64);
  EXPECT_EQ(mla.mla.v_head_dim, 128);
  EXPECT_EQ(mla.head_dim, 192);
  EXPECT_FALSE(runs->runs[1].model.use_mla);
  EXPECT_EQ(runs->runs[1].model.head_dim, 56);  // 7168 / 128
}

TEST(RunsCsv, WrongHeaderIsAnError) {
  auto runs = ParseRunsCsv("id,source\n", "runs.csv");
  ASSERT_FALSE(runs.ok());
  EXPECT_EQ(runs.error().where, "runs.csv:1");
}
TEST(RunsCsv, ReadsTheOptionalStackColumn) {
  // The same row in a 36-column file and in a 37-column file with `stack`.
  const std::string row =
      "r1,S,ref,high,GPT,24,2304,24,24,9216,51200,2048,0,0,,,,,a100-sxm-80gb,32,8,fp16,1,1,32,1,1,,0,,"
      "512,full,hw_tflops_per_gpu,137,,\"a note, with a comma\"";
  std::string header = kRunsHeader;
  header.insert(header.size() - 1, ",stack");
  auto with_stack = ParseRunsCsv(header + row + ",torchtitan\n" + RowWith("r2", ",@", "") + "\n", "runs.csv");
  ASSERT_TRUE(with_stack.ok()) << with_stack.error().ToString();
  ASSERT_EQ(with_stack->runs.size(), 1u);
  EXPECT_EQ(with_stack->runs[0].stack, "torchtitan");
  EXPECT_EQ(with_stack->runs[0].source, "S");
  // A short row of a 37-column file is a bad row, not a crash.
  ASSERT_EQ(with_stack->bad_rows.size(), 1u);
  EXPECT_EQ(with_stack->bad_rows[0].where, "runs.csv:3");
  // A blank stack is "not stated".
  auto blank = ParseRunsCsv(header + row + ",\n", "runs.csv");
  ASSERT_TRUE(blank.ok());
  EXPECT_EQ(blank->runs.at(0).stack, "");
  // 36 columns: no stack.
  auto without = ParseRunsCsv(std::string(kRunsHeader) + row + "\n", "runs.csv");
  ASSERT_TRUE(without.ok()) << without.error().ToString();
  ASSERT_EQ(without->runs.size(), 1u);
  EXPECT_EQ(without->runs[0].stack, "");
  EXPECT_EQ(without->runs[0].model.head_dim, with_stack->runs[0].model.head_dim);
  EXPECT_DOUBLE_EQ(without->runs[0].value, with_stack->runs[0].value);
}

TEST(RunsCsv, OnlyStackMayFollowNotes) {
  std::string header = kRunsHeader;
  header.insert(header.size() - 1, ",framework");
  auto wrong = ParseRunsCsv(header, "runs.csv");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().where, "runs.csv:1");
  header = kRunsHeader;
  header.insert(header.size() - 1, ",stack,extra");
  EXPECT_FALSE(ParseRunsCsv(header, "runs.csv").ok());
}

TEST(RunsCsv, APublishedValueThatIsNotFiniteAndPositiveIsABadRowNamingItsField) {
  const std::string row =
      ",S,ref,high,GPT,24,2304,24,24,9216,51200,2048,0,0,,,,,a100-sxm-80gb,32,8,fp16,1,1,32,1,1,,0,,"
      "512,full,hw_tflops_per_gpu,@,,\n";
  std::string text = kRunsHeader;
  for (const char* value : {"nan", "inf", "-inf", "0", "-5", "1e400", "1e-400"}) text += RowWith(value, row, value);
  text += RowWith("good", row, "137");
  auto runs = ParseRunsCsv(text, "runs.csv");
  ASSERT_TRUE(runs.ok()) << runs.error().ToString();
  ASSERT_EQ(runs->runs.size(), 1u);
  ASSERT_EQ(runs->bad_rows.size(), 7u);
  for (size_t i = 0; i < runs->bad_rows.size(); ++i) {
    EXPECT_EQ(runs->bad_rows[i].where, "runs.csv:" + std::to_string(i + 2) + " (column 34 'value')");
  }
}

TEST(RunsCsv, MetricsAndTokenCountsReadAsTeamsWriteThem) {
  // metric,value,train_tokens at the end of the row.
  const std::string row =
      ",S,ref,high,GPT,24,2304,24,24,9216,51200,2048,0,0,,,,,a100-sxm-80gb,32,8,fp16,1,1,32,1,1,,0,,"
      "512,full,@,\n";
  std::string text = kRunsHeader;
  text += RowWith("fraction", row, "mfu,0.45,");             // 45% written as a fraction
  text += RowWith("typo", row, "tokens_per_sec_per_gpu,3000,");
  text += RowWith("suffix", row, "gpu_hours,50000,300B");     // as the CLI takes it
  text += RowWith("percent", row, "mfu,45,");
  auto runs = ParseRunsCsv(text, "runs.csv");
  ASSERT_TRUE(runs.ok()) << runs.error().ToString();
  ASSERT_EQ(runs->bad_rows.size(), 2u);
  EXPECT_EQ(runs->bad_rows[0].where, "runs.csv:2 (column 34 'value')");
  EXPECT_NE(runs->bad_rows[0].message.find("did you mean 45?"), std::string::npos) << runs->bad_rows[0].message;
  EXPECT_EQ(runs->bad_rows[1].where, "runs.csv:3 (column 33 'metric')");
  EXPECT_NE(runs->bad_rows[1].message.find("tokens_per_s_per_gpu?"), std::string::npos) << runs->bad_rows[1].message;
  ASSERT_EQ(runs->runs.size(), 2u);
  EXPECT_DOUBLE_EQ(runs->runs[0].train_tokens, 300e9);
  EXPECT_DOUBLE_EQ(runs->runs[1].value, 45);
}

TEST(RunsCsv, ARunReadTwiceCountsOnce) {
  const std::string row =
      ",S,ref,high,GPT,24,2304,24,24,9216,51200,2048,0,0,,,,,a100-sxm-80gb,32,8,fp16,1,1,32,1,1,,0,,"
      "512,full,mfu,@,,\n";
  const std::string text = std::string(kRunsHeader) + RowWith("a", row, "40") + RowWith("b", row, "41") +
                           RowWith("a", row, "42");
  RunsFile all;
  for (const char* name : {"x.csv", "y.csv"}) {
    auto file = ParseRunsCsv(text, name);
    ASSERT_TRUE(file.ok()) << file.error().ToString();
    AppendRuns(all, std::move(file).value(), name);
  }
  ASSERT_EQ(all.runs.size(), 2u);
  EXPECT_DOUBLE_EQ(all.runs[0].value, 40);
  ASSERT_EQ(all.bad_rows.size(), 4u);  // x.csv:4 and all of y.csv
  EXPECT_EQ(all.bad_rows[0].where, "x.csv:4 (column 1 'id')");
  EXPECT_NE(all.bad_rows[0].message.find("repeats the run of x.csv:2"), std::string::npos) << all.bad_rows[0].message;
  EXPECT_EQ(all.bad_rows[3].where, "y.csv:4 (column 1 'id')");
}

TEST(RunsCsv, AHundredThousandCharacterNoteReads) {
  // A notes field of 100,000 characters with "not stated" and no ';' crashed
  // the reader (std::regex recursed per character); the row now reads, and
  // the published zero stands (no "-> zero" in the clause).
  const std::string notes = "distributed optimizer not stated " + std::string(100000, 'x');
  const std::string text = std::string(kRunsHeader) +
                           "long,S,ref,high,GPT,24,2304,24,24,9216,51200,2048,0,0,,,,,a100-sxm-80gb,32,8,fp16,1,1,"
                           "32,1,1,,0,,512,full,hw_tflops_per_gpu,137,,\"" + notes + "\"\n";
  auto runs = ParseRunsCsv(text, "runs.csv");
  ASSERT_TRUE(runs.ok()) << runs.error().ToString();
  ASSERT_EQ(runs->runs.size(), 1u);
  EXPECT_EQ(runs->runs[0].zero, 0);
}

TEST(RunsCsv, EveryCellAndHeaderNameIsTrimmedTheSameWay) {
  // A header written with a space after each comma, and cells with spaces
  // around enums as well as numbers.
  std::string header;
  for (const char* c = kRunsHeader; *c != '\0'; ++c) header += *c == ',' ? std::string(", ") : std::string(1, *c);
  const std::string text =
      header +
      "t1, S, ref 2024, high , Llama,32,4096,32,8,14336,128256,4096,1,0,,,,, h100-sxm-80gb , 8,8, bf16 ,1,1,8,1,1,"
      "1,1,1,64, full ,mfu ,40,,n\n";
  auto runs = ParseRunsCsv(text, "runs.csv");
  ASSERT_TRUE(runs.ok()) << runs.error().ToString();
  ASSERT_TRUE(runs->bad_rows.empty()) << runs->bad_rows.front().message;
  ASSERT_EQ(runs->runs.size(), 1u);
  EXPECT_EQ(runs->runs[0].accelerator_id, "h100-sxm-80gb");
  EXPECT_EQ(runs->runs[0].recompute, "full");
  EXPECT_EQ(runs->runs[0].metric, "mfu");
  EXPECT_EQ(runs->runs[0].confidence, "high");
  EXPECT_EQ(runs->runs[0].gpus, 8);
}

TEST(RunsCsv, AWrongHeaderShowsWhatItFoundAndASeparatorOtherThanACommaIsNamed) {
  std::string renamed = kRunsHeader;
  renamed.replace(renamed.find("source"), 6, "sourse");
  auto wrong = ParseRunsCsv(renamed, "runs.csv");
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.error().message.find("header column 2 should be 'source', found 'sourse'"), std::string::npos)
      << wrong.error().message;
  std::string semicolons = kRunsHeader;
  std::replace(semicolons.begin(), semicolons.end(), ',', ';');
  auto semi = ParseRunsCsv(semicolons, "runs.csv");
  ASSERT_FALSE(semi.ok());
  EXPECT_NE(semi.error().hint.find("semicolons"), std::string::npos) << semi.error().ToString();
  std::string tabs = kRunsHeader;
  std::replace(tabs.begin(), tabs.end(), ',', '\t');
  auto tabbed = ParseRunsCsv(tabs, "runs.csv");
  ASSERT_FALSE(tabbed.ok());
  EXPECT_NE(tabbed.error().hint.find("tabs"), std::string::npos) << tabbed.error().ToString();
}

TEST(RunsCsv, EnumErrorsEchoTheValueAndListEveryAcceptedOne) {
  const std::string row = ",S,ref 2024,@,Llama,32,4096,32,8,14336,128256,4096,1,0,,,,,h100-sxm-80gb,8,8,@,1,1,8,1,1,"
                          "1,1,1,64,@,mfu,40,,n\n";
  auto with = [&](const std::string& confidence, const std::string& precision, const std::string& recompute) {
    std::string line = "r" + row;
    for (const std::string* value : {&confidence, &precision, &recompute}) line.replace(line.find('@'), 1, *value);
    auto runs = ParseRunsCsv(std::string(kRunsHeader) + line, "runs.csv");
    EXPECT_TRUE(runs.ok() && runs->bad_rows.size() == 1u);
    return runs.ok() && !runs->bad_rows.empty() ? runs->bad_rows[0].message : std::string();
  };
  const std::string recompute = with("high", "bf16", "fulll");
  EXPECT_NE(recompute.find("'fulll'"), std::string::npos) << recompute;
  EXPECT_NE(recompute.find("none, selective, modules, full"), std::string::npos) << recompute;
  const std::string precision = with("high", "bf17", "full");
  EXPECT_NE(precision.find("'bf17'"), std::string::npos) << precision;
  EXPECT_NE(precision.find("fp32, tf32, bf16, fp16, fp8, fp4, int8, int4"), std::string::npos) << precision;
  const std::string confidence = with("sure", "bf16", "full");
  EXPECT_NE(confidence.find("'sure' is not a confidence (one of high, medium, low)"), std::string::npos)
      << confidence;
}

}  // namespace
}  // namespace suanli
