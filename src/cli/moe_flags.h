// Checks of the MoE layout flags (--expert-tp, --ep-overlap) against the
// model and the mode: the CLI refuses a flag that cannot apply (exit 2) and
// notes one that applies but changes nothing.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/common.h"
#include "core/result.h"
#include "workload/model_spec.h"

namespace suanli::cli {

// Returns an error at the flag (exit 2) when --expert-tp or --ep-overlap on
// is given for a model without experts, or --ep-overlap on with an
// expert-parallel size of 1 (--ep 1 pinned in a search, or one layout's ep);
// else OK, after a note when --ep-overlap on applies to one layout of
// `gpus` devices but changes nothing (one micro-batch per step: nothing to
// hide the all-to-all behind) or --expert-tp to one with tp 1. `search`:
// the layout is searched (--search, --gpus-range), so unpinned sizes vary.
Status CheckMoeFlags(const CLI::App& app, const ParallelFlags& flags, const ModelSpec& model, bool search, int gpus);

}  // namespace suanli::cli
