// A system: a node (N accelerators + scale-up fabric + NICs + host) or a
// rack-scale scale-up domain such as GB200 NVL72.
#pragma once

#include <string>

#include "catalog/provenance.h"

namespace suanli {

struct System {
  std::string id;
  std::string name;
  std::string accelerator_id;      // id of the accelerator it holds
  int accelerators_per_node = 8;   // accelerators in one purchasable unit
  std::string scale_up_kind;       // nvswitch, pcie, hccs, rack-nvswitch, ...
  int scale_up_domain = 8;         // devices per scale-up domain
  double scale_up_Bps = 0;         // per device, per direction, bytes/s
  int nics = 0;                    // NICs per node
  double nic_Bps = 0;              // per NIC, per direction, bytes/s
  std::string fabric;              // infiniband-ndr, roce, ethernet, ...
  bool rail_optimized = false;
  std::string host;
  double power_w = 0;              // node maximum power, watts
  double host_memory_bytes = 0;    // host RAM of the node (rack: all its CPUs), bytes; 0 = not known
  double runtime_reserve_bytes = 0;  // device memory the runtime (CUDA/CANN context, collectives, workspaces)
                                     // keeps per device, bytes; 0 = the memory model's default
  std::string notes;
  Provenance provenance;

  // Returns scale-out bytes/s per accelerator per direction (NICs shared evenly).
  double ScaleOutBpsPerDevice() const {
    return accelerators_per_node > 0 ? nics * nic_Bps / accelerators_per_node : 0.0;
  }
};

}  // namespace suanli
