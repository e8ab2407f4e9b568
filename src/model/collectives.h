// Collective and point-to-point communication times on a two-tier fabric
// (scale-up domain, scale-out network), at achievable bus bandwidths.
#pragma once

#include <algorithm>

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

// Place, RingPhaseTime, HierarchicalPhase and OverlappedTime are inline:
// every step estimate of the layout search calls them.

// Returns the placement of a group of `ranks` members `stride` ranks apart
// (Megatron rank order) on scale-up domains of `domain` devices.
inline GroupPlacement Place(int ranks, int stride, int domain) {
  GroupPlacement p;
  p.ranks = ranks;
  const int per_domain = std::max(1, domain / std::max(1, stride));
  p.ranks_per_domain = std::min(ranks, per_domain);
  p.domains = (ranks + p.ranks_per_domain - 1) / p.ranks_per_domain;
  return p;
}

// Returns seconds of one ring reduce-scatter or all-gather phase of `bytes`
// per rank over `ranks` ranks at `bus_Bps`: (n-1)/n · bytes / busbw, no latency.
inline double RingPhaseTime(double bytes, int ranks, double bus_Bps) {
  if (ranks <= 1 || bytes <= 0) return 0.0;
  return (ranks - 1.0) / ranks * bytes / bus_Bps;
}

// Returns seconds of a ring all-reduce of `bytes` over `ranks` ranks on one
// tier: 2(n-1)/n · bytes / busbw + 2 · latency_s (reduce-scatter + all-gather).
double RingAllReduceTime(double bytes, int ranks, double bus_Bps, double latency_s);

// Returns seconds of a hierarchical reduce-scatter (or all-gather) of `bytes`
// per rank: a ring phase inside each domain, then one across domains on
// 1/ranks_per_domain of the data, each adding its tier's latency; every
// member uses its own NIC (rail-optimised clusters; NCCL runs one ring per NIC).
inline double HierarchicalPhase(double bytes, const GroupPlacement& p, const Fabric& f) {
  if (p.ranks <= 1) return 0.0;
  double time = 0.0;
  if (p.ranks_per_domain > 1) {
    time += RingPhaseTime(bytes, p.ranks_per_domain, f.up_Bps) + f.up_latency_s;
  }
  if (p.domains > 1) {
    time += RingPhaseTime(bytes / p.ranks_per_domain, p.domains, f.out_Bps) + f.out_latency_s;
  }
  return time;
}

// Returns seconds of an all-to-all of `bytes` per rank (each rank keeps
// 1/n): peers in the domain over scale-up, the rest over scale-out, one
// latency per tier used.
double AllToAllTime(double bytes, const GroupPlacement& p, const Fabric& f);

// How a token's routed copies spread: `copies` experts per token, drawn from
// at most `groups_per_token` of `groups` contiguous expert groups (DeepSeek's
// node-limited routing, n_group / topk_group; 0 = no limit).
struct ExpertRouting {
  double copies = 1;
  int groups = 1;
  int groups_per_token = 0;
};

// Returns the expected number of remote domains one token's experts occupy
// when the experts are spread evenly over `domains` domains: (n - 1)(1 -
// (1 - 1/n)^copies) without a group limit; with one, a domain holding G/n of
// the G groups is missed with probability C(G - G/n, g) / C(G, g), or, with
// fewer groups than domains, the copies spread over the g·n/G domains of
// their groups; the smaller of the limited and unlimited counts.
double RemoteDomainsPerToken(double domains, const ExpertRouting& routing);

// Returns seconds of an expert-parallel dispatch (or combine) of the routed
// copies of `token_bytes` per token-rank over group `p`. With `per_node` 0
// every copy crosses to its expert's rank (Megatron's alltoall dispatcher);
// with 1 a token crosses the scale-out network once per remote domain that
// holds one of its experts (RemoteDomainsPerToken) and is forwarded inside it
// over scale-up (DeepEP, HybridEP), the forwarding running beside the network
// leg (the slower of the two sets the time). Between 0 and 1 the two blend.
double ExpertAllToAllTime(double token_bytes, const ExpertRouting& routing, const GroupPlacement& p,
                          const Fabric& f, double per_node);

// Returns seconds of one point-to-point send of `bytes` between ranks in
// different domains (`cross_domain`) or in the same one: bytes / bw + latency.
double PointToPointTime(double bytes, bool cross_domain, const Fabric& f);

// Returns the seconds `comm_s` of communication beside `window_s` of compute
// adds to the critical path: the part longer than the window (at least
// `min_visible_s`, a part that never hides) plus `contention` times the
// hidden part (compute slowed by the kernels it shares the device with: NCCL
// kernels take SMs and memory bandwidth; Lee et al. 2025, arXiv 2507.03114,
// measured an average 18.9% compute slowdown under overlap on
// A100/H100/MI250/MI210).
inline double OverlappedTime(double comm_s, double window_s, double contention,
                      double min_visible_s = 0.0) {
  const double visible_s = std::max({0.0, comm_s - window_s, std::min(comm_s, min_visible_s)});
  return visible_s + contention * (comm_s - visible_s);
}

}  // namespace suanli
