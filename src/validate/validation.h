// Validation against published training runs: every run of a runs CSV predicted, and the errors summarised.
#pragma once

#include <vector>

#include "catalog/catalog.h"
#include "model/perf.h"
#include "validate/predict.h"
#include "validate/runs_csv.h"
#include "validate/statistics.h"

namespace suanli {

// The predictions of every run, the rows that could not be read, and the summary.
struct ValidationReport {
  std::vector<RunPrediction> rows;
  std::vector<BadRow> bad_rows;
  ValidationSummary summary;
};

// Returns the prediction of every run and their summary; accelerators are
// looked up in `catalog`.
ValidationReport ValidateRuns(const RunsFile& runs, const Catalog& catalog, int threads = 1,
                              const PerfAssumptions& assumptions = {});

}  // namespace suanli
