#include "validate/notes.h"

#include <gtest/gtest.h>

#include <string>

namespace suanli {
namespace {

TEST(Notes, ReferenceYearIsAStandaloneYear) {
  EXPECT_EQ(ReferenceYear("Narayanan et al. 2021 (SC'21) 'Efficient Large-Scale ...'"), 2021);
  EXPECT_EQ(ReferenceYear("Korthikanti et al. 2022 'Reducing Activation Recomputation' (MLSys'23)"), 2022);
  EXPECT_EQ(ReferenceYear("model table (images/model_table.png, added Jul 2024, commit 937571cfd4)"), 2024);
  EXPECT_EQ(ReferenceYear("README images/cases_april2021.png"), 0);         // inside a word
  EXPECT_EQ(ReferenceYear("blob/041336434916bdc0f88c1f89fda176fd3c2092e4/docs"), 0);  // inside a hash
  EXPECT_EQ(ReferenceYear("'25.11 NeMo Container' tables"), 0);
  EXPECT_EQ(ReferenceYear(""), 0);
  // Numbers that are not dates: a range, a batch size, a count before 2015.
  EXPECT_EQ(ReferenceYear("wandb run 123, step 1000-2000"), 0);
  EXPECT_EQ(ReferenceYear("steps 2016-2048 of the sweep"), 0);
  EXPECT_EQ(ReferenceYear("internal run, 1999 tokens warmup"), 0);
  EXPECT_EQ(ReferenceYear("gbs 1920"), 0);
  // Dates still are.
  EXPECT_EQ(ReferenceYear("run of 2025-01-03"), 2025);
  EXPECT_EQ(ReferenceYear("8-K filed 2023-10-24"), 2023);
  EXPECT_EQ(ReferenceYear("steps 1000-2000 of a run in Sep 2022"), 2022);
}

TEST(Notes, ScannersReadTheirPatternsAndNothingElse) {
  EXPECT_EQ(NotedHeadDim("head_dim 128 (heads*head_dim=4096 != hidden)"), 128);
  EXPECT_EQ(NotedHeadDim("x; head_dim 64 (heads*head_dim=4096)"), 64);
  EXPECT_EQ(NotedHeadDim("v_head_dim 128 (heads*head_dim=4096)"), 0);  // inside a longer name
  EXPECT_EQ(NotedHeadDim("head_dim 128, heads*head_dim=4096"), 0);
  EXPECT_EQ(NotedHeadDim("head_dim 12345678901 (heads*head_dim="), 0);  // absurd: not a figure
  EXPECT_EQ(NotedSlidingWindow("alternating full / 128-token sliding-window attention"), 128);
  EXPECT_EQ(NotedSlidingWindow("alternating full / sliding-window attention"), 0);
  const auto mla = NotedMla(
      "MLA attention (q_lora_rank 1536, kv_lora_rank 512, qk_nope 128 + qk_rope 64 head dim, v_head_dim 128)");
  ASSERT_TRUE(mla.has_value());
  EXPECT_EQ(mla->q_lora_rank, 1536);
  EXPECT_EQ(mla->qk_rope_head_dim, 64);
  EXPECT_EQ(mla->v_head_dim, 128);
  EXPECT_FALSE(NotedMla("MLA attention (q_lora_rank 1536, kv_lora_rank 512)").has_value());
  EXPECT_TRUE(NotesDefaultedZero("distributed-optimizer use not stated in table -> zero 0"));
  EXPECT_FALSE(NotesDefaultedZero("precision not stated in doc; FSDP2 1D -> zero 3"));
  EXPECT_FALSE(NotesDefaultedZero("-> zero 1, not stated"));
  EXPECT_TRUE(NotesDefaultedZero("a; b not stated -> zero 0; c"));
  EXPECT_EQ(ReferenceYear("x2021y 2019"), 2019);  // the year inside a word is skipped
  EXPECT_EQ(ReferenceYear("x2021y 1999"), 0);     // before 2015 a number is not a training-run date
}

TEST(Notes, AHundredThousandCharacterNoteIsScannedInLinearTime) {
  // A notes field of 100,000 characters with "not stated" and no ';' made
  // std::regex overflow the stack; the scanners go through it in one pass.
  std::string notes = "distributed optimizer not stated " + std::string(100000, 'x');
  EXPECT_FALSE(NotesDefaultedZero(notes));
  EXPECT_TRUE(NotesDefaultedZero(notes + " -> zero 0"));
  EXPECT_EQ(NotedHeadDim(notes), 0);
  EXPECT_EQ(NotedSlidingWindow(notes), 0);
  EXPECT_FALSE(NotedMla(notes).has_value());
  EXPECT_EQ(ReferenceYear(notes + " 2024"), 2024);
  std::string many;
  for (int i = 0; i < 20000; ++i) many += "flash head_dim selective not stated ";
  EXPECT_EQ(NotedHeadDim(many), 0);
  EXPECT_FALSE(NotesDefaultedZero(many));
}

}  // namespace
}  // namespace suanli
