// The planner of one workload, shared by plan.cc (the loop, evaluation,
// eligibility) and plan_sizes.cc (sizes: the coarse pass, the minimum to fit,
// the refinement, and why an accelerator has no option). Internal to src/plan.
#pragma once

#include <limits>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/progress.h"
#include "core/text.h"
#include "plan/mixes.h"
#include "plan/plan.h"

namespace suanli::plan_detail {


constexpr double kInf = std::numeric_limits<double>::infinity();
// Seed key of the model-error draws (a control character keeps it apart from
// quote ids, which are printable).
constexpr const char* kModelErrorStream = "\x01model error";


struct SkuStats {
  int largest_not_fitting = 0;
  int smallest_fitting = 0;
  std::string not_fit_reason;
  bool any_supply = false;
  int64_t max_supply = 0;
  int evaluated = 0;
  int over_budget = 0;
  int past_deadline = 0;
  int past_horizon = 0;
  // Of the options dropped over budget, the one paying the least cash (and its net cost).
  double over_budget_min_cash = kInf;
  double over_budget_min_net = kInf;
  // Of the options dropped past the deadline, the earliest finish at the deadline percentile, in days.
  double past_deadline_min_finish_days = kInf;
  // Of the options dropped past the horizon, the earliest P50 finish, in days.
  double past_horizon_min_finish_days = kInf;
  // Sizes on which options were evaluated (the coarse pass and the refinement).
  std::set<int> sizes_evaluated;
};

// Adds the counts and best figures of `more` (another pass over other sizes) to `into`.
void MergeStats(SkuStats& into, const SkuStats& more);

// What the options of one size came to, for the refinement's boundaries (bits).
enum SizeOutcome : int { kSizeKept = 1, kSizeOverBudget = 2, kSizePastDeadline = 4, kSizePastHorizon = 8 };

// Adds an exclusion reason for `sku` once.
inline void Exclude(WorkloadPlan& plan, const std::string& sku, std::string reason) {
  for (const Excluded& e : plan.excluded) {
    if (e.accelerator == sku && e.reason == reason) return;
  }
  plan.excluded.push_back(Excluded{sku, std::move(reason)});
}

// Counts one more `what` dropped for `reason`.
inline void Drop(WorkloadPlan& plan, std::string_view what, std::string reason, int64_t count = 1) {
  if (count <= 0) return;
  for (DropGroup& g : plan.dropped) {
    if (g.what == what && g.reason == reason) {
      g.count += count;
      return;
    }
  }
  plan.dropped.push_back(DropGroup{std::string(what), std::move(reason), count});
}

// Returns the quotes of `accel` a workload may use (constraints, export rules
// and quote checks); what is blocked goes to plan.excluded and plan.dropped.
// Shared by the training and the serving planner (serving_plan.cc).
std::vector<const PlanQuote*> EligibleQuotes(const PlanInput& in, const PlanAccelerator& accel, WorkloadPlan& plan);

class WorkloadPlanner {
 public:
  // `progress` (may be null) gains one unit per accelerator planned.
  WorkloadPlanner(const PlanInput& input, const PlanWorkload& workload, Progress* progress = nullptr)
      : in_(input), wl_(workload), progress_(progress) {}

  Result<WorkloadPlan> Run();

 private:
  const Throughput& Tput(const std::string& sku, int gpus) {
    auto key = std::make_pair(sku, gpus);
    auto it = cache_.find(key);
    if (it == cache_.end()) it = cache_.emplace(key, wl_.throughput(sku, gpus)).first;
    return it->second;
  }
  // Returns the campaign's tokens/s on `gpus` cards of `sku` with jobs
  // interrupted `failures_per_gpu_day` times per GPU-day (OptionFailuresPerGpuDay).
  double NetRate(const std::string& sku, int gpus, double failures_per_gpu_day) {
    if (gpus <= 0) return 0;
    const Throughput& t = Tput(sku, gpus);
    if (!t.fits || t.tokens_per_s <= 0) return 0;
    // The campaign's rate: steady state stretched by the batch ramp,
    // evaluation, rollbacks, stragglers and interruptions (model/campaign.h).
    const CampaignRun run{1.0, t.tokens_per_s, t.ramp_tokens_per_s, gpus, wl_.moe};
    CampaignAssumptions campaign = CampaignOf(in_.costs, wl_.stack);
    campaign.reliability.failures_per_gpu_day = failures_per_gpu_day;
    return t.tokens_per_s / CampaignStretch(run, campaign);
  }
  std::optional<PlanOptionResult> Evaluate(const PlanAccelerator& accel, int n,
                                           const Candidate& c, const Throughput& t);
  std::vector<const PlanQuote*> Eligible(const PlanAccelerator& accel, WorkloadPlan& plan) const;
  SkuStats TrySizes(const PlanAccelerator& accel, const std::vector<const PlanQuote*>& eligible,
                    const std::vector<int>& sizes, WorkloadPlan& plan, std::vector<PlanOptionResult>& all,
                    bool stop_early = true);
  void Refine(WorkloadPlan& plan, std::vector<PlanOptionResult>& all);
  // Records a purchase option evaluated and, when it was dropped, why ("budget",
  // "deadline", "horizon"; "" = kept), for NoBuyReason.
  void CountBuy(const PlanOptionResult& o, std::string_view dropped_for);
  // Returns why no purchase is among the options shown, in words (over budget,
  // misses the deadline, no purchase quote on offer) for the rent vs own line.
  std::string NoBuyReason() const;

  // What the coarse pass knows of one accelerator, for the refinement.
  struct SkuState {
    const PlanAccelerator* accel = nullptr;
    std::vector<const PlanQuote*> eligible;
    std::set<int> tried;
    int lowest = 1;
    std::vector<int> sizes;        // the coarse sizes (for Explain)
    SkuStats stats;                // every pass over its sizes, merged
    std::map<int, int> outcome;    // per size evaluated: SizeOutcome bits of its options
  };

  // Keeps `o`, dropped for `misses`, among the closest misses (near_misses_).
  void KeepNearMiss(PlanOptionResult o, const char* misses);

  std::map<std::string, SkuState> skus_;
  // Options dropped for one constraint, with how far they miss it (a share:
  // cash over budget / budget, days late / days to the deadline), closest first.
  std::vector<std::pair<double, PlanOptionResult>> near_misses_;
  SkuStats buys_;                // purchase options evaluated and dropped, over every accelerator
  bool any_buy_quote_ = false;   // some eligible quote sells cards
  void Explain(const std::string& sku, const SkuStats& stats, const std::vector<int>& sizes,
               WorkloadPlan& plan) const;
  bool FromMinimum(const std::string& sku, int min_cards, std::vector<int>& sizes,
                   WorkloadPlan& plan) const;

  // Returns `n` uniform draws in [0,1) for a quote, seeded by (seed, quote id).
  const std::vector<double>& Uniforms(const std::string& quote_id, int n) {
    auto it = uniforms_.find(quote_id);
    if (it != uniforms_.end()) return it->second;
    std::mt19937_64 rng(Fnv1a(quote_id, in_.options.seed));
    std::vector<double> draws(n);
    for (double& u : draws) u = static_cast<double>(rng() >> 11) * 0x1.0p-53;
    return uniforms_.emplace(quote_id, std::move(draws)).first->second;
  }

  const PlanInput& in_;
  const PlanWorkload& wl_;
  Progress* progress_ = nullptr;
  std::map<std::pair<std::string, int>, Throughput> cache_;
  std::map<std::string, std::vector<double>> uniforms_;
};

}  // namespace suanli::plan_detail
