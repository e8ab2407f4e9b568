#include "serve/dataset.h"

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "core/bad_inputs_check.h"

namespace suanli {
namespace {

constexpr const char* kTwo = R"(default: chat
datasets:
  - id: chat
    input: {mean: 200, dist: lognormal, spread: 0.8, max: 1024}
    output: {mean: 300, dist: uniform, spread: 0.5}
    source: test
    date: 2024-01
    confidence: estimate
  - id: bench
    samples: 10
    input: {mean: 512, dist: fixed}
    output: {mean: 128, dist: fixed, spread: 0}
    source: test
    date: 2024-01
    confidence: high
)";

TEST(ServingDatasetTest, ReadsLengthsAndTheDefault) {
  auto parsed = ParseServingDatasets(kTwo, "d.yaml");
  ASSERT_TRUE(parsed.ok()) << parsed.error().ToString();
  ASSERT_EQ(parsed->datasets.size(), 2u);
  const ServingDataset& chat = parsed->datasets[0];
  EXPECT_EQ(chat.input.kind, LengthKind::kLognormal);
  EXPECT_DOUBLE_EQ(chat.input.mean_tokens, 200);
  EXPECT_DOUBLE_EQ(chat.input.spread, 0.8);
  EXPECT_EQ(chat.input.max_tokens, 1024);
  EXPECT_EQ(chat.output.kind, LengthKind::kUniform);
  EXPECT_EQ(chat.output.max_tokens, 0);  // 0 = 16 x mean
  EXPECT_EQ(parsed->datasets[1].samples, 10);
  // "" and "default" both mean the default; ids are case-insensitive.
  auto fallback = FindServingDataset(*parsed, "");
  ASSERT_TRUE(fallback.ok());
  EXPECT_EQ((*fallback)->id, "chat");
  EXPECT_EQ((*FindServingDataset(*parsed, "default"))->id, "chat");
  EXPECT_EQ((*FindServingDataset(*parsed, "BENCH"))->id, "bench");
  auto unknown = FindServingDataset(*parsed, "bnech", "runs.csv:3 dataset");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().where, "runs.csv:3 dataset");
  EXPECT_NE(unknown.error().hint.find("bench"), std::string::npos);
}

// The shipped file: every figure sourced, the default a chat mix, and the
// means that docs/serving.md quotes.
TEST(ServingDatasetTest, EmbeddedFileHasTheSourcedMeans) {
  auto all = LoadEmbeddedServingDatasets();
  ASSERT_TRUE(all.ok()) << all.error().ToString();
  EXPECT_EQ(all->default_id, "sharegpt");
  for (const ServingDataset& d : all->datasets) {
    EXPECT_FALSE(d.source.empty()) << d.id;
    EXPECT_FALSE(d.date.empty()) << d.id;
  }
  auto bench = DatasetLengths("llama-bench");
  ASSERT_TRUE(bench.ok());
  EXPECT_EQ(bench->input.kind, LengthKind::kFixed);
  EXPECT_DOUBLE_EQ(bench->input.mean_tokens, 512);   // pp512
  EXPECT_DOUBLE_EQ(bench->output.mean_tokens, 128);  // tg128
  auto orca = DatasetLengths("mlperf-openorca");
  ASSERT_TRUE(orca.ok());
  EXPECT_DOUBLE_EQ(orca->output.mean_tokens, 294.45);  // MLCommons' reference tokens per sample
  EXPECT_EQ(orca->samples, 24576);
  // DeepSeek day 6: input/output = 608/168 and input + output/2 = 4,989 cached tokens per output token.
  auto day6 = DatasetLengths("deepseek-day6");
  ASSERT_TRUE(day6.ok());
  EXPECT_NEAR(day6->input.mean_tokens / day6->output.mean_tokens, 608.0 / 168.0, 0.01);
  EXPECT_NEAR(day6->input.mean_tokens + day6->output.mean_tokens / 2, 4989, 5);
  // LMDeploy's table: 12.611 req/s, 3,210.281 output and 6,619.357 total tok/s.
  auto lmdeploy = DatasetLengths("sharegpt-lmdeploy");
  ASSERT_TRUE(lmdeploy.ok());
  EXPECT_NEAR(lmdeploy->output.mean_tokens, 3210.281 / 12.611, 1);
  EXPECT_NEAR(lmdeploy->input.mean_tokens, (6619.357 - 3210.281) / 12.611, 1);
  EXPECT_FALSE(DatasetLengths("sharegtp").ok());
}

// Every file in tests/bad_inputs/serve_datasets/ is rejected with one line naming
// the file and the text expected.txt gives for it.
TEST(ServingDatasetBadInputs, EachFileIsRejectedWithOneClearLine) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(SUANLI_BAD_INPUTS_DIR) / "serve_datasets";
  const auto expected = bad_inputs::ReadExpected(dir);
  std::set<std::string> seen;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name == "expected.txt" || name == "README.md") continue;
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    auto parsed = ParseServingDatasets(text.str(), name);
    bad_inputs::ExpectRejected(name, parsed.ok() ? OkStatus() : Status(parsed.error()), expected);
    seen.insert(name);
  }
  bad_inputs::ExpectAllSeen(seen, expected, 16);
}

// The benchmark defaults are sourced; LMDeploy's profile_throughput drives 64
// clients; an engine without one is driven open.
TEST(DatasetTest, BenchmarkDefaultsAreSourced) {
  auto datasets = LoadEmbeddedServingDatasets();
  ASSERT_TRUE(datasets.ok()) << datasets.error().ToString();
  const BenchmarkDefault* lmdeploy = FindBenchmarkDefault(*datasets, "lmdeploy");
  ASSERT_NE(lmdeploy, nullptr);
  EXPECT_EQ(lmdeploy->concurrency, 64);
  EXPECT_NE(lmdeploy->source.find("profile_throughput.py"), std::string::npos);
  EXPECT_EQ(FindBenchmarkDefault(*datasets, "vllm"), nullptr);
  for (const BenchmarkDefault& b : datasets->benchmarks) EXPECT_FALSE(b.date.empty()) << b.engine;
}

// A benchmark whose definition fixes its dataset selects it for a row that
// names no dataset: MLPerf's llama2-70b task, whatever the round or the
// spelling; another task of the suite or another source does not.
TEST(DatasetTest, ABenchmarkDefinedOnADatasetSelectsIt) {
  auto datasets = LoadEmbeddedServingDatasets();
  ASSERT_TRUE(datasets.ok()) << datasets.error().ToString();
  const ServingDataset* v41 = DatasetOfBenchmark(*datasets, "mlperf-inference-v4.1", "Llama-2-70B-chat");
  ASSERT_NE(v41, nullptr);
  EXPECT_EQ(v41->id, "mlperf-openorca");
  EXPECT_EQ(DatasetOfBenchmark(*datasets, "MLPerf Inference v5.0", "llama2-70b"), v41);
  EXPECT_EQ(DatasetOfBenchmark(*datasets, "mlperf-inference-v4.1", "Mixtral-8x7B"), nullptr);
  EXPECT_EQ(DatasetOfBenchmark(*datasets, "vllm-benchmark-serving", "Llama-2-70B"), nullptr);
}

}  // namespace
}  // namespace suanli
