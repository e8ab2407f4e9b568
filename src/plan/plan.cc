// The planner loop: options evaluated, eligibility, ranking and the
// recommendation of each workload (plan/plan.h); sizes in plan_sizes.cc.
#include "plan/plan.h"

#include "workload/stack.h"

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
#include "plan/advice.h"
#include "plan/frontier.h"
#include "plan/mixes.h"
#include "plan/no_offer.h"
#include "plan/option_cost.h"
#include "plan/ownership.h"
#include "plan/plan_text.h"
#include "plan/recommendation.h"
#include "plan/rules_at_delivery.h"
#include "plan/schedule.h"
#include "plan/sizes.h"
#include "plan/workload_planner.h"
#include "workload/stack.h"

namespace suanli {

double SetupDaysOf(const PlanQuote& q, const PlanCosts& costs) {
  return q.mode == BuyMode::kRent ? costs.rental_setup_days : costs.setup_days;
}
namespace plan_detail {

std::optional<PlanOptionResult> WorkloadPlanner::Evaluate(const PlanAccelerator& accel, int n,
                                                          const Candidate& c,
                                                          const Throughput& t) {
  const PlanCosts& k = in_.costs;
  PlanOptionResult o;
  o.accelerator = accel.id;
  o.stack = StackIdOn(wl_.stack, accel.vendor);
  o.gpus = n;
  o.mode = c.mode;
  o.layout = t.layout;
  o.tokens_per_s = t.tokens_per_s;
  o.step_time_s = t.step_time_s;
  o.step_terms = t.step_terms;
  o.memory_bytes = t.memory_bytes;
  o.capacity_bytes = t.capacity_bytes;
  // Used cards fail more often, and each failure interrupts the synchronous
  // job: the option's interruption rate adds their extra failures.
  int cards_total = 0, used_cards = 0;
  double delivered_share = 1;
  for (const auto& [q, cards] : c.parts) {
    cards_total += cards;
    if (q->condition != Condition::kNew) used_cards += cards;
    delivered_share *= 1 - q->rule_blocked_share;
  }
  o.used_share = cards_total > 0 ? static_cast<double>(used_cards) / cards_total : 0;
  o.failures_per_gpu_day = OptionFailuresPerGpuDay(k, o.used_share);
  o.stop_share = 1 - delivered_share;
  ReliabilityAssumptions reliability = Reliability(k);
  reliability.failures_per_gpu_day = o.failures_per_gpu_day;
  o.failure_overhead = 1.0 - UsefulFraction(reliability, n);
  o.train_days = SecondsToDays(wl_.tokens / NetRate(accel.id, n, o.failures_per_gpu_day));
  o.steady_train_days = SecondsToDays(wl_.tokens / t.tokens_per_s);
  const bool staged = in_.options.allow_staged_start && c.parts.size() > 1;
  o.staged = staged;

  std::vector<Batch> batches;
  double arrival_days = 0, start_days = kInf, all_ready_days = 0;
  for (const auto& [q, cards] : c.parts) {
    o.mix.push_back(MakeMixPart(*q, cards));
    const double ready = WeeksToDays(q->lead_weeks_likely) + SetupDaysOf(*q, k);
    batches.push_back(Batch{ready, cards});
    arrival_days = std::max(arrival_days, WeeksToDays(q->lead_weeks_likely));
    start_days = std::min(start_days, ready);
    all_ready_days = std::max(all_ready_days, ready);
  }
  const auto rate = [&](int cards) { return NetRate(accel.id, cards, o.failures_per_gpu_day); };
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
  o.start_weeks = DaysToWeeks(staged ? start_days : all_ready_days);

  // Lead-time risk: triangular draws per quote, independent between quotes;
  // model risk: the realised / predicted throughput ratio of published runs
  // (log-normal, docs/validation.md), one draw per sample shared by every
  // option. Common random numbers: sample s of a quote is the same in every
  // option that uses it, so options differ only by what they buy, not by noise.
  // A draw that delivers a part on a day an export rule stops never finishes:
  // the cluster the option buys is never complete (docs/scenario.md).
  std::vector<double> samples;
  const int n_samples = std::max(1, in_.options.monte_carlo_samples);
  samples.reserve(n_samples);
  std::vector<Batch> drawn = batches;
  std::vector<const std::vector<double>*> uniforms;
  for (const auto& part : c.parts) uniforms.push_back(&Uniforms(part.first->id, n_samples));
  const std::vector<double>& model_uniforms = Uniforms(kModelErrorStream, n_samples);
  // The stack this card runs (`auto`: its platform's own) picks the measured model error.
  const CampaignAssumptions campaign = CampaignOf(k, o.stack);
  // The planner's layouts are the search's best (model_error.h SearchedLayoutRatio).
  const ModelError step_error =
      SearchedStepError(ErrorFor(campaign.reliability, wl_.moe), campaign.searched_layout, wl_.moe);
  for (int s = 0; s < n_samples; ++s) {
    // A campaign misses by the step error and by how far whole published
    // campaigns missed the campaign model beyond it (model/campaign.h).
    const double speed = CampaignRatioAt(step_error, campaign.extra_error, model_uniforms[s]);
    const auto drawn_rate = [&](int cards) { return rate(cards) * speed; };
    bool stopped = false;
    for (size_t i = 0; i < c.parts.size(); ++i) {
      const PlanQuote& q = *c.parts[i].first;
      const double lead_weeks =
          TriangularSample(q.lead_weeks_min, q.lead_weeks_likely, q.lead_weeks_max, (*uniforms[i])[s]);
      stopped = stopped || QuoteStopsDelivery(q, lead_weeks);
      drawn[i].ready_days = WeeksToDays(lead_weeks) + SetupDaysOf(q, k);
    }
    samples.push_back(stopped ? kInf : FinishDays(drawn, wl_.tokens, staged, drawn_rate));
  }
  std::sort(samples.begin(), samples.end());
  o.finish_p10_days = Percentile(samples, 0.1);
  o.finish_p50_days = Percentile(samples, 0.5);
  o.finish_p90_days = Percentile(samples, 0.9);
  o.finish_p10_date = FinishDate(in_.date, o.finish_p10_days);
  o.finish_p50_date = FinishDate(in_.date, o.finish_p50_days);
  o.finish_p90_date = FinishDate(in_.date, o.finish_p90_days);

  // The cost bills the run the dates expect: likely deliveries, training at
  // the median realised / predicted ratio (published runs took that long,
  // not the model's point estimate); and again at the slow end of the model
  // error (the 10th percentile of the ratio: the P90 duration).
  const auto finish_at = [&](double speed) {
    return FinishDays(batches, wl_.tokens, staged, [&](int cards) { return rate(cards) * speed; });
  };
  const double median_speed = CampaignRatioAt(step_error, campaign.extra_error, 0.5);
  o.train_p50_days = o.train_days / median_speed;
  o.cost = PriceMix(c, accel, k, staged, finish_at(median_speed), in_.currency, o.notes, in_.quotes);
  std::vector<std::string> repeated_notes;
  const CostBreakdown p90 = PriceMix(c, accel, k, staged,
                                     finish_at(CampaignRatioAt(step_error, campaign.extra_error, 0.1)),
                                     in_.currency, repeated_notes, in_.quotes);
  o.cost_p90_total = p90.total;
  o.cost_p90_cash = p90.cash;
  return o;
}

// Returns the quotes of `accel` the plan may use; constraints and blocked
// quotes are recorded in plan.excluded (empty when none is left).
std::vector<const PlanQuote*> WorkloadPlanner::Eligible(const PlanAccelerator& accel, WorkloadPlan& plan) const {
  return EligibleQuotes(in_, accel, plan);
}

std::vector<const PlanQuote*> EligibleQuotes(const PlanInput& in, const PlanAccelerator& accel, WorkloadPlan& plan) {
  const std::string& sku = accel.id;
  const auto& allowed_ids = in.constraints.accelerators;
  if (!allowed_ids.empty() &&
      std::find(allowed_ids.begin(), allowed_ids.end(), sku) == allowed_ids.end()) {
    Exclude(plan, sku, Tr("not in constraints.accelerators"));
    return {};
  }
  const auto& vendors = in.constraints.vendors;
  if (!vendors.empty() && std::none_of(vendors.begin(), vendors.end(), [&](const auto& v) {
        return NormalizeId(v) == NormalizeId(accel.vendor);
      })) {
    Exclude(plan, sku, TrFormat("vendor {} not in constraints.vendors", accel.vendor));
    return {};
  }
  std::vector<const PlanQuote*> eligible;
  for (const PlanQuote& q : in.quotes) {
    if (q.sku != sku) continue;
    if (!q.allowed) {
      // Quotes for other regions are counted, not listed: they were never on
      // offer to this buyer.
      if (q.blocked_category != "region") {
        Exclude(plan, sku, TrFormat("quote {} ({}): {}", q.id, q.supplier, q.blocked_reason));
      }
      Drop(plan, "quote", TrFormat("{}: {}", q.blocked_category.empty() ? "blocked" : q.blocked_category,
                                      q.blocked_category == "region"
                                          ? Tr("sold only to buyers in other regions")
                                          : Tr("blocked for this buyer (listed under Excluded)")));
      continue;
    }
    // A quote whose deliveries an export rule would stop more often than the
    // deadline percentile allows (10% for P90, 50% for P50) cannot carry the
    // plan at that percentile: a stopped delivery never finishes.
    const double tolerated = 1 - DeadlinePercentile(in) / 100.0;
    if (q.rule_blocked_share > tolerated + 1e-9) {
      Exclude(plan, sku, TrFormat("quote {} ({}): {:.1f}% of its deliveries would be stopped by an export rule, "
                                  "more than a P{} plan tolerates ({:.0f}%): {}",
                                  q.id, q.supplier, 100 * q.rule_blocked_share, DeadlinePercentile(in),
                                  100 * tolerated, q.warning));
      Drop(plan, "quote",
           TrFormat("{}: {}", "rule", Tr("deliveries too likely to fall under an export rule (listed under Excluded)")));
      continue;
    }
    eligible.push_back(&q);
  }
  return eligible;
}

Result<WorkloadPlan> WorkloadPlanner::Run() {
  WorkloadPlan plan;
  plan.name = wl_.name;
  plan.model = wl_.model;
  plan.stack = wl_.stack;
  plan.model_arg = wl_.model_arg.empty() ? wl_.model : wl_.model_arg;
  plan.tokens = wl_.tokens;
  // The workload's model error is its stack's: under `auto`, the one stack
  // every card the quotes offer runs, else the family's (each option draws
  // its own card's, Evaluate).
  std::string stack = wl_.stack;
  if (IsAutoStack(stack)) {
    std::set<std::string> stacks;
    for (const PlanAccelerator& a : in_.accelerators) stacks.insert(StackIdOn(stack, a.vendor));
    stack = stacks.size() == 1 ? *stacks.begin() : std::string();
  }
  plan.model_error = ChosenErrorFor(Reliability(in_.costs, stack), wl_.moe);
  const CampaignAssumptions campaign = CampaignOf(in_.costs, stack);
  plan.campaign_error = campaign.extra_error;
  plan.searched_layout_ratio = campaign.searched_layout.For(wl_.moe);
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
    if (progress_ != nullptr) progress_->Add(1);
    const std::vector<const PlanQuote*> eligible = Eligible(*accel, plan);
    if (eligible.empty()) continue;
    for (const PlanQuote* q : eligible) any_buy_quote_ = any_buy_quote_ || q->mode == BuyMode::kBuy;
    std::vector<int> sku_sizes = sizes;
    if (wl_.min_fit && !sku_sizes.empty()) {
      // The one minimum-to-fit answer (search/min_fit.h): sizes below it
      // cannot fit, and the minimum itself is always tried.
      const int min_cards = wl_.min_fit(sku);
      plan.min_cards.push_back(MinCards{sku, min_cards});
      if (!FromMinimum(sku, min_cards, sku_sizes, plan)) continue;
    }
    SkuState& state = skus_[sku];
    state.stats = TrySizes(*accel, eligible, sku_sizes, plan, all);
    state.accel = accel;
    state.eligible = eligible;
    state.sizes = sku_sizes;
    state.tried.insert(sku_sizes.begin(), sku_sizes.end());
    state.lowest = sku_sizes.empty() ? 1 : sku_sizes.front();
  }
  const double accepted_risk = in_.constraints.max_stop_risk;
  RankOptions(all, in_.objective, accepted_risk);
  if (in_.options.cluster_sizes.empty()) Refine(plan, all);
  // Why an accelerator has no option, from every size evaluated (the refinement's too).
  for (const auto& [sku, state] : skus_) {
    if (state.accel != nullptr) Explain(sku, state.stats, state.sizes, plan);
  }
  // Each accelerator's reasons together, accelerators in order (as they were tried).
  std::stable_sort(plan.excluded.begin(), plan.excluded.end(),
                   [](const Excluded& a, const Excluded& b) { return a.accelerator < b.accelerator; });
  ExcludeUnoffered(in_, all, plan);

  MarkPareto(all, accepted_risk);
  RankOptions(all, in_.objective, accepted_risk);
  // Option 0 is kept first; the reasons name only options that are shown.
  // The options the recommendation compares with come from every option (the
  // whole frontier, not the points shown) and are always shown, so its
  // reasons do not change with options.top.
  const RecommendationPicks picks = PickComparisons(all, accepted_risk);
  std::vector<size_t> always = {picks.same,    picks.next,          picks.cheapest,
                                picks.fastest, picks.risky_cheaper, picks.risky_earlier};
  // The best rent and the best buy of every option evaluated are shown: the
  // rent vs own line compares those, whatever options.top cuts.
  for (BuyMode mode : {BuyMode::kRent, BuyMode::kBuy}) {
    const auto it = std::find_if(all.begin(), all.end(), [mode](const PlanOptionResult& o) { return o.mode == mode; });
    if (it != all.end()) always.push_back(static_cast<size_t>(it - all.begin()));
  }
  ShownOptions shown = SelectShown(all, in_.options.top, accepted_risk, always);
  const std::string speed_up = NearFreeSpeedUp(all, shown);
  plan.recommendation = Recommend(shown.options, in_.objective, in_.currency, accepted_risk);
  if (!shown.options.empty() && in_.constraints.has_deadline &&
      shown.options[0].finish_p90_date > in_.constraints.deadline) {
    const PlanOptionResult& best = shown.options[0];
    // A P90 that never comes is no date that "misses" the deadline: say why it never comes.
    plan.recommendation.reasons.push_back(
        best.finish_p90_date == kNeverDate
            ? TrFormat("risk: it {}, more than the 1 in 10 a P90 finish by the deadline {} tolerates "
                       "(constraints.deadline_percentile: p90 plans for it)",
                       NeverFinishText(best.stop_share), FormatDate(in_.constraints.deadline))
            : TrFormat("risk: its P90 finish {} misses the deadline {} (more than a 1-in-10 chance of being late; "
                       "constraints.deadline_percentile: p90 plans for it)",
                       FormatDate(best.finish_p90_date), FormatDate(in_.constraints.deadline)));
  }
  // The budget holds at P50 (the duration the cost bills); a slower run pays more.
  if (!shown.options.empty() && in_.constraints.budget > 0 &&
      shown.options[0].cost_p90_cash > in_.constraints.budget) {
    plan.recommendation.reasons.push_back(TrFormat(
        "risk: if training takes as long as at P90 it pays {} cash ({} after resale), over the budget {}",
        FormatMoney(shown.options[0].cost_p90_cash, in_.currency),
        FormatMoney(shown.options[0].cost_p90_total, in_.currency),
        FormatMoney(in_.constraints.budget, in_.currency)));
  }
  for (size_t i = 0; i < shown.options.size(); ++i) {
    int& best = shown.options[i].mode == BuyMode::kRent ? plan.best_rent : plan.best_buy;
    if (best < 0) best = static_cast<int>(i);
  }
  const std::string rent_or_own = RentVersusOwn(shown.options, plan.best_rent, plan.best_buy, in_.currency);
  if (!rent_or_own.empty()) plan.recommendation.reasons.push_back(rent_or_own);
  if (plan.best_buy < 0 && plan.best_rent >= 0) {
    plan.no_buy_reason = NoBuyReason();
    plan.recommendation.reasons.push_back(plan.no_buy_reason);
  }
  if (!speed_up.empty()) plan.recommendation.reasons.push_back(speed_up);
  CutInterconnectNotes(shown.options, [this](const std::string& sku, int gpus) { return Tput(sku, gpus); },
                       plan.recommendation.reasons);
  if (plan.best_buy >= 0) {
    const PlanOptionResult& buy = shown.options[plan.best_buy];
    PlanAccelerator accel{buy.accelerator, "", 0};
    for (const PlanAccelerator& a : in_.accelerators) {
      if (a.id == buy.accelerator) accel = a;
    }
    if (auto b = OwnVersusRent(buy, in_.quotes, in_.costs, accel)) {
      plan.recommendation.reasons.push_back(BreakEvenText(*b, in_.costs, in_.currency));
    }
  }
  plan.options = std::move(shown.options);
  plan.frontier = std::move(shown.frontier);
  plan.frontier_total = shown.frontier_total;
  plan.status = plan.options.empty() ? PlanStatus::kInfeasible : PlanStatus::kFeasible;
  if (plan.options.empty()) {
    // Nothing meets every constraint: show the closest misses (a board takes
    // those back), each marked with the constraint it misses.
    for (auto& [miss, option] : near_misses_) plan.near_misses.push_back(std::move(option));
  }
  if (plan.options.empty() && plan.excluded.empty()) {
    plan.excluded.push_back(Excluded{"*", Tr("no quote in the market offers any accelerator")});
  }
  return plan;
}

}  // namespace plan_detail

int DeadlinePercentile(const PlanInput& input) {
  if (input.constraints.deadline_percentile != 0) return input.constraints.deadline_percentile;
  return input.objective == Objective::kCheapestByDeadline ? 90 : 50;
}

double PlanHorizonDays(const PlanInput& input) {
  double days = input.options.horizon_days;
  if (input.constraints.has_deadline) {
    // Finish dates round fractional days up (AddDays): a finish within D days is on or before the deadline.
    days = std::max(days, static_cast<double>(DaysBetween(input.date, input.constraints.deadline)));
  }
  return days;
}

bool HorizonExtendedToDeadline(const PlanInput& input) {
  return PlanHorizonDays(input) > input.options.horizon_days;
}

ReliabilityAssumptions Reliability(const PlanCosts& costs, const std::string& stack) {
  ReliabilityAssumptions r;
  r.failures_per_gpu_day = costs.failures_per_gpu_day;
  r.checkpoint_write_s = costs.checkpoint_write_s;
  r.restart_s = costs.restart_s;
  r.dense_error = costs.dense_error;
  r.moe_error = costs.moe_error;
  r.stack_errors = costs.stack_errors;
  r.family_errors_measured = costs.model_error_measured;
  r.stack = stack;
  return r;
}

std::string StackIdOn(const std::string& stack, std::string_view vendor) {
  return IsAutoStack(stack) ? PlatformStack(vendor).id : stack;
}

CampaignAssumptions CampaignOf(const PlanCosts& costs, const std::string& stack) {
  CampaignAssumptions campaign = costs.campaign;
  campaign.reliability = Reliability(costs, stack);
  return campaign;
}

Date FinishDate(Date date, double days) { return std::isfinite(days) ? AddDays(date, days) : kNeverDate; }

std::string FormatFinish(Date date) { return date == kNeverDate ? Tr("never") : FormatDate(date); }

std::string NeverFinishText(double stop_share) {
  return TrFormat("may never finish: an export rule stops {:.1f}% of its deliveries", 100 * stop_share);
}

double OptionFailuresPerGpuDay(const PlanCosts& costs, double used_share) {
  // used_annual_failure_rate is per card-year (365.25 days).
  return costs.failures_per_gpu_day + std::clamp(used_share, 0.0, 1.0) * costs.used_annual_failure_rate / 365.25;
}

double UsefulFraction(const PlanCosts& costs, int gpus) {
  return UsefulFraction(Reliability(costs), gpus);
}

Result<PlanResult> MakePlan(const PlanInput& input) {
  const auto start = std::chrono::steady_clock::now();
  PlanResult result;
  // Workloads are independent (each has its own throughput cache): plan them
  // concurrently; results keep the input order.
  std::set<std::string> skus;
  for (const PlanQuote& q : input.quotes) skus.insert(q.sku);
  Progress progress(Tr("planning: layouts and Monte Carlo per accelerator"),
                    static_cast<double>(skus.size() * input.workloads.size()));
  std::vector<std::future<Result<WorkloadPlan>>> futures;
  for (const PlanWorkload& workload : input.workloads) {
    futures.push_back(std::async(std::launch::async, [&input, &workload, &progress] {
      plan_detail::WorkloadPlanner planner(input, workload, &progress);
      return planner.Run();
    }));
  }
  std::vector<Result<WorkloadPlan>> plans;
  for (auto& future : futures) plans.push_back(future.get());
  for (auto& plan : plans) {
    if (!plan.ok()) return plan.error();
    result.workloads.push_back(std::move(plan).value());
  }
  result.programme = CheckProgramme(input, result.workloads);
  result.elapsed_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace suanli
