// The named assumptions of the memory and step models, for `suanli show
// assumptions` and reports: each with its default, unit and source.
#pragma once

#include <vector>

#include "catalog/provenance.h"

namespace suanli {

// Returns every named model assumption: path = its name, text = the default
// with its unit, source = why (docs/memory-model.md, docs/perf-model.md).
std::vector<FieldRecord> ModelAssumptions();

}  // namespace suanli
