#include "workload/stack.h"

#include <gtest/gtest.h>

#include "core/embedded.h"
#include "core/i18n.h"

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
  c.zero = 1;  // a stage the stack lacks is refused whatever dp is: its config, not dp, decides (session 22)
  EXPECT_FALSE(StackRunsLayout(**FindStack("maxtext"), c).ok());
  c.zero = 0;
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

ModelSpec Dense32() {
  ModelSpec m;
  m.id = "dense-32";
  m.layers = 32;
  m.hidden = 4096;
  m.heads = 32;
  m.kv_heads = 32;
  m.head_dim = 128;
  m.ffn_hidden = 11008;
  m.vocab = 32000;
  m.gated_mlp = true;
  m.norm = NormKind::kRmsNorm;
  return m;
}

// torchtitan's and fms-fsdp's "selective" is about half the forward, not
// Megatron's attention core: every path maps it through StackRecomputeOf.
TEST(Stack, HalfLayerSelectiveRunsAsFullRecomputeOfHalfTheLayers) {
  for (const char* id : {"torchtitan", "fsdp"}) {
    const StackRecompute runs = StackRecomputeOf(**FindStack(id), Recompute::kSelective);
    EXPECT_EQ(runs.mode, Recompute::kFull) << id;
    EXPECT_DOUBLE_EQ(runs.layer_share, 0.5) << id;
    EXPECT_EQ(StackRecomputeOf(**FindStack(id), Recompute::kFull).layer_share, 0) << id;
  }
  EXPECT_EQ(StackRecomputeOf(**FindStack("megatron"), Recompute::kSelective).mode, Recompute::kSelective);
  const ModelSpec model = Dense32();
  ParallelConfig config;
  config.pp = 2;
  config.recompute = Recompute::kSelective;
  EXPECT_TRUE(ApplyStackRecompute(**FindStack("fsdp"), model, config));
  EXPECT_EQ(config.recompute, Recompute::kFull);
  EXPECT_EQ(config.recompute_layers, 8);  // half of each stage's 16 layers
  ParallelConfig megatron;
  EXPECT_FALSE(ApplyStackRecompute(**FindStack("megatron"), model, megatron));
  EXPECT_EQ(megatron.recompute, Recompute::kSelective);
}

// A fitted efficiency knows the platform its rows ran on; a stack
// is refused where it does not run; flash2 is not a kernel off CUDA/ROCm.
TEST(Stack, EfficiencyAndPlatformsFollowTheDevice) {
  const SoftwareStack& mindspeed = **FindStack("mindspeed");
  EXPECT_TRUE(StackEfficiencyFittedOn(mindspeed, "Huawei"));
  EXPECT_FALSE(StackRunsOn(mindspeed, "NVIDIA", "h100-sxm-80gb").ok());
  EXPECT_TRUE(StackRunsOn(mindspeed, "Huawei", "ascend-910b").ok());
  const SoftwareStack& maxtext = **FindStack("maxtext");
  EXPECT_TRUE(StackEfficiencyFittedOn(maxtext, "Google"));
  EXPECT_FALSE(StackEfficiencyFittedOn(maxtext, "NVIDIA"));
  EXPECT_TRUE(StackRunsOn(maxtext, "NVIDIA", "h100-sxm-80gb").ok());
  EXPECT_FALSE(StackRunsOn(maxtext, "Huawei", "ascend-910b").ok());
  const SoftwareStack& deepspeed = **FindStack("deepspeed");
  EXPECT_TRUE(StackEfficiencyFittedOn(deepspeed, "nvidia"));
  EXPECT_FALSE(StackEfficiencyFittedOn(deepspeed, "Intel"));
  EXPECT_TRUE(StackRunsOn(deepspeed, "Intel", "gaudi2").ok());
  EXPECT_TRUE(StackEfficiencyFittedOn(**FindStack("megatron"), "Google"));
  for (const SoftwareStack& s : BuiltinStacks()) {
    if (s.efficiency != 1.0) {
      EXPECT_FALSE(s.fitted_platform.empty()) << s.id;
    }
  }
  EXPECT_EQ(PlatformAttention(AttentionKernel::kFlash2, "Huawei"), AttentionKernel::kFused);
  EXPECT_EQ(PlatformAttention(AttentionKernel::kFlash2, "Google"), AttentionKernel::kFused);
  EXPECT_EQ(PlatformAttention(AttentionKernel::kFlash2, "NVIDIA"), AttentionKernel::kFlash2);
  EXPECT_EQ(PlatformAttention(AttentionKernel::kUnfused, "Huawei"), AttentionKernel::kUnfused);
}

TEST(Stack, FittedEfficiencyWithoutItsPlatformIsAnError) {
  const std::string yaml = R"(stacks:
  - id: x
    name: X
    memory: {gradients: fp32, master_weights: separate, checkpointing: [none]}
    kernels: {attention: fused, norm: true, rotary: true, swiglu: true, cross_entropy: false,
              expert_dispatch: per_expert}
    overlap: {tp_comm: false, dp: true}
    host: {cuda_graphs: false}
    parallelism: {tensor: true, pipeline: true, interleaved: true, context: true, expert: true, zero: [0]}
    efficiency: 1.1
    sources: ["s"]
)";
  auto parsed = ParseStacks(yaml, "x.yaml");
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.error().ToString().find("fitted_platform"), std::string::npos);
}

// `show STACK --lang zh` prints the rows a stack was fitted on in Chinese.
TEST(Stack, EveryFittedOnSentenceHasAChineseTranslation) {
  for (const SoftwareStack& s : BuiltinStacks()) {
    EXPECT_NE(TrIn(Language::kChinese, s.fitted_on), s.fitted_on) << s.id;
  }
}

}  // namespace
}  // namespace suanli

namespace suanli {
namespace {

// `auto` is each vendor's own stack (data/stacks.yaml default_on); a named
// stack off its platform is an error naming auto and the stacks that run there.
TEST(Stack, AutoIsThePlatformsOwnStack) {
  EXPECT_EQ(PlatformStack("Huawei").id, "mindspeed");
  EXPECT_EQ(PlatformStack("Google").id, "maxtext");
  EXPECT_EQ(PlatformStack("NVIDIA").id, "megatron");
  EXPECT_EQ(PlatformStack("AMD").id, "megatron");
  EXPECT_EQ(PlatformStack("Intel").id, "deepspeed");
  EXPECT_EQ(PlatformStack("MetaX").id, "megatron");
  EXPECT_EQ((*StackOn("auto", "Huawei", "ascend-910b"))->id, "mindspeed");
  EXPECT_EQ((*StackOn("", "NVIDIA", "h20-96gb"))->id, "megatron");
  EXPECT_EQ((*StackOn("fsdp", "Huawei", "ascend-910b"))->id, "fsdp");
  const auto off = StackOn("mindspeed", "NVIDIA", "h20-96gb");
  ASSERT_FALSE(off.ok());
  EXPECT_NE(off.error().message.find("mindspeed does not run on h20-96gb (NVIDIA devices)"), std::string::npos);
  EXPECT_NE(off.error().message.find("use --stack auto (megatron there) or one of"), std::string::npos);
  EXPECT_EQ(off.error().where, "--stack");
  EXPECT_EQ(*StackSettingId(""), "auto");
  EXPECT_EQ(*StackSettingId("AUTO"), "auto");
  EXPECT_EQ(*StackSettingId("MindSpeed"), "mindspeed");
  EXPECT_FALSE(StackSettingId("nope").ok());
  // Validate's blank rows keep megatron: FindStack("") is not auto.
  EXPECT_EQ((*FindStack(""))->id, "megatron");
  EXPECT_FALSE(FindStack("auto").ok());
  // A default_on vendor the stack does not run on is a data error.
  const std::string bad = R"(stacks:
  - id: x
    name: X
    platforms: [Huawei]
    default_on: [NVIDIA]
    memory: {gradients: fp32, master_weights: separate, checkpointing: [full]}
    kernels: {attention: fused, norm: true, rotary: true, swiglu: true, cross_entropy: false, expert_dispatch: per_expert}
    overlap: {tp_comm: false, dp: true}
    host: {cuda_graphs: false}
    parallelism: {tensor: true, pipeline: true, interleaved: true, context: true, expert: true, zero: [0]}
    sources: [s]
)";
  EXPECT_FALSE(ParseStacks(bad, "t.yaml").ok());
}

// DeepSpeed's and Colossal-AI's "stage <= 1 with pipelines" is a check of
// the config: it binds at dp = 1 too; a stage the stack lacks is refused at dp 1.
TEST(Stack, ZeroRulesBindWhateverDpIs) {
  ParallelConfig c;
  c.tp = 2;
  c.pp = 2;
  c.dp = 1;
  c.zero = 2;
  c.recompute = Recompute::kFull;
  EXPECT_FALSE(StackRunsLayout(**FindStack("deepspeed"), c).ok());
  EXPECT_FALSE(StackRunsLayout(**FindStack("colossalai"), c).ok());
  EXPECT_TRUE(StackRunsLayout(**FindStack("megatron"), c).ok());
  c.zero = 1;
  EXPECT_TRUE(StackRunsLayout(**FindStack("deepspeed"), c).ok());
  c.pp = 1;
  EXPECT_FALSE(StackRunsLayout(**FindStack("torchtitan"), c).ok());  // FSDP2 has no ZeRO 1
  // PyTorch FSDP offloads (CPUOffload / CPUOffloadPolicy).
  EXPECT_TRUE((*FindStack("fsdp"))->optimizer_offload);
  EXPECT_TRUE((*FindStack("torchtitan"))->optimizer_offload);
}

}  // namespace
}  // namespace suanli
