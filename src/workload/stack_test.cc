#include "workload/stack.h"

#include <gtest/gtest.h>

#include "core/embedded.h"

namespace suanli {
namespace {

TEST(Stack, BuiltinStacksReadAndEverySourced) {
  auto parsed = ParseStacks(FindEmbeddedFile("stacks.yaml"), "data/stacks.yaml");
  ASSERT_TRUE(parsed.ok()) << parsed.error().ToString();
  EXPECT_GE(parsed->size(), 7u);
  for (const SoftwareStack& s : *parsed) EXPECT_FALSE(s.sources.empty()) << s.id;
}

TEST(Stack, DefaultIsMegatronAndLookupIgnoresCase) {
  auto blank = FindStack("");
  ASSERT_TRUE(blank.ok());
  EXPECT_EQ((*blank)->id, "megatron");
  auto titan = FindStack("TorchTitan");
  ASSERT_TRUE(titan.ok());
  EXPECT_EQ((*titan)->master_weights, MasterWeights::kShardedFp32);
  EXPECT_EQ((*titan)->attention, AttentionKernel::kFlash2);
}

TEST(Stack, UnknownStackListsKnownIds) {
  auto unknown = FindStack("jax-magic");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().ToString().find("megatron"), std::string::npos);
}

TEST(Stack, AttentionFollowsTheStackAndItsEra) {
  const SoftwareStack& megatron = **FindStack("megatron");
  EXPECT_EQ(StackAttention(megatron, 2021), AttentionKernel::kUnfused);
  EXPECT_EQ(StackAttention(megatron, 2024), AttentionKernel::kFused);
  EXPECT_EQ(StackAttention(megatron, 0), AttentionKernel::kFused);
  EXPECT_EQ(StackAttention(**FindStack("mindspeed"), 2021), AttentionKernel::kFused);
}

TEST(Stack, RejectsUnknownKeysAndValues) {
  const std::string bad = R"(stacks:
  - id: x
    name: X
    memory: {gradients: fp16, master_weights: separate, checkpointing: [full]}
    kernels: {attention: fused, norm: true, rotary: true, swiglu: true, cross_entropy: false}
    overlap: {tp_comm: false, dp: true}
    host: {cuda_graphs: false}
    sources: [s]
)";
  auto parsed = ParseStacks(bad, "t.yaml");
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.error().ToString().find("gradients"), std::string::npos);
  auto unknown_key = ParseStacks("stacks:\n  - id: x\n    nmae: X\n", "t.yaml");
  EXPECT_FALSE(unknown_key.ok());
}

}  // namespace
}  // namespace suanli
