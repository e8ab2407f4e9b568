// Calibration against measured runs: one sustained GEMM fraction per accelerator, fitted on dense rows (docs/calibration.md).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.h"
#include "validate/validation.h"
#include "workload/stack.h"

namespace suanli {

// The fitted GEMM fraction of one accelerator.
struct GemmFit {
  std::string accelerator_id;
  int rows = 0;                      // dense rows predicted for this accelerator
  double catalog_fraction = 0;       // efficiency.gemm before fitting, 0..1
  double fitted_fraction = 0;        // efficiency.gemm after fitting, 0..1
  double mean_signed_before_pct = 0; // mean of 100·(predicted − published)/published
  double mean_signed_after_pct = 0;
  double mean_abs_after_pct = 0;     // mean |error| with the fitted fraction, percent
  bool converged = false;            // |mean signed error| below 0.01% within the iteration limit
};

// The fitted fractions and the rows left out, with why.
struct CalibrationReport {
  std::vector<GemmFit> fits;         // sorted by accelerator id
  std::string stack;                 // the software stack whose rows were fitted (data/stacks.yaml id)
  int moe_rows_skipped = 0;          // MoE rows are not used (their dispatch costs are not a GEMM rate)
  int other_stack_rows_skipped = 0;  // dense rows of other stacks: their own `efficiency` stands between
  std::vector<std::string> other_stacks;  // the ids of those stacks, sorted
  int stack_dense_rows = 0;          // dense rows of `stack`: the rows fitted, predicted or not
  int unpredicted_rows = 0;          // dense rows with no prediction (e.g. layout does not fit)
  std::vector<std::string> unpredicted_why;  // "id: reason" of each such row, in the run's language
  std::vector<BadRow> bad_rows;
};

// Fits, for every accelerator with dense rows of `stack` in `runs` (a blank
// stack column reads as megatron), the sustained GEMM fraction that makes the
// mean signed error of those rows zero: the fixed point g <- g / (1 + mean
// error), at most 30 rounds. Rows are predicted as `suanli validate` predicts
// them; MoE rows and rows of other stacks are left out (an accelerator's
// fraction stands for one stack: the shipped ones for megatron, each other
// stack's `efficiency` is relative to them, docs/stacks.md).
CalibrationReport FitGemmFractions(const RunsFile& runs, const Catalog& catalog, int threads = 1,
                                   const PerfAssumptions& assumptions = {},
                                   std::string_view stack = kDefaultStackId);

}  // namespace suanli
