// Renderers for training estimates and layouts (JSON objects, text and the
// pieces the text and the HTML report share: facts, step parts, memory parts).
// They format result structs only.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/perf.h"
#include "report/table.h"
#include "search/search.h"

namespace suanli {

// Label–value pairs in the current language: the key answers at a glance.
using FactList = std::vector<std::pair<std::string, std::string>>;

// One named share of a step (seconds) or of a device's memory (bytes); `name`
// is English, translated with Tr() where it is shown.
struct NamedAmount {
  const char* name;
  double amount;
};

// Returns the layout as the `config{...}` object of the CLI contract (docs/architecture.md).
nlohmann::json ConfigJson(const ParallelConfig& config);
// Returns the memory breakdown as {weights, gradients, ..., total} in bytes.
nlohmann::json MemoryJson(const MemoryBreakdown& memory);
// Returns the step breakdown in seconds, keys ending in _s.
nlohmann::json BreakdownJson(const StepBreakdown& breakdown);
// Returns the `train` result object for one layout (the CLI contract's keys,
// docs/architecture.md); a layout that does not fit has null step time,
// throughput and MFU and a "reason".
nlohmann::json EstimateJson(const ParallelConfig& config, const StepEstimate& estimate);
// Returns a one-line layout description: "tp 8 pp 2 dp 4 cp 1 ep 1 vp 1 mb 1 zero 1 selective".
std::string ConfigText(const ParallelConfig& config);
// Returns a short layout: "tp8 pp2 dp4 mb1 zero1 selective" (LayoutSettingsText, report/layout_text.h).
std::string CompactConfigText(const ParallelConfig& config);

// Returns the parts of the step time, seconds, in the breakdown's order; the
// zero ones only with `keep_zero`.
std::vector<NamedAmount> StepParts(const StepBreakdown& breakdown, bool keep_zero = false);
// Returns the non-zero parts of the memory per device, bytes.
std::vector<NamedAmount> MemoryParts(const MemoryBreakdown& memory);
// Returns why a layout does not fit: bytes needed against usable, and the largest parts (GiB).
std::string NotFitReason(const StepEstimate& estimate);
// Returns the facts of one estimate: layout, batch, step time, throughput, MFU,
// memory (without step time, throughput and MFU when it does not fit).
FactList EstimateFacts(const ParallelConfig& config, const StepEstimate& estimate);
// Returns the step-time table (part, seconds, share).
TextTable BreakdownTable(const StepEstimate& estimate);
// Returns the notes under an estimate (MoE dispatch cost, selective recompute).
std::vector<std::string> EstimateNotes(const ParallelConfig& config, const StepEstimate& estimate);
// Returns `text` wrapped at spaces to the output width (report/output.h), each line ending in a newline.
std::string Wrapped(const std::string& text);
// Returns the facts as aligned "label  value" lines.
std::string FactLines(const FactList& facts);
// Returns a human-readable report of one estimate (throughput, MFU, breakdown,
// memory); for a layout that does not fit, why instead of throughput and MFU.
std::string EstimateText(const ParallelConfig& config, const StepEstimate& estimate);

}  // namespace suanli
