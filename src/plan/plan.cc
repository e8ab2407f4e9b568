#include "plan/plan.h"

#include <algorithm>
#include <chrono>
#include <future>
#include <cmath>
#include <limits>
#include <map>
#include <random>
#include <set>

#include <fmt/format.h>

#include "core/text.h"
#include "plan/frontier.h"
#include "plan/mixes.h"
#include "plan/option_cost.h"
#include "plan/ownership.h"
#include "plan/advice.h"
#include "plan/plan_text.h"
#include "plan/recommendation.h"
#include "plan/schedule.h"
#include "plan/sizes.h"

namespace suanli {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
// Seed key of the model-error draws (a control character keeps it apart from
// quote ids, which are printable).
constexpr const char* kModelErrorStream = "\x01model error";

constexpr std::pair<Objective, std::string_view> kObjectiveNames[] = {
    {Objective::kEarliestFinish, "earliest_finish"},
    {Objective::kLowestCost, "lowest_cost"},
    {Objective::kFastestWithinBudget, "fastest_within_budget"},
    {Objective::kCheapestByDeadline, "cheapest_by_deadline"},
};

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
  double min_cost = kInf;
  double min_finish_days = kInf;
};

// Adds an exclusion reason for `sku` once.
void Exclude(WorkloadPlan& plan, const std::string& sku, std::string reason) {
  for (const Excluded& e : plan.excluded) {
    if (e.accelerator == sku && e.reason == reason) return;
  }
  plan.excluded.push_back(Excluded{sku, std::move(reason)});
}

// Counts one more `what` dropped for `reason`.
void Drop(WorkloadPlan& plan, std::string_view what, std::string reason, int64_t count = 1) {
  if (count <= 0) return;
  for (DropGroup& g : plan.dropped) {
    if (g.what == what && g.reason == reason) {
      g.count += count;
      return;
    }
  }
  plan.dropped.push_back(DropGroup{std::string(what), std::move(reason), count});
}

class WorkloadPlanner {
 public:
  WorkloadPlanner(const PlanInput& input, const PlanWorkload& workload)
      : in_(input), wl_(workload) {}

  Result<WorkloadPlan> Run();

 private:
  const Throughput& Tput(const std::string& sku, int gpus) {
    auto key = std::make_pair(sku, gpus);
    auto it = cache_.find(key);
    if (it == cache_.end()) it = cache_.emplace(key, wl_.throughput(sku, gpus)).first;
    return it->second;
  }
  double NetRate(const std::string& sku, int gpus) {
    if (gpus <= 0) return 0;
    const Throughput& t = Tput(sku, gpus);
    if (!t.fits || t.tokens_per_s <= 0) return 0;
    return t.tokens_per_s * UsefulFraction(in_.costs, gpus);
  }
  std::optional<PlanOptionResult> Evaluate(const PlanAccelerator& accel, int n,
                                           const Candidate& c, const Throughput& t);
  std::vector<const PlanQuote*> Eligible(const PlanAccelerator& accel, WorkloadPlan& plan) const;
  SkuStats TrySizes(const PlanAccelerator& accel, const std::vector<const PlanQuote*>& eligible,
                    const std::vector<int>& sizes, WorkloadPlan& plan, std::vector<PlanOptionResult>& all,
                    bool stop_early = true);
  void Refine(WorkloadPlan& plan, std::vector<PlanOptionResult>& all);

  // What the coarse pass knows of one accelerator, for the refinement.
  struct SkuState {
    const PlanAccelerator* accel = nullptr;
    std::vector<const PlanQuote*> eligible;
    std::set<int> tried;
    int lowest = 1;
  };
  std::map<std::string, SkuState> skus_;
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
  std::map<std::pair<std::string, int>, Throughput> cache_;
  std::map<std::string, std::vector<double>> uniforms_;
};

std::optional<PlanOptionResult> WorkloadPlanner::Evaluate(const PlanAccelerator& accel, int n,
                                                          const Candidate& c,
                                                          const Throughput& t) {
  const PlanCosts& k = in_.costs;
  PlanOptionResult o;
  o.accelerator = accel.id;
  o.gpus = n;
  o.mode = c.mode;
  o.layout = t.layout;
  o.tokens_per_s = t.tokens_per_s;
  o.failure_overhead = 1.0 - UsefulFraction(k, n);
  o.train_days = SecondsToDays(wl_.tokens / NetRate(accel.id, n));
  const bool staged = in_.options.allow_staged_start && c.parts.size() > 1;
  o.staged = staged;

  std::vector<Batch> batches;
  double arrival_days = 0, start_days = kInf;
  for (const auto& [q, cards] : c.parts) {
    o.mix.push_back(MixPart{q->id, q->supplier, cards, q->lead_weeks_likely});
    batches.push_back(Batch{WeeksToDays(q->lead_weeks_likely) + k.setup_days, cards});
    arrival_days = std::max(arrival_days, WeeksToDays(q->lead_weeks_likely));
    start_days = std::min(start_days, WeeksToDays(q->lead_weeks_likely) + k.setup_days);
  }
  const auto rate = [&](int cards) { return NetRate(accel.id, cards); };
  o.finish_days = FinishDays(batches, wl_.tokens, staged, rate);
  if (!std::isfinite(o.finish_days)) return std::nullopt;
  // A staged mix whose later cards arrive after training has finished pays for
  // cards it never uses: the smaller mix is its own option, so drop this one.
  if (staged) {
    for (const Batch& batch : batches) {
      if (batch.ready_days >= o.finish_days) return std::nullopt;
    }
  }
  o.arrival_weeks = DaysToWeeks(arrival_days);
  o.start_weeks = DaysToWeeks(staged ? start_days : arrival_days + k.setup_days);

  // Lead-time risk: triangular draws per quote, independent between quotes;
  // model risk: the realised / predicted throughput ratio of published runs
  // (log-normal, docs/validation.md), one draw per sample shared by every
  // option. Common random numbers: sample s of a quote is the same in every
  // option that uses it, so options differ only by what they buy, not by noise.
  std::vector<double> samples;
  const int n_samples = std::max(1, in_.options.monte_carlo_samples);
  samples.reserve(n_samples);
  std::vector<Batch> drawn = batches;
  std::vector<const std::vector<double>*> uniforms;
  for (const auto& part : c.parts) uniforms.push_back(&Uniforms(part.first->id, n_samples));
  const std::vector<double>& model_uniforms = Uniforms(kModelErrorStream, n_samples);
  const ReliabilityAssumptions reliability = Reliability(k);
  for (int s = 0; s < n_samples; ++s) {
    const double speed = ThroughputRatioAt(ErrorFor(reliability, wl_.moe), model_uniforms[s]);
    const auto drawn_rate = [&](int cards) { return rate(cards) * speed; };
    for (size_t i = 0; i < c.parts.size(); ++i) {
      const PlanQuote& q = *c.parts[i].first;
      drawn[i].ready_days =
          WeeksToDays(TriangularSample(q.lead_weeks_min, q.lead_weeks_likely, q.lead_weeks_max,
                                       (*uniforms[i])[s])) +
          k.setup_days;
    }
    samples.push_back(FinishDays(drawn, wl_.tokens, staged, drawn_rate));
  }
  std::sort(samples.begin(), samples.end());
  o.finish_p50_days = Percentile(samples, 0.5);
  o.finish_p90_days = Percentile(samples, 0.9);
  o.finish_p50_date = AddDays(in_.date, o.finish_p50_days);
  o.finish_p90_date = AddDays(in_.date, o.finish_p90_days);

  o.cost = PriceMix(c, accel, k, staged, o.finish_days, in_.currency, o.notes);
  return o;
}

// Returns the quotes of `accel` the plan may use; constraints and blocked
// quotes are recorded in plan.excluded (empty when none is left).
std::vector<const PlanQuote*> WorkloadPlanner::Eligible(const PlanAccelerator& accel, WorkloadPlan& plan) const {
  const std::string& sku = accel.id;
  const auto& allowed_ids = in_.constraints.accelerators;
  if (!allowed_ids.empty() &&
      std::find(allowed_ids.begin(), allowed_ids.end(), sku) == allowed_ids.end()) {
    Exclude(plan, sku, "not in constraints.accelerators");
    return {};
  }
  const auto& vendors = in_.constraints.vendors;
  if (!vendors.empty() && std::none_of(vendors.begin(), vendors.end(), [&](const auto& v) {
        return NormalizeId(v) == NormalizeId(accel.vendor);
      })) {
    Exclude(plan, sku, fmt::format("vendor {} not in constraints.vendors", accel.vendor));
    return {};
  }
  std::vector<const PlanQuote*> eligible;
  for (const PlanQuote& q : in_.quotes) {
    if (q.sku != sku) continue;
    if (!q.allowed) {
      // Quotes for other regions are counted, not listed: they were never on
      // offer to this buyer.
      if (q.blocked_category != "region") {
        Exclude(plan, sku, fmt::format("quote {} ({}): {}", q.id, q.supplier, q.blocked_reason));
      }
      Drop(plan, "quote", fmt::format("{}: {}", q.blocked_category.empty() ? "blocked" : q.blocked_category,
                                      q.blocked_category == "region" ? "sold only to buyers in other regions"
                                                                      : "blocked for this buyer (listed under Excluded)"));
      continue;
    }
    eligible.push_back(&q);
  }
  return eligible;
}

// Evaluates every mix of the eligible quotes over the cluster sizes, adds the
// options within budget, deadline and horizon to `all`; returns the statistics
// that explain an accelerator with none.
SkuStats WorkloadPlanner::TrySizes(const PlanAccelerator& accel, const std::vector<const PlanQuote*>& eligible,
                                   const std::vector<int>& sizes, WorkloadPlan& plan,
                                   std::vector<PlanOptionResult>& all, bool stop_early) {
  const std::string& sku = accel.id;
  SkuStats stats;
  for (const PlanQuote* q : eligible) {
    stats.max_supply = std::max(stats.max_supply, Available(*q));
  }
  double best_tps = 0;
  int flat_sizes = 0;
  double earliest_ready_days = std::numeric_limits<double>::infinity();
  for (const PlanQuote* q : eligible) {
    earliest_ready_days = std::min(earliest_ready_days, WeeksToDays(q->lead_weeks_min) + in_.costs.setup_days);
  }
  const bool p90 = DeadlinePercentile(in_) == 90;
  for (size_t si = 0; si < sizes.size(); ++si) {
    const int n = sizes[si];
    const std::vector<Candidate> mixes =
        GenerateMixes(eligible, n, in_.options.allow_staged_start, in_.costs.node_size);
    if (mixes.empty()) {
      Drop(plan, "size", "no mix of the eligible quotes supplies it (stock, minimum order)");
      continue;
    }
    stats.any_supply = true;
    const Throughput& t = Tput(sku, n);
    if (!t.fits || t.tokens_per_s <= 0) {
      if (stats.smallest_fitting > 0) {
        // Larger than a size that works: no valid layout (batch or
        // divisibility), not memory.
        Exclude(plan, sku, fmt::format("no valid layout on {} cards{}", n,
                                 t.reason.empty() ? "" : ": " + t.reason));
        Drop(plan, "size", "no valid layout (batch or divisibility)");
        continue;
      }
      Drop(plan, "size", "does not fit in memory");
      stats.largest_not_fitting = std::max(stats.largest_not_fitting, n);
      if (stats.not_fit_reason.empty()) stats.not_fit_reason = t.reason;
      continue;
    }
    if (stats.smallest_fitting == 0) stats.smallest_fitting = n;
    // More cards that add (almost) no throughput only cost more: stop after
    // two sizes in a row that gain less than 2%.
    if (t.tokens_per_s < best_tps * 1.02) {
      if (++flat_sizes >= 2 && stop_early) {
        Drop(plan, "size", "larger sizes stopped: two sizes in a row added < 2% throughput",
             static_cast<int64_t>(sizes.size() - si));
        break;
      }
    } else {
      flat_sizes = 0;
    }
    best_tps = std::max(best_tps, t.tokens_per_s);
    // More cards shorten time-to-model by at most the training time: stop
    // growing once training is under 5% of the earliest possible finish.
    const double train_days_here = SecondsToDays(wl_.tokens / NetRate(sku, n));
    const bool last_useful_size = train_days_here < 0.05 * (earliest_ready_days + train_days_here);
    for (const Candidate& c : mixes) {
      std::optional<PlanOptionResult> o = Evaluate(accel, n, c, t);
      ++plan.options_evaluated;
      if (!o) {
        Drop(plan, "option", "staged mix whose later cards arrive after training ends (or never finishes)");
        continue;
      }
      ++stats.evaluated;
      stats.min_cost = std::min(stats.min_cost, o->cost.total);
      stats.min_finish_days = std::min(stats.min_finish_days, o->finish_p50_days);
      if (in_.constraints.budget > 0 && o->cost.total > in_.constraints.budget) {
        ++stats.over_budget;
        Drop(plan, "option", "over budget");
        continue;
      }
      if (in_.constraints.has_deadline &&
          (p90 ? o->finish_p90_date : o->finish_p50_date) > in_.constraints.deadline) {
        ++stats.past_deadline;
        Drop(plan, "option", fmt::format("misses the deadline at P{}", p90 ? 90 : 50));
        continue;
      }
      if (o->finish_p50_days > in_.options.horizon_days) {
        ++stats.past_horizon;
        Drop(plan, "option", "finishes after the planning horizon (options.horizon_days)");
        continue;
      }
      all.push_back(std::move(*o));
    }
    if (last_useful_size && stop_early) {
      Drop(plan, "size", "larger sizes stopped: training already under 5% of the time to model",
           static_cast<int64_t>(sizes.size() - si - 1));
      break;
    }
  }
  return stats;
}

// Drops the sizes below `min_cards` (the fewest that fit) and adds it;
// returns false (and records why) when nothing fits up to the largest size.
bool WorkloadPlanner::FromMinimum(const std::string& sku, int min_cards, std::vector<int>& sizes,
                                  WorkloadPlan& plan) const {
  const int largest = std::min(in_.constraints.max_devices, kMaxPlanClusterSize);
  if (min_cards <= 0 || min_cards > largest) {
    Exclude(plan, sku, fmt::format("{} does not fit in memory on any size up to {} cards "
                                   "(search/min_fit.h)", wl_.model, largest));
    Drop(plan, "size", "below the fewest cards that fit", static_cast<int64_t>(sizes.size()));
    return false;
  }
  const size_t before = sizes.size();
  Drop(plan, "size", "below the fewest cards that fit",
       std::count_if(sizes.begin(), sizes.end(), [&](int n) { return n < min_cards; }));
  sizes.erase(std::remove_if(sizes.begin(), sizes.end(), [&](int n) { return n < min_cards; }),
              sizes.end());
  if (sizes.size() < before) {
    Exclude(plan, sku, fmt::format("{} does not fit in memory on fewer than {} cards (the fewest that "
                                   "fit, as `suanli fit` says)", wl_.model, min_cards));
    // Automatic sizes: the minimum takes the place of the sizes below it.
    if (in_.options.cluster_sizes.empty() && (sizes.empty() || sizes.front() != min_cards)) {
      sizes.insert(sizes.begin(), min_cards);
    }
  }
  return !sizes.empty();
}

// Records in plan.excluded why `sku` has no option (supply, memory, budget,
// deadline or horizon), from its statistics.
void WorkloadPlanner::Explain(const std::string& sku, const SkuStats& stats, const std::vector<int>& sizes,
                              WorkloadPlan& plan) const {
  if (!stats.any_supply) {
    if (sizes.empty()) {
      Exclude(plan, sku, fmt::format("no cluster size to try: options.cluster_sizes are all above "
                               "constraints.max_devices ({})", in_.constraints.max_devices));
    } else {
      Exclude(plan, sku, fmt::format("the eligible quotes cannot supply any cluster size tried (at most "
                               "{} cards, minimum orders included; sizes from {})",
                               stats.max_supply, sizes.front()));
    }
  } else if (stats.largest_not_fitting > 0 && stats.smallest_fitting == 0) {
    Exclude(plan, sku, fmt::format("{} does not fit in memory on any size up to {} cards{}", wl_.model,
                             stats.largest_not_fitting,
                             stats.not_fit_reason.empty() ? "" : ": " + stats.not_fit_reason));
  } else if (stats.largest_not_fitting > 0 && stats.largest_not_fitting < stats.smallest_fitting) {
    Exclude(plan, sku, fmt::format("{} does not fit in memory on {} cards or fewer (needs at least {})",
                             wl_.model, stats.largest_not_fitting, stats.smallest_fitting));
  }
  if (stats.evaluated > 0 &&
      stats.evaluated == stats.over_budget + stats.past_deadline + stats.past_horizon) {
    if (stats.past_horizon > 0) {
      Exclude(plan, sku, fmt::format("no option finishes within the planning horizon of {:g} days "
                               "(options.horizon_days); earliest P50 finish {}",
                               in_.options.horizon_days,
                               FormatDate(AddDays(in_.date, stats.min_finish_days))));
    }
    if (stats.over_budget > 0) {
      Exclude(plan, sku, fmt::format("over budget: cheapest option costs {} > budget {}",
                               FormatMoney(stats.min_cost, in_.currency),
                               FormatMoney(in_.constraints.budget, in_.currency)));
    }
    if (stats.past_deadline > 0) {
      Exclude(plan, sku, fmt::format("misses the deadline {} at P{}: earliest P50 finish {}",
                               FormatDate(in_.constraints.deadline), DeadlinePercentile(in_),
                               FormatDate(AddDays(in_.date, stats.min_finish_days))));
    }
  }
}

// Sizes on a grid of 1/16 of the recommended size around it, until the
// recommendation stops moving (at most 4 rounds): the coarse pass (x1.33 to
// x1.5 apart) must not hide a cheaper size that finishes as early.
void WorkloadPlanner::Refine(WorkloadPlan& plan, std::vector<PlanOptionResult>& all) {
  const int limit = std::min(in_.constraints.max_devices, kMaxPlanClusterSize);
  for (int round = 0; round < 4 && !all.empty(); ++round) {
    const std::string sku = all.front().accelerator;
    const int around = all.front().gpus;
    auto it = skus_.find(sku);
    if (it == skus_.end()) return;
    SkuState& state = it->second;
    const std::vector<int> sizes = RefineSizes(around, state.tried, state.lowest, limit);
    if (sizes.empty()) return;
    state.tried.insert(sizes.begin(), sizes.end());
    TrySizes(*state.accel, state.eligible, sizes, plan, all, /*stop_early=*/false);
    RankOptions(all, in_.objective);
    if (all.front().accelerator == sku && all.front().gpus == around) return;
  }
}

Result<WorkloadPlan> WorkloadPlanner::Run() {
  WorkloadPlan plan;
  plan.name = wl_.name;
  plan.model = wl_.model;
  plan.tokens = wl_.tokens;
  const std::vector<int> sizes =
      CandidateSizes(in_.options.cluster_sizes, in_.constraints.max_devices);
  std::vector<std::string> skus;
  for (const PlanQuote& q : in_.quotes) {
    if (std::find(skus.begin(), skus.end(), q.sku) == skus.end()) skus.push_back(q.sku);
  }
  std::sort(skus.begin(), skus.end());
  std::vector<PlanOptionResult> all;
  for (const std::string& sku : skus) {
    const PlanAccelerator* accel = nullptr;
    for (const PlanAccelerator& a : in_.accelerators) {
      if (a.id == sku) accel = &a;
    }
    if (accel == nullptr) {
      return MakeError(fmt::format("quote refers to accelerator '{}' unknown to the planner", sku));
    }
    const std::vector<const PlanQuote*> eligible = Eligible(*accel, plan);
    if (eligible.empty()) continue;
    std::vector<int> sku_sizes = sizes;
    if (wl_.min_fit && !sku_sizes.empty()) {
      // The one minimum-to-fit answer (search/min_fit.h): sizes below it
      // cannot fit, and the minimum itself is always tried.
      const int min_cards = wl_.min_fit(sku);
      plan.min_cards.push_back(MinCards{sku, min_cards});
      if (!FromMinimum(sku, min_cards, sku_sizes, plan)) continue;
    }
    const SkuStats stats = TrySizes(*accel, eligible, sku_sizes, plan, all);
    Explain(sku, stats, sku_sizes, plan);
    SkuState& state = skus_[sku];
    state.accel = accel;
    state.eligible = eligible;
    state.tried.insert(sku_sizes.begin(), sku_sizes.end());
    state.lowest = sku_sizes.empty() ? 1 : sku_sizes.front();
  }
  RankOptions(all, in_.objective);
  if (in_.options.cluster_sizes.empty()) Refine(plan, all);

  MarkPareto(all);
  RankOptions(all, in_.objective);
  // Option 0 is kept first; the reasons name only options that are shown.
  ShownOptions shown = SelectShown(all, in_.options.top);
  const std::string speed_up = NearFreeSpeedUp(all, shown);
  plan.recommendation = Recommend(shown.options, in_.objective, in_.currency);
  if (!shown.options.empty() && in_.constraints.has_deadline &&
      shown.options[0].finish_p90_date > in_.constraints.deadline) {
    plan.recommendation.reasons.push_back(fmt::format(
        "risk: its P90 finish {} misses the deadline {} (more than a 1-in-10 chance of being late; "
        "constraints.deadline_percentile: p90 plans for it)",
        FormatDate(shown.options[0].finish_p90_date), FormatDate(in_.constraints.deadline)));
  }
  for (size_t i = 0; i < shown.options.size(); ++i) {
    int& best = shown.options[i].mode == BuyMode::kRent ? plan.best_rent : plan.best_buy;
    if (best < 0) best = static_cast<int>(i);
  }
  const std::string rent_or_own = RentVersusOwn(shown.options, plan.best_rent, plan.best_buy, in_.currency);
  if (!rent_or_own.empty()) plan.recommendation.reasons.push_back(rent_or_own);
  if (!speed_up.empty()) plan.recommendation.reasons.push_back(speed_up);
  CutInterconnectNotes(shown.options, [this](const std::string& sku, int gpus) { return Tput(sku, gpus); },
                       plan.recommendation.reasons);
  if (plan.best_buy >= 0) {
    const PlanOptionResult& buy = shown.options[plan.best_buy];
    double tdp_w = 0;
    for (const PlanAccelerator& a : in_.accelerators) {
      if (a.id == buy.accelerator) tdp_w = a.tdp_w;
    }
    if (auto b = OwnVersusRent(buy, in_.quotes, in_.costs, tdp_w)) {
      plan.recommendation.reasons.push_back(BreakEvenText(*b, in_.costs, in_.currency));
    }
  }
  plan.options = std::move(shown.options);
  plan.frontier = std::move(shown.frontier);
  plan.status = plan.options.empty() ? PlanStatus::kInfeasible : PlanStatus::kFeasible;
  if (plan.options.empty() && plan.excluded.empty()) {
    plan.excluded.push_back(Excluded{"*", "no quote in the market offers any accelerator"});
  }
  return plan;
}

}  // namespace

std::string_view ObjectiveName(Objective objective) {
  for (const auto& [value, name] : kObjectiveNames) {
    if (value == objective) return name;
  }
  return "?";
}

Result<Objective> ParseObjective(std::string_view text) {
  std::vector<std::string> names;
  for (const auto& [value, name] : kObjectiveNames) {
    if (name == text) return value;
    names.emplace_back(name);
  }
  return MakeError(fmt::format("unknown objective '{}'", text), "",
                   "use one of: " + Join(names, ", "));
}

std::string_view BuyModeName(BuyMode mode) { return mode == BuyMode::kRent ? "rent" : "buy"; }

int DeadlinePercentile(const PlanInput& input) {
  if (input.constraints.deadline_percentile != 0) return input.constraints.deadline_percentile;
  return input.objective == Objective::kCheapestByDeadline ? 90 : 50;
}

ReliabilityAssumptions Reliability(const PlanCosts& costs) {
  return ReliabilityAssumptions{costs.failures_per_gpu_day, costs.checkpoint_write_s, costs.restart_s,
                                costs.dense_error, costs.moe_error};
}

double UsefulFraction(const PlanCosts& costs, int gpus) {
  return UsefulFraction(Reliability(costs), gpus);
}

Result<PlanResult> MakePlan(const PlanInput& input) {
  const auto start = std::chrono::steady_clock::now();
  PlanResult result;
  // Workloads are independent (each has its own throughput cache): plan them
  // concurrently; results keep the input order.
  std::vector<std::future<Result<WorkloadPlan>>> futures;
  for (const PlanWorkload& workload : input.workloads) {
    futures.push_back(std::async(std::launch::async, [&input, &workload] {
      WorkloadPlanner planner(input, workload);
      return planner.Run();
    }));
  }
  std::vector<Result<WorkloadPlan>> plans;
  for (auto& future : futures) plans.push_back(future.get());
  for (auto& plan : plans) {
    if (!plan.ok()) return plan.error();
    result.workloads.push_back(std::move(plan).value());
  }
  result.elapsed_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace suanli
