#include "serve/engine.h"

#include <gtest/gtest.h>

#include <string>

#include "catalog/catalog.h"

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

// An engine's 8-bit KV cache carries its own name: MindIE (Ascend has no
// fp8) and LMDeploy keep int8 KV, the CUDA engines fp8, llama.cpp none.
TEST(EngineTest, EightBitKvIsTheEnginesOwnFormat) {
  auto engines = LoadEmbeddedEngines();
  ASSERT_TRUE(engines.ok());
  for (const char* id : {"mindie", "lmdeploy"}) {
    const EngineSpec* engine = *FindEngine(*engines, id);
    EXPECT_EQ(engine->EightBitKv(), Precision::kInt8) << id;
    EXPECT_FALSE(engine->ServesKv(Precision::kFp8)) << id;
    const Status fp8 = engine->CheckFormats(std::nullopt, Precision::kFp8);
    ASSERT_FALSE(fp8.ok()) << id;
    EXPECT_NE(fp8.error().message.find("int8"), std::string::npos) << fp8.error().message;
  }
  for (const char* id : {"vllm", "sglang", "trt-llm"}) {
    EXPECT_EQ((*FindEngine(*engines, id))->EightBitKv(), Precision::kFp8) << id;
  }
  EXPECT_FALSE((*FindEngine(*engines, "llama.cpp"))->EightBitKv().has_value());
}

// --speculative mtp drafts with the model's own MTP modules: a model without
// them is bad input, pointing at a draft-head method the engine runs.
TEST(EngineTest, SpeculativeMtpNeedsTheModelsMtpModules) {
  auto engines = LoadEmbeddedEngines();
  ASSERT_TRUE(engines.ok());
  const EngineSpec* vllm = *FindEngine(*engines, "vllm");
  EXPECT_TRUE(vllm->CheckSpeculative("", "llama-3-8b", 0).ok());
  EXPECT_TRUE(vllm->CheckSpeculative("mtp", "deepseek-v3", 1).ok());
  EXPECT_TRUE(vllm->CheckSpeculative("eagle", "llama-3-8b", 0).ok());
  const Status mtp = vllm->CheckSpeculative("mtp", "llama-3-8b", 0);
  ASSERT_FALSE(mtp.ok());
  EXPECT_EQ(mtp.error().where, "--speculative");
  EXPECT_NE(mtp.error().message.find("mtp_layers 0"), std::string::npos) << mtp.error().message;
  EXPECT_NE(mtp.error().hint.find("--speculative eagle"), std::string::npos) << mtp.error().hint;
  // A method the engine does not run is refused too, never silently dropped.
  const EngineSpec* llama_cpp = *FindEngine(*engines, "llama.cpp");
  if (llama_cpp->FindSpeculative("eagle") == nullptr) {
    EXPECT_FALSE(llama_cpp->CheckSpeculative("eagle", "llama-3-8b", 0).ok());
  }
}

TEST(EngineTest, BatchDefaultsFollowTheDevice) {
  // vLLM's get_batch_defaults: 1,024 sequences and 8,192 tokens on >= 70 GiB
  // parts except A100; 256 and 2,048 on A100 and smaller parts. LMDeploy's
  // get_max_batch_size: 384 on A100/A800, 1,024 on H100/H800/H200, 256 on
  // Ascend, 128 on CUDA devices it does not name.
  auto engines = LoadEmbeddedEngines();
  ASSERT_TRUE(engines.ok());
  auto catalog = Catalog::LoadEmbedded();
  ASSERT_TRUE(catalog.ok());
  auto defaults = [&](const char* engine, const char* accelerator) {
    return (*FindEngine(*engines, engine))->DefaultsFor(**catalog->FindAccelerator(accelerator));
  };
  EXPECT_EQ(defaults("vllm", "h100-sxm-80gb").max_batch, 1024);
  EXPECT_EQ(defaults("vllm", "h100-sxm-80gb").prefill_budget_tokens, 8192);
  EXPECT_EQ(defaults("vllm", "h20-96gb").max_batch, 1024);
  EXPECT_EQ(defaults("vllm", "a100-sxm-80gb").max_batch, 256);
  EXPECT_EQ(defaults("vllm", "a100-sxm-80gb").prefill_budget_tokens, 2048);
  EXPECT_EQ(defaults("vllm", "a800-sxm-80gb").max_batch, 1024);  // vLLM tests the name "a100" only
  EXPECT_EQ(defaults("vllm", "rtx-4090").max_batch, 256);
  EXPECT_EQ(defaults("vllm", "l40s-48gb").prefill_budget_tokens, 2048);
  EXPECT_EQ(defaults("lmdeploy", "a800-sxm-80gb").max_batch, 384);
  EXPECT_EQ(defaults("lmdeploy", "h200-sxm-141gb").max_batch, 1024);
  EXPECT_EQ(defaults("lmdeploy", "ascend-910b").max_batch, 256);
  EXPECT_EQ(defaults("lmdeploy", "h20-96gb").max_batch, 128);
  EXPECT_EQ(defaults("sglang", "rtx-4090").prefill_budget_tokens, 2048);  // chunked_prefill_size below 35 GiB
  EXPECT_EQ(defaults("sglang", "h100-sxm-80gb").prefill_budget_tokens, 8192);
  EXPECT_EQ(defaults("trt-llm", "a100-sxm-80gb").max_batch, (*FindEngine(*engines, "trt-llm"))->max_batch);
}

TEST(EngineTest, DeviceDefaultsRulesAreChecked) {
  const std::string head =
      "engines:\n"
      "  - id: x\n    weight_formats: [bf16]\n    kv_formats: [bf16]\n    cuda_graphs: true\n"
      "    graph_max_batch: 8\n    max_batch: 8\n    prefill_budget: 512\n"
      "    host_overhead: 1 ms\n    eager_layer_overhead: 1 us\n    preemption: recompute\n"
      "    source: s\n    device_defaults:\n";
  auto both = ParseEngines(head + "      - {accelerators: [a100], below_memory: 70 GiB, max_batch: 4, "
                                  "prefill_budget: 64, source: s}\n",
                           "e.yaml");
  ASSERT_FALSE(both.ok());
  EXPECT_NE(both.error().where.find("e.yaml"), std::string::npos);
  auto unsourced = ParseEngines(head + "      - {accelerators: [a100], max_batch: 4, prefill_budget: 64}\n", "e.yaml");
  ASSERT_FALSE(unsourced.ok());
  EXPECT_NE(unsourced.error().where.find("source"), std::string::npos);
  auto no_unit = ParseEngines(head + "      - {below_memory: 70, max_batch: 4, prefill_budget: 64, source: s}\n",
                              "e.yaml");
  ASSERT_FALSE(no_unit.ok());
  EXPECT_NE(no_unit.error().where.find("below_memory"), std::string::npos);
  auto good = ParseEngines(head + "      - {below_memory: 70 GiB, max_batch: 4, prefill_budget: 64, source: s}\n",
                           "e.yaml");
  ASSERT_TRUE(good.ok()) << good.error().ToString();
  ASSERT_EQ(good->front().device_defaults.size(), 1u);
  EXPECT_DOUBLE_EQ(good->front().device_defaults.front().below_memory_bytes, 70.0 * (1ull << 30));
}

TEST(EngineTest, EnginesRunOnlyOnTheirPlatforms) {
  auto engines = LoadEmbeddedEngines();
  ASSERT_TRUE(engines.ok());
  auto catalog = Catalog::LoadEmbedded();
  ASSERT_TRUE(catalog.ok());
  auto runs = [&](const char* engine, const char* accelerator) {
    return (*FindEngine(*engines, engine))->CheckRunsOn(**catalog->FindAccelerator(accelerator)).ok();
  };
  EXPECT_TRUE(runs("trt-llm", "h100-sxm-80gb"));
  EXPECT_FALSE(runs("trt-llm", "ascend-910b"));
  EXPECT_FALSE(runs("trt-llm", "mi300x"));
  EXPECT_TRUE(runs("mindie", "ascend-910b"));
  EXPECT_FALSE(runs("mindie", "h20-96gb"));
  EXPECT_TRUE(runs("lmdeploy", "ascend-910b"));
  EXPECT_TRUE(runs("sglang", "mi300x"));
  EXPECT_TRUE(runs("vllm", "ascend-910b"));  // not restricted
  EXPECT_TRUE(runs("llama.cpp", "mi300x"));
  const Status refused = (*FindEngine(*engines, "mindie"))->CheckRunsOn(**catalog->FindAccelerator("h20-96gb"));
  EXPECT_EQ(refused.error().where, "--engine");
  EXPECT_NE(refused.error().message.find("Huawei"), std::string::npos);
}

// Returns a one-engine engines.yaml with `host_overhead` as given and `extra` lines appended.
std::string OneEngine(const std::string& host_overhead, const std::string& extra = "") {
  return "engines:\n"
         "  - id: x\n    weight_formats: [bf16]\n    kv_formats: [bf16]\n    cuda_graphs: true\n"
         "    graph_max_batch: 8\n    max_batch: 8\n    prefill_budget: 512\n"
         "    host_overhead: " + host_overhead + "\n    eager_layer_overhead: 1 us\n    preemption: recompute\n" +
         extra + "    source: s\n";
}

TEST(EngineTest, EmptyPlatformsListIsRefused) {
  ASSERT_TRUE(ParseEngines(OneEngine("1 ms", "    platforms: [NVIDIA]\n"), "e.yaml").ok());
  auto parsed = ParseEngines(OneEngine("1 ms", "    platforms: []\n"), "e.yaml");
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.error().where.find("platforms"), std::string::npos);
}

TEST(EngineTest, UnknownEngineSuggests) {
  auto engines = LoadEmbeddedEngines();
  auto missing = FindEngine(*engines, "vlm");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().hint.find("vllm"), std::string::npos);
}

TEST(EngineTest, BadFieldsAreLocated) {
  auto parsed = ParseEngines(OneEngine("1"), "e.yaml");
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.error().where.find("host_overhead"), std::string::npos);
}

}  // namespace
}  // namespace suanli
