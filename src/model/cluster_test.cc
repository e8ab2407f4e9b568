// The links a job needs: a catalog entry without a scale-out (or scale-up)
// figure is refused where a layout uses that link, never given another's speed.
#include "model/cluster.h"

#include <gtest/gtest.h>

namespace suanli {
namespace {

Accelerator Part(double up_Bps, int domain, double out_Bps) {
  Accelerator a;
  a.id = "myacc-96";
  a.where = "f.yaml:3:5 accelerators[0]";
  a.scale_up_Bps = up_Bps;
  a.scale_up_domain = domain;
  a.scale_out_Bps = out_Bps;
  return a;
}

TEST(ClusterLinks, ScaleOutMissingRefusesJobsBeyondOneDomain) {
  const Accelerator a = Part(400e9, 8, 0);
  const ClusterSpec cluster = MakeCluster(a, nullptr);
  EXPECT_TRUE(CheckClusterLinks(cluster, 1).ok());
  EXPECT_TRUE(CheckClusterLinks(cluster, 8).ok());
  const Status wide = CheckClusterLinks(cluster, 64);
  ASSERT_FALSE(wide.ok());
  EXPECT_EQ(wide.error().where, "f.yaml:3:5 accelerators[0].scale_out.bandwidth_per_direction");
  EXPECT_NE(wide.error().message.find("64 devices span 8 scale-up domains of 8"), std::string::npos)
      << wide.error().ToString();
  // No silent fallback to the scale-up speed between domains.
  EXPECT_LE(MakeFabric(cluster, PerfAssumptions{}).out_Bps, 1.0);
}

TEST(ClusterLinks, NoLinksAtAllRefusesAnythingButOneDevice) {
  const Accelerator a = Part(0, 1, 0);  // neither scale_up nor scale_out
  const ClusterSpec cluster = MakeCluster(a, nullptr);
  EXPECT_TRUE(CheckClusterLinks(cluster, 1).ok());
  const Status two = CheckClusterLinks(cluster, 2);
  ASSERT_FALSE(two.ok());
  EXPECT_NE(two.error().where.find("scale_out.bandwidth_per_direction"), std::string::npos);
  // A domain without its bandwidth: refused once two devices share it.
  const Accelerator no_up = Part(0, 8, 50e9);
  const ClusterSpec up_only = MakeCluster(no_up, nullptr);
  EXPECT_TRUE(CheckClusterLinks(up_only, 1).ok());
  const Status shared = CheckClusterLinks(up_only, 4);
  ASSERT_FALSE(shared.ok());
  EXPECT_EQ(shared.error().where, "f.yaml:3:5 accelerators[0].scale_up.bandwidth_per_direction");
}

TEST(ClusterLinks, ASystemsNicsSupplyTheScaleOut) {
  const Accelerator a = Part(400e9, 8, 0);
  System node;
  node.accelerators_per_node = 8;
  node.scale_up_domain = 8;
  node.nics = 8;
  node.nic_Bps = 50e9;
  EXPECT_TRUE(CheckClusterLinks(MakeCluster(a, &node), 64).ok());
}

}  // namespace
}  // namespace suanli
