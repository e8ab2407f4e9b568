// Renderers for training estimates and layouts (JSON objects and text).
// They format result structs only.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "model/perf.h"
#include "search/search.h"

namespace suanli {

// Returns the layout as the `config{...}` object of the CLI contract (docs/architecture.md).
nlohmann::json ConfigJson(const ParallelConfig& config);
// Returns the memory breakdown as {weights, gradients, ..., total} in bytes.
nlohmann::json MemoryJson(const MemoryBreakdown& memory);
// Returns the step breakdown in seconds, keys ending in _s.
nlohmann::json BreakdownJson(const StepBreakdown& breakdown);
// Returns the `train` result object for one layout (the CLI contract's keys, docs/architecture.md).
nlohmann::json EstimateJson(const ParallelConfig& config, const StepEstimate& estimate);
// Returns a one-line layout description: "tp 8 pp 2 dp 4 cp 1 ep 1 vp 1 mb 1 zero 1 selective".
std::string ConfigText(const ParallelConfig& config);
// Returns a human-readable report of one estimate (throughput, MFU, breakdown, memory).
std::string EstimateText(const ParallelConfig& config, const StepEstimate& estimate);

}  // namespace suanli
