// Clusters from catalog accelerators and systems, and their achievable fabric.
#include "model/cluster.h"

#include <algorithm>

#include <fmt/format.h>

#include "core/i18n.h"

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

namespace {

// Returns the located field of the accelerator's catalog entry.
std::string EntryField(const Accelerator& acc, std::string_view field) {
  if (acc.where.empty()) return fmt::format("{}.{}", acc.id, field);
  return fmt::format("{}.{}", acc.where, field);
}

}  // namespace

Status CheckClusterLinks(const ClusterSpec& cluster, int devices) {
  const Accelerator& acc = *cluster.accelerator;
  const int domain = std::max(1, cluster.scale_up_domain);
  // Devices are placed domain by domain: a job of more devices than one
  // domain holds crosses the scale-out network, a smaller one stays inside.
  if (devices > domain && cluster.scale_out_Bps <= 0) {
    const int domains = (devices + domain - 1) / domain;
    return MakeError(TrFormat("{} has no scale-out bandwidth, and {} devices span {} scale-up domains of {}: the "
                              "traffic between them has no link to run on",
                              acc.id, devices, domains, domain),
                     EntryField(acc, "scale_out.bandwidth_per_direction"),
                     TrFormat("add scale_out: {{bandwidth_per_direction: ... GB/s}} (the NIC bandwidth per device, per "
                              "direction: one 400 Gb/s NIC per device is 50 GB/s) to {}, or use at most {} device(s)",
                              acc.id, domain));
  }
  if (std::min(devices, domain) > 1 && cluster.scale_up_Bps <= 0) {
    return MakeError(TrFormat("{} has no scale-up bandwidth, and {} devices share a scale-up domain of {}",
                              acc.id, std::min(devices, domain), domain),
                     EntryField(acc, "scale_up.bandwidth_per_direction"),
                     TrFormat("add scale_up: {{kind: ..., bandwidth_per_direction: ... GB/s, domain: {}}} to {}, or "
                              "write scale_up.domain: 1 when its devices talk only over the scale-out network",
                              domain, acc.id));
  }
  return OkStatus();
}

Fabric MakeFabric(const ClusterSpec& cluster, const PerfAssumptions& as) {
  const Accelerator& acc = *cluster.accelerator;
  Fabric fabric;
  fabric.up_Bps = std::max(1.0, cluster.scale_up_Bps * acc.efficiency.scale_up);
  fabric.out_Bps = std::max(1.0, cluster.scale_out_Bps * acc.efficiency.scale_out);
  fabric.up_latency_s = as.scale_up_latency_s;
  fabric.out_latency_s = as.scale_out_latency_s;
  return fabric;
}

}  // namespace suanli
