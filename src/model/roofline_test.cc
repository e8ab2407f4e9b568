// Roofline GEMM and linear-layer times against hand computation.
#include "model/roofline.h"

#include <cmath>

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
  // 4096³: 2·4096³ = 1.374e11 FLOPs at 1e14 → 1.374 ms; bytes 3·4096²·2 = 0.1 GB → 50 µs;
  // √(1.374² + 0.050²) ms = 1.375 ms: the byte time adds 0.07%.
  const double flop_s = 2.0 * 4096.0 * 4096.0 * 4096.0 / 100e12;
  const double byte_s = 3.0 * 4096.0 * 4096.0 * 2.0 / 2e12;
  EXPECT_DOUBLE_EQ(GemmTime(4096, 4096, 4096, Simple()), std::sqrt(flop_s * flop_s + byte_s * byte_s));
  EXPECT_NEAR(GemmTime(4096, 4096, 4096, Simple()), flop_s, 0.001 * flop_s);
}

TEST(RooflineTest, SkinnyGemmIsBandwidthBound) {
  // One row: bytes (k + k·n + n)·2 dominate; the 2·4096² FLOPs add 0.02%.
  const double bytes = (4096.0 + 4096.0 * 4096.0 + 4096.0) * 2.0;
  EXPECT_NEAR(GemmTime(1, 4096, 4096, Simple()), bytes / 2e12, 0.001 * bytes / 2e12);
  EXPECT_GT(GemmTime(1, 4096, 4096, Simple()), bytes / 2e12);
}

TEST(RooflineTest, AtTheRidgeTheGemmTakesRootTwoTimesTheLargerTerm) {
  // m = n = k = 150, 2-byte operands: FLOPs 2·150³ = 6.75e6 → 67.5 ns at 1e14,
  // bytes 3·150²·2 = 135,000 → 67.5 ns at 2e12. At this ridge point the GEMM
  // takes √2 × 67.5 ns, not the hard roofline's 67.5 ns.
  EXPECT_DOUBLE_EQ(GemmTime(150, 150, 150, Simple()), std::sqrt(2.0) * 67.5e-9);
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
