#include "serve/engine.h"

#include <gtest/gtest.h>

namespace suanli {
namespace {

TEST(EngineTest, EmbeddedEnginesLoadWithSources) {
  auto engines = LoadEmbeddedEngines();
  ASSERT_TRUE(engines.ok()) << engines.error().ToString();
  for (const char* id : {"vllm", "sglang", "trt-llm", "lmdeploy", "llama.cpp", "mindie"}) {
    auto engine = FindEngine(*engines, id);
    ASSERT_TRUE(engine.ok()) << id;
    EXPECT_GT((*engine)->prefill_budget_tokens, 0);
    EXPECT_GT((*engine)->max_batch, 0);
    const FieldRecord* overhead = FindField((*engine)->provenance, "host_overhead");
    ASSERT_NE(overhead, nullptr);
    EXPECT_FALSE(overhead->source.empty());
  }
  const EngineSpec* vllm = *FindEngine(*engines, "VLLM");
  EXPECT_EQ(vllm->prefill_budget_tokens, 8192);
  EXPECT_EQ(vllm->max_batch, 1024);
  EXPECT_TRUE(vllm->ServesWeights(Precision::kInt4));
  EXPECT_EQ(FindField(vllm->provenance, "host_overhead")->confidence, "estimate");
  EXPECT_FALSE((*FindEngine(*engines, "llama.cpp"))->ServesKv(Precision::kFp8));
}

TEST(EngineTest, UnknownEngineSuggests) {
  auto engines = LoadEmbeddedEngines();
  auto missing = FindEngine(*engines, "vlm");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().hint.find("vllm"), std::string::npos);
}

TEST(EngineTest, BadFieldsAreLocated) {
  const char* text =
      "engines:\n"
      "  - id: x\n    weight_formats: [bf16]\n    kv_formats: [bf16]\n    cuda_graphs: true\n"
      "    graph_max_batch: 8\n    max_batch: 8\n    prefill_budget: 512\n"
      "    host_overhead: 1\n    eager_layer_overhead: 1 us\n    preemption: recompute\n"
      "    source: s\n";
  auto parsed = ParseEngines(text, "e.yaml");
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.error().where.find("host_overhead"), std::string::npos);
}

}  // namespace
}  // namespace suanli
