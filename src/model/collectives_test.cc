// Collective times against hand-computed numbers (ring: Thakur et al. 2005,
// NCCL busbw convention).
#include "model/collectives.h"

#include <gtest/gtest.h>

#include <cmath>

namespace suanli {
namespace {

constexpr double kGB = 1e9;

Fabric TwoTier() {
  Fabric f;
  f.up_Bps = 100 * kGB;
  f.out_Bps = 25 * kGB;
  f.up_latency_s = 10e-6;
  f.out_latency_s = 25e-6;
  return f;
}

TEST(CollectivesTest, RingAllReduceIsTwoPhasesPlusLatency) {
  // 8 ranks, 1 GB at 100 GB/s busbw: 2·7/8·1e9/1e11 = 17.5 ms, + 2·10 µs.
  EXPECT_DOUBLE_EQ(RingAllReduceTime(1 * kGB, 8, 100 * kGB, 10e-6), 0.0175 + 20e-6);
  EXPECT_DOUBLE_EQ(RingPhaseTime(1 * kGB, 8, 100 * kGB), 0.00875);
  EXPECT_DOUBLE_EQ(RingAllReduceTime(1 * kGB, 1, 100 * kGB, 10e-6), 0.0);
}

TEST(CollectivesTest, PlacementFollowsMegatronRankOrder) {
  // dp group of 16 with stride tp 4 on 8-device domains: 2 per domain, 8 domains.
  const GroupPlacement p = Place(16, 4, 8);
  EXPECT_EQ(p.ranks_per_domain, 2);
  EXPECT_EQ(p.domains, 8);
  // tp 8 (stride 1) fits one domain.
  EXPECT_EQ(Place(8, 1, 8).domains, 1);
}

TEST(CollectivesTest, HierarchicalPhaseByHand) {
  // 16 ranks, 2 per domain over 8 domains, 1 GB per rank: inside the domain
  // 1/2·1e9/1e11 = 5 ms + 10 µs; across, 7/8·(1e9/2)/2.5e10 = 17.5 ms + 25 µs.
  const double t = HierarchicalPhase(1 * kGB, Place(16, 4, 8), TwoTier());
  EXPECT_NEAR(t, 0.005 + 10e-6 + 0.0175 + 25e-6, 1e-15);
  // One domain: only the inner ring.
  EXPECT_NEAR(HierarchicalPhase(1 * kGB, Place(8, 1, 8), TwoTier()), 7.0 / 8 * 0.01 + 10e-6, 1e-15);
}

TEST(CollectivesTest, AllToAllByHand) {
  // 16 ranks, 8 per domain, 1.6 GB per rank: 0.1 GB per peer; 7 near peers
  // at 100 GB/s (7 ms + 10 µs), 8 far peers at 25 GB/s (32 ms + 25 µs).
  const double t = AllToAllTime(1.6 * kGB, Place(16, 1, 8), TwoTier());
  EXPECT_NEAR(t, 0.007 + 10e-6 + 0.032 + 25e-6, 1e-12);
}

TEST(CollectivesTest, ExpertDispatchPerNodeSendsATokenOncePerRemoteDomain) {
  // 64 ranks, 8 per domain over 8 domains; 8 copies of 1 MB per token-rank.
  const GroupPlacement p = Place(64, 1, 8);
  const Fabric f = TwoTier();
  // Per expert: 8 MB per rank, 125 KB per peer; 7 near peers at 100 GB/s
  // (8.75 µs + 10 µs), 56 far peers at 25 GB/s (280 µs + 25 µs).
  const double per_expert = 7 * 125e3 / (100 * kGB) + 10e-6 + 56 * 125e3 / (25 * kGB) + 25e-6;
  EXPECT_NEAR(ExpertAllToAllTime(1e6, ExpertRouting{8}, p, f, 0.0), per_expert, 1e-12);
  // Per node: 7·(1 − (7/8)^8) = 4.5947 network copies instead of 7; every
  // copy still crosses the domain's scale-up (8·7/8 MB at 100 GB/s: 80 µs),
  // beside the network leg (4.5947 MB at 25 GB/s + 25 µs: 208.8 µs), which
  // sets the time.
  const double network = 7.0 * (1.0 - std::pow(7.0 / 8.0, 8));
  EXPECT_NEAR(network, 4.5947, 1e-4);
  const double per_node = network * 1e6 / (25 * kGB) + 25e-6;
  EXPECT_NEAR(per_node, 208.79e-6, 0.01e-6);
  EXPECT_NEAR(ExpertAllToAllTime(1e6, ExpertRouting{8}, p, f, 1.0), per_node, 1e-12);
  EXPECT_LT(per_node, per_expert);
  EXPECT_NEAR(ExpertAllToAllTime(1e6, ExpertRouting{8}, p, f, 0.5), 0.5 * (per_expert + per_node), 1e-12);
  // Inside one domain there is nothing to save.
  EXPECT_DOUBLE_EQ(ExpertAllToAllTime(1e6, ExpertRouting{8}, Place(8, 1, 8), f, 1.0),
                   ExpertAllToAllTime(1e6, ExpertRouting{8}, Place(8, 1, 8), f, 0.0));
}

TEST(CollectivesTest, NodeLimitedRoutingReachesFewerDomains) {
  // DeepSeek-V3: 8 of 256 experts from at most 4 of 8 groups. Over 8 domains
  // (one group each) a given other domain is missed with C(7,4)/C(8,4) =
  // 35/70, so 7 · 0.5 = 3.5 remote domains, against 4.5947 unlimited.
  const ExpertRouting v3{8, 8, 4};
  EXPECT_NEAR(RemoteDomainsPerToken(8, v3), 3.5, 1e-12);
  EXPECT_NEAR(RemoteDomainsPerToken(8, ExpertRouting{8}), 7.0 * (1.0 - std::pow(7.0 / 8.0, 8)), 1e-12);
  // Over 4 domains (two groups each): C(6,4)/C(8,4) = 15/70 missed, 3 ·
  // 55/70 = 2.357; unlimited 3 · (1 − 0.75^8) = 2.700.
  EXPECT_NEAR(RemoteDomainsPerToken(4, v3), 3.0 * 55.0 / 70.0, 1e-12);
  // Over 16 domains (a group spans two): the copies spread over 4 · 2 = 8
  // domains, 8 · (1 − (7/8)^8) = 5.25 touched, 15/16 of them remote.
  EXPECT_NEAR(RemoteDomainsPerToken(16, v3), 15.0 / 16.0 * 8.0 * (1.0 - std::pow(7.0 / 8.0, 8)), 1e-12);
  // A limit as wide as the groups, or one domain, changes nothing.
  EXPECT_DOUBLE_EQ(RemoteDomainsPerToken(8, ExpertRouting{8, 8, 8}), RemoteDomainsPerToken(8, ExpertRouting{8}));
  EXPECT_DOUBLE_EQ(RemoteDomainsPerToken(1, v3), 0.0);
  // The per-node dispatch's network leg shrinks with it (25 GB/s + 25 µs);
  // per-expert dispatch does not change (each copy still travels).
  const GroupPlacement p = Place(64, 1, 8);
  EXPECT_NEAR(ExpertAllToAllTime(1e6, v3, p, TwoTier(), 1.0), 3.5e6 / (25 * kGB) + 25e-6, 1e-12);
  EXPECT_DOUBLE_EQ(ExpertAllToAllTime(1e6, v3, p, TwoTier(), 0.0),
                   ExpertAllToAllTime(1e6, ExpertRouting{8}, p, TwoTier(), 0.0));
}

TEST(CollectivesTest, PointToPointAndOverlap) {
  EXPECT_DOUBLE_EQ(PointToPointTime(1 * kGB, false, TwoTier()), 0.01 + 10e-6);
  EXPECT_DOUBLE_EQ(PointToPointTime(1 * kGB, true, TwoTier()), 0.04 + 25e-6);
  // 3 s beside a 2 s window: 1 s visible, 2 s hidden at 0.2 contention.
  EXPECT_DOUBLE_EQ(OverlappedTime(3.0, 2.0, 0.2), 1.0 + 0.2 * 2.0);
  // A part that never hides (the last bucket).
  EXPECT_DOUBLE_EQ(OverlappedTime(1.0, 5.0, 0.0, 0.25), 0.25);
}

}  // namespace
}  // namespace suanli
