// The campaign model: from steady-state step throughput to the wall time and
// GPU-hours of a whole pre-training run (docs/perf-model.md §Campaigns).
#pragma once

#include "model/memory.h"
#include "model/perf.h"
#include "model/reliability.h"

namespace suanli {

// What a whole run loses against steady state × tokens, each a named, sourced
// assumption (suanli show assumptions, campaign.*):
//
//   ramp_s      = R·T·(1/rate_ramp − 1/rate)                  batch-size ramp
//   rollback_s  = K·T / rate                                  tokens re-trained after loss spikes
//   straggler_s = (T/rate + ramp_s + rollback_s) · σ·√(2 ln N) the slowest of N devices sets each step
//   eval_s      = E · (T/rate + ramp_s + rollback_s + straggler_s)
//   wall_s      = (T/rate + ramp_s + rollback_s + straggler_s + eval_s) / U(N)
//
// T tokens, rate the steady whole-cluster tokens/s, rate_ramp the step
// model's rate at the ramp's mean batch (RampTokensPerS), U(N) the Young/Daly
// useful fraction of N devices (reliability.h: checkpoints, failures, restarts).
struct CampaignAssumptions {
  // Share of the tokens trained while the global batch ramps up. GPT-3 (Brown
  // et al. 2020, App. B): linear ramp over the first 4–12 B of 300 B tokens;
  // BLOOM (bigscience tr11, --rampup-batch-size 192 32 9765625): 20 B of 366 B;
  // Falcon-180B (model card): 100 B of 3.5 T. 0.04 is in that range (estimate).
  double ramp_token_share = 0.04;
  // The ramp's first batch as a share of the final one: BLOOM 192/2048 = 0.094,
  // GPT-3 32 K/3.2 M tokens = 0.01; 0.1 (estimate). Linear in tokens, so the
  // ramp's tokens run on average at the batch (start + 1)/2 of the final one.
  double ramp_start_batch_share = 0.1;
  // Share of training time spent evaluating: eval-iters / eval-interval × a
  // forward pass's share of a step (1/3 of forward + backward FLOPs):
  // Megatron-LM's GPT-3 175B example (examples/gpt3/train_gpt3_175b_distributed.sh:
  // --eval-interval 1000 --eval-iters 10) → 10/1000/3.
  double eval_time_share = 10.0 / 1000.0 / 3.0;
  // Share of the tokens trained twice after rolling back from loss spikes.
  // PaLM (Chowdhery et al. 2022, §5.1): about 20 spikes, each restarted about
  // 100 steps before the spike, over 255 K steps = 0.8%; OPT-175B's logbook
  // and BLOOM's chronicle record such rollbacks too (OPT more, BLOOM fewer).
  double rollback_token_share = 0.008;
  // Coefficient of variation of one device's step time over a long run: a
  // synchronous step waits for the slowest of N devices, E[max] ≈ mean·(1 +
  // σ·√(2 ln N)) (Gumbel limit of the largest of N normal draws). Llama 3
  // (arXiv 2407.21783 §3.3.4) reports 1–2% throughput variation on 16,384
  // GPUs; MegaScale (Jiang et al. NSDI'24 §4.3/§6) names stragglers without a
  // larger figure. σ = 0.02 / √(2 ln 16384) = 0.0045 puts the 2% upper end at
  // Llama 3's scale (estimate). What published campaigns lose beyond these
  // sourced effects is measured, not modelled: extra_error below.
  double straggler_cv = 0.0045;
  // Interruptions, checkpoints, restarts and the per-step model error.
  ReliabilityAssumptions reliability;
  // How far whole campaigns missed the campaign model beyond the step model's
  // own error (realised / predicted throughput), widening train --tokens' and
  // the planner's P10–P90: measured on the 19 campaign rows (kCampaignError).
  ModelError extra_error = {1.0, 0.0};
  // How fast a layout the search chose runs against its prediction, per
  // family (model_error.h): applied when CampaignRun::layout_searched, and by
  // the planner, whose layouts are all searched. {1, 1} = trust the search.
  SearchedLayoutRatio searched_layout;

  // Returns the assumptions with every campaign effect off: steady state
  // with interruptions and checkpoints only (the model before campaigns).
  static CampaignAssumptions InterruptionsOnly(const ReliabilityAssumptions& reliability = {});
};

// Realised / predicted throughput of whole campaigns (published GPU-hours
// against this model) beyond the dense step error: median ratio and extra log
// sd, measured on the 3 dev and 16 held-out campaign rows (docs/validation.md
// §Campaigns; data/validation/model-error.yaml names it beside the families).
ModelError ShippedCampaignExtraError();

// Returns the default campaign assumptions with the shipped campaign spread.
CampaignAssumptions DefaultCampaignAssumptions(const ReliabilityAssumptions& reliability = {});

// One training run to turn into a campaign.
struct CampaignRun {
  double tokens = 0;             // tokens trained
  double tokens_per_s = 0;       // steady state, whole cluster
  double ramp_tokens_per_s = 0;  // at the ramp's mean batch, whole cluster; 0 = tokens_per_s
  int gpus = 0;                  // devices
  bool moe = false;              // mixture-of-experts: the wider step-model error
  bool layout_searched = false;  // the layout is the search's best: its P50 carries SearchedLayoutRatio
};

// Returns the campaign of `run`: steady state and each loss separately.
Campaign CampaignFor(const CampaignRun& run, const CampaignAssumptions& assumptions);

// Returns campaign wall time / steady-state time of `run` (≥ 1; tokens do not matter).
double CampaignStretch(const CampaignRun& run, const CampaignAssumptions& assumptions);

// Returns `step` for a layout the search chose rather than one a team ran:
// its median times the family's ratio of `searched_layout`.
ModelError SearchedStepError(const ModelError& step, const SearchedLayoutRatio& searched_layout, bool moe);

// Returns the realised / predicted campaign throughput ratio at quantile u:
// the step error and the extra campaign error combined (medians multiply,
// log variances add).
double CampaignRatioAt(const ModelError& step_error, const ModelError& extra_error, double u);

// Returns `config` at the ramp's mean batch, (start + 1)/2 of the final one,
// rounded down to whole micro-batches of every data-parallel rank (a multiple
// of pp micro-batches when interleaved) and never below one micro-batch each.
ParallelConfig RampConfig(const ParallelConfig& config, const CampaignAssumptions& assumptions);

// Returns the step model's whole-cluster tokens/s at RampConfig(config), or
// `steady.tokens_per_s` when the ramp batch equals the final batch or its
// layout is not valid.
double RampTokensPerS(const ModelSpec& model, const ClusterSpec& cluster, const ParallelConfig& config,
                      const StepEstimate& steady, const CampaignAssumptions& assumptions,
                      const PerfAssumptions& perf = {}, const MemoryOptions& memory = {});

}  // namespace suanli
