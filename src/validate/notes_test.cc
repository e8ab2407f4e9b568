#include "validate/notes.h"

#include <gtest/gtest.h>

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
}

TEST(Notes, NameFlashAttention2ClassKernels) {
  EXPECT_TRUE(NamesFlash2ClassKernel("megatron-core core_v0.6.0, transformer-engine impl, flash attention 2"));
  EXPECT_TRUE(NamesFlash2ClassKernel("FlagScale@6fc099c, flash-attention 2; 'amp'"));
  EXPECT_TRUE(NamesFlash2ClassKernel("TE, flash-attn; 100 training steps"));
  EXPECT_TRUE(NamesFlash2ClassKernel("Composer/FSDP, Flash/Triton attention"));
  EXPECT_TRUE(NamesFlash2ClassKernel("xformers memory-efficient causal attention"));
  EXPECT_TRUE(NamesFlash2ClassKernel("FA2 kernels"));
  EXPECT_FALSE(NamesFlash2ClassKernel("flash-attn 3 (Hopper)"));
  EXPECT_FALSE(NamesFlash2ClassKernel("FlashAttention-3 via cuDNN"));
  EXPECT_FALSE(NamesFlash2ClassKernel("FA3; fp8"));
  EXPECT_FALSE(NamesFlash2ClassKernel("recompute per recipe, not stated in table"));
}
}  // namespace
}  // namespace suanli
