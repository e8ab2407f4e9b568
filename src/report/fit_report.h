// Renderers of `suanli fit` (JSON object and text): the bytes per device of a
// training or serving layout, whether it fits, and the fewest devices that fit.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/i18n.h"
#include "model/memory.h"
#include "report/table.h"
#include "report/train_report.h"
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
  std::string advice;         // training that does not fit: what to try (NoFitAdvice), translated; "" = none
  int devices_per_node = 0;          // devices of the usual server (System::accelerators_per_node); 0 = unknown
  double host_capacity_bytes = 0;    // host RAM of that server (System::host_memory_bytes), bytes; 0 = unknown
  // Returns the host RAM one node needs for offloaded states, bytes (0 without offload or with the node unknown).
  double host_bytes() const { return devices_per_node > 0 ? HostBytesPerNode(memory, gpus, devices_per_node) : 0.0; }
  // Returns whether the offloaded states fit the node's host RAM (true when nothing is offloaded or it is unknown).
  bool fits_host() const { return FitsHost(host_bytes(), host_capacity_bytes); }
  // Returns whether the layout's bytes per device fit in the usable bytes and its offloaded states in host RAM.
  bool fits() const { return memory.total_bytes <= usable_bytes && fits_host(); }
};

// Returns " (35 MiB short)" or " (12 MiB left)" when `total_bytes` and
// `usable_bytes` print as the same GiB figure, else "": the margin the
// rounded figures hide.
std::string MemoryMarginNote(double total_bytes, double usable_bytes);

// Returns the host-memory fact under offload: GiB needed against the node's
// host RAM, and the CPU Adam host bandwidth the step time assumes.
std::string FitHostText(const FitResult& result);

// Returns why it fits or not, in sentences (GiB), and why no minimum was
// found, in `language` (the JSON's are English).
std::vector<std::string> FitReasons(const FitResult& result, Language language = Language::kEnglish);
// Returns the first line: what runs on how many devices ("m training on 64 × acc").
std::string FitSubjectLine(const FitResult& result);
// Returns the facts: layout, batch or context, verdict, fewest devices that fit.
FactList FitFacts(const FitResult& result);
// Returns the table of bytes per device (GiB) by part, total and usable.
TextTable FitMemoryTable(const FitResult& result);
// Returns the layout of the run (min false) or of the fewest devices that fit (min true).
std::string FitLayoutText(const FitResult& result, bool min);

// Returns {model, accelerator, gpus, mode, config, fits, usable_bytes,
// device_memory_bytes, capacity_bytes (= usable_bytes, the old name),
// per_gpu_bytes, min_gpus_to_fit, min_layout, reasons}; bytes whole.
nlohmann::json FitJson(const FitResult& result);

// Returns --format md: the answer (subject, layout, verdict, fewest devices
// that fit) as a two-column table, then the per-device table in GiB.
std::string FitMarkdown(const FitResult& result);

// Returns the subject, the facts, the per-device table in GiB and the reasons.
std::string FitText(const FitResult& result);

}  // namespace suanli
