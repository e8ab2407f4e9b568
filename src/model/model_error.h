// The planner's measured model error (realised / predicted throughput per model family), read from data/validation/model-error.yaml.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace suanli {

// How fast published runs went against the step model's prediction for their
// layout: realised / predicted throughput as a log-normal.
struct ModelError {
  double median = 1.0;  // median ratio
  double log_sd = 0.0;  // sigma of the log ratio: (ln P90 − ln P10) / 2.563 of the measured ratios
};

// The band of realised / predicted throughput between the 10th and the 90th
// percentile of a model error.
struct ThroughputBand {
  double p10 = 1.0;  // ratio at the 10th percentile (the slow side)
  double p90 = 1.0;  // ratio at the 90th percentile (the fast side)
};

// Returns the P10–P90 band of `error`: the planner's own quantile function
// (reliability.h ThroughputRatioAt) at 0.1 and 0.9, i.e.
// median · exp(∓1.2816 · log_sd). Validate's coverage uses it too.
ThroughputBand P10P90Band(const ModelError& error);

// A runs file that a model error was measured on, and how many of its rows
// (counted from its first) were predicted.
struct RunsFileRows {
  std::string file;  // the file's name, without its folder
  int rows = 0;      // rows read from the top of the file
};

// The model error of one family of models, with its source.
struct FamilyModelError {
  ModelError error;
  int step_rows = 0;   // step-rate rows (every metric but gpu_hours) the error was fitted on
  std::string source;  // which rows of which files, and when, in words
};

// The fewest step-rate rows a stack needs for an error of its own (of one
// family, or of all its rows): the log sd of n rows is itself uncertain by
// about 1/sqrt(2n) of itself (±22% at 10 rows, ±32% at 5), and a P10–P90
// band needs about one row beyond each end to be checked at all.
inline constexpr int kStackMinStepRows = 10;

// The model error of one software stack's step-rate rows (a blank stack
// column counts as the default stack), for stacks with at least the table's
// minimum of rows: the stack's own median, a log sd never below the family's
// over every stack (validate/statistics.cc MeasuredStackError).
struct StackModelError {
  std::string stack;              // stack id (data/stacks.yaml)
  int dense_rows = 0;             // dense step-rate rows of the stack
  int moe_rows = 0;               // mixture-of-experts step-rate rows of the stack
  ModelError all;                 // fitted on all the stack's step-rate rows
  std::optional<ModelError> dense;  // fitted on its dense rows, when there are at least the minimum
  std::optional<ModelError> moe;    // fitted on its MoE rows, when there are at least the minimum
  std::string source;             // which rows of which files, and when, in words
};

// The model error per family and where it was measured.
struct ModelErrorTable {
  std::string date;               // YYYY-MM-DD the figures were measured
  std::vector<RunsFileRows> runs; // the runs files predicted
  FamilyModelError dense;
  FamilyModelError moe;           // mixture-of-experts models
  int stack_min_step_rows = kStackMinStepRows;  // rows a stack (or one of its families) needs for its own error
  std::vector<StackModelError> stacks;           // per stack with enough rows, ordered by id
};

// Which model error a workload gets and what it was measured on.
struct ChosenModelError {
  ModelError error;
  std::string stack;     // the stack whose rows measured it; "" = the family over every stack
  bool moe = false;      // the workload's family: mixture-of-experts
  bool all_families = false;  // the stack's error over all its rows (too few of the family alone)
  int step_rows = 0;     // rows it was fitted on; 0 = set by hand (a scenario's costs)
};

// Returns the entry of `stack` in `stacks`, or null when it has none.
const StackModelError* FindStackModelError(const std::vector<StackModelError>& stacks, std::string_view stack);

// Returns the error a workload of `stack` and family gets from `stacks`: the
// stack's fit of that family when it has enough rows of it; else the stack's
// fit over all its rows when some of them are of the family; null otherwise
// (the family's error over every stack applies). `all_families` and
// `step_rows` say which.
const ModelError* StackErrorFor(const std::vector<StackModelError>& stacks, std::string_view stack, bool moe,
                                bool* all_families = nullptr, int* step_rows = nullptr);

// Returns in words which error a workload got, e.g. "fsdp stack, dense, 21
// rows" or "MoE family, every stack, 48 rows".
std::string ModelErrorBasis(const ChosenModelError& chosen);

// How fast a run whose parallel layout (tp, pp) was not published goes
// against the step model's best layout for its devices and batch, per family:
// the median, over the dev rows that publish their layout, of the step
// model's throughput for the published layout over its throughput for the
// search's best. Teams do not run the model's optimum, and the best of many
// noisy estimates is biased fast (docs/validation.md §Searched layouts).
struct SearchedLayoutRatio {
  double dense = 1.0;  // dense models, realised / best (≤ 1 when the search's best is optimistic)
  double moe = 1.0;    // mixture-of-experts models
  // Returns the ratio of the family.
  double For(bool is_moe) const { return is_moe ? moe : dense; }
};

// Returns the shipped ratios (validate/layout_ratio_test.cc re-measures them on the dev set).
SearchedLayoutRatio ShippedSearchedLayoutRatio();

// Name of the embedded model-error file, relative to data/.
inline constexpr std::string_view kModelErrorFile = "validation/model-error.yaml";

// Returns the model-error table of a model-error YAML text; errors name
// file:line:col and the field.
Result<ModelErrorTable> ParseModelErrorYaml(std::string_view text, const std::string& file_name);
// Returns `table` as model-error YAML (medians and log sds to 3 decimals),
// the format ParseModelErrorYaml reads.
std::string ModelErrorYaml(const ModelErrorTable& table);
// Returns the source sentence of one family's figures: rows, files and date.
std::string ModelErrorSource(const ModelErrorTable& table, int step_rows, std::string_view family);
// Returns the table shipped in the binary (data/validation/model-error.yaml).
// A shipped file that does not parse is a build defect: it aborts with the
// reason (model_error_test parses it).
const ModelErrorTable& ShippedModelError();

}  // namespace suanli
