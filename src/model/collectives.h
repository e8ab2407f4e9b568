// Collective and point-to-point communication times on a two-tier fabric
// (scale-up domain, scale-out network), at achievable bus bandwidths.
#pragma once

namespace suanli {

// Achievable per-device bus bandwidths and latencies of the two fabric tiers.
struct Fabric {
  double up_Bps = 1;         // scale-up bus bandwidth per device, bytes/s
  double out_Bps = 1;        // scale-out bus bandwidth per device, bytes/s
  double up_latency_s = 0;   // per collective inside a scale-up domain, seconds
  double out_latency_s = 0;  // per collective across domains, seconds
};

// How a communication group maps onto the two fabric tiers.
struct GroupPlacement {
  int ranks = 1;             // group size
  int ranks_per_domain = 1;  // members sharing one scale-up domain
  int domains = 1;           // scale-up domains the group spans
};

// Returns the placement of a group of `ranks` members `stride` ranks apart
// (Megatron rank order) on scale-up domains of `domain` devices.
GroupPlacement Place(int ranks, int stride, int domain);

// Returns seconds of one ring reduce-scatter or all-gather phase of `bytes`
// per rank over `ranks` ranks at `bus_Bps`: (n-1)/n · bytes / busbw, no latency.
double RingPhaseTime(double bytes, int ranks, double bus_Bps);

// Returns seconds of a ring all-reduce of `bytes` over `ranks` ranks on one
// tier: 2(n-1)/n · bytes / busbw + 2 · latency_s (reduce-scatter + all-gather).
double RingAllReduceTime(double bytes, int ranks, double bus_Bps, double latency_s);

// Returns seconds of a hierarchical reduce-scatter (or all-gather) of `bytes`
// per rank: a ring phase inside each domain, then one across domains on
// 1/ranks_per_domain of the data, each adding its tier's latency.
double HierarchicalPhase(double bytes, const GroupPlacement& p, const Fabric& f);

// Returns seconds of an all-to-all of `bytes` per rank (each rank keeps
// 1/n): peers in the domain over scale-up, the rest over scale-out, one
// latency per tier used.
double AllToAllTime(double bytes, const GroupPlacement& p, const Fabric& f);

// Returns seconds of one point-to-point send of `bytes` between ranks in
// different domains (`cross_domain`) or in the same one: bytes / bw + latency.
double PointToPointTime(double bytes, bool cross_domain, const Fabric& f);

// Returns the seconds `comm_s` of communication beside `window_s` of compute
// adds to the critical path: the part longer than the window (at least
// `min_visible_s`, a part that never hides) plus `contention` times the
// hidden part (compute slowed by the kernels it shares the device with).
double OverlappedTime(double comm_s, double window_s, double contention, double min_visible_s = 0.0);

}  // namespace suanli
