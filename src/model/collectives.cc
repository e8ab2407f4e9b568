// Communication times on a two-tier fabric: ring phases (Thakur et al. 2005;
// NCCL's busbw convention), hierarchical collectives, all-to-all, sends and
// overlap with compute. docs/perf-model.md derives each.
#include "model/collectives.h"

#include <algorithm>

namespace suanli {

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


}  // namespace suanli
