// An accelerator (GPU, NPU, DCU, TPU, or a CPU socket for historical cases)
// with its capacities, peaks, interconnect and calibration parameters.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "catalog/provenance.h"
#include "core/precision.h"

namespace suanli {

// Achievable fractions of peak, the physical calibration parameters of the
// performance model (docs/calibration.md). Each in (0, 1].
struct Efficiency {
  double gemm = 0.75;       // large dense GEMM achieved / dense peak
  double hbm = 0.80;        // streaming bandwidth achieved / peak memory bandwidth
  double scale_up = 0.75;   // all-reduce bus bandwidth / scale-up bandwidth per direction
  double scale_out = 0.80;  // bus bandwidth / NIC bandwidth per direction
  double attention_flash2 = 1.0;  // FlashAttention-2-class kernel rate / the fastest fused kernel's
};

struct Accelerator {
  std::string id;      // stable catalog id, e.g. "a800-sxm-80gb"
  std::string name;    // vendor's full name
  std::string vendor;
  std::vector<std::string> aliases;  // vendor spellings accepted by lookups
  int year = 0;
  std::string form_factor;
  std::string software_stack;
  std::string memory_type;
  std::string export_control;  // free-text status summary
  std::string notes;
  std::string export_control_zh;  // Chinese text of export_control (data's zh.export_control), shown under --lang zh
  std::string notes_zh;           // Chinese text of notes (zh.notes)

  double memory_bytes = 0;   // device memory capacity, bytes
  double memory_Bps = 0;     // peak memory bandwidth, bytes/s
  std::array<double, kNumPrecisions> peak_flops{};  // dense peak per precision, FLOP/s; 0 = unsupported
  std::string scale_up_kind;       // nvlink3, pcie4, hccs, ...
  double scale_up_Bps = 0;         // per device, per direction, bytes/s
  int scale_up_domain = 1;         // devices in one scale-up domain
  double scale_out_Bps = 0;        // per device, per direction, bytes/s
  double tdp_w = 0;                // board power, watts
  Efficiency efficiency;

  Provenance provenance;  // every numeric field with its source
  std::string where;      // "file:line:column accelerators[i]" of the entry, for located errors

  // Returns the dense peak in FLOP/s for `precision`, 0 if unsupported.
  double PeakFlops(Precision precision) const { return peak_flops[static_cast<int>(precision)]; }
};

}  // namespace suanli
