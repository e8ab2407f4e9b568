// Layout defaults: dp from the device count, sequence length, global batch, the tp bound.
#include "workload/layout_defaults.h"

#include <gtest/gtest.h>

namespace suanli {
namespace {

ModelSpec Tiny(int max_seq_len) {
  ModelSpec m;
  m.id = "tiny";
  m.layers = 8;
  m.hidden = 1024;
  m.heads = m.kv_heads = 16;
  m.head_dim = 64;
  m.ffn_hidden = 4096;
  m.vocab = 1000;
  m.max_seq_len = max_seq_len;
  return m;
}

TEST(LayoutDefaults, SeqLen) {
  EXPECT_EQ(DefaultSeqLen(Tiny(0)), 4096);
  EXPECT_EQ(DefaultSeqLen(Tiny(2048)), 2048);
  EXPECT_EQ(DefaultSeqLen(Tiny(131072)), 4096);
}

// --global-batch counts sequences: a count of tokens given there (4M
// "sequences" of 4,096 tokens = 17T tokens a step) gets a note, a published
// batch (DeepSeek-V3: 15,360 × 4,096 ≈ 63M tokens) none.
TEST(LayoutDefaults, GlobalBatchInTokensGetsANote) {
  EXPECT_EQ(LargeGlobalBatchNote(15360, 4096, "--global-batch"), "");
  EXPECT_EQ(LargeGlobalBatchNote(1024, 4096, "--global-batch"), "");
  const std::string note = LargeGlobalBatchNote(4194304, 4096, "--global-batch");
  EXPECT_NE(note.find("--global-batch counts sequences, not tokens"), std::string::npos) << note;
  EXPECT_NE(note.find("--global-batch 1024"), std::string::npos) << note;
  EXPECT_NE(LargeGlobalBatchNote(30000, 4096, "train.global_batch").find("train.global_batch"), std::string::npos);
}

TEST(LayoutDefaults, DpAndGlobalBatchFromDevices) {
  LayoutRequest request;
  request.tp = 2;
  request.pp = 2;
  request.micro_batch = 2;
  auto config = CompleteLayout(request, Tiny(2048), 16);
  ASSERT_TRUE(config.ok()) << config.error().ToString();
  EXPECT_EQ(config->dp, 4);
  EXPECT_EQ(config->global_batch, 16);  // a full pipeline: dp * micro_batch * pp
  EXPECT_EQ(config->seq_len, 2048);
  request.pp = 1;
  EXPECT_EQ(CompleteLayout(request, Tiny(2048), 16)->global_batch, 16);  // dp 8 * micro_batch 2
  request.pp = 2;
  request.expert_tp = 2;
  EXPECT_EQ(CompleteLayout(request, Tiny(2048), 16)->expert_tp, 0);  // expert_tp == tp
}

TEST(LayoutDefaults, ErrorsNameTheFlag) {
  LayoutRequest request;
  request.tp = 4;
  EXPECT_EQ(CompleteLayout(request, Tiny(0), 2).error().where, "--gpus");
  EXPECT_EQ(CompleteLayout(request, Tiny(0), 6).error().where, "--gpus");
  request.dp = 3;
  EXPECT_EQ(CompleteLayout(request, Tiny(0), 8).error().where, "--dp");
  EXPECT_EQ(CompleteLayout(LayoutRequest{}, Tiny(0), 0).error().where, "--gpus");
  LayoutRequest int8;
  int8.precision = Precision::kInt8;
  EXPECT_EQ(CompleteLayout(int8, Tiny(0), 1).error().where, "--precision");
  // Learned positions end at the table's length; rotary ones only warn elsewhere.
  LayoutRequest long_sequences;
  long_sequences.seq_len = 1024;
  ModelSpec gpt2_like = Tiny(512);
  gpt2_like.learned_positions = true;
  EXPECT_EQ(CompleteLayout(long_sequences, gpt2_like, 1).error().where, "--seq-len");
  long_sequences.seq_len = 512;
  EXPECT_TRUE(CompleteLayout(long_sequences, gpt2_like, 1).ok());
  long_sequences.seq_len = 1024;
  EXPECT_TRUE(CompleteLayout(long_sequences, Tiny(512), 1).ok());
}

TEST(LayoutDefaults, SearchBaseKeepsOnlySettings) {
  LayoutRequest request;
  request.tp = 8;
  request.pp = 4;
  request.dp = 2;
  request.global_batch = 64;
  request.seq_len = 1024;
  request.recompute = Recompute::kFull;
  const LayoutRequest base = SearchBaseRequest(request);
  EXPECT_EQ(base.tp * base.pp * base.cp * base.ep * base.vp, 1);
  EXPECT_FALSE(base.dp.has_value());
  EXPECT_FALSE(base.global_batch.has_value());
  EXPECT_EQ(base.seq_len, 1024);
  EXPECT_EQ(base.recompute, Recompute::kFull);
}

}  // namespace
}  // namespace suanli
