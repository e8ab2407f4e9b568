// Roofline GEMM and linear-layer times against hand computation.
#include "model/roofline.h"

#include <gtest/gtest.h>

namespace suanli {
namespace {

Rates Simple() {
  Rates r;
  r.gemm_flops = 100e12;
  r.hbm_Bps = 2e12;
  r.element_bytes = 2;
  r.kernel_overhead_s = 0;
  r.half_dim = 0;  // no shape penalty
  return r;
}

TEST(RooflineTest, LargeGemmIsFlopBound) {
  // 4096³: 2·4096³ = 1.374e11 FLOPs at 1e14 → 1.374 ms; bytes 3·4096²·2 = 0.1 GB → 50 µs.
  const double flops = 2.0 * 4096.0 * 4096.0 * 4096.0;
  EXPECT_DOUBLE_EQ(GemmTime(4096, 4096, 4096, Simple()), flops / 100e12);
}

TEST(RooflineTest, SkinnyGemmIsBandwidthBound) {
  // One row: bytes (k + k·n + n)·2 dominate.
  const double bytes = (4096.0 + 4096.0 * 4096.0 + 4096.0) * 2.0;
  EXPECT_DOUBLE_EQ(GemmTime(1, 4096, 4096, Simple()), bytes / 2e12);
}

TEST(RooflineTest, LinearBackwardIsTwoGemms) {
  const Rates r = Simple();
  const LinearTime t = Linear(8192, 4096, 4096, r);
  EXPECT_DOUBLE_EQ(t.forward_s, GemmTime(8192, 4096, 4096, r));
  EXPECT_DOUBLE_EQ(t.backward_s, 2.0 * t.forward_s);
  LinearTime sum;
  Add(sum, t, 3.0);
  EXPECT_DOUBLE_EQ(sum.forward_s, 3.0 * t.forward_s);
}

TEST(RooflineTest, GroupedGemmPaysOneLaunch) {
  Rates r = Simple();
  r.kernel_overhead_s = 5e-6;
  Rates no_launch = r;
  no_launch.kernel_overhead_s = 0;
  EXPECT_DOUBLE_EQ(GroupedGemmTime(8, 512, 1024, 1024, r), 8 * GemmTime(512, 1024, 1024, no_launch) + 5e-6);
}

}  // namespace
}  // namespace suanli
