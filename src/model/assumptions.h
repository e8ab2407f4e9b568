// The named assumptions of the memory, step and campaign models, for `suanli show
// assumptions` and reports: each with its default, unit and source.
#pragma once

#include <string_view>
#include <vector>

#include "catalog/provenance.h"
#include "core/result.h"
#include "model/perf.h"

namespace suanli {

// Returns every named model assumption: path = its name, text = the default
// with its unit, source = why (docs/memory-model.md, docs/perf-model.md); text
// and source in English (JSON), shown_text and shown_source in the language of
// the run when that is not English (people read ShownText, ShownSource).
std::vector<FieldRecord> ModelAssumptions();

// Sets one step-model assumption from "name=value" for a what-if run:
// "perf.moe_dispatch_overhead=1 ms", "overlap_contention=0.1" (the "perf."
// prefix may be left out). Durations and byte counts need a unit; shares and
// factors are plain numbers within their range. An unknown name lists the
// nearest ones.
Status SetPerfAssumption(PerfAssumptions& assumptions, std::string_view assignment);

// Returns the names SetPerfAssumption accepts ("perf.kernel_overhead", ...).
std::vector<std::string> SettablePerfAssumptions();

}  // namespace suanli
