// Step-model checks: formulas against hand computation and the qualitative
// truths the model must reproduce (issue 3), on the real embedded catalog.
#include "model/perf.h"

#include <gtest/gtest.h>

#include "catalog/catalog.h"
#include "model/model_flops.h"

namespace suanli {
namespace {

class PerfTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto loaded = Catalog::LoadEmbedded();
    ASSERT_TRUE(loaded.ok()) << loaded.error().ToString();
    catalog_ = new Catalog(std::move(loaded).value());
  }
  static void TearDownTestSuite() { delete catalog_; }

  static const ModelSpec& Model(const char* id) { return **catalog_->FindModel(id); }
  static ClusterSpec Cluster(const char* id) {
    const Accelerator* a = *catalog_->FindAccelerator(id);
    return MakeCluster(*a, catalog_->DefaultSystemFor(a->id));
  }
  static ParallelConfig Layout(int tp, int pp, int dp, int global_batch, int seq_len = 4096) {
    ParallelConfig c;
    c.tp = tp;
    c.pp = pp;
    c.dp = dp;
    c.global_batch = global_batch;
    c.seq_len = seq_len;
    c.recompute = Recompute::kSelective;
    c.zero = 1;
    return c;
  }
  static Catalog* catalog_;
};
Catalog* PerfTest::catalog_ = nullptr;

TEST_F(PerfTest, BreakdownSumsToStepTime) {
  const ModelSpec& m = Model("llama-2-70b");
  ParallelConfig c = Layout(8, 4, 2, 64);
  c.vp = 2;
  ASSERT_TRUE(ValidateLayout(m, c).ok());
  const StepEstimate e = EstimateStep(m, Cluster("a800-sxm-80gb"), c);
  const StepBreakdown& b = e.breakdown;
  const double sum = b.compute_s + b.recompute_s + b.tp_comm_s + b.cp_comm_s + b.ep_comm_s +
                     b.dp_comm_s + b.pp_comm_s + b.bubble_s + b.optimizer_s + b.moe_dispatch_s;
  EXPECT_NEAR(sum, e.step_time_s, 1e-9 * e.step_time_s);
  EXPECT_NEAR(e.tokens_per_s, 64.0 * 4096 / e.step_time_s, 1e-6 * e.tokens_per_s);
  EXPECT_NEAR(e.mfu, e.model_tflops_per_gpu * 1e12 / 312e12, 1e-12);
}

TEST_F(PerfTest, HardwareFlopsCountWhatRecomputeRepeats) {
  // Llama 2 70B at 4,096 tokens: the attention core is 6 · 80 · 4096 · 64 ·
  // 256 = 3.22e13 FLOPs per token (fwd + bwd); selective recompute runs its
  // forward, a third, once more in every layer; none adds nothing; full adds
  // a third of the model FLOPs.
  const ModelSpec& m = Model("llama-2-70b");
  EXPECT_DOUBLE_EQ(AttentionCoreFlopsPerToken(m, 4096), 6.0 * 80 * 4096 * 64 * 256);
  ParallelConfig c = Layout(8, 4, 2, 64);
  const StepEstimate selective = EstimateStep(m, Cluster("a800-sxm-80gb"), c);
  EXPECT_NEAR(selective.hw_tflops_per_gpu,
              selective.model_tflops_per_gpu +
                  6.0 * 80 * 4096 * 64 * 256 / 3.0 * selective.tokens_per_s_per_gpu / 1e12,
              1e-9 * selective.hw_tflops_per_gpu);
  c.recompute = Recompute::kNone;
  const StepEstimate none = EstimateStep(m, Cluster("a800-sxm-80gb"), c);
  EXPECT_DOUBLE_EQ(none.hw_tflops_per_gpu, none.model_tflops_per_gpu);
  c.recompute = Recompute::kFull;
  const StepEstimate full = EstimateStep(m, Cluster("a800-sxm-80gb"), c);
  EXPECT_NEAR(full.hw_tflops_per_gpu, full.model_tflops_per_gpu * 4.0 / 3.0, 1e-9 * full.hw_tflops_per_gpu);
}

TEST_F(PerfTest, UnevenInterleavingPaysForItsLargestChunk) {
  // 80 layers on pp 4: 20 per stage. vp 2 → chunks of 10, vp 3 → 7/7/6: the
  // bubble is (pp−1)·(micro-batch time)·largest chunk/stage layers.
  const ModelSpec& m = Model("llama-2-70b");
  ParallelConfig c = Layout(8, 4, 2, 64);
  c.vp = 2;
  const StepEstimate even = EstimateStep(m, Cluster("a100-sxm-80gb"), c);
  c.vp = 3;
  const StepEstimate uneven = EstimateStep(m, Cluster("a100-sxm-80gb"), c);
  EXPECT_NEAR(uneven.breakdown.bubble_s / even.breakdown.bubble_s, 7.0 / 10.0, 1e-9);
}

TEST_F(PerfTest, BlockRecomputeSitsBetweenSelectiveAndFull) {
  // 80 layers on pp 4: 20 per stage; recomputing 5 of them costs a quarter
  // of full recomputation and stores between the two.
  const ModelSpec& m = Model("llama-2-70b");
  ParallelConfig c = Layout(8, 4, 2, 64);
  c.recompute = Recompute::kFull;
  const StepEstimate full = EstimateStep(m, Cluster("a100-sxm-80gb"), c);
  c.recompute_layers = 5;
  ASSERT_TRUE(ValidateLayout(m, c).ok());
  const StepEstimate block = EstimateStep(m, Cluster("a100-sxm-80gb"), c);
  c.recompute = Recompute::kSelective;
  c.recompute_layers = 0;
  const StepEstimate selective = EstimateStep(m, Cluster("a100-sxm-80gb"), c);
  EXPECT_NEAR(block.breakdown.recompute_s, full.breakdown.recompute_s / 4, 1e-9);
  EXPECT_GT(block.memory.activations_bytes, full.memory.activations_bytes);
  EXPECT_LT(block.memory.activations_bytes, selective.memory.activations_bytes);
  c.recompute = Recompute::kSelective;
  c.recompute_layers = 3;
  EXPECT_FALSE(ValidateLayout(m, c).ok());
}

TEST_F(PerfTest, RecomputedModulesCostTheirForwardOnly) {
  // DeepSeek-V3 fp8 on 2,048 H800 in DeepSeek's own layout (pp 16, ep 64,
  // one-sequence micro-batches). Recomputing MLA's up-projections and the
  // experts' activation adds only those forwards: far less than full
  // recomputation; it stores far less than selective.
  const ModelSpec& m = Model("deepseek-v3");
  ParallelConfig c = Layout(1, 16, 128, 15360);
  c.ep = 64;
  c.precision = Precision::kFp8;
  const StepEstimate selective = EstimateStep(m, Cluster("h800-sxm-80gb"), c);
  c.recompute = Recompute::kModules;
  const StepEstimate modules = EstimateStep(m, Cluster("h800-sxm-80gb"), c);
  c.recompute = Recompute::kFull;
  const StepEstimate full = EstimateStep(m, Cluster("h800-sxm-80gb"), c);
  EXPECT_GT(modules.breakdown.recompute_s, 0.0);
  EXPECT_LT(modules.breakdown.recompute_s, 0.1 * full.breakdown.recompute_s);
  EXPECT_LT(modules.memory.activations_bytes, 0.75 * selective.memory.activations_bytes);
  EXPECT_GT(modules.memory.activations_bytes, full.memory.activations_bytes);
  // The layout DeepSeek ran (ZeRO 1) misses 80 GB cards with selective
  // recompute by far; with the modules recomputed it misses by under 3 GiB
  // under Megatron/Transformer Engine, which keep the fused attention's
  // 16-bit output beside the fp8 copy of the output projection's input
  // (DeepSeek's own framework stores that tensor once, in E5M6, §3.3.3).
  EXPECT_FALSE(selective.fits);
  EXPECT_GT(selective.memory.total_bytes - selective.usable_bytes, 20.0 * (1 << 30));
  EXPECT_FALSE(modules.fits);
  EXPECT_LT(modules.memory.total_bytes - modules.usable_bytes, 3.0 * (1 << 30));
  // For a dense model without MLA there is nothing to recompute: modules is none.
  ParallelConfig dense = Layout(8, 4, 2, 64);
  dense.recompute = Recompute::kNone;
  const StepEstimate dense_none = EstimateStep(Model("llama-2-70b"), Cluster("a100-sxm-80gb"), dense);
  dense.recompute = Recompute::kModules;
  const StepEstimate dense_modules = EstimateStep(Model("llama-2-70b"), Cluster("a100-sxm-80gb"), dense);
  EXPECT_EQ(dense_modules.step_time_s, dense_none.step_time_s);
  EXPECT_EQ(dense_modules.memory.total_bytes, dense_none.memory.total_bytes);
}

TEST_F(PerfTest, DistributedOptimizerGathersBf16AfterFp32Reduction) {
  // Without overlap, ZeRO-0 all-reduces fp32 gradients (2 phases x 4 B);
  // ZeRO-1 reduce-scatters them (4 B) and all-gathers bf16 parameters (2 B):
  // 3/4 of the traffic. fp16 training reduces 2-byte gradients.
  const ModelSpec& m = Model("llama-2-13b");
  ParallelConfig c = Layout(1, 1, 64, 64);
  c.dp_overlap = false;
  c.zero = 0;
  const double zero0 = EstimateStep(m, Cluster("a100-sxm-80gb"), c).breakdown.dp_comm_s;
  c.zero = 1;
  const double zero1 = EstimateStep(m, Cluster("a100-sxm-80gb"), c).breakdown.dp_comm_s;
  EXPECT_NEAR(zero1 / zero0, 0.75, 0.01);  // latencies make it inexact
  c.precision = Precision::kFp16;
  const double fp16 = EstimateStep(m, Cluster("a100-sxm-80gb"), c).breakdown.dp_comm_s;
  EXPECT_NEAR(fp16 / zero1, 4.0 / 6.0, 0.01);
}

TEST_F(PerfTest, SequenceParallelAndDpOverlapNeverSlowDown) {
  const ModelSpec& m = Model("llama-2-13b");
  ParallelConfig c = Layout(4, 1, 16, 256);
  const StepEstimate on = EstimateStep(m, Cluster("a800-sxm-80gb"), c);
  c.sequence_parallel = false;
  const StepEstimate no_sp = EstimateStep(m, Cluster("a800-sxm-80gb"), c);
  EXPECT_GT(no_sp.memory.activations_bytes, on.memory.activations_bytes);
  EXPECT_GE(no_sp.step_time_s, on.step_time_s);
  c.sequence_parallel = true;
  c.dp_overlap = false;
  const StepEstimate no_overlap = EstimateStep(m, Cluster("a800-sxm-80gb"), c);
  EXPECT_GT(no_overlap.breakdown.dp_comm_s, on.breakdown.dp_comm_s);
  EXPECT_DOUBLE_EQ(no_overlap.breakdown.compute_s, on.breakdown.compute_s);
}

TEST_F(PerfTest, Fp8PaysForQuantisingGemmInputs) {
  const ModelSpec& m = Model("llama-2-70b");
  ParallelConfig c = Layout(8, 1, 8, 64);
  c.precision = Precision::kFp8;
  PerfAssumptions no_cast;
  no_cast.fp8_cast_bytes_per_element = 0;
  const StepEstimate with_cast = EstimateStep(m, Cluster("h100-sxm-80gb"), c);
  const StepEstimate without = EstimateStep(m, Cluster("h100-sxm-80gb"), c, no_cast);
  EXPECT_GT(with_cast.breakdown.compute_s, without.breakdown.compute_s);
  // ...but fp8 still beats bf16 on a 70B model's large GEMMs.
  c.precision = Precision::kBf16;
  const StepEstimate bf16 = EstimateStep(m, Cluster("h100-sxm-80gb"), c);
  EXPECT_LT(with_cast.step_time_s, bf16.step_time_s);
}

TEST_F(PerfTest, MoeDispatchOverheadIsPerLayerPerMicroBatch) {
  const ModelSpec& m = Model("qwen3-30b-a3b");
  ParallelConfig c = Layout(1, 1, 8, 64);
  c.ep = 8;
  const StepEstimate e = EstimateStep(m, Cluster("h100-sxm-80gb"), c);
  const PerfAssumptions as;
  EXPECT_NEAR(e.breakdown.moe_dispatch_s, 48 * c.MicroBatches() * as.moe_dispatch_overhead_s, 1e-12);
  EXPECT_EQ(EstimateStep(Model("llama-2-13b"), Cluster("h100-sxm-80gb"), Layout(1, 1, 8, 64))
                .breakdown.moe_dispatch_s,
            0.0);
}

TEST_F(PerfTest, NarrowHeadsRunAttentionSlowerPerFlop) {
  // Same FLOPs, head dim 64 instead of 128: the attention core slows by
  // (64+34)/64 · 128/(128+34) = 1.2099 (d½ = 34). Its extra time, divided by
  // the extra time of halving attention_efficiency (= the core's FLOP time),
  // is that excess. Head dims above 128 are not credited (cap at 1).
  ModelSpec base = Model("llama-2-7b");  // 32 heads x 128
  ModelSpec narrow = base;
  narrow.heads = narrow.kv_heads = 64;
  narrow.head_dim = 64;
  ModelSpec wide = base;
  wide.heads = wide.kv_heads = 16;
  wide.head_dim = 256;
  const ClusterSpec cluster = Cluster("h100-sxm-80gb");
  const ParallelConfig c = Layout(1, 1, 1, 1);
  PerfAssumptions half_rate;
  half_rate.attention_efficiency /= 2;
  const double t128 = EstimateStep(base, cluster, c).breakdown.compute_s;
  const double core128 = EstimateStep(base, cluster, c, half_rate).breakdown.compute_s - t128;
  const double t64 = EstimateStep(narrow, cluster, c).breakdown.compute_s;
  EXPECT_NEAR((t64 - t128) / core128, (64.0 + 34.0) / 64.0 * 128.0 / (128.0 + 34.0) - 1.0, 1e-6);
  EXPECT_NEAR(EstimateStep(wide, cluster, c).breakdown.compute_s, t128, 1e-9 * t128);
}

TEST_F(PerfTest, SlidingWindowLayersAttendToTheWindowOnly) {
  // Llama-2-7B with a 1,024-token window on every layer at s = 4096: each
  // query sees w − w²/2s = 896 keys on average instead of s/2 = 2048, so the
  // attention core (measured by halving its efficiency) shrinks to 0.4375.
  ModelSpec windowed = Model("llama-2-7b");
  windowed.sliding_window = 1024;
  windowed.sliding_window_layers = windowed.layers;
  const ModelSpec& full = Model("llama-2-7b");
  const ClusterSpec cluster = Cluster("h100-sxm-80gb");
  ParallelConfig c = Layout(1, 1, 1, 1);
  PerfAssumptions half_rate;
  half_rate.attention_efficiency /= 2;
  const double t_full = EstimateStep(full, cluster, c).breakdown.compute_s;
  const double core_full = EstimateStep(full, cluster, c, half_rate).breakdown.compute_s - t_full;
  const double t_window = EstimateStep(windowed, cluster, c).breakdown.compute_s;
  // Kernel overheads are counted once per core in both, so compare the FLOP parts.
  const double saved = t_full - t_window;
  EXPECT_NEAR(saved / core_full, 1.0 - 896.0 / 2048.0, 1e-6);
  // Materialised attention computes every score anyway.
  c.attention = AttentionKernel::kUnfused;
  EXPECT_DOUBLE_EQ(EstimateStep(windowed, cluster, c).step_time_s, EstimateStep(full, cluster, c).step_time_s);
}

TEST_F(PerfTest, InterleavedPipelineSendsHideBehindTheNextChunk) {
  // Llama-2-70B, tp 8 × pp 4 × dp 2 on DGX A100: the stages sit in different
  // nodes. Plain 1F1B waits for every activation send (transfer + latency,
  // twice per micro-batch); interleaved (vp 2) overlaps each transfer with
  // the next chunk's forward (Megatron overlap_p2p_comm), leaving the
  // scale-out latency and the contention of the hidden transfer.
  const ModelSpec& m = Model("llama-2-70b");
  const ClusterSpec cluster = Cluster("a100-sxm-80gb");
  ParallelConfig c = Layout(8, 4, 2, 64);
  const StepEstimate plain = EstimateStep(m, cluster, c);
  c.vp = 2;
  const StepEstimate interleaved = EstimateStep(m, cluster, c);
  const PerfAssumptions as;
  const double transfer_s = plain.breakdown.pp_comm_s / (2.0 * c.MicroBatches()) - as.scale_out_latency_s;
  EXPECT_GT(transfer_s, 0.3e-3);  // 8.4 MB over one 200 Gb/s NIC
  EXPECT_NEAR(interleaved.breakdown.pp_comm_s,
              c.MicroBatches() * 2 * c.vp * (as.scale_out_latency_s + as.overlap_contention * transfer_s),
              1e-9);
}

TEST_F(PerfTest, UnfusedAttentionStreamsEveryScore) {
  // Llama-2-7B, one A100, one 4k sequence, no recomputation. Without flash
  // attention each layer streams b·a·s² scores through HBM at 9 B forward +
  // 11 B backward: adding 20 B per score adds 32·a·s²·20 / (hbm·η) seconds.
  const ModelSpec& m = Model("llama-2-7b");
  const ClusterSpec cluster = Cluster("a100-sxm-80gb");
  ParallelConfig c = Layout(1, 1, 1, 1);
  c.recompute = Recompute::kNone;
  const StepEstimate flash = EstimateStep(m, cluster, c);
  c.attention = AttentionKernel::kUnfused;
  const StepEstimate unfused = EstimateStep(m, cluster, c);
  EXPECT_GT(unfused.step_time_s, 1.1 * flash.step_time_s);
  EXPECT_GT(unfused.memory.activations_bytes, flash.memory.activations_bytes);  // the 5as/h scores
  PerfAssumptions heavier;
  heavier.unfused_score_bytes_forward += 9;
  heavier.unfused_score_bytes_backward += 11;
  const Accelerator& a100 = **catalog_->FindAccelerator("a100-sxm-80gb");
  const double scores = 32.0 * 4096 * 4096;
  const double expected_s = 32 * scores * 20 / (a100.memory_Bps * a100.efficiency.hbm);
  EXPECT_NEAR(EstimateStep(m, cluster, c, heavier).step_time_s - unfused.step_time_s, expected_s,
              1e-9 * expected_s);
  // Selective recompute re-runs the attention core's forward, unfused or
  // fused (Megatron checkpoints TransformerEngine's attention): its 32
  // layers' forward, which flash attention makes much shorter.
  c.recompute = Recompute::kSelective;
  const double unfused_recompute_s = EstimateStep(m, cluster, c).breakdown.recompute_s;
  c.attention = AttentionKernel::kFused;
  const double fused_recompute_s = EstimateStep(m, cluster, c).breakdown.recompute_s;
  EXPECT_GT(fused_recompute_s, 0.0);
  EXPECT_LT(fused_recompute_s, 0.5 * unfused_recompute_s);
}

TEST_F(PerfTest, FlashAttention2ClassKernelRunsAtTheAcceleratorsShareOfTheFusedRate) {
  // Llama-2-7B, one 4k sequence, no recomputation: a FlashAttention-2-class
  // kernel stretches the attention core by 1/attention_flash2 (0.62 on an H100,
  // FlashAttention-3 paper) and leaves memory alone; on an A100 it is the
  // fastest kernel, so nothing changes.
  const ModelSpec& m = Model("llama-2-7b");
  ParallelConfig c = Layout(1, 1, 1, 1);
  c.recompute = Recompute::kNone;
  ParallelConfig flash2 = c;
  flash2.attention = AttentionKernel::kFlash2;
  const ClusterSpec h100 = Cluster("h100-sxm-80gb");
  PerfAssumptions half_rate;
  half_rate.attention_efficiency /= 2;
  const StepEstimate fused = EstimateStep(m, h100, c);
  // The core's FLOP time at the default rate equals what halving the rate adds.
  const double core_s = EstimateStep(m, h100, c, half_rate).breakdown.compute_s - fused.breakdown.compute_s;
  const double share = h100.accelerator->efficiency.attention_flash2;
  EXPECT_DOUBLE_EQ(share, 0.62);
  EXPECT_NEAR(EstimateStep(m, h100, flash2).breakdown.compute_s - fused.breakdown.compute_s,
              core_s * (1.0 / share - 1.0), 1e-9);
  EXPECT_DOUBLE_EQ(EstimateStep(m, h100, flash2).memory.total_bytes, fused.memory.total_bytes);
  const ClusterSpec a100 = Cluster("a100-sxm-80gb");
  EXPECT_DOUBLE_EQ(EstimateStep(m, a100, flash2).step_time_s, EstimateStep(m, a100, c).step_time_s);
}

TEST_F(PerfTest, FsdpGathersAndTheGradientReduceShareTheLastBackward) {
  // 64 A100s on a 1 GB/s network, no contention charge, no recompute: every
  // collective outlasts the compute it hides behind. With gather time g,
  // reduce time r and forward/backward f, b per micro-batch, ZeRO-3 exposes
  // (g - f) per forward, (g - b) per backward and (g + r - b) in the last
  // one; ZeRO-2 exposes (r - b) + (g - f). So ZeRO-3 minus ZeRO-2 is g, and a
  // second micro-batch adds 2g - f - b.
  const ModelSpec& m = Model("llama-2-7b");
  ClusterSpec cluster = Cluster("a100-sxm-80gb");
  cluster.scale_out_Bps = 1e9;
  PerfAssumptions as;
  as.overlap_contention = 0;
  ParallelConfig c = Layout(1, 1, 64, 64);
  c.recompute = Recompute::kNone;
  auto dp_s = [&](int zero, int global_batch) {
    ParallelConfig x = c;
    x.zero = zero;
    x.global_batch = global_batch;
    return EstimateStep(m, cluster, x, as).breakdown.dp_comm_s;
  };
  const double one_step_compute = EstimateStep(m, cluster, c, as).breakdown.compute_s;  // f + b
  const double g = dp_s(3, 64) - dp_s(2, 64);
  EXPECT_GT(g, 0.0);
  EXPECT_NEAR(dp_s(3, 128) - dp_s(3, 64), 2.0 * g - one_step_compute, 1e-9);
}

TEST_F(PerfTest, FoldedExpertParallelismDropsTheMlpTensorCollectives) {
  // Qwen3-30B-A3B (every layer MoE) on 8 H100, tp 2 x dp 4, ep 4: experts
  // split over tp (ep inside dp) or whole (ep folded over tp). Folded, each
  // MoE layer keeps only the attention's two tensor-parallel collectives of
  // four, a rank holds whole experts (twice the expert weights of a split
  // rank), and the expert FLOPs are the same.
  const ModelSpec& m = Model("qwen3-30b-a3b");
  const ClusterSpec cluster = Cluster("h100-sxm-80gb");
  ParallelConfig split = Layout(2, 1, 4, 64);
  split.ep = 4;
  split.zero = 0;
  ParallelConfig folded = split;
  folded.expert_tp = 1;
  ASSERT_TRUE(ValidateLayout(m, split).ok());
  ASSERT_TRUE(ValidateLayout(m, folded).ok());
  const StepEstimate a = EstimateStep(m, cluster, split);
  const StepEstimate b = EstimateStep(m, cluster, folded);
  EXPECT_NEAR(b.breakdown.tp_comm_s, 0.5 * a.breakdown.tp_comm_s, 1e-12);
  EXPECT_GT(b.memory.weights_bytes, 1.5 * a.memory.weights_bytes);
  EXPECT_NEAR(b.breakdown.compute_s, a.breakdown.compute_s, 0.15 * a.breakdown.compute_s);
  // ep 8 divides tp*dp = 8 but not dp = 4: valid only folded.
  split.ep = folded.ep = 8;
  EXPECT_FALSE(ValidateLayout(m, split).ok());
  EXPECT_TRUE(ValidateLayout(m, folded).ok());
}

TEST_F(PerfTest, HiddenCommunicationSlowsTheComputeBesideIt) {
  // ZeRO-1 over 64 A100s: of the data-parallel traffic the backward hides,
  // overlap_contention (0.19, Lee et al. 2025) is charged to the step.
  const ModelSpec& m = Model("llama-2-13b");
  const ClusterSpec cluster = Cluster("a100-sxm-80gb");
  ParallelConfig c = Layout(1, 1, 64, 64);
  PerfAssumptions free_overlap;
  free_overlap.overlap_contention = 0;
  const double visible = EstimateStep(m, cluster, c, free_overlap).breakdown.dp_comm_s;
  const double charged = EstimateStep(m, cluster, c).breakdown.dp_comm_s;
  c.dp_overlap = false;
  const double total = EstimateStep(m, cluster, c).breakdown.dp_comm_s;
  EXPECT_GT(total, 2 * visible);  // most of it hides
  EXPECT_NEAR(charged - visible, PerfAssumptions{}.overlap_contention * (total - visible), 1e-12);
}

TEST_F(PerfTest, ExpertAllToAllHidesBehindAnotherMicroBatch) {
  // Qwen3-30B-A3B on 8 H100 (ep 8, 16 micro-batches of 4): each layer's
  // all-to-all is shorter than the other micro-batch's compute of that layer,
  // so with EP overlap only its contention share stays on the step.
  const ModelSpec& m = Model("qwen3-30b-a3b");
  const ClusterSpec cluster = Cluster("h100-sxm-80gb");
  ParallelConfig c = Layout(1, 1, 8, 512);
  c.ep = 8;
  c.micro_batch = 4;
  const StepEstimate off = EstimateStep(m, cluster, c);
  c.ep_overlap = true;
  const StepEstimate on = EstimateStep(m, cluster, c);
  EXPECT_GT(off.breakdown.ep_comm_s, 0.0);
  EXPECT_NEAR(on.breakdown.ep_comm_s, PerfAssumptions{}.overlap_contention * off.breakdown.ep_comm_s,
              1e-9 * off.breakdown.ep_comm_s);
  EXPECT_DOUBLE_EQ(on.breakdown.compute_s, off.breakdown.compute_s);
  // One micro-batch has nothing to pair with.
  c.global_batch = 32;
  const double single_on = EstimateStep(m, cluster, c).breakdown.ep_comm_s;
  c.ep_overlap = false;
  EXPECT_DOUBLE_EQ(single_on, EstimateStep(m, cluster, c).breakdown.ep_comm_s);
}

TEST_F(PerfTest, ChinaSkusLoseOnlyOnInterconnect) {
  const ModelSpec& m = Model("llama-2-70b");
  // Single device work: identical compute, identical time.
  ParallelConfig single = Layout(1, 1, 1, 1, 2048);
  const ModelSpec& small = Model("llama-2-7b");
  EXPECT_DOUBLE_EQ(EstimateStep(small, Cluster("a100-sxm-80gb"), single).breakdown.compute_s,
                   EstimateStep(small, Cluster("a800-sxm-80gb"), single).breakdown.compute_s);
  EXPECT_DOUBLE_EQ(EstimateStep(small, Cluster("h100-sxm-80gb"), single).step_time_s,
                   EstimateStep(small, Cluster("h800-sxm-80gb"), single).step_time_s);
  // Tensor parallelism over NVLink: the 400 GB/s parts are slower.
  const ParallelConfig tp8 = Layout(8, 1, 8, 64);
  const StepEstimate a100 = EstimateStep(m, Cluster("a100-sxm-80gb"), tp8);
  const StepEstimate a800 = EstimateStep(m, Cluster("a800-sxm-80gb"), tp8);
  EXPECT_GT(a800.step_time_s, a100.step_time_s * 1.03);
  EXPECT_GT(a800.breakdown.tp_comm_s, a100.breakdown.tp_comm_s * 1.3);
  EXPECT_DOUBLE_EQ(a800.breakdown.compute_s, a100.breakdown.compute_s);
  const StepEstimate h100 = EstimateStep(m, Cluster("h100-sxm-80gb"), tp8);
  const StepEstimate h800 = EstimateStep(m, Cluster("h800-sxm-80gb"), tp8);
  EXPECT_GT(h800.step_time_s, h100.step_time_s * 1.03);
}

TEST_F(PerfTest, ConsumerPcieServerLosesThroughCommunication) {
  const ModelSpec& m = Model("llama-2-13b");
  ParallelConfig c = Layout(8, 1, 1, 16, 4096);
  c.zero = 0;
  const StepEstimate rtx = EstimateStep(m, Cluster("rtx-4090"), c);
  const StepEstimate a100 = EstimateStep(m, Cluster("a100-sxm-80gb"), c);
  EXPECT_GT(rtx.step_time_s, 2.0 * a100.step_time_s);
  // Most of the gap is communication, not compute.
  const double comm_gap = rtx.breakdown.tp_comm_s - a100.breakdown.tp_comm_s;
  const double compute_gap = rtx.breakdown.compute_s - a100.breakdown.compute_s;
  EXPECT_GT(comm_gap, compute_gap);
}

TEST_F(PerfTest, MoreMicroBatchesShrinkTheBubbleShare) {
  const ModelSpec& m = Model("llama-2-70b");
  const ClusterSpec cluster = Cluster("h100-sxm-80gb");
  const StepEstimate few = EstimateStep(m, cluster, Layout(8, 8, 1, 8));
  const StepEstimate many = EstimateStep(m, cluster, Layout(8, 8, 1, 64));
  EXPECT_LT(many.breakdown.bubble_s / many.step_time_s, few.breakdown.bubble_s / few.step_time_s);
  EXPECT_GT(many.tokens_per_s_per_gpu, few.tokens_per_s_per_gpu);
  // Interleaving divides the bubble by vp (Narayanan 2021 §2.2.2).
  ParallelConfig interleaved = Layout(8, 8, 1, 64);
  interleaved.vp = 2;
  const StepEstimate il = EstimateStep(m, cluster, interleaved);
  EXPECT_LT(il.breakdown.bubble_s, 0.6 * many.breakdown.bubble_s);
}

TEST_F(PerfTest, SelectiveRecomputeBeatsFull) {
  const ModelSpec& m = Model("llama-2-13b");
  ParallelConfig selective = Layout(4, 1, 2, 16);
  ParallelConfig full = selective;
  full.recompute = Recompute::kFull;
  const ClusterSpec cluster = Cluster("a100-sxm-80gb");
  const StepEstimate s = EstimateStep(m, cluster, selective);
  const StepEstimate f = EstimateStep(m, cluster, full);
  EXPECT_LT(s.step_time_s, f.step_time_s);
  EXPECT_GT(f.breakdown.recompute_s, 0.2 * f.breakdown.compute_s);
  EXPECT_LT(f.memory.activations_bytes, s.memory.activations_bytes);
}

TEST_F(PerfTest, H20TrainsFarSlowerThanH800) {
  const ModelSpec& m = Model("llama-2-13b");
  const ParallelConfig c = Layout(2, 1, 4, 32);
  const StepEstimate h20 = EstimateStep(m, Cluster("h20-96gb"), c);
  const StepEstimate h800 = EstimateStep(m, Cluster("h800-sxm-80gb"), c);
  EXPECT_GT(h20.step_time_s, 3.0 * h800.step_time_s);
}

TEST_F(PerfTest, AStackScalesComputeByItsRateAndPaysForItsEagerKernels) {
  // Llama-2-7B on one H100: a stack's fitted rate divides the compute and
  // recompute time; eager norms, rotary and SwiGLU add element-wise time.
  const ModelSpec& m = Model("llama-2-7b");
  const ParallelConfig c = Layout(1, 1, 1, 1);
  const ClusterSpec h100 = Cluster("h100-sxm-80gb");
  const StepEstimate base = EstimateStep(m, h100, c);
  SoftwareStack slow = **FindStack("megatron");
  slow.efficiency = 0.8;
  const StepEstimate scaled = EstimateStep(m, h100, c, StackAssumptions(slow, {}));
  EXPECT_NEAR(scaled.breakdown.compute_s, base.breakdown.compute_s / 0.8, 1e-12);
  EXPECT_NEAR(scaled.breakdown.recompute_s, base.breakdown.recompute_s / 0.8, 1e-12);
  SoftwareStack eager = **FindStack("megatron");
  eager.fused_norm = eager.fused_rotary = eager.fused_swiglu = false;
  const StepEstimate unfused = EstimateStep(m, h100, c, StackAssumptions(eager, {}));
  EXPECT_GT(unfused.breakdown.compute_s, base.breakdown.compute_s);
  EXPECT_LT(unfused.breakdown.compute_s, 1.2 * base.breakdown.compute_s);
  EXPECT_DOUBLE_EQ(unfused.memory.total_bytes, base.memory.total_bytes);
}

TEST_F(PerfTest, ANodeAwareDispatcherShortensOnlyTheCrossNodeExpertAllToAll) {
  // Qwen3-30B-A3B (128 experts, top 8) over ep 16 on 8-GPU nodes (two
  // domains): the stack's dispatcher decides unless the run states one;
  // inside one node nothing changes.
  const ModelSpec& m = Model("qwen3-30b-a3b");
  const ClusterSpec h100 = Cluster("h100-sxm-80gb");
  ParallelConfig c = Layout(1, 1, 16, 64);
  c.ep = 16;
  PerfAssumptions per_expert;
  per_expert.expert_dispatch_per_node = 0;
  const PerfAssumptions nemo = StackAssumptions(**FindStack("nemo"), {});
  const PerfAssumptions deepspeed = StackAssumptions(**FindStack("deepspeed"), {});
  EXPECT_DOUBLE_EQ(nemo.expert_dispatch_per_node, 1.0);
  EXPECT_DOUBLE_EQ(deepspeed.expert_dispatch_per_node, 0.0);
  EXPECT_DOUBLE_EQ(StackAssumptions(**FindStack("nemo"), per_expert).expert_dispatch_per_node, 0.0);
  PerfAssumptions per_node;
  per_node.expert_dispatch_per_node = 1;
  EXPECT_DOUBLE_EQ(StackAssumptions(**FindStack("megatron"), per_node).expert_dispatch_per_node, 1.0);
  const double node_aware = EstimateStep(m, h100, c, nemo).breakdown.ep_comm_s;
  const double per_copy = EstimateStep(m, h100, c, deepspeed).breakdown.ep_comm_s;
  EXPECT_GT(node_aware, 0.0);
  EXPECT_LT(node_aware, per_copy);
  ParallelConfig one_node = Layout(1, 1, 8, 32);
  one_node.ep = 8;
  EXPECT_DOUBLE_EQ(EstimateStep(m, h100, one_node, nemo).breakdown.ep_comm_s,
                   EstimateStep(m, h100, one_node, deepspeed).breakdown.ep_comm_s);
}

TEST_F(PerfTest, TensorParallelOverlapHidesTheCollectivesBehindGemmsLessTheContention) {
  // Llama-2-70B at tp 8 on H100: the nemo stack (NVIDIA's recipes, TP comm
  // overlap on) pays only what outlasts the layer's compute plus the
  // contention share of what it hides; megatron (off by default) pays all.
  const ModelSpec& m = Model("llama-2-70b");
  const ClusterSpec h100 = Cluster("h100-sxm-80gb");
  const ParallelConfig c = Layout(8, 4, 2, 64);
  const PerfAssumptions megatron = StackAssumptions(**FindStack("megatron"), {});
  const PerfAssumptions nemo = StackAssumptions(**FindStack("nemo"), {});
  const StepEstimate plain = EstimateStep(m, h100, c, megatron);
  const StepEstimate hidden = EstimateStep(m, h100, c, nemo);
  const double exposed = plain.breakdown.tp_comm_s;
  ASSERT_GT(exposed, 0.05 * plain.step_time_s);
  ASSERT_LT(exposed, plain.breakdown.compute_s);  // all of it fits behind the GEMMs
  EXPECT_NEAR(hidden.breakdown.tp_comm_s, nemo.overlap_contention * exposed, 1e-9);
  EXPECT_DOUBLE_EQ(hidden.breakdown.compute_s, plain.breakdown.compute_s);
  EXPECT_LT(hidden.step_time_s, plain.step_time_s - 0.5 * exposed);
  // At tp 1 there is nothing to hide: the two stacks agree.
  const ParallelConfig no_tp = Layout(1, 8, 8, 64);
  EXPECT_DOUBLE_EQ(EstimateStep(m, h100, no_tp, nemo).breakdown.tp_comm_s, 0.0);
}

}  // namespace
}  // namespace suanli
