// JSON renderers of catalog entries (accelerators, systems, models, named assumptions) for catalog and show.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "catalog/catalog.h"
#include "catalog/provenance.h"
#include "serve/engine.h"
#include "workload/model_spec.h"
#include "workload/stack.h"

namespace suanli {

// Returns every sourced field as [{field, value, source, confidence}].
nlohmann::json SourcesJson(const Provenance& provenance);
// Returns one serving engine: its defaults in SI units and its sourced fields.
nlohmann::json EngineJson(const EngineSpec& engine);
// Returns an accelerator with its key figures in SI units (bytes, bytes/s, FLOP/s, W) and sources.
nlohmann::json AcceleratorJson(const Accelerator& accelerator);
// Returns a system (node or scale-up domain) in SI units with its sources.
nlohmann::json SystemJson(const System& system);
// Returns a model's architecture fields with its parameter counts `counts` (parameters).
nlohmann::json ModelJson(const ModelSpec& model, const ParamCounts& counts);
// Returns the named assumptions as [{name, default, source, confidence}].
nlohmann::json AssumptionsJson(const std::vector<FieldRecord>& records);

// One property of a software stack as `show STACK` prints it (English: the
// text renderer translates `unit` and `meaning`).
struct StackProperty {
  std::string field;     // its data/stacks.yaml path, e.g. "memory.gradients"
  nlohmann::json value;  // bool, number, string or list of strings
  std::string unit;      // e.g. "dtype", "s", "year"; "" for a yes/no
  std::string meaning;   // what it says, in a few words
};

// Returns every property of `stack` in data/stacks.yaml order.
std::vector<StackProperty> StackProperties(const SoftwareStack& stack);
// Returns a software stack: its properties [{field, value, unit}], the rows
// its efficiency was fitted on and its sources.
nlohmann::json StackJson(const SoftwareStack& stack);

}  // namespace suanli
