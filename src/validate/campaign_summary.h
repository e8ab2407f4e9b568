// The campaign (gpu_hours) rows of a validation: their error with the campaign
// model and with interruptions and checkpoints only (before it).
#pragma once

#include <vector>

#include "model/model_error.h"
#include "validate/predict.h"

namespace suanli {

// Errors of the predicted gpu_hours rows, now and before the campaign model.
struct CampaignErrors {
  int n = 0;                            // gpu_hours rows predicted
  double median_ape_pct = 0;            // median |error| with the campaign model, percent
  double mean_signed_pct = 0;           // mean signed error with it, percent (negative: predicted short)
  double before_median_ape_pct = 0;     // median |error| with interruptions and checkpoints only, percent
  double before_mean_signed_pct = 0;    // mean signed error with them only, percent
  ModelError predicted_over_published;  // realised / predicted campaign throughput: median and log sd
};

// Returns the errors of the predicted gpu_hours rows of `rows` (n = 0 without any).
CampaignErrors SummariseCampaigns(const std::vector<RunPrediction>& rows);

}  // namespace suanli
