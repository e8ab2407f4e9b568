// The short layout text and the train flags: every setting that changes a
// predicted step time is named, so a number can be reproduced from its text.
#include "report/layout_text.h"

#include <gtest/gtest.h>

namespace suanli {
namespace {

// The layout compare found for qwen2.5-14b on 16 L40S with torchtitan at 8k
// tokens: its text once read "tp1 pp2 dp2 cp4", and `train` with those flags
// alone (zero 3, selective by default) predicted less than half the speed.
ParallelConfig CompareLayout() {
  ParallelConfig c;
  c.tp = 1;
  c.pp = 2;
  c.dp = 2;
  c.cp = 4;
  c.vp = 3;
  c.micro_batch = 1;
  c.global_batch = 512;
  c.seq_len = 8192;
  c.zero = 2;
  c.recompute = Recompute::kNone;
  c.attention = AttentionKernel::kFlash2;
  return c;
}

TEST(LayoutText, NamesEverySettingThatChangesTheStepTime) {
  EXPECT_EQ(LayoutSettingsText(CompareLayout()), "tp1 pp2 dp2 cp4 vp3 mb1 zero2 none flash2-attention");
  EXPECT_EQ(LayoutText(CompareLayout()), "tp1 pp2 dp2 cp4");  // the ranks only: not for a number
  ParallelConfig moe;
  moe.tp = 2;
  moe.dp = 8;
  moe.ep = 8;
  moe.expert_tp = 1;
  moe.micro_batch = 2;
  moe.recompute = Recompute::kFull;
  moe.recompute_layers = 4;
  moe.ep_overlap = true;
  moe.sequence_parallel = false;
  moe.dp_overlap = false;
  EXPECT_EQ(LayoutSettingsText(moe), "tp2 pp1 dp8 ep8 etp1 mb2 zero1 full(4/stage) no-sp no-dp-overlap ep-overlap");
}

TEST(LayoutText, TrainFlagsReproduceTheLayoutAndBatch) {
  EXPECT_EQ(TrainFlagsText(CompareLayout()),
            "--tp 1 --pp 2 --dp 2 --cp 4 --vp 3 --micro-batch 1 --global-batch 512 --seq-len 8192 --zero 2 "
            "--recompute none --attention flash2");
  ParallelConfig moe;
  moe.dp = 8;
  moe.ep = 8;
  moe.tp = 2;
  moe.expert_tp = 1;
  moe.ep_overlap = true;
  moe.precision = Precision::kFp8;
  moe.recompute = Recompute::kFull;
  moe.recompute_layers = 2;
  EXPECT_EQ(TrainFlagsText(moe),
            "--tp 2 --pp 1 --dp 8 --ep 8 --expert-tp 1 --micro-batch 1 --global-batch 1 --seq-len 2048 --zero 1 "
            "--recompute full --recompute-layers 2 --precision fp8 --ep-overlap on");
}

TEST(LayoutText, TrainCommandNamesTheStackAndQuotesPaths) {
  const TrainCommandSubject subject{"my models/qwen.json", "l40s-48gb", 16, "torchtitan", {"mfu_cap=0.5"}};
  EXPECT_EQ(TrainCommandText(subject, CompareLayout()),
            "suanli train --model 'my models/qwen.json' --accel l40s-48gb --gpus 16 " +
                TrainFlagsText(CompareLayout()) + " --stack torchtitan --assume mfu_cap=0.5");
  // The default stack is left out.
  const TrainCommandSubject plain{"llama-3-8b", "h100-sxm-80gb", 8, "megatron", {}};
  EXPECT_EQ(TrainCommandText(plain, ParallelConfig{}).find("--stack"), std::string::npos);
}

}  // namespace
}  // namespace suanli
