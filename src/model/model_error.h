// The planner's measured model error (realised / predicted throughput per model family), read from data/validation/model-error.yaml.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace suanli {

// How fast published runs went against the step model's prediction for their
// layout: realised / predicted throughput as a log-normal.
struct ModelError {
  double median = 1.0;  // median ratio
  double log_sd = 0.0;  // standard deviation of the log ratio
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

// The model error per family and where it was measured.
struct ModelErrorTable {
  std::string date;               // YYYY-MM-DD the figures were measured
  std::vector<RunsFileRows> runs; // the runs files predicted
  FamilyModelError dense;
  FamilyModelError moe;           // mixture-of-experts models
};

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
