// The hardware a training job runs on: accelerator, scale-up domain and
// scale-out network, and the achievable fabric the collectives see.
#pragma once

#include "catalog/accelerator.h"
#include "catalog/system.h"
#include "model/collectives.h"
#include "core/result.h"
#include "model/perf_assumptions.h"

namespace suanli {

// The hardware a job runs on: one accelerator kind, its scale-up domain and
// scale-out network, with the achievable fractions applied.
struct ClusterSpec {
  const Accelerator* accelerator = nullptr;
  int scale_up_domain = 8;        // devices sharing the fast fabric
  double scale_up_Bps = 0;        // per device, per direction, peak
  double scale_out_Bps = 0;       // per device, per direction, peak
};

// Returns the cluster of `accelerator` built as `system` (or, when null,
// from the accelerator's own scale-up and scale-out figures).
ClusterSpec MakeCluster(const Accelerator& accelerator, const System* system);

// Returns ok when `cluster` has the links a job of `devices` devices uses:
// scale-up bandwidth when two or more of them share a scale-up domain,
// scale-out bandwidth when they span more than one domain; otherwise an error
// naming the accelerator's catalog entry and the missing field (exit 2). A
// single device needs neither.
Status CheckClusterLinks(const ClusterSpec& cluster, int devices);

// Returns the achievable fabric of `cluster`: peak bandwidths times the
// accelerator's efficiencies, latencies from `assumptions`. A link the
// cluster has no figure for is 1 byte/s: CheckClusterLinks first.
Fabric MakeFabric(const ClusterSpec& cluster, const PerfAssumptions& assumptions);

}  // namespace suanli
