// Checks of a runs-CSV row against the catalog: what the reader cannot check
// alone (the accelerator, its precision and node size, a pinned layout
// against the device count). A row that fails is bad input, not a row the
// model could not predict.
#pragma once

#include "catalog/catalog.h"
#include "core/result.h"
#include "validate/runs_csv.h"

namespace suanli {

// Returns ok when `run`'s inputs are consistent with `catalog` and with each
// other; otherwise an error located at the row's column ("file:line (column
// N 'name')") whose message names the field and value and whose hint says
// the fix: an accelerator or system the catalog does not know (with the
// nearest ids), a precision the accelerator has no peak for, gpus_per_node
// beyond the system's scale-up domain, pinned tp·pp·cp·dp that do not divide
// gpus (or, with tp, pp and dp all pinned, do not make it).
Status CheckRunInput(const PublishedRun& run, const Catalog& catalog);

// Moves every run of `runs` that fails CheckRunInput into its bad rows (in
// file order after the rows that could not be read); returns how many moved.
int MoveBadInputRuns(RunsFile& runs, const Catalog& catalog);

}  // namespace suanli
