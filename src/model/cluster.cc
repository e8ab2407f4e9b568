// Clusters from catalog accelerators and systems, and their achievable fabric.
#include "model/cluster.h"

#include <algorithm>

namespace suanli {

ClusterSpec MakeCluster(const Accelerator& accelerator, const System* system) {
  ClusterSpec c;
  c.accelerator = &accelerator;
  c.scale_up_domain = std::max(1, accelerator.scale_up_domain);
  c.scale_up_Bps = accelerator.scale_up_Bps;
  c.scale_out_Bps = accelerator.scale_out_Bps;
  if (system != nullptr) {
    c.scale_up_domain = std::max(1, system->scale_up_domain);
    if (system->scale_up_Bps > 0) c.scale_up_Bps = system->scale_up_Bps;
    if (system->ScaleOutBpsPerDevice() > 0) c.scale_out_Bps = system->ScaleOutBpsPerDevice();
  }
  return c;
}

Fabric MakeFabric(const ClusterSpec& cluster, const PerfAssumptions& as) {
  const Accelerator& acc = *cluster.accelerator;
  Fabric fabric;
  fabric.up_Bps = std::max(1.0, cluster.scale_up_Bps * acc.efficiency.scale_up);
  fabric.out_Bps = std::max(1.0, cluster.scale_out_Bps * acc.efficiency.scale_out);
  if (fabric.out_Bps <= 1.0) fabric.out_Bps = fabric.up_Bps;  // single-domain parts
  fabric.up_latency_s = as.scale_up_latency_s;
  fabric.out_latency_s = as.scale_out_latency_s;
  return fabric;
}

}  // namespace suanli
