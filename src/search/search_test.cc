#include "search/search.h"

#include <gtest/gtest.h>

#include <atomic>
#include <functional>

#include "catalog/catalog.h"

namespace suanli {
namespace {

struct Fixture {
  Catalog catalog = *Catalog::LoadEmbedded();
  ClusterSpec Cluster(const char* id) const {
    const Accelerator* a = *catalog.FindAccelerator(id);
    return MakeCluster(*a, catalog.DefaultSystemFor(a->id));
  }
  const ModelSpec& Model(const char* id) const { return **catalog.FindModel(id); }
};

// Returns search options for `gpus` devices, `seq_len`-token sequences and a
// `global_batch`-sequence step; the rest at their defaults.
SearchOptions Options(int gpus, int seq_len, int global_batch) {
  SearchOptions options;
  options.gpus = gpus;
  options.seq_len = seq_len;
  options.global_batch = global_batch;
  return options;
}

TEST(Search, SameAnswerWithOneOrTwoThreadsAndBestFirst) {
  Fixture f;
  SearchOptions options = Options(64, 4096, 256);
  options.top_k = 5;
  const SearchResult one = SearchLayouts(f.Model("llama-2-13b"), f.Cluster("a800-sxm-80gb"), options);
  options.threads = 2;
  const SearchResult two = SearchLayouts(f.Model("llama-2-13b"), f.Cluster("a800-sxm-80gb"), options);
  ASSERT_EQ(one.status, SearchStatus::kFeasible);
  ASSERT_EQ(one.top.size(), two.top.size());
  EXPECT_EQ(one.configs_evaluated, two.configs_evaluated);
  for (size_t i = 0; i < one.top.size(); ++i) {
    EXPECT_EQ(one.top[i].config.tp, two.top[i].config.tp);
    EXPECT_EQ(one.top[i].config.pp, two.top[i].config.pp);
    EXPECT_EQ(one.top[i].config.micro_batch, two.top[i].config.micro_batch);
    EXPECT_DOUBLE_EQ(one.top[i].estimate.tokens_per_s, two.top[i].estimate.tokens_per_s);
    if (i > 0) {
      EXPECT_GE(one.top[i - 1].estimate.tokens_per_s, one.top[i].estimate.tokens_per_s);
      EXPECT_FALSE(one.top[i].lost_because.empty());
    }
    EXPECT_TRUE(one.top[i].estimate.fits);
    EXPECT_EQ(one.top[i].config.Devices(), 64);
  }
}

TEST(Search, ReportsProgressOncePerWorkItemFromEveryThread) {
  Fixture f;
  SearchOptions options;
  options.gpus = 64;
  options.threads = 2;
  std::atomic<size_t> calls{0}, last_total{0}, max_done{0};
  options.on_progress = [&](size_t done, size_t total) {
    ++calls;
    last_total = total;
    size_t seen = max_done;
    while (done > seen && !max_done.compare_exchange_weak(seen, done)) {
    }
  };
  const SearchResult r = SearchLayouts(f.Model("llama-2-13b"), f.Cluster("a800-sxm-80gb"), options);
  EXPECT_EQ(r.status, SearchStatus::kFeasible);
  EXPECT_GT(calls.load(), 1u);
  EXPECT_EQ(calls.load(), last_total.load());  // once per work item, not per layout
  EXPECT_EQ(max_done.load(), last_total.load());
  EXPECT_LT(calls.load(), static_cast<size_t>(r.configs_evaluated));
}

TEST(Search, TensorParallelThatDoesNotSplitTheSequenceRunsWithoutSequenceParallelism) {
  // 48 heads over tp 12 is valid, but 2,048 tokens do not split over 12
  // ranks: Megatron then runs without sequence parallelism.
  Fixture f;
  SearchOptions options = Options(48, 2048, 64);
  options.tp = 12;
  options.top_k = 3;
  const SearchResult r = SearchLayouts(f.Model("gpt3-175b"), f.Cluster("a100-sxm-80gb"), options);
  ASSERT_EQ(r.status, SearchStatus::kFeasible);
  for (const SearchCandidate& layout : r.top) {
    EXPECT_EQ(layout.config.tp, 12);
    EXPECT_FALSE(layout.config.sequence_parallel);
  }
  options.sequence_parallel = true;  // asking for SP leaves nothing valid
  EXPECT_NE(SearchLayouts(f.Model("gpt3-175b"), f.Cluster("a100-sxm-80gb"), options).status,
            SearchStatus::kFeasible);
}

TEST(Search, AZeroStageWithOneDataParallelRankRunsAsZeroZero) {
  // tp 8 x pp 4 on 32 devices leaves dp 1: a published "distributed
  // optimizer" (zero 1) has nothing to shard over, and the layout is valid.
  Fixture f;
  SearchOptions options = Options(32, 4096, 64);
  options.tp = 8;
  options.pp = 4;
  options.zero = 1;
  const SearchResult r = SearchLayouts(f.Model("llama-2-70b"), f.Cluster("a100-sxm-80gb"), options);
  ASSERT_EQ(r.status, SearchStatus::kFeasible) << r.infeasible_reason;
  EXPECT_EQ(r.top.front().config.dp, 1);
  EXPECT_EQ(r.top.front().config.zero, 0);
}

TEST(Search, ExpertParallelismFoldsOverTensorParallelRanks) {
  // Megatron-Bridge's Qwen3-235B on 256 H100: tp 2 x pp 8 x dp 16 with ep 32.
  // ep does not divide dp*cp = 16, but it divides tp*dp*cp = 32 with whole
  // experts (expert tp 1): a valid layout, found with its experts unsplit.
  Fixture f;
  SearchOptions options = Options(256, 4096, 8192);
  options.precision = Precision::kFp8;
  options.tp = 2;
  options.pp = 8;
  options.cp = 1;
  options.ep = 32;
  options.micro_batch = 1;
  const SearchResult folded = SearchLayouts(f.Model("qwen3-235b-a22b"), f.Cluster("h100-sxm-80gb"), options);
  ASSERT_EQ(folded.status, SearchStatus::kFeasible) << folded.infeasible_reason;
  EXPECT_TRUE(folded.top.front().config.ExpertsFoldTp());
  // Asking for experts split over tp leaves nothing valid, and the reason
  // names the rule, not just "no valid layout".
  options.expert_tp = 0;
  const SearchResult split = SearchLayouts(f.Model("qwen3-235b-a22b"), f.Cluster("h100-sxm-80gb"), options);
  EXPECT_EQ(split.status, SearchStatus::kInfeasible);
  EXPECT_NE(split.infeasible_reason.find("ep=32 does not divide dp*cp=16"), std::string::npos)
      << split.infeasible_reason;
}

TEST(Search, Gpt3On1024A100EnumeratesMoreThanAMillionLayouts) {
  // Issue 3's benchmark space: every tp, cp, pp, dp, vp (uneven too),
  // micro-batch, recompute, ZeRO stage, sequence parallelism and DP overlap.
  Fixture f;
  SearchOptions options = Options(1024, 2048, 1536);
  options.threads = 2;
  const SearchResult r = SearchLayouts(f.Model("gpt3-175b"), f.Cluster("a100-sxm-80gb"), options);
  ASSERT_EQ(r.status, SearchStatus::kFeasible);
  EXPECT_GT(r.configs_evaluated, 1000000);
  EXPECT_TRUE(r.top.front().config.sequence_parallel || r.top.front().config.tp == 1);
  EXPECT_TRUE(r.top.front().config.dp_overlap);
  // The planner's reduced space (even interleaving, SP and overlap on) keeps the best layout.
  options.even_vp_only = true;
  options.sequence_parallel = true;
  options.dp_overlap = true;
  const SearchResult reduced = SearchLayouts(f.Model("gpt3-175b"), f.Cluster("a100-sxm-80gb"), options);
  EXPECT_LT(reduced.configs_evaluated, r.configs_evaluated / 4);
  EXPECT_LE(reduced.top.front().estimate.tokens_per_s, r.top.front().estimate.tokens_per_s);
}

// Search options for an fp8 run of 4,096-token sequences pinned to one
// layout family: tp, pp, ep, vp, micro-batch and ZeRO stage fixed, the rest
// (dp, cp, recompute, switches) searched.
SearchOptions Pinned(int gpus, int global_batch, int tp, int pp, int ep, int vp, int micro_batch, int zero) {
  SearchOptions options = Options(gpus, 4096, global_batch);
  options.precision = Precision::kFp8;
  options.tp = tp;
  options.pp = pp;
  options.ep = ep;
  options.vp = vp;
  options.micro_batch = micro_batch;
  options.zero = zero;
  return options;
}

TEST(Search, DeepSeeksOwnLayoutRecomputesTheModulesItNamed) {
  // DeepSeek-V3 on 2,048 H800 in the layout of its report (arXiv 2412.19437
  // §3.2-3.3: pp 16, ep 64, no tp, recomputing norms and MLA up-projections):
  // selective recompute does not fit, full recomputation is slower, the
  // recomputed modules are what the search picks. Under Megatron/TE's fp8
  // (the attention's 16-bit output kept beside its fp8 copy) the modules fit
  // with ZeRO 2, not with the report's ZeRO 1, so the stage is left to the search.
  Fixture f;
  SearchOptions options = Pinned(2048, 15360, 1, 16, 64, 1, 1, 1);
  options.zero.reset();
  options.cp = 1;
  const SearchResult r = SearchLayouts(f.Model("deepseek-v3"), f.Cluster("h800-sxm-80gb"), options);
  ASSERT_EQ(r.status, SearchStatus::kFeasible);
  EXPECT_EQ(r.top.front().config.recompute, Recompute::kModules);
  options.recompute = Recompute::kSelective;
  const SearchResult selective = SearchLayouts(f.Model("deepseek-v3"), f.Cluster("h800-sxm-80gb"), options);
  EXPECT_EQ(selective.status, SearchStatus::kInfeasible);
  // Four recompute choices for a MoE model with MLA, three for a dense one.
  EXPECT_EQ(r.configs_evaluated, 4 * selective.configs_evaluated);
  SearchOptions dense;
  dense.gpus = 8;
  dense.global_batch = 64;
  const SearchResult all = SearchLayouts(f.Model("llama-2-13b"), f.Cluster("a800-sxm-80gb"), dense);
  dense.recompute = Recompute::kSelective;
  EXPECT_EQ(all.configs_evaluated,
            3 * SearchLayouts(f.Model("llama-2-13b"), f.Cluster("a800-sxm-80gb"), dense).configs_evaluated);
}

TEST(Search, RecomputesOnlyTheLayersMemoryNeeds) {
  // Qwen3-235B in fp8 on 64 B200 with Megatron-Bridge's layout and
  // two-sequence micro-batches: selective recompute does not fit (255 GiB of
  // 179), every layer is not needed either (87 GiB).
  Fixture f;
  SearchOptions options = Pinned(64, 1024, 1, 8, 8, 2, 2, 1);
  options.recompute = Recompute::kFull;
  const SearchResult r = SearchLayouts(f.Model("qwen3-235b-a22b"), f.Cluster("b200-sxm-180gb"), options);
  ASSERT_EQ(r.status, SearchStatus::kFeasible);
  const ParallelConfig& best = r.top.front().config;
  EXPECT_GT(best.recompute_layers, 0);
  EXPECT_LT(best.recompute_layers, 12);  // 94 layers over 8 stages: 12 per stage
  EXPECT_TRUE(r.top.front().estimate.fits);
  ParallelConfig fewer = best;
  fewer.recompute_layers -= 1;
  EXPECT_GT(TrainingMemory(f.Model("qwen3-235b-a22b"), fewer).total_bytes,
            UsableBytes(f.catalog.FindAccelerator("b200-sxm-180gb").value()->memory_bytes));
  options.partial_recompute = false;
  const SearchResult all = SearchLayouts(f.Model("qwen3-235b-a22b"), f.Cluster("b200-sxm-180gb"), options);
  ASSERT_FALSE(all.top.empty());
  EXPECT_EQ(all.top.front().config.recompute_layers, 0);
  EXPECT_LT(all.top.front().estimate.tokens_per_s, r.top.front().estimate.tokens_per_s);
}

TEST(Search, PinsAreRespected) {
  Fixture f;
  SearchOptions options;
  options.gpus = 64;
  options.global_batch = 128;
  options.tp = 8;
  options.pp = 2;
  const SearchResult r = SearchLayouts(f.Model("llama-2-70b"), f.Cluster("a100-sxm-80gb"), options);
  ASSERT_FALSE(r.top.empty());
  for (const SearchCandidate& c : r.top) {
    EXPECT_EQ(c.config.tp, 8);
    EXPECT_EQ(c.config.pp, 2);
  }
}

TEST(Search, ExpertOverlapIsSearchedForMoeOnlyAndCanBePinned) {
  Fixture f;
  SearchOptions options;
  options.gpus = 16;
  options.global_batch = 256;
  options.precision = Precision::kFp8;
  // Megatron hides the all-to-all only without full (or block) recompute, which
  // is otherwise the best here: the overlap is compared under selective.
  options.recompute = Recompute::kSelective;
  const ModelSpec& moe = f.Model("qwen3-30b-a3b");
  const SearchResult free = SearchLayouts(moe, f.Cluster("h100-sxm-80gb"), options);
  ASSERT_FALSE(free.top.empty());
  EXPECT_TRUE(free.top.front().config.ep_overlap);  // never slower in the model
  options.ep_overlap = false;
  const SearchResult pinned = SearchLayouts(moe, f.Cluster("h100-sxm-80gb"), options);
  ASSERT_FALSE(pinned.top.empty());
  EXPECT_GT(free.configs_evaluated, pinned.configs_evaluated);  // both settings were evaluated
  for (const SearchCandidate& c : pinned.top) EXPECT_FALSE(c.config.ep_overlap);
  EXPECT_LT(pinned.top.front().estimate.tokens_per_s, free.top.front().estimate.tokens_per_s);
  // A dense model has no all-to-all to overlap, even when asked.
  options.ep_overlap = true;
  options.global_batch = 64;
  const SearchResult dense = SearchLayouts(f.Model("llama-2-7b"), f.Cluster("h100-sxm-80gb"), options);
  ASSERT_FALSE(dense.top.empty());
  for (const SearchCandidate& c : dense.top) EXPECT_FALSE(c.config.ep_overlap);
}

TEST(Search, ASwitchPinnedOffBindsOnlyWhereItChangesSomething) {
  // --dp-overlap off on 8 devices at tp 8 (one data-parallel rank) and
  // --sequence-parallel off at tp 1 used to leave no layout at all.
  Fixture f;
  const ModelSpec& m = f.Model("llama-2-7b");
  const ClusterSpec h100 = f.Cluster("h100-sxm-80gb");
  SearchOptions options = Options(8, 4096, 64);
  options.tp = 8;
  options.dp_overlap = false;
  const SearchResult no_dp = SearchLayouts(m, h100, options);
  ASSERT_EQ(no_dp.status, SearchStatus::kFeasible);
  for (const SearchCandidate& c : no_dp.top) EXPECT_EQ(c.config.dp * c.config.cp, 1);
  options = Options(8, 4096, 64);
  options.tp = 1;
  options.sequence_parallel = false;
  const SearchResult no_tp = SearchLayouts(m, h100, options);
  ASSERT_EQ(no_tp.status, SearchStatus::kFeasible);
  // Where the switch matters it still binds: every layout with dp > 1 runs without overlap.
  options = Options(8, 4096, 64);
  options.dp_overlap = false;
  const SearchResult pinned = SearchLayouts(m, h100, options);
  ASSERT_FALSE(pinned.top.empty());
  for (const SearchCandidate& c : pinned.top) {
    if (c.config.dp * c.config.cp > 1) {
      EXPECT_FALSE(c.config.dp_overlap);
    }
  }
}

TEST(Search, APartlyPinnedLayoutThatCannotRunNamesTheRuleItsPinsBreak) {
  // Each pin alone makes every layout invalid; the reason names that pin's
  // rule, not just "no valid layout".
  Fixture f;
  const ModelSpec& dense = f.Model("llama-2-7b");
  const ClusterSpec h100 = f.Cluster("h100-sxm-80gb");
  const auto reason = [&](const std::function<void(SearchOptions&)>& pin) {
    SearchOptions options = Options(8, 4096, 64);
    pin(options);
    const SearchResult r = SearchLayouts(dense, h100, options);
    EXPECT_EQ(r.status, SearchStatus::kInfeasible);
    return r.infeasible_reason;
  };
  EXPECT_NE(reason([](SearchOptions& o) { o.tp = 3; }).find("tp·pp·cp·dp = 3 does not divide the 8 devices"),
            std::string::npos);
  EXPECT_NE(reason([](SearchOptions& o) { o.ep = 8; }).find("has no experts"), std::string::npos);
  EXPECT_NE(reason([](SearchOptions& o) { o.micro_batch = 3; }).find("not a multiple of micro-batch 3"),
            std::string::npos);
  EXPECT_NE(reason([](SearchOptions& o) {
              o.pp = 1;
              o.vp = 2;
            }).find("needs pp>1"),
            std::string::npos);
  EXPECT_NE(reason([](SearchOptions& o) {
              o.cp = 8;
              o.seq_len = 1000;
            }).find("2*cp=16"),
            std::string::npos);
  // Pins that can each run but leave nothing together keep the plain reason.
  // (dp 8 × micro-batch 16 = 128 sequences, more than the 64 of the step.)
  const std::string together = reason([](SearchOptions& o) {
    o.dp = 8;
    o.micro_batch = 16;
  });
  EXPECT_TRUE(together.starts_with("no valid layout")) << together;
  EXPECT_TRUE(together.ends_with("(heads 32, layers 32)")) << together;
}

TEST(Search, NothingFitsIsAnAnswerWithAReason) {
  Fixture f;
  SearchOptions options;
  options.gpus = 2;
  options.global_batch = 8;
  const SearchResult r = SearchLayouts(f.Model("llama-2-70b"), f.Cluster("rtx-4090"), options);
  EXPECT_EQ(r.status, SearchStatus::kInfeasible);
  EXPECT_TRUE(r.top.empty());
  EXPECT_GT(r.rejected.at("does not fit in memory"), 0);
  EXPECT_NE(r.infeasible_reason.find("GiB"), std::string::npos);
}

}  // namespace
}  // namespace suanli

namespace suanli {
namespace {

TEST(SearchStack, UseStackSetsMemoryTermsAndKernel) {
  SearchOptions options;
  options.assumptions.kernel_overhead_s = 5e-6;  // a what-if the stack keeps
  UseStack(**FindStack("torchtitan"), options);
  EXPECT_EQ(options.memory.master_weights, MasterWeights::kShardedFp32);
  EXPECT_EQ(options.attention, AttentionKernel::kFlash2);
  EXPECT_FALSE(options.assumptions.fused_norm);
  EXPECT_DOUBLE_EQ(options.assumptions.kernel_overhead_s, 5e-6);
  EXPECT_FALSE(options.dp_overlap.has_value());
  SearchOptions megatron;
  UseStack(**FindStack(""), megatron);
  EXPECT_EQ(megatron.attention, AttentionKernel::kFused);
  EXPECT_DOUBLE_EQ(megatron.assumptions.stack_efficiency, 1.0);
}


// DeepSpeed's pipeline engine takes ZeRO 0 or 1 only and has no virtual
// stages: its search must never return either, while Megatron's may; a
// published (pinned) stage is taken as given.
TEST(SearchStack, DeepSpeedLayoutsKeepItsPipelineLimits) {
  Fixture f;
  SearchOptions options = Options(512, 4096, 512);
  options.top_k = 400;
  UseStack(**FindStack("deepspeed"), options);
  const SearchResult result = SearchLayouts(f.Model("llama-2-70b"), f.Cluster("h100-sxm-80gb"), options);
  ASSERT_EQ(result.status, SearchStatus::kFeasible);
  bool any_pipeline = false;
  for (const SearchCandidate& c : result.top) {
    any_pipeline = any_pipeline || c.config.pp > 1;
    if (c.config.pp > 1) {
      EXPECT_LE(c.config.zero, 1) << c.config.tp << "," << c.config.pp;
    }
    EXPECT_EQ(c.config.vp, 1) << c.config.tp << "," << c.config.pp << "," << c.config.vp;
    EXPECT_NE(c.config.recompute, Recompute::kModules);
  }
  EXPECT_TRUE(any_pipeline);
  SearchOptions megatron = Options(512, 4096, 512);
  megatron.top_k = 400;
  UseStack(**FindStack("megatron"), megatron);
  const SearchResult free = SearchLayouts(f.Model("llama-2-70b"), f.Cluster("h100-sxm-80gb"), megatron);
  bool megatron_interleaves = false;
  for (const SearchCandidate& c : free.top) megatron_interleaves = megatron_interleaves || c.config.vp > 1;
  EXPECT_TRUE(megatron_interleaves);
  EXPECT_GT(free.configs_evaluated, result.configs_evaluated);
  options.zero = 2;
  options.pp = 2;
  EXPECT_FALSE(CheckPinsAgainstStack(**FindStack("deepspeed"), options).ok());
  const SearchResult pinned = SearchLayouts(f.Model("llama-2-70b"), f.Cluster("h100-sxm-80gb"), options);
  for (const SearchCandidate& c : pinned.top) EXPECT_EQ(c.config.zero, 2);
}

TEST(SearchStack, PinsAreCheckedAgainstTheStack) {
  SearchOptions options;
  EXPECT_TRUE(CheckPinsAgainstStack(**FindStack("torchtitan"), options).ok());
  options.zero = 1;
  const Status titan = CheckPinsAgainstStack(**FindStack("torchtitan"), options);
  ASSERT_FALSE(titan.ok());
  EXPECT_NE(titan.error().message.find("ZeRO stage 1"), std::string::npos);
  EXPECT_EQ(titan.error().where, "--zero");
  options.dp = 1;  // a stage the stack lacks is refused whatever dp is (session 22)
  EXPECT_FALSE(CheckPinsAgainstStack(**FindStack("torchtitan"), options).ok());
  SearchOptions vp;
  vp.vp = 2;
  EXPECT_FALSE(CheckPinsAgainstStack(**FindStack("deepspeed"), vp).ok());
  EXPECT_TRUE(CheckPinsAgainstStack(**FindStack("megatron"), vp).ok());
}

TEST(Search, TheDefaultBatchIsOneThatAPinnedOrOddDataParallelSizeDivides) {
  Fixture f;
  // 24 devices, no batch given: a data-parallel size of 3, 6, 12 or 24 must be
  // possible (a power-of-two batch would allow only 1, 2, 4 and 8).
  SearchOptions options = Options(24, 4096, 0);
  options.tp = 1;
  options.pp = 1;
  const SearchResult any = SearchLayouts(f.Model("llama-2-7b"), f.Cluster("h100-sxm-80gb"), options);
  ASSERT_EQ(any.status, SearchStatus::kFeasible);
  EXPECT_EQ(any.top.front().config.dp, 24);
  EXPECT_EQ(any.top.front().config.global_batch % 24, 0);
  // A pinned dp of 6 and micro-batch of 2 on 48 devices: the batch is a multiple of 12.
  options = Options(48, 4096, 0);
  options.dp = 6;
  options.micro_batch = 2;
  const SearchResult pinned = SearchLayouts(f.Model("llama-2-7b"), f.Cluster("h100-sxm-80gb"), options);
  ASSERT_EQ(pinned.status, SearchStatus::kFeasible);
  EXPECT_EQ(pinned.top.front().config.global_batch % 12, 0);
  // 2,432 devices (19 x 128) at the 4M-token target (1,024 sequences): 1,216
  // (19 x 64), the nearer multiple, not 608, so that 2,432 devices do not
  // train on half the batch that 2,048 do.
  options = Options(2432, 4096, 0);
  options.tp = 1;
  options.pp = 1;
  const SearchResult odd = SearchLayouts(f.Model("llama-2-7b"), f.Cluster("h100-sxm-80gb"), options);
  ASSERT_EQ(odd.status, SearchStatus::kFeasible);
  EXPECT_EQ(odd.top.front().config.global_batch, 1216);
}

}  // namespace
}  // namespace suanli
