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

TEST(Stack, NemoIsMegatronCoreWithTheRecipesSwitches) {
  // NVIDIA's NeMo and Megatron-Bridge performance recipes turn on TP
  // communication overlap and the fused cross-entropy that Megatron-LM's
  // arguments leave off; the memory and layouts are Megatron-Core's.
  const SoftwareStack& megatron = **FindStack("megatron");
  const SoftwareStack& nemo = **FindStack("nemo");
  EXPECT_FALSE(megatron.tp_comm_overlap);
  EXPECT_TRUE(nemo.tp_comm_overlap);
  EXPECT_FALSE(megatron.fused_cross_entropy);
  EXPECT_TRUE(nemo.fused_cross_entropy);
  EXPECT_EQ(nemo.master_weights, megatron.master_weights);
  EXPECT_EQ(nemo.checkpointing, megatron.checkpointing);
  EXPECT_EQ(nemo.layouts.zero_stages, megatron.layouts.zero_stages);
  EXPECT_EQ(StackAttention(nemo, 2021), AttentionKernel::kFused);
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


TEST(Stack, RunsLayoutSaysWhatTheStackLacks) {
  ParallelConfig c;
  c.tp = 2;
  c.pp = 4;
  c.dp = 8;
  c.zero = 2;
  c.recompute = Recompute::kSelective;
  EXPECT_TRUE(StackRunsLayout(**FindStack("megatron"), c).ok());
  const Status deepspeed = StackRunsLayout(**FindStack("deepspeed"), c);
  ASSERT_FALSE(deepspeed.ok());
  EXPECT_NE(deepspeed.error().message.find("pipeline"), std::string::npos);
  EXPECT_NE(deepspeed.error().hint.find("--zero 1"), std::string::npos);
  c.pp = 1;
  EXPECT_TRUE(StackRunsLayout(**FindStack("deepspeed"), c).ok());
  c.zero = 1;
  EXPECT_FALSE(StackRunsLayout(**FindStack("maxtext"), c).ok());  // JAX: data (0) or fsdp (3) axes
  c.zero = 3;
  c.recompute = Recompute::kSelective;
  const Status maxtext = StackRunsLayout(**FindStack("maxtext"), c);
  ASSERT_FALSE(maxtext.ok());
  EXPECT_EQ(maxtext.error().where, "--recompute");
  c.recompute = Recompute::kFull;
  EXPECT_TRUE(StackRunsLayout(**FindStack("maxtext"), c).ok());
  c.dp = 1;
  c.zero = 1;  // one data-parallel rank: runs as stage 0 anywhere
  EXPECT_TRUE(StackRunsLayout(**FindStack("maxtext"), c).ok());
}

TEST(Stack, ParallelismBlockIsRequiredAndChecked) {
  const std::string head = R"(stacks:
  - id: s
    name: S
    memory: {gradients: fp32, master_weights: separate, checkpointing: [none]}
    kernels: {attention: fused, norm: true, rotary: true, swiglu: true, cross_entropy: false, expert_dispatch: per_expert}
    overlap: {tp_comm: false, dp: true}
    host: {cuda_graphs: false}
)";
  const std::string tail = "    sources: [\"x\"]\n";
  EXPECT_FALSE(ParseStacks(head + tail, "s.yaml").ok());
  const std::string good = "    parallelism: {tensor: true, pipeline: true, interleaved: false, context: true, "
                           "expert: true, zero: [0, 1], zero_with_pipeline: 1}\n";
  auto parsed = ParseStacks(head + good + tail, "s.yaml");
  ASSERT_TRUE(parsed.ok()) << parsed.error().ToString();
  EXPECT_FALSE(parsed->front().layouts.interleaved);
  EXPECT_EQ(parsed->front().layouts.zero_stages, (std::vector<int>{0, 1}));
  std::string bad = good;
  bad.replace(bad.find("[0, 1]"), 6, "[0, 4]");
  auto wrong = ParseStacks(head + bad + tail, "s.yaml");
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.error().ToString().find("zero"), std::string::npos);
}

TEST(Stack, ExpertDispatchIsStatedPerStackAndChecked) {
  // NeMo AutoModel and Megatron-Bridge's MoE recipes run DeepEP/HybridEP (one
  // network copy per node); Megatron-LM's default alltoall and DeepSpeed-MoE
  // send one per expert.
  EXPECT_TRUE((*FindStack("automodel"))->per_node_expert_dispatch);
  EXPECT_TRUE((*FindStack("nemo"))->per_node_expert_dispatch);
  EXPECT_FALSE((*FindStack("megatron"))->per_node_expert_dispatch);
  EXPECT_FALSE((*FindStack("deepspeed"))->per_node_expert_dispatch);
  const std::string head = R"(stacks:
  - id: s
    name: S
    memory: {gradients: fp32, master_weights: separate, checkpointing: [none]}
    kernels: {attention: fused, norm: true, rotary: true, swiglu: true, cross_entropy: false@}
    overlap: {tp_comm: false, dp: true}
    host: {cuda_graphs: false}
    parallelism: {tensor: true, pipeline: true, interleaved: true, context: true, expert: true, zero: [0]}
    sources: ["x"]
)";
  auto with = [&](const std::string& dispatch) {
    std::string text = head;
    text.replace(text.find('@'), 1, dispatch);
    return ParseStacks(text, "s.yaml");
  };
  auto per_node = with(", expert_dispatch: per_node");
  ASSERT_TRUE(per_node.ok()) << per_node.error().ToString();
  EXPECT_TRUE(per_node->front().per_node_expert_dispatch);
  auto missing = with("");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().ToString().find("expert_dispatch"), std::string::npos);
  auto unknown = with(", expert_dispatch: deepep");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().ToString().find("per_expert or per_node"), std::string::npos)
      << unknown.error().ToString();
}

}  // namespace
}  // namespace suanli
