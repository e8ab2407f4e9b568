// Validation against published training runs: read a runs CSV (schema in
// shared/validation/README.md), predict each row's metric for the row's own
// layout (searching only the fields the source left blank), and summarise
// the errors.
#pragma once

#include "model/reliability.h"
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.h"
#include "core/result.h"
#include "search/search.h"

namespace suanli {

// One published measurement.
struct PublishedRun {
  int line = 0;               // line in the CSV file
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
  AttentionKernel attention = AttentionKernel::kFused;  // unfused before 2023 (ReferenceYear); flash2 when the notes name one
  int seq_len = 0;
  std::string recompute;      // "" = not published
  double recompute_layer_share = 0;  // with recompute "full": share of layers recomputed (0 = all)
  std::string metric;         // tokens_per_s_per_gpu | model_tflops_per_gpu | hw_tflops_per_gpu | mfu | gpu_hours
  double value = 0;
  double train_tokens = 0;
};

// Returns the first year (1990-2099) written in a reference text such as
// "Narayanan et al. 2021 (SC'21)", or 0 when it names none.
int ReferenceYear(const std::string& ref);
// Returns true when a row's notes name a FlashAttention-2-class attention
// kernel ("flash attention 2", "flash-attn", "FA2", "Triton attention",
// "xformers"), not FlashAttention-3.
bool NamesFlash2ClassKernel(const std::string& notes);

// A row that could not be read: where and why; the other rows still run.
struct BadRow {
  std::string where;    // file:line (column name)
  std::string message;
};

struct RunsFile {
  std::vector<PublishedRun> runs;
  std::vector<BadRow> bad_rows;
};

// Parses a runs CSV. A wrong header is an error; a bad row is recorded in
// bad_rows with its line and column and skipped.
Result<RunsFile> ParseRunsCsv(std::string_view text, const std::string& file_name);
// Reads and parses the runs CSV at `path` (a missing file is an error naming it).
Result<RunsFile> ReadRunsCsv(const std::string& path);

struct RunPrediction {
  std::string id;
  std::string confidence;
  std::string accelerator_id;
  std::string metric;
  double published = 0;
  double predicted = 0;
  double error_pct = 0;        // 100·(predicted − published)/published
  bool layout_searched = false;  // some layout field was blank and was searched
  std::string note;            // e.g. which fields were searched, or why it failed
  bool ok = false;             // false when no prediction could be made
  ParallelConfig config;       // the layout predicted
  StepEstimate estimate;
};

struct ValidationSummary {
  int n = 0;                   // rows predicted
  double mape_pct = 0;         // mean absolute percentage error
  double median_ape_pct = 0;
  double max_ape_pct = 0;
  double within_10pct = 0;     // share of rows with |error| <= 10%, in percent
  double within_15pct = 0;
  int high_confidence_beyond_30pct = 0;
  // Published / predicted throughput over the rows that measure a step rate
  // (every metric but gpu_hours), for dense and for mixture-of-experts
  // models: the planner's model-error distributions (log sd = population
  // standard deviation of the log ratio).
  int dense_step_rows = 0;
  ModelError dense_error;
  int moe_step_rows = 0;
  ModelError moe_error;
};

struct ValidationReport {
  std::vector<RunPrediction> rows;
  std::vector<BadRow> bad_rows;
  ValidationSummary summary;
};

// Predicts every run; accelerators are looked up in `catalog`.
ValidationReport ValidateRuns(const RunsFile& runs, const Catalog& catalog, int threads = 1,
                              const PerfAssumptions& assumptions = {});

// Returns Narayanan et al. 2021's executed FLOPs per token with full
// recomputation: 96·l·h²·(1 + s/(6h) + V/(16·l·h)) (their eq. 3 per token).
double NarayananHwFlopsPerToken(const ModelSpec& model, int seq_len);

}  // namespace suanli
