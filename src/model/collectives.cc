// Communication times on a two-tier fabric: ring phases (Thakur et al. 2005;
// NCCL's busbw convention), hierarchical collectives, all-to-all, sends and
// overlap with compute. docs/perf-model.md derives each.
#include "model/collectives.h"

#include <algorithm>
#include <cmath>

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

double RemoteDomainsPerToken(double domains, const ExpertRouting& routing) {
  if (domains <= 1) return 0.0;
  const double unlimited = (domains - 1.0) * (1.0 - std::pow(1.0 - 1.0 / domains, routing.copies));
  const int groups = routing.groups;
  const int chosen = routing.groups_per_token;
  if (chosen <= 0 || chosen >= groups) return unlimited;
  double limited = 0.0;
  if (groups >= domains) {
    const double groups_per_domain = groups / domains;
    double missed = 1.0;  // C(G - G/n, g) / C(G, g) as a product, for any G/n
    for (int i = 0; i < chosen; ++i) missed *= std::max(0.0, (groups - groups_per_domain - i) / (groups - i));
    limited = (domains - 1.0) * (1.0 - missed);
  } else {
    const double reachable = chosen * domains / groups;
    limited = (domains - 1.0) / domains * reachable * (1.0 - std::pow(1.0 - 1.0 / reachable, routing.copies));
  }
  return std::min(unlimited, limited);
}

double ExpertAllToAllTime(double token_bytes, const ExpertRouting& routing, const GroupPlacement& p,
                          const Fabric& f, double per_node) {
  const double copies = routing.copies;
  const double per_expert_s = AllToAllTime(token_bytes * copies, p, f);
  if (per_node <= 0 || p.domains <= 1) return per_expert_s;
  const double network_copies = RemoteDomainsPerToken(p.domains, routing);
  // Every copy still reaches its expert's rank inside the domain it lands in.
  // The two legs run at once: a token arriving over the network is forwarded
  // over scale-up while later ones arrive (DeepSeek-V3 report §3.2.2; DeepEP's
  // internode kernels on H800 run at 43–58 GB/s of the NIC's ~50, the network
  // leg alone), so the slower leg sets the time.
  const double inside = copies * token_bytes * (p.ranks_per_domain - 1.0) / p.ranks_per_domain;
  const double per_node_s = std::max(inside / f.up_Bps + f.up_latency_s,
                                     token_bytes * network_copies / f.out_Bps + f.out_latency_s);
  return (1.0 - per_node) * per_expert_s + per_node * per_node_s;
}

double RingAllReduceTime(double bytes, int ranks, double bus_Bps, double latency_s) {
  if (ranks <= 1 || bytes <= 0) return 0.0;
  return 2.0 * RingPhaseTime(bytes, ranks, bus_Bps) + 2.0 * latency_s;
}

double PointToPointTime(double bytes, bool cross_domain, const Fabric& f) {
  return cross_domain ? bytes / f.out_Bps + f.out_latency_s : bytes / f.up_Bps + f.up_latency_s;
}


}  // namespace suanli
