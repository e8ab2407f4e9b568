// Text renderers of the catalog (tables for `catalog`, one entry for `show`) and the named assumptions.
#pragma once

#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "catalog/provenance.h"
#include "report/table.h"
#include "serve/engine.h"
#include "workload/model_spec.h"
#include "workload/stack.h"

namespace suanli {

// Returns the accelerator table: key figures, one row each; the year only
// with `all_fields` (--format csv|md; the terminal's table leaves it out to fit).
// Returns the lowest confidence ("high", "medium", "low", "unknown"; English)
// among `accelerator`'s key figures (memory, bandwidth, peaks).
std::string AcceleratorKeyConfidence(const Accelerator& accelerator);
TextTable AcceleratorsTable(const Catalog& catalog, bool all_fields = true);
// Returns the system table, one row each.
TextTable SystemsTable(const Catalog& catalog);
// Returns the model table; `counts[i]` are the parameter counts of `models[i]`.
TextTable ModelsTable(const std::vector<ModelSpec>& models, const std::vector<ParamCounts>& counts);

// Returns the accelerator table with key figures and a closing note.
std::string AcceleratorsText(const Catalog& catalog);
// Returns the system table with a closing note.
std::string SystemsText(const Catalog& catalog);
// Returns the model table; `counts[i]` are the parameter counts of `models[i]`.
std::string ModelsText(const std::vector<ModelSpec>& models, const std::vector<ParamCounts>& counts);
// Returns one accelerator with every sourced field in SI units.
std::string AcceleratorText(const Accelerator& accelerator);
// Returns one system with every sourced field in SI units.
std::string SystemText(const System& system);
// Returns one model's fields with units and its parameter counts `counts`.
std::string ModelText(const ModelSpec& model, const ParamCounts& counts);
// Returns one software stack: every property with its value, unit and
// meaning, the rows its efficiency was fitted on and its sources.
std::string StackText(const SoftwareStack& stack);
// Returns one serving engine: its description and every sourced field
// (batch defaults, overheads, formats, device_defaults rules) with its source.
std::string EngineText(const EngineSpec& engine);
// Returns the named assumptions as a table with a heading.
std::string AssumptionsText(const std::vector<FieldRecord>& records);

}  // namespace suanli
