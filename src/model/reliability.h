// Job-level reliability of a training campaign: how much wall time is useful
// work once interruptions, checkpoints and restarts are counted.
#pragma once

#include <string>
#include <vector>

#include "model/model_error.h"

namespace suanli {

// Interruption and checkpoint figures of a training job, and the model's
// measured error.
struct ReliabilityAssumptions {
  double failures_per_gpu_day = 4.7e-4;  // job interruptions per GPU-day (Llama 3 paper: 419 in 54 days on 16,384 GPUs)
  double checkpoint_write_s = 120;       // seconds to write one checkpoint
  double restart_s = 600;                // seconds lost per interruption besides recomputing lost work
  // Measured on the step-rate rows of the dev set and the held-out set, as
  // data/validation/model-error.yaml says (`suanli validate --write-model-error`
  // writes it); the mixture-of-experts error is larger and software-bound.
  ModelError dense_error = ShippedModelError().dense.error;
  ModelError moe_error = ShippedModelError().moe.error;
  // The errors of stacks with enough rows of their own (model-error.yaml
  // `stacks`); a scenario that sets the family errors empties them.
  std::vector<StackModelError> stack_errors = ShippedModelError().stacks;
  bool family_errors_measured = true;  // dense_error/moe_error are the shipped fits (false: set by hand)
  std::string stack = "";  // the workload's software stack id; "" = none stated: the family errors
};

// Returns the fraction (0.05..1) of wall time that does useful work under
// periodic checkpointing with the Young/Daly interval tau = sqrt(2*C*M), where
// M is the job's mean time between interruptions (1 / (rate * gpus)):
// 1 - C/tau - (tau/2 + R)/M, floored at 0.05 (Young 1974; Daly 2006).
double UsefulFraction(const ReliabilityAssumptions& reliability, int gpus);

// Returns the realised / predicted throughput ratio at quantile u in (0, 1) of
// the log-normal model error: median · exp(log_sd · Φ⁻¹(u)).
double ThroughputRatioAt(const ModelError& error, double u);
// Returns the model error of a dense or mixture-of-experts workload on
// `reliability.stack`: the stack's own (model_error.h StackErrorFor) where it
// has enough rows, else the family's over every stack.
const ModelError& ErrorFor(const ReliabilityAssumptions& reliability, bool moe);
// Returns ErrorFor's choice with what it was measured on (for reports).
ChosenModelError ChosenErrorFor(const ReliabilityAssumptions& reliability, bool moe);

// Returns Φ⁻¹(u), the standard normal quantile, for u in (0, 1) (Acklam's
// rational approximation, relative error below 1.2e-9).
double NormalQuantile(double u);

// Time and GPU-hours of training a token budget, without and with the losses
// to interruptions and checkpoints.
struct Campaign {
  double train_s = 0;          // steady state: tokens / throughput, seconds
  double ramp_s = 0;           // extra seconds of the batch-size ramp (campaign.h)
  double rollback_s = 0;       // seconds re-training tokens after loss spikes (campaign.h)
  double straggler_s = 0;      // seconds waiting for the slowest device (campaign.h)
  double eval_s = 0;           // seconds of evaluation pauses (campaign.h)
  double interruption_s = 0;   // seconds lost to checkpoints, failures and restarts
  double useful_fraction = 1;  // UsefulFraction on the campaign's devices
  double wall_s = 0;           // (train_s + ramp, rollback, straggler, eval) / useful_fraction, seconds
  double train_gpu_hours = 0;  // train_s × devices / 3600
  double wall_gpu_hours = 0;   // wall_s × devices / 3600
  double wall_p10_s = 0;       // wall_s if throughput comes out at the model error's 90th percentile, seconds
  double wall_p50_s = 0;       // wall_s at the model error's median: what published campaigns took, seconds
  double wall_p90_s = 0;       // wall_s at the model error's 10th percentile, seconds
};

// Returns the campaign of `tokens` at `tokens_per_s` (whole cluster) on `gpus`
// devices with interruptions and checkpoints only (campaign.h adds the other
// losses of a whole run); `moe` picks the mixture-of-experts model error for the range.
Campaign CampaignFor(double tokens, double tokens_per_s, int gpus,
                     const ReliabilityAssumptions& reliability = {}, bool moe = false);

}  // namespace suanli
