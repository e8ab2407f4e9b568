// Renderers of `train` runs: one layout, a search, a scaling curve and the campaign totals (JSON and text).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/perf.h"
#include "model/campaign.h"
#include "report/table.h"
#include "search/search.h"

namespace suanli {

// What a train run estimated: named in every output.
struct TrainSubject {
  std::string model;                 // model id
  std::string accelerator;           // accelerator id
  int gpus = 0;                      // devices
  std::vector<std::string> assumed;  // --assume NAME=VALUE what-if values
  double capacity_bytes = 0;         // memory of one device, bytes (the report's capacity rule)
  std::string advice;                // a layout that does not fit: what to try (NoFitAdvice), translated
};

// The training campaign of `tokens` tokens at one estimate's throughput.
struct CampaignTotals {
  double tokens = 0;  // tokens trained
  Campaign campaign;  // time and GPU-hours, with failures and the model-error range
  ChosenModelError model_error;  // the step error behind the range (the stack's, or the family's)
  bool layout_searched = false;  // the layout is --search's: the range carries searched_layout_ratio
  double searched_layout_ratio = 1.0;  // the family's SearchedLayoutRatio (model_error.h)
};

// One cluster size of a scaling curve: the best layout, or why none fits.
struct ScalingPoint {
  int gpus = 0;                          // devices
  std::optional<SearchCandidate> best;   // absent when nothing fits
  std::string reason;                    // why nothing fits (English, JSON)
  std::string reason_text;               // `reason` in the current language (text and HTML)
};

// One row of the --search ranking: a candidate and how many runner-ups that
// differ from it only in a detail (vp, or micro-batch at the same throughput)
// it stands for.
struct RankedRow {
  size_t index = 0;  // into SearchResult::top
  int variants = 0;  // collapsed runner-ups
};

// Returns the first `rows` rows of the ranking, runner-ups that differ from
// an earlier row only in a detail collapsed into it.
std::vector<RankedRow> RankRows(const SearchResult& result, size_t rows);
// Returns why fewer than `asked` rows are shown ("2 of 3 rows asked: the other
// layouts among the 12 best found differ from these only in vp or micro-batch"), or ""
// when `rows` has them all or nothing was found.
std::string FewerRowsNote(const SearchResult& result, const std::vector<RankedRow>& rows, size_t asked);
// Returns the ranking table (#, layout, tokens/s, MFU, memory, vs best) of `rows`.
TextTable RankingTable(const SearchResult& result, const std::vector<RankedRow>& rows);
// Returns the scaling table (devices, tokens/s, per device, MFU, step s, layout).
TextTable ScalingTable(const std::vector<ScalingPoint>& points);
// Returns the header line of a run: "llama-2-70b on 64 × a800-sxm-80gb".
std::string SubjectLine(const TrainSubject& subject);

// Returns "what-if: a, b\n" naming the what-if values, or "" without any.
std::string AssumedLine(const std::vector<std::string>& assumed);

// Returns the campaign keys: the totals of the whole campaign (total_time_s,
// total_time_days, gpu_hours: the same as campaign_days and
// campaign_gpu_hours), the steady state apart (steady_state_s,
// steady_state_days, steady_state_gpu_hours), the losses
// (campaign_losses_days{...}) and the P10/P50/P90 days; days and hours at 10
// significant digits.
nlohmann::json CampaignJson(const CampaignTotals& totals);
// Returns the campaign in three sentences (steady state, campaign with its losses, P10-P90) on `gpus` devices.
std::string CampaignText(const CampaignTotals& totals, int gpus);
// Returns the campaign table: steady state, each loss and the campaign (days, GPU-hours, share).
TextTable CampaignTable(const CampaignTotals& totals, int gpus);

// Returns search{configs_evaluated, feasible, elapsed_s, rejected, top} with
// one entry per ranking row in top, as the table shows them: the row's layout
// and `variants`, the runner-ups collapsed into it (docs/architecture.md, the CLI contract).
nlohmann::json SearchJson(const SearchResult& result, const std::vector<RankedRow>& rows);
// Returns "model on 64 × accel: searched N layouts (M fit in memory) in 0.12 s".
std::string SearchSummary(const TrainSubject& subject, const SearchResult& result);

// Returns the train JSON of one layout: EstimateJson plus the subject and the campaign.
nlohmann::json TrainEstimateJson(const TrainSubject& subject, const ParallelConfig& config,
                                 const StepEstimate& estimate,
                                 const std::optional<CampaignTotals>& totals);
// Returns the train text of one layout, with a hint when it does not fit.
std::string TrainEstimateText(const TrainSubject& subject, const ParallelConfig& config,
                              const StepEstimate& estimate,
                              const std::optional<CampaignTotals>& totals);

// Returns the train --search JSON: the best layout's keys (or fits false),
// search{...} with the first `top` ranking rows (RankRows), the campaign.
nlohmann::json TrainSearchJson(const TrainSubject& subject, const SearchResult& result,
                               const std::optional<CampaignTotals>& totals, size_t top);
// Returns the train --search text: the best layout and the ranked table of `top` rows.
std::string TrainSearchText(const TrainSubject& subject, const SearchResult& result,
                            const std::optional<CampaignTotals>& totals, size_t top);

// Returns the scaling curve as {model, accelerator, scaling[...], assumed}.
// Returns the CSV rows of a search (docs/reports.md): one per ranked layout
// with its rank, the subject and EstimateJson's keys; the first also the
// campaign's (CampaignJson) when there is one.
std::vector<nlohmann::json> TrainSearchCsvRows(const TrainSubject& subject, const SearchResult& result,
                                               const std::optional<CampaignTotals>& totals, size_t top);
// Returns the CSV rows of a scaling curve: one per cluster size (ScalingJson's points) with the subject.
std::vector<nlohmann::json> ScalingCsvRows(const TrainSubject& subject, const std::vector<ScalingPoint>& points);
// Returns --format md of one layout: the answer (subject, layout, step time,
// throughput, MFU, memory) as a two-column table, the step-time table and,
// with a campaign, the campaign table.
std::string TrainEstimateMarkdown(const TrainSubject& subject, const ParallelConfig& config,
                                  const StepEstimate& estimate, const std::optional<CampaignTotals>& totals);
// Returns --format md of a search: the best layout's answer (as
// TrainEstimateMarkdown) and the ranking table.
std::string TrainSearchMarkdown(const TrainSubject& subject, const SearchResult& result,
                                const std::optional<CampaignTotals>& totals, size_t top);

nlohmann::json ScalingJson(const TrainSubject& subject, const std::vector<ScalingPoint>& points);
// Returns the scaling curve as a table, one row per cluster size.
std::string ScalingText(const TrainSubject& subject, const std::vector<ScalingPoint>& points);

}  // namespace suanli
