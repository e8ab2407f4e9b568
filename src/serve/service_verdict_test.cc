// When a simulated service served nothing, and the model's context limit.
#include "serve/service_verdict.h"

#include <gtest/gtest.h>

#include "serve/serve_test_support.h"

namespace suanli {
namespace {

class ServiceVerdictTest : public ServeDataTest {};

SimulationResult Outcome(int requests, int rejected) {
  SimulationResult r;
  r.requests = requests;
  r.rejected = rejected;
  r.completed = requests - rejected;
  return r;
}

// The tester's case: a 1M-token prompt of Llama-3-8B on one H100 (bf16
// weights and KV, 128 KiB of KV per token: 122 GiB for one request).
TEST_F(ServiceVerdictTest, NothingAdmittedIsNoAnswerWithTheKvArithmetic) {
  const ModelSpec& model = Model("llama-3-8b");
  ServingLayout layout;
  const ReplicaMemory memory = ServingMemory(model, **catalog_.FindAccelerator("h100-sxm-80gb"), layout);
  const std::vector<Request> requests(4, Request{0.0, 1'000'000, 10});
  const ServiceVerdict v = JudgeService(Outcome(4, 4), requests, model, memory, layout);
  EXPECT_FALSE(v.served);
  EXPECT_NE(v.reason.find("4 of 4 requests were rejected"), std::string::npos) << v.reason;
  EXPECT_NE(v.reason.find("1,000,010 tokens"), std::string::npos) << v.reason;
  EXPECT_NE(v.reason.find("needs 122.1 GiB"), std::string::npos) << v.reason;
  EXPECT_NE(v.reason.find("--tp 2"), std::string::npos) << v.reason;
  EXPECT_NE(v.reason.find("--kv fp8"), std::string::npos) << v.reason;
  EXPECT_EQ(v.reason, v.reason_text);  // English until a language is set

  // Already fp8 KV and fp8 weights: those fixes are not offered again.
  layout.kv = Precision::kFp8;
  layout.weights = Precision::kFp8;
  const ServiceVerdict fp8 = JudgeService(Outcome(4, 4), requests, model, memory, layout);
  EXPECT_EQ(fp8.reason.find("--kv fp8"), std::string::npos) << fp8.reason;
  EXPECT_EQ(fp8.reason.find("--weights"), std::string::npos) << fp8.reason;
}

// MindIE keeps an int8 KV cache (Ascend has no fp8): the fix names it so.
TEST_F(ServiceVerdictTest, TheKvFixNamesTheEnginesOwnEightBitFormat) {
  const ModelSpec& model = Model("llama-3-8b");
  const ServingLayout layout;
  const ReplicaMemory memory = ServingMemory(model, **catalog_.FindAccelerator("h100-sxm-80gb"), layout);
  const std::vector<Request> requests(4, Request{0.0, 1'000'000, 10});
  auto engines = LoadEmbeddedEngines();
  ASSERT_TRUE(engines.ok());
  const ServiceVerdict mindie =
      JudgeService(Outcome(4, 4), requests, model, memory, layout, *FindEngine(*engines, "mindie"));
  EXPECT_NE(mindie.reason.find("--kv int8"), std::string::npos) << mindie.reason;
  EXPECT_EQ(mindie.reason.find("fp8 KV"), std::string::npos) << mindie.reason;
  const ServiceVerdict vllm = JudgeService(Outcome(4, 4), requests, model, memory, layout, *FindEngine(*engines, "vllm"));
  EXPECT_NE(vllm.reason.find("--kv fp8"), std::string::npos) << vllm.reason;
}

TEST_F(ServiceVerdictTest, MostRejectedIsNoAnswerAFewAreReported) {
  const ModelSpec& model = Model("llama-3-8b");
  const ServingLayout layout;
  const ReplicaMemory memory = ServingMemory(model, **catalog_.FindAccelerator("h100-sxm-80gb"), layout);
  const std::vector<Request> requests(10, Request{0.0, 1000, 10});
  EXPECT_TRUE(JudgeService(Outcome(10, 0), requests, model, memory, layout).served);
  EXPECT_TRUE(JudgeService(Outcome(10, 5), requests, model, memory, layout).served);  // half: still figures
  EXPECT_FALSE(JudgeService(Outcome(10, 6), requests, model, memory, layout).served);
  const ServiceVerdict none = JudgeService(Outcome(10, 10), requests, model, memory, layout);
  EXPECT_FALSE(none.served);
  SimulationResult empty;  // nothing offered, nothing completed
  EXPECT_FALSE(JudgeService(empty, {}, model, memory, layout).served);
}

TEST_F(ServiceVerdictTest, ContextBeyondTheModelsMaximum) {
  const ModelSpec& llama = Model("llama-3-8b");  // rotary positions, 8,192 tokens
  EXPECT_FALSE(CheckContext(llama, 8192).exceeds);
  const ContextCheck soft = CheckContext(llama, 1'000'010);
  EXPECT_TRUE(soft.exceeds);
  EXPECT_FALSE(soft.hard);
  EXPECT_NE(soft.message.find("8,192"), std::string::npos) << soft.message;
  const ModelSpec& gpt3 = Model("gpt3-175b");  // a learned table of 2,048 positions
  EXPECT_FALSE(CheckContext(gpt3, 2048).exceeds);
  const ContextCheck hard = CheckContext(gpt3, 3010);
  EXPECT_TRUE(hard.exceeds);
  EXPECT_TRUE(hard.hard);
  ModelSpec unknown = llama;
  unknown.max_seq_len = 0;
  EXPECT_FALSE(CheckContext(unknown, 1e9).exceeds);
}

}  // namespace
}  // namespace suanli
