// Statistics of a validation: error medians, shares within 10% and 15%, and the model error per family (dense, MoE).
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "model/model_error.h"
#include "model/reliability.h"
#include "validate/campaign_summary.h"
#include "validate/predict.h"
#include "validate/runs_csv.h"

namespace suanli {

// How many step-rate rows' published value falls inside their predicted
// P10–P90 band (docs/validation.md §Coverage).
struct BandCoverage {
  int rows = 0;    // step-rate rows predicted
  int inside = 0;  // of them, published within [P10, P90] of the prediction
  // Returns the share of rows inside, percent (0 without rows: check rows first).
  double Pct() const { return rows > 0 ? 100.0 * inside / rows : 0.0; }
};

// The errors of one software stack's rows (docs/stacks.md).
struct StackErrors {
  std::string stack;           // stack id (a blank column counts as megatron)
  int rows = 0;                // rows of this stack in the files
  int n = 0;                   // rows predicted
  double median_ape_pct = 0;   // median |error| of the predicted rows, percent
  double within_15pct = 0;     // share of predicted rows with |error| <= 15%, percent
  std::vector<double> dense_ratios = {};  // published / predicted of its dense step-rate rows, in row order
  std::vector<double> moe_ratios = {};    // the same for its mixture-of-experts rows
  BandCoverage coverage = {};  // its step-rate rows inside P10–P90 (the error a workload of the stack gets)
};

// The P10–P90 coverage per family and over both.
struct P10P90Coverage {
  BandCoverage dense;
  BandCoverage moe;    // mixture-of-experts models
  BandCoverage total;
};

// The errors of the predicted rows of a validation.
struct ValidationSummary {
  int rows_in_files = 0;       // rows read from the files, bad rows included (set by ValidateRuns)
  int n = 0;                   // rows predicted
  double mape_pct = 0;         // mean absolute percentage error
  double median_ape_pct = 0;
  double max_ape_pct = 0;
  double within_10pct = 0;     // share of rows with |error| <= 10%, in percent
  double within_15pct = 0;
  int high_confidence_beyond_30pct = 0;
  // Published / predicted throughput over the rows that measure a step rate
  // (every metric but gpu_hours), for dense and for mixture-of-experts
  // models: the planner's model-error distributions (log sd from the measured
  // P10 and P90 of the log ratio, FitModelError).
  int dense_step_rows = 0;
  ModelError dense_error;
  int moe_step_rows = 0;
  ModelError moe_error;
  std::vector<StackErrors> stacks;  // per software stack, ordered by id
  P10P90Coverage coverage;          // under the shipped model error (data/validation/model-error.yaml)
  CampaignErrors campaigns;         // the gpu_hours rows' errors (SummariseCampaigns)
  BandCoverage campaign_coverage;   // gpu_hours rows inside the campaign P10–P90 (CampaignCoverageOf)
};

// Returns the stack id of a run: its column, or the default stack when blank.
std::string RunStack(const PublishedRun& run);

// Returns the model error a step-rate row of `run` is checked against in
// `table`: its stack's where it has one (model_error.h StackErrorFor), else its family's.
const ModelError& RowModelError(const PublishedRun& run, const ModelErrorTable& table);

// Returns whether a published / predicted throughput ratio lies inside the
// P10–P90 band of `error` (model_error.h P10P90Band, the planner's band).
bool InsideP10P90(double published_over_predicted, const ModelError& error);

// Returns the share of the step-rate rows (every metric but gpu_hours) of
// `rows`, the predictions of `runs`, whose published value lies inside the
// predicted P10–P90 band of their family's error in `table`.
P10P90Coverage CoverageOf(const std::vector<PublishedRun>& runs, const std::vector<RunPrediction>& rows,
                          const ModelErrorTable& table);

// Returns how many predicted gpu_hours rows of `rows`, the predictions of
// `runs`, published GPU-hours inside the campaign's P10–P90: the band that
// train --tokens and the planner draw from, the row's step error in `table`
// (RowModelError) combined with the campaign's `extra` error
// (model/campaign.h CampaignRatioAt at 0.1 and 0.9).
BandCoverage CampaignCoverageOf(const std::vector<PublishedRun>& runs, const std::vector<RunPrediction>& rows,
                                const ModelErrorTable& table, const ModelError& extra);

// The predicted P10 and P90 of a row's metric, in its unit.
struct MetricBand {
  double p10 = 0;
  double p90 = 0;
};

// Returns the predicted P10–P90 of the metric of `row`, the prediction of
// `run` (ok), under the row's error in `table` (RowModelError): for a rate,
// predicted × the band's ratios (P10P90Band); for gpu_hours, predicted
// GPU-hours ÷ the campaign ratio at 0.9 and at 0.1 with `extra`
// (CampaignRatioAt), the band CoverageOf and CampaignCoverageOf count.
MetricBand RowBand(const PublishedRun& run, const RunPrediction& row, const ModelErrorTable& table,
                   const ModelError& extra);

// Sets predicted_p10, predicted_p90 and inside_p10_p90 of every predicted row
// of `rows`, the predictions of `runs` in the same order (RowBand).
void SetRowBands(const std::vector<PublishedRun>& runs, std::vector<RunPrediction>& rows,
                 const ModelErrorTable& table, const ModelError& extra);

// Returns the errors per software stack of `rows`, the predictions of `runs`
// in the same order, with each stack's P10–P90 coverage under `table`.
std::vector<StackErrors> SummariseByStack(const std::vector<PublishedRun>& runs,
                                          const std::vector<RunPrediction>& rows, const ModelErrorTable& table);

// Returns the median of ascending, non-empty `sorted` (the mean of the two
// middle values for an even count).
double MedianOfSorted(const std::vector<double>& sorted);

// Returns the q-quantile (0..1) of ascending, non-empty `sorted`, linear
// between neighbouring values (Hyndman & Fan type 7).
double QuantileOfSorted(const std::vector<double>& sorted, double q);

// Returns the median and the log sd of published / predicted ratios ({1, 0}
// for none): the log sd is the log-normal sigma whose P10–P90 band is the
// measured one, (ln P90 − ln P10) / (2 · 1.2816); ratios that are not finite
// and positive are left out.
ModelError FitModelError(std::vector<double> ratios);

// The fewest step-rate rows a family (dense, MoE) needs before
// --write-model-error writes its error: the P10–P90 of n rows is read off
// the 10th and 90th percentiles, which 5 rows place 0.4 of a row from each
// end; with fewer, one row sets each end (and one row gives log sd 0, a
// band of zero width that the planner would then trust).
inline constexpr int kMinFamilyStepRows = 5;

// Returns ok when both families of `summary` have at least
// kMinFamilyStepRows step-rate rows; otherwise an error naming the family,
// its rows and how many it needs (--write-model-error refuses, exit 2).
Status CheckModelErrorRows(const ValidationSummary& summary);

// Returns the model-error table of a validation: the summary's dense and MoE
// errors and those of every stack with at least kStackMinStepRows step-rate
// rows (per family where it has that many of the family), measured on `runs`
// (each file and its row count) on `date` (YYYY-MM-DD).
ModelErrorTable MeasuredModelError(const ValidationSummary& summary, std::vector<RunsFileRows> runs,
                                   std::string date);

// Returns the summary of `rows`, the predictions of `runs` in the same order.
ValidationSummary Summarise(const std::vector<PublishedRun>& runs, const std::vector<RunPrediction>& rows);

}  // namespace suanli
