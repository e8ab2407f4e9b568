// The stack on the layout search: its "selective" mapped as the stack runs
// it, its fitted efficiency only on its platform, nothing where it cannot
// run; fit's fewest devices use the search's default batch.
#include <gtest/gtest.h>

#include "catalog/catalog.h"
#include "search/min_fit.h"
#include "search/search.h"

namespace suanli {
namespace {

struct StackFixture {
  Catalog catalog = *Catalog::LoadEmbedded();
  ClusterSpec Cluster(const char* id) const {
    const Accelerator* a = *catalog.FindAccelerator(id);
    return MakeCluster(*a, catalog.DefaultSystemFor(a->id));
  }
  const ModelSpec& Model(const char* id) const { return **catalog.FindModel(id); }
};

SearchOptions OnStack(const char* stack_id, int gpus) {
  SearchOptions options;
  options.gpus = gpus;
  options.seq_len = 4096;
  options.global_batch = 256;
  options.top_k = 1;
  UseStack(**FindStack(stack_id), options);
  return options;
}

TEST(SearchStack, HalfLayerSelectiveIsSearchedAsTheStackRunsIt) {
  StackFixture f;
  const ModelSpec& model = f.Model("llama-2-7b");
  const ClusterSpec cluster = f.Cluster("a100-sxm-80gb");
  SearchOptions fsdp = OnStack("fsdp", 128);
  fsdp.recompute = Recompute::kSelective;
  fsdp.tp = 1;
  fsdp.pp = 1;
  fsdp.micro_batch = 2;
  fsdp.zero = 3;
  const SearchResult titan = SearchLayouts(model, cluster, fsdp);
  ASSERT_EQ(titan.status, SearchStatus::kFeasible) << titan.infeasible_reason;
  const ParallelConfig& c = titan.top.front().config;
  EXPECT_EQ(c.recompute, Recompute::kFull);
  EXPECT_EQ(c.recompute_layers, model.layers / 2);
  SearchOptions megatron = fsdp;
  UseStack(**FindStack("megatron"), megatron);
  const SearchResult mega = SearchLayouts(model, cluster, megatron);
  ASSERT_EQ(mega.status, SearchStatus::kFeasible);
  EXPECT_EQ(mega.top.front().config.recompute, Recompute::kSelective);
  EXPECT_LT(titan.top.front().estimate.memory.activations_bytes,
            mega.top.front().estimate.memory.activations_bytes);
}

TEST(SearchStack, FittedEfficiencyOnEveryPlatformAndNothingWhereTheStackCannotRun) {
  StackFixture f;
  const ModelSpec& model = f.Model("llama-2-7b");
  // MaxText's 1.13 was fitted on TPU v4 and is carried to an H100
  // (docs/stacks.md §Platforms): faster than Megatron's rate there.
  const SearchResult maxtext = SearchLayouts(model, f.Cluster("h100-sxm-80gb"), OnStack("maxtext", 8));
  SearchOptions megatron_rate = OnStack("maxtext", 8);
  megatron_rate.assumptions.stack_efficiency = 1.0;
  const SearchResult at_one = SearchLayouts(model, f.Cluster("h100-sxm-80gb"), megatron_rate);
  ASSERT_EQ(maxtext.status, SearchStatus::kFeasible);
  ASSERT_EQ(at_one.status, SearchStatus::kFeasible);
  EXPECT_NEAR(maxtext.top.front().estimate.tokens_per_s / at_one.top.front().estimate.tokens_per_s,
              (**FindStack("maxtext")).efficiency, 0.02);
  // MindSpeed runs on Ascend only: no layout on an H100, and the reason says why.
  const SearchResult mindspeed = SearchLayouts(model, f.Cluster("h100-sxm-80gb"), OnStack("mindspeed", 8));
  EXPECT_EQ(mindspeed.status, SearchStatus::kInfeasible);
  EXPECT_NE(mindspeed.infeasible_reason.find("does not run on h100-sxm-80gb"), std::string::npos);
  const MinFit none = MinTrainingDevices(model, f.Cluster("h100-sxm-80gb"), OnStack("mindspeed", 8), 64);
  EXPECT_FALSE(none.found);
  EXPECT_NE(none.reason.find("does not run on"), std::string::npos);
  EXPECT_EQ(SearchLayouts(model, f.Cluster("ascend-910b"), OnStack("mindspeed", 8)).status, SearchStatus::kFeasible);
  // torchtitan's FlashAttention-2 is the platform's own kernel on Ascend.
  const SearchResult titan = SearchLayouts(model, f.Cluster("ascend-910b"), OnStack("torchtitan", 8));
  ASSERT_EQ(titan.status, SearchStatus::kFeasible);
  EXPECT_EQ(titan.top.front().config.attention, AttentionKernel::kFused);
}

// fit's fewest devices and train --search on the same N choose the same batch.
TEST(SearchStack, FewestDevicesRunTheSearchDefaultBatch) {
  StackFixture f;
  const ModelSpec& model = f.Model("llama-2-13b");
  SearchOptions options;
  options.seq_len = 4096;
  const MinFit fit = MinTrainingDevices(model, f.Cluster("rtx-4090"), options, 512);
  ASSERT_TRUE(fit.found) << fit.reason;
  SearchOptions on_n = options;
  on_n.gpus = fit.devices;
  EXPECT_EQ(fit.train.global_batch, DefaultGlobalBatch(on_n));
}

TEST(SearchStack, MegatronMoeLayoutsAreOnesItRuns) {
  // Megatron-Core refuses EP overlap with full (or block) recompute and, with
  // pp > 1, without virtual stages; and EP with tp > 1 without sequence
  // parallelism. No searched layout may break them; overlap still appears.
  StackFixture f;
  const ModelSpec& model = f.Model("qwen3-30b-a3b");
  SearchOptions options = OnStack("megatron", 32);
  options.top_k = 400;
  options.micro_batch = 1;
  options.precision = Precision::kFp8;
  const SearchResult result = SearchLayouts(model, f.Cluster("h800-sxm-80gb"), options);
  ASSERT_EQ(result.status, SearchStatus::kFeasible) << result.infeasible_reason;
  bool overlapped = false;
  for (const SearchCandidate& candidate : result.top) {
    const ParallelConfig& c = candidate.config;
    EXPECT_EQ(BrokenMoeRule(options.stack_layouts, c), MoeLayoutRule::kNone)
        << "tp" << c.tp << " pp" << c.pp << " vp" << c.vp << " ep" << c.ep << " sp" << c.sequence_parallel
        << " recompute " << RecomputeName(c.recompute) << " overlap " << c.ep_overlap;
    overlapped = overlapped || c.ep_overlap;
  }
  EXPECT_TRUE(overlapped);
  // A stack without the rules (torchtitan) is searched as before.
  EXPECT_FALSE(OnStack("torchtitan", 32).stack_layouts.ep_overlap_needs_vp);
}

TEST(SearchStack, PinnedMoeLayoutsTheStackRefusesAreBadInput) {
  const SoftwareStack& megatron = **FindStack("megatron");
  SearchOptions options;
  options.tp = 2;
  options.ep = 8;
  options.sequence_parallel = false;
  Status status = CheckPinsAgainstStack(megatron, options);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().where, "--sequence-parallel");
  SearchOptions overlap;
  overlap.ep_overlap = true;
  overlap.recompute = Recompute::kFull;
  status = CheckPinsAgainstStack(megatron, overlap);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().where, "--ep-overlap");
  overlap.recompute = Recompute::kSelective;
  overlap.pp = 4;
  EXPECT_TRUE(CheckPinsAgainstStack(megatron, overlap).ok());  // the search may choose vp > 1
  overlap.vp = 1;
  EXPECT_FALSE(CheckPinsAgainstStack(megatron, overlap).ok());
  EXPECT_TRUE(CheckPinsAgainstStack(**FindStack("mindspeed"), overlap).ok());
}

TEST(SearchStack, NoFitHintSuggestsExpertParallelism) {
  // qwen3-235b-a22b on 256 x 910B at tp4 pp4 ep1 does not fit: the experts
  // are nearly all of its parameters, so the hint names an ep that fits.
  StackFixture f;
  const ModelSpec& model = f.Model("qwen3-235b-a22b");
  ParallelConfig c;
  c.tp = 4;
  c.pp = 4;
  c.dp = 16;
  c.seq_len = 4096;
  c.global_batch = 64;
  const double usable = 63.0 * 1024 * 1024 * 1024;
  ASSERT_GT(TrainingMemory(model, c).total_bytes, usable);
  const std::string hint = ExpertParallelHint(model, c, {}, usable);
  ASSERT_EQ(hint.rfind("--ep ", 0), 0u) << hint;
  ParallelConfig with_ep = c;
  with_ep.ep = std::stoi(hint.substr(5));
  EXPECT_LE(TrainingMemory(model, with_ep).total_bytes, usable) << hint;
  EXPECT_EQ(ExpertParallelHint(f.Model("llama-2-70b"), c, {}, usable), "");
  EXPECT_EQ(ExpertParallelHint(model, with_ep, {}, usable), "");
}

}  // namespace
}  // namespace suanli

namespace suanli {
namespace {

// With the optimizer offloaded the search tries ZeRO > 0 at dp 1; DeepSpeed's
// pipeline rule (stage <= 1 with pp > 1) still binds there, in the search
// and in the fewest devices that fit (lab report: 4 × RTX 4090 "fit" Mixtral
// at tp2 pp2 dp1 zero2).
TEST(SearchStack, DeepSpeedPipelineRuleBindsAtOneDataParallelRank) {
  StackFixture f;
  const ModelSpec& model = f.Model("mixtral-8x7b");
  SearchOptions options = OnStack("deepspeed", 8);
  options.seq_len = 2048;
  options.global_batch = 0;
  options.memory.optimizer_offload = true;
  options.assumptions.optimizer_offload = true;
  options.recompute = Recompute::kFull;
  const ClusterSpec cluster = f.Cluster("rtx-4090");
  for (int gpus : {4, 8}) {
    options.gpus = gpus;
    options.top_k = 50;
    const SearchResult result = SearchLayouts(model, cluster, options);
    for (const SearchCandidate& c : result.top) {
      EXPECT_FALSE(c.config.pp > 1 && c.config.zero >= 2) << gpus << ": " << c.config.pp << " " << c.config.zero;
    }
  }
  const MinFit fit = MinTrainingDevices(model, cluster, options, 64);
  if (fit.found) EXPECT_FALSE(fit.train.pp > 1 && fit.train.zero >= 2) << fit.devices;
  // A pinned stage with pp searched keeps the rule.
  options.zero = 2;
  options.gpus = 8;
  for (const SearchCandidate& c : SearchLayouts(model, cluster, options).top) EXPECT_EQ(c.config.pp, 1);
}

// A target batch (compare's unstated one) lets a dp that does not divide it
// run the nearest batch it does; NearestBatchDividedBy is validate's rule.
TEST(SearchStack, NearestGlobalBatchLeavesNoSizeWithoutALayout) {
  EXPECT_EQ(NearestBatchDividedBy(2000, 104), 1976);
  EXPECT_EQ(NearestBatchDividedBy(2000, 100), 2000);
  EXPECT_EQ(NearestBatchDividedBy(10, 4), 12);  // tie: the larger
  EXPECT_EQ(NearestBatchDividedBy(3, 8), 8);
  StackFixture f;
  SearchOptions options;
  options.gpus = 104;
  options.seq_len = 2048;
  options.global_batch = 2000;
  options.top_k = 1;
  options.tp = 1;
  options.pp = 1;
  options.cp = 1;
  const ModelSpec& model = f.Model("llama-2-7b");
  EXPECT_EQ(SearchLayouts(model, f.Cluster("a800-sxm-80gb"), options).status, SearchStatus::kInfeasible);
  options.nearest_global_batch = true;
  const SearchResult nearest = SearchLayouts(model, f.Cluster("a800-sxm-80gb"), options);
  ASSERT_EQ(nearest.status, SearchStatus::kFeasible);
  EXPECT_EQ(nearest.top.front().config.global_batch, 1976);
}

}  // namespace
}  // namespace suanli
