// Published serving runs (shared/validation/serving-runs.csv, SERVING.md) and
// the serving model's prediction of each row's metric.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.h"
#include "core/bad_row.h"
#include "core/result.h"
#include "serve/dataset.h"
#include "serve/engine.h"
#include "serve/iteration.h"
#include "serve/traffic.h"
#include "workload/model_spec.h"

namespace suanli {

// One row: one metric of one published run.
struct ServingRunRow {
  std::string id;           // row id
  int line = 0;             // line in the file
  ModelSpec model;          // from the architecture columns
  std::string accelerator;  // catalog id
  std::string engine;       // engine as published
  int gpus = 1, tp = 1, pp = 1, ep = 1, dp = 1;
  bool dp_filled = false;   // the dp column was given
  bool tp_filled = true, pp_filled = true;  // the tp / pp columns were given
  bool layout_searched = false;  // tp or pp blank: the prediction searches the layout (SearchedLayout)
  bool speculative = false; // speculative decoding / MTP on
  std::string weights, kv;  // formats as published (kv may be empty)
  int input_len = 0, output_len = 0;  // as stated, or the assumed dataset's rounded means
  bool input_stated = false;  // input_len was filled in
  std::string dataset;        // the optional `dataset` column ("" = blank or no column)
  std::string lengths_assumed;  // dataset id whose lengths filled a blank input_len or output_len ("" = none)
  LengthDistribution input, output;  // request lengths the prediction draws (fixed when stated)
  int batch = 0;            // fixed batch (0 = not fixed)
  int concurrency = 0;      // closed-loop concurrency (0 = none)
  std::string concurrency_assumed;  // benchmark tool whose default filled a blank concurrency ("" = none)
  double request_rate = 0;  // open-loop rate, req/s (0 = none)
  std::string metric;       // output_tokens_per_s_per_gpu, ttft_ms, tpot_ms, ...
  double value = 0;         // published value
};

// The rows of a serving-runs CSV and the rows that could not be read.
struct ServingRunsFile {
  std::vector<ServingRunRow> rows;
  std::vector<BadRow> bad_rows;  // each: file:line (column N 'name'), what is wrong and the fix
};

// Parses the CSV. A wrong header (a missing or duplicate column) is an error
// naming file:1; every field of a row is checked (serving_row_reader.h), and a
// bad row (an unknown accelerator, engine, precision or metric, a number out
// of range, a layout that is not its GPU count, a duplicate id, an unknown
// dataset) is recorded in bad_rows and left out; the other rows are read. A
// blank input_len or output_len takes the distribution of the row's `dataset`
// (an optional column after the 38 of SERVING.md; blank = the dataset its
// benchmark is defined on (DatasetOfBenchmark), else the datasets' default)
// and marks the row lengths_assumed; a stated length is kept as a fixed length.
Result<ServingRunsFile> ParseServingRuns(std::string_view text, const std::string& file_name, const Catalog& catalog,
                                         const std::vector<EngineSpec>& engines, const ServingDatasets& datasets);
// The same with the embedded engines and datasets (data/engines.yaml, data/serving/datasets.yaml).
Result<ServingRunsFile> ParseServingRuns(std::string_view text, const std::string& file_name, const Catalog& catalog);

// A row's prediction.
struct ServingPrediction {
  double value = 0;         // the row's metric, its unit
  bool overloaded = false;  // the row's rate exceeds the modelled capacity (SimulationResult::overloaded):
                            // a latency then grows with the simulated run's length
};

// Returns the prediction of the row's metric, simulating the run's layout,
// engine and load; an error says why the row is not predicted. A row with a
// blank tp or pp runs the layout SearchedLayout picks.
Result<ServingPrediction> PredictServingRun(const ServingRunRow& row, const Catalog& catalog,
                                            const std::vector<EngineSpec>& engines);

// The layout a row's prediction runs: per replica, and how many replicas the
// row's GPUs hold.
struct RunLayout {
  ServingLayout layout;  // tp, pp, ep, DP attention, formats, batch cap
  int replicas = 1;      // replicas sharing the load
};

// Returns the layout of a row whose tp or pp is blank: over every tp and pp
// (powers of two, the blank ones only) with tp·pp dividing the GPUs (tp·pp·dp
// = gpus when dp is stated) that fits in memory, the one whose replicas give
// the most output tokens per second per GPU on the row's requests with every
// request queued at once. For an offline row that is the layout with the
// highest throughput per device; for a row with a request rate it is the
// cheapest layout that carries the rate (fewest GPUs per request per second),
// or, when none carries it, the one that comes nearest. A row whose tp and pp
// are both stated returns its own layout.
Result<RunLayout> SearchedLayout(const ServingRunRow& row, const Catalog& catalog,
                                 const std::vector<EngineSpec>& engines);

// Returns the metric family of a metric: throughput, ttft or tpot.
std::string MetricFamily(std::string_view metric);

}  // namespace suanli
