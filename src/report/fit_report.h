// Renderers of `suanli fit` (JSON object and text): the bytes per device of a
// training or serving layout, whether it fits, and the fewest devices that fit.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/memory.h"
#include "search/min_fit.h"
#include "workload/parallel.h"

namespace suanli {

// What a fit run found; filled before any output.
struct FitResult {
  std::string model;        // model id
  std::string accelerator;  // accelerator id
  int gpus = 0;             // devices
  bool infer = false;       // serving (serve) instead of training (train)
  ParallelConfig train;     // the training layout (when !infer)
  InferenceConfig serve;    // the serving layout (when infer)
  MemoryBreakdown memory;   // bytes per device of that layout
  double capacity_bytes = 0;  // device memory, bytes
  double usable_bytes = 0;    // capacity minus the runtime reserve, bytes
  MinFit min;                 // the fewest devices that fit
  // Returns whether the layout's bytes per device fit in the usable bytes.
  bool fits() const { return memory.total_bytes <= usable_bytes; }
};

// Returns why it fits or not, in sentences (GiB), and why no minimum was found.
std::vector<std::string> FitReasons(const FitResult& result);

// Returns {model, accelerator, gpus, mode, config, fits, capacity_bytes,
// per_gpu_bytes, min_gpus_to_fit, min_layout, reasons}; bytes rounded.
nlohmann::json FitJson(const FitResult& result);

// Returns the layout line, the per-device table in GiB and the verdict.
std::string FitText(const FitResult& result);

}  // namespace suanli
