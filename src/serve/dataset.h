// Serving datasets (data/serving/datasets.yaml): the prompt and output length
// distributions of the datasets serving benchmarks draw from, each sourced.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "serve/traffic.h"

namespace suanli {

// A benchmark whose definition fixes its dataset: a serving-runs row whose
// `source` starts with `source` and whose model starts with `model` (both
// compared as NormalizeId) ran on the dataset, e.g. MLPerf Inference's
// llama2-70b task on its OpenOrca split.
struct DatasetBenchmark {
  std::string source;  // prefix of the row's `source` column (the benchmark suite)
  std::string model;   // prefix of the row's model name (the suite's task)
};

// One dataset's length statistics and where they come from.
struct ServingDataset {
  std::string id;                // e.g. "sharegpt"
  std::string name;              // what the benchmark called it
  int64_t samples = 0;           // prompts in the dataset or draw (0 = not stated)
  LengthDistribution input;      // prompt tokens
  LengthDistribution output;     // generated tokens
  std::string source, date;      // citation and its date
  std::string confidence;        // high, medium, derived or estimate
  std::string notes;             // how each figure was read or derived
  std::vector<DatasetBenchmark> used_by;  // benchmarks defined on this dataset
};

// The load an engine's own throughput benchmark applies by default: how a
// published offline run that states no concurrency was driven.
struct BenchmarkDefault {
  std::string engine;         // engine id (data/engines.yaml)
  std::string tool;           // the benchmark script
  int concurrency = 0;        // closed-loop clients (0 = every request at t = 0)
  std::string source, date;   // citation and its date
  std::string confidence;     // high, medium, derived or estimate
};

// The datasets and the one used when a run states no lengths.
struct ServingDatasets {
  std::string default_id;               // dataset for blank lengths
  std::vector<ServingDataset> datasets;  // in file order
  std::vector<BenchmarkDefault> benchmarks;  // per engine; an engine not listed sends all requests at once
};

// Parses a datasets file; errors name file:line:col and the field, with a fix.
Result<ServingDatasets> ParseServingDatasets(std::string_view text, const std::string& file_name);

// Returns the datasets embedded from data/serving/datasets.yaml.
Result<ServingDatasets> LoadEmbeddedServingDatasets();

// Returns the dataset `id` (case-insensitive; "" or "default" = the default);
// an unknown id is an error at `where` naming the nearest ids.
Result<const ServingDataset*> FindServingDataset(const ServingDatasets& datasets, std::string_view id,
                                                 const std::string& where = "--dataset");

// Returns the dataset a benchmark row of `source` and `model` ran on by its
// benchmark's definition (ServingDataset::used_by), or null when none says.
const ServingDataset* DatasetOfBenchmark(const ServingDatasets& datasets, std::string_view source,
                                         std::string_view model);

// Returns the benchmark default of `engine`, or null when none is listed.
const BenchmarkDefault* FindBenchmarkDefault(const ServingDatasets& datasets, std::string_view engine);

// Returns the embedded dataset `id` ("" = the default): the input and output
// distributions `suanli serve --dataset` sets.
Result<ServingDataset> DatasetLengths(std::string_view id);

}  // namespace suanli
