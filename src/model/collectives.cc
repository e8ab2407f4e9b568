// Communication times on a two-tier fabric: ring phases (Thakur et al. 2005;
// NCCL's busbw convention), hierarchical collectives, all-to-all, sends and
// overlap with compute. docs/perf-model.md derives each.
#include "model/collectives.h"

#include <algorithm>

namespace suanli {

// Ring all-reduce / reduce-scatter / all-gather cost over `ranks` ranks at a
// bus bandwidth (Thakur et al. 2005; NCCL's busbw convention): each rank
// moves (n-1)/n of the buffer per reduce-scatter or all-gather phase.
double RingPhaseTime(double bytes, int ranks, double bus_Bps) {
  if (ranks <= 1 || bytes <= 0) return 0.0;
  return (ranks - 1.0) / ranks * bytes / bus_Bps;
}

// Ranks are laid out Megatron-style: a group whose members are `stride`
// ranks apart puts domain/stride of them in one scale-up domain.
GroupPlacement Place(int ranks, int stride, int domain) {
  GroupPlacement p;
  p.ranks = ranks;
  const int per_domain = std::max(1, domain / std::max(1, stride));
  p.ranks_per_domain = std::min(ranks, per_domain);
  p.domains = (ranks + p.ranks_per_domain - 1) / p.ranks_per_domain;
  return p;
}

// Hierarchical reduce-scatter (or all-gather) of `bytes` per rank: a phase
// inside each scale-up domain, then a phase across domains on 1/g of the
// data, where every member uses its own NIC (rail-optimised clusters; NCCL
// runs one ring per NIC). Returns seconds.
double HierarchicalPhase(double bytes, const GroupPlacement& p, const Fabric& f) {
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

// All-to-all of `bytes` per rank (each rank keeps 1/n): peers inside the
// domain go over scale-up, the rest over the NIC.
double AllToAllTime(double bytes, const GroupPlacement& p, const Fabric& f) {
  if (p.ranks <= 1) return 0.0;
  const double peers = p.ranks - 1.0;
  const double near = p.ranks_per_domain - 1.0;
  const double far = peers - near;
  const double per_peer = bytes / p.ranks;
  double time = 0.0;
  if (near > 0) time += near * per_peer / f.up_Bps + f.up_latency_s;
  if (far > 0) time += far * per_peer / f.out_Bps + f.out_latency_s;
  return time;
}

double RingAllReduceTime(double bytes, int ranks, double bus_Bps, double latency_s) {
  if (ranks <= 1 || bytes <= 0) return 0.0;
  return 2.0 * RingPhaseTime(bytes, ranks, bus_Bps) + 2.0 * latency_s;
}

double PointToPointTime(double bytes, bool cross_domain, const Fabric& f) {
  return cross_domain ? bytes / f.out_Bps + f.out_latency_s : bytes / f.up_Bps + f.up_latency_s;
}

// Time added to the critical path by `comm_s` of communication run beside
// `window_s` of compute: the part longer than the window, plus the slowdown
// the hidden part inflicts on the compute beside it (NCCL kernels take SMs
// and memory bandwidth; Lee et al. 2025, arXiv 2507.03114, measured an
// average 18.9% compute slowdown under overlap on A100/H100/MI250/MI210).
// `min_visible_s` is a part that can never hide (a last bucket).
double OverlappedTime(double comm_s, double window_s, double contention,
                      double min_visible_s) {
  const double visible_s = std::max({0.0, comm_s - window_s, std::min(comm_s, min_visible_s)});
  return visible_s + contention * (comm_s - visible_s);
}

}  // namespace suanli
