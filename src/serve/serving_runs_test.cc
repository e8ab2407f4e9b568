#include "serve/serving_runs.h"

#include <gtest/gtest.h>

namespace suanli {
namespace {

constexpr const char* kHeader =
    "id,run_id,source,ref,confidence,model,layers,hidden,heads,kv_heads,head_dim,ffn_hidden,vocab,gated_mlp,"
    "moe_experts,moe_topk,moe_expert_ffn,moe_shared_experts,moe_dense_layers,mla_kv_lora_rank,accelerator,gpus,"
    "tp,pp,ep,dp,weight_precision,kv_precision,engine,input_len,output_len,batch,concurrency,request_rate,"
    "speculative,metric,value,notes\n";

TEST(ServingRunsTest, ParsesAndPredictsASingleStreamRow) {
  const std::string text = std::string(kHeader) +
                           "r1-tpot_ms,r1,s,ref,high,Llama-3-8B,32,4096,32,8,128,14336,128256,1,0,,,,,,"
                           "h100-sxm-80gb,1,1,1,1,1,bf16,bf16,vllm,128,256,1,,,0,tpot_ms,7.0,n\n";
  auto rows = ParseServingRuns(text, "s.csv");
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
  EXPECT_GT(*predicted, 5.0);
  EXPECT_LT(*predicted, 9.0);
}

TEST(ServingRunsTest, BadNumbersNameLineAndColumn) {
  const std::string text = std::string(kHeader) +
                           "r1-x,r1,s,ref,high,M,32,4096,32,8,128,14336,abc,1,0,,,,,,"
                           "h100-sxm-80gb,1,1,1,1,1,bf16,bf16,vllm,128,256,1,,,0,tpot_ms,7.0,n\n";
  auto rows = ParseServingRuns(text, "s.csv");
  ASSERT_FALSE(rows.ok());
  EXPECT_EQ(rows.error().where, "s.csv:2 vocab");
}


// A blank input_len/output_len takes the row's dataset (or the default); a
// stated one is kept; the shared file's 38 columns read without a dataset column.
TEST(ServingRunsTest, BlankLengthsTakeTheDatasetAndAreMarked) {
  const std::string row38 = "r1-tpot_ms,r1,s,ref,high,Llama-3-8B,32,4096,32,8,128,14336,128256,1,0,,,,,,"
                            "h100-sxm-80gb,1,1,1,1,1,bf16,bf16,vllm,,,1,,,0,tpot_ms,7.0,n";
  auto plain = ParseServingRuns(std::string(kHeader) + row38 + "\n", "s.csv");
  ASSERT_TRUE(plain.ok()) << plain.error().ToString();
  const ServingRunRow& fallback = plain->front();
  EXPECT_EQ(fallback.lengths_assumed, "sharegpt");  // the default chat mix
  EXPECT_FALSE(fallback.input_stated);
  EXPECT_EQ(fallback.input_len, 161);
  EXPECT_EQ(fallback.output.kind, LengthKind::kLognormal);

  std::string header39 = kHeader;
  header39.insert(header39.size() - 1, ",dataset");
  std::string stated = row38;
  stated.replace(stated.find("vllm,,,"), 7, "vllm,100,,");  // input stated, output blank
  auto named = ParseServingRuns(header39 + stated + ",llama-bench\n", "s.csv");
  ASSERT_TRUE(named.ok()) << named.error().ToString();
  EXPECT_EQ(named->front().lengths_assumed, "llama-bench");
  EXPECT_EQ(named->front().input.kind, LengthKind::kFixed);
  EXPECT_DOUBLE_EQ(named->front().input.mean_tokens, 100);   // stated wins
  EXPECT_DOUBLE_EQ(named->front().output.mean_tokens, 128);  // tg128

  auto bad = ParseServingRuns(header39 + row38 + ",sharegtp\n", "s.csv");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().where, "s.csv:2 dataset");
}

}  // namespace
}  // namespace suanli
