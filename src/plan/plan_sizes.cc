// Cluster sizes of one workload's planner (plan/workload_planner.h): the
// coarse pass, the minimum to fit, the refinement and the explanations.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "plan/frontier.h"
#include "plan/plan_text.h"
#include "plan/recommendation.h"
#include "plan/schedule.h"
#include "plan/sizes.h"
#include "plan/workload_planner.h"

namespace suanli::plan_detail {

void MergeStats(SkuStats& into, const SkuStats& more) {
  into.largest_not_fitting = std::max(into.largest_not_fitting, more.largest_not_fitting);
  if (more.smallest_fitting > 0 && (into.smallest_fitting == 0 || more.smallest_fitting < into.smallest_fitting)) {
    into.smallest_fitting = more.smallest_fitting;
  }
  if (into.not_fit_reason.empty()) into.not_fit_reason = more.not_fit_reason;
  into.any_supply = into.any_supply || more.any_supply;
  into.max_supply = std::max(into.max_supply, more.max_supply);
  into.evaluated += more.evaluated;
  into.over_budget += more.over_budget;
  into.past_deadline += more.past_deadline;
  into.past_horizon += more.past_horizon;
  if (more.over_budget_min_cash < into.over_budget_min_cash) {
    into.over_budget_min_cash = more.over_budget_min_cash;
    into.over_budget_min_net = more.over_budget_min_net;
  }
  into.past_deadline_min_finish_days = std::min(into.past_deadline_min_finish_days, more.past_deadline_min_finish_days);
  into.past_horizon_min_finish_days = std::min(into.past_horizon_min_finish_days, more.past_horizon_min_finish_days);
  into.sizes_evaluated.insert(more.sizes_evaluated.begin(), more.sizes_evaluated.end());
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
    earliest_ready_days = std::min(earliest_ready_days, WeeksToDays(q->lead_weeks_min) + SetupDaysOf(*q, in_.costs));
  }
  const bool p90 = DeadlinePercentile(in_) == 90;
  std::map<int, int>& outcome = skus_[sku].outcome;
  for (size_t si = 0; si < sizes.size(); ++si) {
    const int n = sizes[si];
    const std::vector<Candidate> mixes =
        GenerateMixes(eligible, n, in_.options.allow_staged_start, in_.costs.node_size);
    if (mixes.empty()) {
      Drop(plan, "size", Tr("no mix of the eligible quotes supplies it (stock, minimum order)"));
      continue;
    }
    stats.any_supply = true;
    const Throughput& t = Tput(sku, n);
    if (!t.fits || t.tokens_per_s <= 0) {
      if (stats.smallest_fitting > 0) {
        // Larger than a size that works: no valid layout (batch or
        // divisibility), not memory.
        Exclude(plan, sku, TrFormat("no valid layout on {} cards{}", n,
                                 t.reason.empty() ? "" : ": " + t.reason));
        Drop(plan, "size", Tr("no valid layout (batch or divisibility)"));
        continue;
      }
      Drop(plan, "size", Tr("does not fit in memory"));
      stats.largest_not_fitting = std::max(stats.largest_not_fitting, n);
      if (stats.not_fit_reason.empty()) stats.not_fit_reason = t.reason;
      continue;
    }
    if (stats.smallest_fitting == 0) stats.smallest_fitting = n;
    // More cards that add (almost) no throughput only cost more: stop after
    // two sizes in a row that gain less than 2%.
    if (t.tokens_per_s < best_tps * 1.02) {
      if (++flat_sizes >= 2 && stop_early) {
        Drop(plan, "size", Tr("larger sizes stopped: two sizes in a row added < 2% throughput"),
             static_cast<int64_t>(sizes.size() - si));
        break;
      }
    } else {
      flat_sizes = 0;
    }
    best_tps = std::max(best_tps, t.tokens_per_s);
    // More cards shorten time-to-model by at most the training time: stop
    // growing once training is under 5% of the earliest possible finish.
    const double train_days_here = SecondsToDays(wl_.tokens / NetRate(sku, n, in_.costs.failures_per_gpu_day));
    const bool last_useful_size = train_days_here < 0.05 * (earliest_ready_days + train_days_here);
    for (const Candidate& c : mixes) {
      std::optional<PlanOptionResult> o = Evaluate(accel, n, c, t);
      ++plan.options_evaluated;
      if (!o) {
        Drop(plan, "option", Tr("staged mix whose later cards arrive after training ends (or never finishes)"));
        continue;
      }
      ++stats.evaluated;
      stats.sizes_evaluated.insert(n);
      // The budget limits the cash paid (before any resale credit), not the net cost.
      if (in_.constraints.budget > 0 && o->cost.cash > in_.constraints.budget) {
        CountBuy(*o, "budget");
        outcome[n] |= kSizeOverBudget;
        ++stats.over_budget;
        if (o->cost.cash < stats.over_budget_min_cash) {
          stats.over_budget_min_cash = o->cost.cash;
          stats.over_budget_min_net = o->cost.total;
        }
        Drop(plan, "option", Tr("over budget (cash paid before resale)"));
        KeepNearMiss(std::move(*o), "budget");
        continue;
      }
      if (in_.constraints.has_deadline &&
          (p90 ? o->finish_p90_date : o->finish_p50_date) > in_.constraints.deadline) {
        CountBuy(*o, "deadline");
        outcome[n] |= kSizePastDeadline;
        ++stats.past_deadline;
        stats.past_deadline_min_finish_days =
            std::min(stats.past_deadline_min_finish_days, p90 ? o->finish_p90_days : o->finish_p50_days);
        Drop(plan, "option", TrFormat("misses the deadline at P{}", p90 ? 90 : 50));
        KeepNearMiss(std::move(*o), "deadline");
        continue;
      }
      if (o->finish_p50_days > PlanHorizonDays(in_)) {
        CountBuy(*o, "horizon");
        outcome[n] |= kSizePastHorizon;
        ++stats.past_horizon;
        stats.past_horizon_min_finish_days = std::min(stats.past_horizon_min_finish_days, o->finish_p50_days);
        Drop(plan, "option", Tr("finishes after the planning horizon (options.horizon_days)"));
        KeepNearMiss(std::move(*o), "horizon");
        continue;
      }
      CountBuy(*o, "");
      outcome[n] |= kSizeKept;
      all.push_back(std::move(*o));
    }
    if (last_useful_size && stop_early) {
      Drop(plan, "size", Tr("larger sizes stopped: training already under 5% of the time to model"),
           static_cast<int64_t>(sizes.size() - si - 1));
      break;
    }
  }
  return stats;
}

void WorkloadPlanner::KeepNearMiss(PlanOptionResult o, const char* misses) {
  constexpr size_t kKept = 5;
  const bool p90 = DeadlinePercentile(in_) == 90;
  double miss = kInf;
  if (std::string_view(misses) == "budget") {
    miss = o.cost.cash / std::max(1.0, in_.constraints.budget) - 1;
  } else {
    const double limit = std::string_view(misses) == "deadline"
                             ? static_cast<double>(DaysBetween(in_.date, in_.constraints.deadline))
                             : PlanHorizonDays(in_);
    const double finish = std::string_view(misses) == "deadline" && p90 ? o.finish_p90_days : o.finish_p50_days;
    miss = finish / std::max(1.0, limit) - 1;
  }
  if (!std::isfinite(miss)) return;
  if (near_misses_.size() >= kKept && miss >= near_misses_.back().first) return;
  o.misses = misses;
  o.notes.clear();
  o.step_terms.clear();
  const auto at = std::upper_bound(near_misses_.begin(), near_misses_.end(), miss,
                                   [](double m, const auto& entry) { return m < entry.first; });
  near_misses_.insert(at, {miss, std::move(o)});
  if (near_misses_.size() > kKept) near_misses_.pop_back();
}

void WorkloadPlanner::CountBuy(const PlanOptionResult& o, std::string_view dropped_for) {
  if (o.mode != BuyMode::kBuy) return;
  ++buys_.evaluated;
  const bool p90 = DeadlinePercentile(in_) == 90;
  if (dropped_for == "budget") {
    ++buys_.over_budget;
    if (o.cost.cash < buys_.over_budget_min_cash) {
      buys_.over_budget_min_cash = o.cost.cash;
      buys_.over_budget_min_net = o.cost.total;
    }
  } else if (dropped_for == "deadline") {
    ++buys_.past_deadline;
    buys_.past_deadline_min_finish_days =
        std::min(buys_.past_deadline_min_finish_days, p90 ? o.finish_p90_days : o.finish_p50_days);
  } else if (dropped_for == "horizon") {
    ++buys_.past_horizon;
    buys_.past_horizon_min_finish_days = std::min(buys_.past_horizon_min_finish_days, o.finish_p50_days);
  }
}

std::string WorkloadPlanner::NoBuyReason() const {
  if (!any_buy_quote_) {
    return Tr("rent vs own: no buy to compare: no quote on offer to this buyer sells cards of the accelerators tried");
  }
  if (buys_.evaluated == 0) {
    return Tr("rent vs own: no buy to compare: no purchase quote supplies a cluster on which the model fits");
  }
  std::vector<std::string> why;
  if (buys_.over_budget > 0) {
    why.push_back(TrFormat("{} over budget (the least cash {} ({} after resale) > budget {})", buys_.over_budget,
                           FormatMoney(buys_.over_budget_min_cash, in_.currency),
                           FormatMoney(buys_.over_budget_min_net, in_.currency),
                           FormatMoney(in_.constraints.budget, in_.currency)));
  }
  if (buys_.past_deadline > 0) {
    const int pct = DeadlinePercentile(in_);
    // A P90 that never comes (an export rule stops the deliveries) is no "earliest finish" date.
    why.push_back(std::isfinite(buys_.past_deadline_min_finish_days)
                      ? TrFormat("{} within budget miss the deadline {} at P{} (the earliest P{} finish {})",
                                 buys_.past_deadline, FormatDate(in_.constraints.deadline), pct, pct,
                                 FormatDate(AddDays(in_.date, buys_.past_deadline_min_finish_days)))
                      : TrFormat("{} within budget miss the deadline {} at P{} (none ever finishes at P{}: an "
                                 "export rule stops their deliveries)",
                                 buys_.past_deadline, FormatDate(in_.constraints.deadline), pct, pct));
  }
  if (buys_.past_horizon > 0) {
    why.push_back(std::isfinite(buys_.past_horizon_min_finish_days)
                      ? TrFormat("{} finish after the planning horizon (the earliest P50 finish {})",
                                 buys_.past_horizon, FormatDate(AddDays(in_.date, buys_.past_horizon_min_finish_days)))
                      : TrFormat("{} finish after the planning horizon (none ever finishes at P50: an export rule "
                                 "stops their deliveries)",
                                 buys_.past_horizon));
  }
  const int kept = buys_.evaluated - buys_.over_budget - buys_.past_deadline - buys_.past_horizon;
  if (kept > 0) {
    why.push_back(TrFormat("{} feasible, but ranked below the options shown (options.top)", kept));
  }
  return TrFormat("rent vs own: no buy to compare: of {} purchase options evaluated, {}", buys_.evaluated,
                  fmt::join(why, "; "));
}

// Drops the sizes below `min_cards` (the fewest that fit) and adds it;
// returns false (and records why) when nothing fits up to the largest size.
bool WorkloadPlanner::FromMinimum(const std::string& sku, int min_cards, std::vector<int>& sizes,
                                  WorkloadPlan& plan) const {
  const int largest = std::min(in_.constraints.max_devices, kMaxPlanClusterSize);
  if (min_cards <= 0 || min_cards > largest) {
    Exclude(plan, sku, TrFormat("{} does not fit in memory on any size up to {} cards "
                                   "(search/min_fit.h)", wl_.model, largest));
    Drop(plan, "size", Tr("below the fewest cards that fit"), static_cast<int64_t>(sizes.size()));
    return false;
  }
  const size_t before = sizes.size();
  Drop(plan, "size", Tr("below the fewest cards that fit"),
       std::count_if(sizes.begin(), sizes.end(), [&](int n) { return n < min_cards; }));
  sizes.erase(std::remove_if(sizes.begin(), sizes.end(), [&](int n) { return n < min_cards; }),
              sizes.end());
  if (sizes.size() < before) {
    Exclude(plan, sku, TrFormat("needs at least {} cards: {} does not fit in memory on fewer (the fewest "
                                "that fit, as `suanli fit` says)", min_cards, wl_.model));
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
      Exclude(plan, sku, TrFormat("no cluster size to try: options.cluster_sizes are all above "
                               "constraints.max_devices ({})", in_.constraints.max_devices));
    } else {
      Exclude(plan, sku, TrFormat("the eligible quotes cannot supply any cluster size tried (at most "
                               "{} cards, minimum orders included; sizes from {})",
                               stats.max_supply, sizes.front()));
    }
  } else if (stats.largest_not_fitting > 0 && stats.smallest_fitting == 0) {
    Exclude(plan, sku, TrFormat("{} does not fit in memory on any size up to {} cards{}", wl_.model,
                             stats.largest_not_fitting,
                             stats.not_fit_reason.empty() ? "" : ": " + stats.not_fit_reason));
  } else if (stats.largest_not_fitting > 0 && stats.largest_not_fitting < stats.smallest_fitting) {
    Exclude(plan, sku, TrFormat("needs at least {} cards: {} does not fit in memory on {} cards or fewer",
                                stats.smallest_fitting, wl_.model, stats.largest_not_fitting));
  }
  if (stats.evaluated > 0 &&
      stats.evaluated == stats.over_budget + stats.past_deadline + stats.past_horizon) {
    // The reasons state only what was evaluated: the sizes tried, not every size.
    const std::string scope =
        stats.sizes_evaluated.empty()
            ? std::string()
            : TrFormat("; sizes evaluated: {} to {} cards ({} sizes)", *stats.sizes_evaluated.begin(),
                       *stats.sizes_evaluated.rbegin(), stats.sizes_evaluated.size());
    // Each reason describes the options it dropped (checked in this order:
    // budget, deadline, horizon), with their own best figures.
    if (stats.over_budget > 0) {
      Exclude(plan, sku, TrFormat("over budget ({} options): the cheapest pays {} cash ({} after resale) > "
                                  "budget {}",
                                  stats.over_budget, FormatMoney(stats.over_budget_min_cash, in_.currency),
                                  FormatMoney(stats.over_budget_min_net, in_.currency),
                                  FormatMoney(in_.constraints.budget, in_.currency)) + scope);
    }
    if (stats.past_deadline > 0) {
      const int p = DeadlinePercentile(in_);
      Exclude(plan, sku,
              (std::isfinite(stats.past_deadline_min_finish_days)
                  ? TrFormat("misses the deadline {} at P{} ({} options within budget): the earliest P{} "
                             "finish among them is {}",
                             FormatDate(in_.constraints.deadline), p, stats.past_deadline, p,
                             FormatDate(AddDays(in_.date, stats.past_deadline_min_finish_days)))
                  : TrFormat("misses the deadline {} at P{} ({} options within budget): none of them ever "
                             "finishes at P{} (an export rule stops their deliveries)",
                             FormatDate(in_.constraints.deadline), p, stats.past_deadline, p)) + scope);
    }
    if (stats.past_horizon > 0) {
      const std::string horizon = FormatDate(AddDays(in_.date, PlanHorizonDays(in_)));
      Exclude(plan, sku,
              (std::isfinite(stats.past_horizon_min_finish_days)
                  ? TrFormat("no option finishes within the planning horizon of {:g} days to {} "
                             "(options.horizon_days; {} options): the earliest P50 finish among them is {}",
                             PlanHorizonDays(in_), horizon, stats.past_horizon,
                             FormatDate(AddDays(in_.date, stats.past_horizon_min_finish_days)))
                  : TrFormat("no option finishes within the planning horizon of {:g} days to {} "
                             "(options.horizon_days; {} options): none of them ever finishes at P50 (an export "
                             "rule stops their deliveries)",
                             PlanHorizonDays(in_), horizon, stats.past_horizon)) + scope);
    }
  }
}

// Sizes on a grid of 1/16 of a size around it, for every accelerator: around
// its own best option and on both sides of each edge between coarse sizes
// whose options fare differently (within budget or over it, meeting the
// deadline or missing it), until no new size comes (at most 3 rounds): the
// coarse pass (x1.33 to x1.5 apart) must not hide a feasible or cheaper size
// of any accelerator, and "best rent"/"best buy" are the best evaluated.
void WorkloadPlanner::Refine(WorkloadPlan& plan, std::vector<PlanOptionResult>& all) {
  const int limit = std::min(in_.constraints.max_devices, kMaxPlanClusterSize);
  for (int round = 0; round < 3; ++round) {
    RankOptions(all, in_.objective, in_.constraints.max_stop_risk);
    bool tried_more = false;
    for (auto& entry : skus_) {
      // Named, not a structured binding: clang 14 (the fuzz build) cannot capture those in lambdas.
      const std::string& sku = entry.first;
      auto& state = entry.second;
      if (state.accel == nullptr) continue;
      std::set<int> pivots;
      const auto best = std::find_if(all.begin(), all.end(),
                                     [&](const PlanOptionResult& o) { return o.accelerator == sku; });
      if (best != all.end()) pivots.insert(best->gpus);
      // Each mode's own best too (rent and buy are compared with each other).
      for (BuyMode mode : {BuyMode::kBuy, BuyMode::kRent}) {
        const auto it = std::find_if(all.begin(), all.end(), [&](const PlanOptionResult& o) {
          return o.accelerator == sku && o.mode == mode;
        });
        if (it != all.end()) pivots.insert(it->gpus);
      }
      for (auto it = state.outcome.begin(); it != state.outcome.end(); ++it) {
        const auto next = std::next(it);
        if (next != state.outcome.end() && next->second != it->second) {
          pivots.insert(it->first);
          pivots.insert(next->first);
        }
      }
      std::set<int> sizes;
      for (int around : pivots) {
        for (int n : RefineSizes(around, state.tried, state.lowest, limit)) sizes.insert(n);
      }
      if (sizes.empty()) continue;
      state.tried.insert(sizes.begin(), sizes.end());
      const SkuStats more = TrySizes(*state.accel, state.eligible, std::vector<int>(sizes.begin(), sizes.end()),
                                     plan, all, /*stop_early=*/false);
      MergeStats(state.stats, more);
      tried_more = true;
    }
    if (!tried_more) break;
  }
  RankOptions(all, in_.objective, in_.constraints.max_stop_risk);
}

}  // namespace suanli::plan_detail
