// JSON renderers of catalog entries (accelerators, systems, models, named assumptions) for catalog and show.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "catalog/catalog.h"
#include "catalog/provenance.h"
#include "workload/model_spec.h"

namespace suanli {

// Returns every sourced field as [{field, value, source, confidence}].
nlohmann::json SourcesJson(const Provenance& provenance);
// Returns an accelerator with its key figures in SI units (bytes, bytes/s, FLOP/s, W) and sources.
nlohmann::json AcceleratorJson(const Accelerator& accelerator);
// Returns a system (node or scale-up domain) in SI units with its sources.
nlohmann::json SystemJson(const System& system);
// Returns a model's architecture fields with its parameter counts `counts` (parameters).
nlohmann::json ModelJson(const ModelSpec& model, const ParamCounts& counts);
// Returns the named assumptions as [{name, default, source, confidence}].
nlohmann::json AssumptionsJson(const std::vector<FieldRecord>& records);

}  // namespace suanli
