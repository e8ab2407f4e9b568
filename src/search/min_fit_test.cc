// Minimum devices to fit: the answer agrees with the layout search on that
// size and one fewer, and grows as device memory shrinks.
#include "search/min_fit.h"

#include <cmath>

#include <gtest/gtest.h>

#include "catalog/catalog.h"

namespace suanli {
namespace {

struct MinFitFixture {
  Catalog catalog = *Catalog::LoadEmbedded();
  const Accelerator& Accel(const char* id) const { return **catalog.FindAccelerator(id); }
  ClusterSpec Cluster(const char* id) const {
    return MakeCluster(Accel(id), catalog.DefaultSystemFor(Accel(id).id));
  }
  const ModelSpec& Model(const char* id) const { return **catalog.FindModel(id); }
};

SearchOptions Workload() {
  SearchOptions o;
  o.seq_len = 4096;
  return o;
}

TEST(MinFitTest, TheSearchFindsAFitThereAndNoneOnOneFewer) {
  MinFitFixture f;
  const ModelSpec& m = f.Model("llama-2-70b");
  const ClusterSpec cluster = f.Cluster("a100-sxm-40gb");
  const MinFit fit = MinTrainingDevices(m, cluster, Workload(), 16384);
  ASSERT_TRUE(fit.found) << fit.reason;
  EXPECT_EQ(fit.train.Devices(), fit.devices);
  EXPECT_LE(fit.train.tp, cluster.scale_up_domain);
  EXPECT_TRUE(ValidateLayout(m, fit.train).ok());
  EXPECT_LE(fit.memory.total_bytes, UsableBytes(f.Accel("a100-sxm-40gb").memory_bytes));
  // The layout search itself agrees one device below.
  SearchOptions below = Workload();
  below.gpus = fit.devices - 1;
  below.max_tp = cluster.scale_up_domain;
  // The min-fit global batch: a multiple of the size near 4M tokens.
  below.global_batch = below.gpus * static_cast<int>(std::ceil(1024.0 / below.gpus));
  EXPECT_EQ(SearchLayouts(m, cluster, below).status, SearchStatus::kInfeasible);
}

TEST(MinFitTest, GrowsWhenCapacityShrinks) {
  MinFitFixture f;
  const ModelSpec& m = f.Model("llama-2-70b");
  const MinFit big = MinTrainingDevices(m, f.Cluster("a100-sxm-80gb"), Workload(), 16384);
  const MinFit small = MinTrainingDevices(m, f.Cluster("a100-sxm-40gb"), Workload(), 16384);
  ASSERT_TRUE(big.found);
  ASSERT_TRUE(small.found);
  EXPECT_LT(big.devices, small.devices);
  const MinFit none = MinTrainingDevices(m, f.Cluster("rtx-4090"), Workload(), 8);
  EXPECT_FALSE(none.found);
  EXPECT_FALSE(none.reason.empty());
}

TEST(MinFitTest, ServingNeedsFewerDevicesThanTraining) {
  MinFitFixture f;
  const ModelSpec& m = f.Model("llama-2-70b");
  InferenceConfig serve;
  const MinFit fit = MinServingDevices(m, f.Cluster("a100-sxm-80gb"), serve, 64);
  ASSERT_TRUE(fit.found);
  EXPECT_EQ(fit.devices, fit.infer.tp * fit.infer.pp);
  EXPECT_EQ(fit.devices, 2);  // 140 GB of bf16 weights over two 80 GB cards
}

}  // namespace
}  // namespace suanli
