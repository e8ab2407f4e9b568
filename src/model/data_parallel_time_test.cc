#include "model/data_parallel_time.h"

#include <gtest/gtest.h>

namespace suanli {
namespace {

// tp 8 · pp 8 · dp 64 (ZeRO 2) with 1 G dense parameters per rank on a
// 1 GB/s network and no contention charge: every collective outlasts the
// compute it can hide behind, so the exposed time is the traffic less the
// window, which the test computes by hand.
struct Case {
  ParallelConfig config;
  PerfAssumptions assumptions;
  StageParams params;
  Fabric fabric;
  Case() {
    config.tp = 8;
    config.pp = 8;
    config.dp = 64;
    config.zero = 2;
    config.dp_overlap = true;
    assumptions.overlap_contention = 0;
    params.dense = 1e9;
    fabric.up_Bps = 1e12;
    fabric.out_Bps = 1e9;
  }
  // Returns the exposed data-parallel time with forward and backward
  // passes of 0.1 s and 0.2 s per micro-batch, 16 micro-batches.
  double Exposed() const {
    return DataParallelExposedTime(config, assumptions, params, fabric, 8, 10, 16, 0.1, 0.2);
  }
};

TEST(DataParallelTime, InterleavedChunksReduceWhileTheOtherChunksRunBackward) {
  Case a;
  a.config.vp = 1;
  const double plain = a.Exposed();
  a.config.dp_overlap = false;
  const double all = a.Exposed();  // reduce-scatter + all-gather, nothing hidden
  a.config.dp_overlap = true;
  // Without interleaving the window is one micro-batch: 0.2 s backward
  // behind the reduce-scatter, 0.1 s forward behind the all-gather (the
  // default dp_overlap share of it).
  const double share = PerfAssumptions{}.dp_overlap;
  EXPECT_NEAR(all - plain, share * (0.2 + 0.1), 1e-9);
  // vp 5: the last group has min(pp, 16) = 8 micro-batches, so the window is
  // (1 + 4·8)/5 = 6.6 micro-batch passes: 1.32 s and 0.66 s.
  a.config.vp = 5;
  EXPECT_NEAR(all - a.Exposed(), share * 6.6 * (0.2 + 0.1), 1e-9);
  // With fewer micro-batches than stages the group is the micro-batches:
  // 4 of them at vp 5 give (1 + 4·4)/5 = 3.4 passes.
  EXPECT_NEAR(all - DataParallelExposedTime(a.config, a.assumptions, a.params, a.fabric, 8, 10, 4, 0.1, 0.2),
              share * 3.4 * (0.2 + 0.1), 1e-9);
  // Without DP overlap interleaving hides nothing.
  a.config.dp_overlap = false;
  EXPECT_NEAR(a.Exposed(), all, 1e-12);
}

}  // namespace
}  // namespace suanli
