#include "serve/serving_runs.h"
#include "serve/serving_runs_test_support.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace suanli {
namespace {


TEST(ServingRunsTest, ParsesAndPredictsASingleStreamRow) {
  const std::string text = std::string(kHeader) +
                           "r1-tpot_ms,r1,s,ref,high,Llama-3-8B,32,4096,32,8,128,14336,128256,1,0,,,,,,"
                           "h100-sxm-80gb,1,1,1,1,1,bf16,bf16,vllm,128,256,1,,,0,tpot_ms,7.0,n\n";
  auto rows = ParseRows(text, "s.csv");
  ASSERT_TRUE(rows.ok()) << rows.error().ToString();
  ASSERT_EQ(rows->size(), 1u);
  const ServingRunRow& row = rows->front();
  EXPECT_EQ(row.model.layers, 32);
  EXPECT_EQ(row.batch, 1);
  EXPECT_EQ(MetricFamily(row.metric), "tpot");
  auto catalog = Catalog::LoadEmbedded();
  auto engines = LoadEmbeddedEngines();
  auto predicted = PredictServingRun(row, *catalog, *engines);
  ASSERT_TRUE(predicted.ok()) << predicted.error().ToString();
  // Batch 1: about the lone decode step (~6.7 ms on an H100).
  EXPECT_GT(predicted->value, 5.0);
  EXPECT_LT(predicted->value, 9.0);
  EXPECT_FALSE(predicted->overloaded);
}

// Our held-out serving file (data/validation/holdout-serving-runs.csv,
// never fitted on) parses with its 39th `dataset` column, and every row is
// predicted: each ran on real hardware in a layout the catalog can express.
TEST(ServingRunsTest, EveryHeldOutRowIsPredicted) {
  std::ifstream in(SUANLI_HOLDOUT_SERVING_CSV);
  ASSERT_TRUE(in) << "cannot read " << SUANLI_HOLDOUT_SERVING_CSV;
  std::stringstream text;
  text << in.rdbuf();
  auto rows = ParseRows(text.str(), "holdout-serving-runs.csv");
  ASSERT_TRUE(rows.ok()) << rows.error().ToString();
  ASSERT_GE(rows->size(), 40u);
  auto catalog = Catalog::LoadEmbedded();
  auto engines = LoadEmbeddedEngines();
  ASSERT_TRUE(catalog.ok() && engines.ok());
  for (const ServingRunRow& row : *rows) {
    auto predicted = PredictServingRun(row, *catalog, *engines);
    EXPECT_TRUE(predicted.ok() && predicted->value > 0) << row.id << ": " << (predicted.ok() ? "" : predicted.error().ToString());
  }
}

TEST(ServingRunsTest, BadNumbersNameLineAndColumn) {
  const std::string text = std::string(kHeader) +
                           "r1-x,r1,s,ref,high,M,32,4096,32,8,128,14336,abc,1,0,,,,,,"
                           "h100-sxm-80gb,1,1,1,1,1,bf16,bf16,vllm,128,256,1,,,0,tpot_ms,7.0,n\n";
  auto rows = ParseRows(text, "s.csv");
  ASSERT_FALSE(rows.ok());
  EXPECT_EQ(rows.error().where, "s.csv:2 (column 13 'vocab')");
}


// A blank input_len/output_len takes the row's dataset (or the default); a
// stated one is kept; the shared file's 38 columns read without a dataset column.
TEST(ServingRunsTest, BlankLengthsTakeTheDatasetAndAreMarked) {
  const std::string row38 = "r1-tpot_ms,r1,s,ref,high,Llama-3-8B,32,4096,32,8,128,14336,128256,1,0,,,,,,"
                            "h100-sxm-80gb,1,1,1,1,1,bf16,bf16,vllm,,,1,,,0,tpot_ms,7.0,n";
  auto plain = ParseRows(std::string(kHeader) + row38 + "\n", "s.csv");
  ASSERT_TRUE(plain.ok()) << plain.error().ToString();
  const ServingRunRow& fallback = plain->front();
  EXPECT_EQ(fallback.lengths_assumed, "sharegpt");  // the default chat mix
  EXPECT_FALSE(fallback.input_stated);
  EXPECT_EQ(fallback.input_len, 220);  // sharegpt input mean, data/serving/datasets.yaml
  EXPECT_EQ(fallback.output.kind, LengthKind::kLognormal);

  std::string header39 = kHeader;
  header39.insert(header39.size() - 1, ",dataset");
  std::string stated = row38;
  stated.replace(stated.find("vllm,,,"), 7, "vllm,100,,");  // input stated, output blank
  auto named = ParseRows(header39 + stated + ",llama-bench\n", "s.csv");
  ASSERT_TRUE(named.ok()) << named.error().ToString();
  EXPECT_EQ(named->front().lengths_assumed, "llama-bench");
  EXPECT_EQ(named->front().input.kind, LengthKind::kFixed);
  EXPECT_DOUBLE_EQ(named->front().input.mean_tokens, 100);   // stated wins
  EXPECT_DOUBLE_EQ(named->front().output.mean_tokens, 128);  // tg128

  auto bad = ParseRows(header39 + row38 + ",sharegtp\n", "s.csv");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().where, "s.csv:2 (column 39 'dataset')");
}

// An offline LMDeploy row with a blank concurrency ran profile_throughput's
// default 64 clients (datasets.yaml `benchmarks`); a vLLM row has no such
// default; a stated concurrency is kept.
TEST(ServingRunsTest, BlankConcurrencyTakesTheBenchmarkDefault) {
  const std::string lmdeploy = "r1-ttft_ms,r1,s,ref,high,Llama-2-7B,32,4096,32,32,128,11008,32000,1,0,,,,,,"
                               "a100-sxm-80gb,1,1,1,1,1,fp16,fp16,lmdeploy,200,200,,,,0,ttft_ms,100,n";
  auto rows = ParseRows(std::string(kHeader) + lmdeploy + "\n", "s.csv");
  ASSERT_TRUE(rows.ok()) << rows.error().ToString();
  EXPECT_EQ(rows->front().concurrency, 64);
  EXPECT_FALSE(rows->front().concurrency_assumed.empty());

  std::string vllm = lmdeploy;
  vllm.replace(vllm.find("lmdeploy"), 8, "vllm");
  auto open = ParseRows(std::string(kHeader) + vllm + "\n", "s.csv");
  ASSERT_TRUE(open.ok());
  EXPECT_EQ(open->front().concurrency, 0);
  EXPECT_TRUE(open->front().concurrency_assumed.empty());

  std::string stated = lmdeploy;
  stated.replace(stated.find("200,200,,,"), 10, "200,200,,16,");
  auto kept = ParseRows(std::string(kHeader) + stated + "\n", "s.csv");
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->front().concurrency, 16);
  EXPECT_TRUE(kept->front().concurrency_assumed.empty());

  // 64 clients on one A100 never queue behind the engine's batch cap: with
  // fixed lengths they finish together, so a TTFT is one wave's prefill of
  // 64 x 200 tokens (about 0.6 s), where 2,000 requests queued at once wait
  // for many waves.
  auto catalog = Catalog::LoadEmbedded();
  auto engines = LoadEmbeddedEngines();
  auto closed = PredictServingRun(rows->front(), *catalog, *engines);
  ServingRunRow queued_row = rows->front();
  queued_row.concurrency = 0;
  auto queued = PredictServingRun(queued_row, *catalog, *engines);
  ASSERT_TRUE(closed.ok() && queued.ok());
  EXPECT_LT(closed->value, 1000.0);
  EXPECT_GT(queued->value, 10 * closed->value);
}

// A blank tp and pp on an 8-GPU row is searched: the chosen layout's replicas
// give at least the output tokens/s per GPU of every stated tp x pp.
TEST(ServingRunsTest, BlankLayoutIsSearchedForTheMostThroughputPerGpu) {
  const std::string blank = "r1-output_tokens_per_s_per_gpu,r1,s,ref,high,Llama-2-70B,80,8192,64,8,128,28672,32000,"
                            "1,0,,,,,,h100-sxm-80gb,8,,,1,,fp8,fp8,trt-llm,300,300,,,,0,"
                            "output_tokens_per_s_per_gpu,3000,n";
  auto rows = ParseRows(std::string(kHeader) + blank + "\n", "s.csv");
  ASSERT_TRUE(rows.ok()) << rows.error().ToString();
  const ServingRunRow& row = rows->front();
  EXPECT_TRUE(row.layout_searched);
  auto catalog = Catalog::LoadEmbedded();
  auto engines = LoadEmbeddedEngines();
  auto searched = SearchedLayout(row, *catalog, *engines);
  ASSERT_TRUE(searched.ok()) << searched.error().ToString();
  EXPECT_EQ(searched->layout.Devices() * searched->replicas, 8);
  auto best = PredictServingRun(row, *catalog, *engines);
  ASSERT_TRUE(best.ok());
  for (const auto& [tp, pp] : {std::pair{1, 1}, {2, 1}, {4, 1}, {8, 1}, {1, 2}, {2, 2}}) {
    ServingRunRow stated = row;
    stated.tp = tp;
    stated.pp = pp;
    stated.tp_filled = stated.pp_filled = true;
    stated.layout_searched = false;
    auto fixed = PredictServingRun(stated, *catalog, *engines);
    if (fixed.ok()) {
      EXPECT_GE(best->value, fixed->value) << "tp" << tp << " pp" << pp;
    }
  }
  ServingRunRow own = row;
  own.tp = 4;
  own.tp_filled = own.pp_filled = true;
  own.layout_searched = false;
  auto kept = SearchedLayout(own, *catalog, *engines);
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->layout.tp, 4);
  EXPECT_EQ(kept->replicas, 2);
}

}  // namespace
}  // namespace suanli
