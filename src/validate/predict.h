// Predicting one published run: its metric for the row's own layout, searching only the fields the source left blank.
#pragma once

#include <string>

#include "catalog/catalog.h"
#include "model/perf.h"
#include "search/search.h"
#include "validate/runs_csv.h"

namespace suanli {

// Rows without a stated cluster size (gpu_hours rows) are predicted on this
// many devices; per-device throughput depends on it only weakly.
constexpr int kDefaultGpusWhenBlank = 1024;

// One row's prediction against its published value.
struct RunPrediction {
  std::string id;
  std::string confidence;
  std::string accelerator_id;    // the catalog id the row's accelerator column resolved to (RunHardwareId)
  std::string metric;
  double published = 0;
  double predicted = 0;          // in the metric's unit; finite and positive when ok
  double error_pct = 0;          // 100·(predicted − published)/published
  bool layout_searched = false;  // some layout field was blank and was searched
  std::string note;              // e.g. which fields were searched, or why it failed (English, for JSON)
  std::string note_text;         // `note` in the current language (text and HTML reports)
  bool ok = false;               // false when no prediction could be made
  // The metric's predicted P10 and P90, in its unit, from the model error the
  // row is judged with (statistics.h SetRowBands; 0 before it ran): the
  // shipped step error for a step-rate row, with the campaign's extra error
  // for a gpu_hours row.
  double predicted_p10 = 0;
  double predicted_p90 = 0;
  bool inside_p10_p90 = false;   // the published value lies within [predicted_p10, predicted_p90]
  double campaign_before = 0;    // gpu_hours rows: GPU-hours with interruptions and checkpoints only (no campaign model)
  ParallelConfig config;         // the layout predicted
  StepEstimate estimate;
};

// The hardware a row's accelerator column names.
struct RunHardware {
  const Accelerator* accelerator = nullptr;
  const System* system = nullptr;  // its server and network; null = built from the accelerator alone
};

// Returns the hardware of a row's accelerator column: an accelerator id,
// alias or vendor spelling runs on its usual server (Catalog::DefaultSystemFor);
// a system id (data/systems.yaml) runs on that server and its network, for
// rows whose source states them. A name that is neither says so and lists
// the nearest ids of both kinds.
Result<RunHardware> FindRunHardware(const Catalog& catalog, std::string_view accelerator_column);

// Returns the catalog id the accelerator column resolves to: the
// accelerator's id ("H100 PCIe" -> h100-pcie-80gb), or the system's id when
// it names a system; the column itself when it names neither.
std::string RunHardwareId(const Catalog& catalog, std::string_view accelerator_column);

// Returns the prediction of `run` (accelerators looked up in `catalog`); a
// row that cannot be predicted has ok = false and its note says why.
RunPrediction PredictRun(const PublishedRun& run, const Catalog& catalog, int threads,
                         const PerfAssumptions& assumptions);

// Returns Narayanan et al. 2021's executed FLOPs per token with full
// recomputation: 96·l·h²·(1 + s/(6h) + V/(16·l·h)) (their eq. 3 per token).
double NarayananHwFlopsPerToken(const ModelSpec& model, int seq_len);

}  // namespace suanli
