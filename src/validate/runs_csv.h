// Reading a training-runs CSV (schema: docs/validation.md, 36 columns or 37 with `stack`) into published runs.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/bad_row.h"
#include "core/precision.h"
#include "core/result.h"
#include "workload/model_spec.h"
#include "workload/parallel.h"
#include "workload/stack.h"

namespace suanli {

// One published measurement.
struct PublishedRun {
  int line = 0;               // line in the CSV file
  std::string file_name;      // the file it was read from (AppendRuns)
  std::string id;
  std::string source;
  std::string confidence;     // high | medium | low
  ModelSpec model;            // built from the row's architecture columns
  std::string accelerator_id;
  int gpus = 0;               // 0 = not stated (gpu_hours rows)
  int gpus_per_node = 0;
  Precision precision = Precision::kBf16;
  // Layout fields; 0 (or blank recompute) = not published.
  int tp = 0, pp = 0, dp = 0, cp = 0, ep = 0, vp = 0, zero = -1, micro_batch = 0, global_batch = 0;
  int max_zero = 3;           // 2 when the notes say parameters were not sharded ("FSDP=0")
  AttentionKernel attention = AttentionKernel::kFused;  // the stack's kernel (StackAttention of the ref's year)
  int reference_year = 0;     // first year the `ref` column names (0 = none)
  int seq_len = 0;
  std::string recompute;      // "" = not published; the stack's "selective" is mapped to what it recomputes
  double recompute_layer_share = 0;  // with recompute "full": share of layers recomputed (0 = all)
  std::string metric;         // tokens_per_s_per_gpu | model_tflops_per_gpu | hw_tflops_per_gpu | mfu | gpu_hours
  double value = 0;           // the published value in the metric's unit, finite and positive
  double train_tokens = 0;
  std::string stack;          // the training software stack id (data/stacks.yaml); a blank column reads as megatron
};

// The runs of one or more CSV files and the rows that could not be read.
struct RunsFile {
  std::vector<PublishedRun> runs;
  std::vector<BadRow> bad_rows;
};

// Sets what `stack` decides for a run read as Megatron (blank stack): its
// attention kernel (for the ref's year) and what its "selective" recomputes.
void ApplyStackToRun(const SoftwareStack& stack, PublishedRun& run);

// Returns the runs of a runs CSV with 36 columns, or 37 with `stack` last. A
// wrong header is an error; a bad row is recorded in bad_rows with its line
// and column and skipped.
Result<RunsFile> ParseRunsCsv(std::string_view text, const std::string& file_name);
// Returns the parsed runs CSV at `path` (a missing file is an error naming it).
Result<RunsFile> ReadRunsCsv(const std::string& path);

// Returns where `column` of `run` is, as a bad row names it: "file:line
// (column N 'name')".
std::string RunsCsvWhere(const PublishedRun& run, std::string_view column);

// Appends the runs and bad rows of `file` (read from `file_name`) to `all`; a
// run whose id an earlier run already has, in this file or an earlier one,
// becomes a bad row naming the first (it would count twice in every figure).
void AppendRuns(RunsFile& all, RunsFile file, const std::string& file_name);

}  // namespace suanli
