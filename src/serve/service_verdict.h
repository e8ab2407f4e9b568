// Whether a simulated service served its traffic at all, and the traffic's
// context against the model's maximum (docs/serving.md "When nothing is
// served"): a run in which (almost) nothing completed is no answer, not a
// table of zero latencies.
#pragma once

#include <string>
#include <vector>

#include "serve/iteration.h"
#include "serve/replica.h"
#include "serve/simulator.h"
#include "serve/traffic.h"
#include "workload/model_spec.h"

namespace suanli {

// The verdict on a simulated service, with its reason in English (JSON) and in the current language.
struct ServiceVerdict {
  bool served = true;       // enough requests completed for the figures to mean something
  std::string reason;       // when not served: why, and the fixes (English, for JSON)
  std::string reason_text;  // the reason in the current language (core/i18n.h), for people
};

// Returns whether `service` served `requests`: not when nothing completed or
// when most requests were rejected for being longer than one scheduler's KV
// cache (`memory`'s tokens split over the layout's pp schedulers); the reason
// sets the longest request's KV bytes per device against what a device holds
// after the weights and reserve (only the window of sliding-window layers
// when `engine` frees them, its window_kv), and names the fixes that apply
// to `model` and `engine` (its own 8-bit KV format: fp8, or int8 on MindIE;
// fp8 without an engine).
ServiceVerdict JudgeService(const SimulationResult& service, const std::vector<Request>& requests,
                            const ModelSpec& model, const ReplicaMemory& memory, const ServingLayout& layout,
                            const EngineSpec* engine = nullptr);

// The traffic's longest context against the model's maximum.
struct ContextCheck {
  bool exceeds = false;  // prompt plus output beyond the model's max_seq_len
  bool hard = false;     // and its positions are a learned table of max_seq_len rows: bad input
  std::string message;   // when exceeds, in the current language
};

// Checks `longest_tokens` (prompt plus output) against `model.max_seq_len`
// (0 = unknown, never exceeded).
ContextCheck CheckContext(const ModelSpec& model, double longest_tokens);

}  // namespace suanli
