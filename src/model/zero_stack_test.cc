// What the DeepSpeed and FSDP stacks keep and send under ZeRO: gradient
// dtype by stage, optimizer offload, and reduction per micro-batch.
#include <gtest/gtest.h>

#include "model/data_parallel_time.h"
#include "model/memory.h"
#include "model/perf.h"

namespace suanli {
namespace {

constexpr double kPsi = 7.6e9;  // Qwen2.5-7B's parameters

TEST(ZeroStack, DeepSpeedGradientsAreBf16UnderZeroAndFp32Without) {
  // engine.get_data_types(): grad_accum_dtype fp32 only for bf16 without ZeRO.
  const MemoryOptions ds = StackMemoryOptions(**FindStack("deepspeed"));
  EXPECT_DOUBLE_EQ(ModelStateBytes(kPsi, 0, 8, Precision::kBf16, ds).gradients_bytes, 4 * kPsi);
  EXPECT_DOUBLE_EQ(ModelStateBytes(kPsi, 1, 8, Precision::kBf16, ds).gradients_bytes, 2 * kPsi);
  EXPECT_DOUBLE_EQ(ModelStateBytes(kPsi, 3, 8, Precision::kBf16, ds).gradients_bytes, 2 * kPsi / 8);
  // Megatron keeps fp32 main grads at every stage.
  const MemoryOptions megatron = StackMemoryOptions(**FindStack("megatron"));
  EXPECT_DOUBLE_EQ(ModelStateBytes(kPsi, 3, 8, Precision::kBf16, megatron).gradients_bytes, 4 * kPsi / 8);
  // The reduction sends what the stack keeps.
  ParallelConfig c;
  c.precision = Precision::kBf16;
  const PerfAssumptions as = StackAssumptions(**FindStack("deepspeed"), PerfAssumptions{});
  c.zero = 0;
  EXPECT_DOUBLE_EQ(ReducedGradientBytes(c, as), 4.0);
  c.zero = 2;
  EXPECT_DOUBLE_EQ(ReducedGradientBytes(c, as), 2.0);
  EXPECT_DOUBLE_EQ(ReducedGradientBytes(c, StackAssumptions(**FindStack("megatron"), PerfAssumptions{})), 4.0);
}

TEST(ZeroStack, OptimizerOffloadMovesStatesAndGradientPartitionToTheHost) {
  MemoryOptions ds = StackMemoryOptions(**FindStack("deepspeed"));
  ds.optimizer_offload = true;
  // ZeRO-3 + offload_optimizer: only the 16-bit parameter shard stays.
  const MemoryBreakdown z3 = ModelStateBytes(kPsi, 3, 8, Precision::kBf16, ds);
  EXPECT_DOUBLE_EQ(z3.weights_bytes, 2 * kPsi / 8);
  EXPECT_DOUBLE_EQ(z3.gradients_bytes, 0.0);
  EXPECT_DOUBLE_EQ(z3.optimizer_bytes, 0.0);
  // ZeRO-1 keeps the full 16-bit gradients on the device until the step.
  EXPECT_DOUBLE_EQ(ModelStateBytes(kPsi, 1, 8, Precision::kBf16, ds).gradients_bytes, 2 * kPsi);
  // Offload is a ZeRO option: without ZeRO nothing moves.
  EXPECT_DOUBLE_EQ(ModelStateBytes(kPsi, 0, 8, Precision::kBf16, ds).optimizer_bytes, 12 * kPsi);
}

TEST(ZeroStack, StacksThatReduceEveryMicroBatchPayItPerMicroBatch) {
  EXPECT_TRUE((*FindStack("deepspeed"))->reduce_every_micro_batch);
  EXPECT_TRUE((*FindStack("fsdp"))->reduce_every_micro_batch);
  EXPECT_TRUE((*FindStack("torchtitan"))->reduce_every_micro_batch);
  EXPECT_FALSE((*FindStack("megatron"))->reduce_every_micro_batch);
  ParallelConfig c;
  c.dp = 64;
  c.zero = 2;
  c.dp_overlap = false;  // nothing hidden: the traffic itself
  StageParams params;
  params.dense = 1e9;
  Fabric fabric;
  fabric.up_Bps = 1e12;
  fabric.out_Bps = 1e9;
  PerfAssumptions once;
  once.grad_bytes_per_param = 2;
  PerfAssumptions every = once;
  every.reduce_every_micro_batch = true;
  auto exposed = [&](const PerfAssumptions& as, int micro_batches) {
    return DataParallelExposedTime(c, as, params, fabric, 8, 10, micro_batches, 0.1, 0.2);
  };
  const double gather_s = exposed(once, 1) / 2;  // one reduce-scatter and one all-gather of 2 B elements
  EXPECT_NEAR(exposed(once, 8), 2 * gather_s, 1e-9);
  EXPECT_NEAR(exposed(every, 8), 9 * gather_s, 1e-9);  // 8 reduce-scatters + 1 all-gather
  EXPECT_NEAR(exposed(every, 1), exposed(once, 1), 1e-12);
  // ZeRO 1 reduces at the accumulation boundary only, whatever the stack.
  c.zero = 1;
  EXPECT_NEAR(exposed(every, 8), exposed(once, 8), 1e-12);
  // ZeRO 3: each micro-batch's backward reduce-scatters beside its gathers.
  c.zero = 3;
  EXPECT_NEAR(exposed(every, 8) - exposed(once, 8), 7 * gather_s, 1e-9);
}

}  // namespace
}  // namespace suanli
