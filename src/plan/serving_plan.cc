// The serving planner (plan/serving_plan.h): quotes checked as for training,
// one capacity search per accelerator, each quote mix priced over the
// service period, ranked by the objective.
#include "plan/serving_plan.h"

#include <algorithm>
#include <cmath>
#include <future>
#include <limits>
#include <map>
#include <random>
#include <tuple>

#include <fmt/format.h>

#include "core/i18n.h"
#include "core/text.h"
#include "plan/mixes.h"
#include "plan/option_cost.h"
#include "plan/recommendation.h"
#include "plan/rules_at_delivery.h"
#include "plan/schedule.h"
#include "plan/workload_planner.h"

namespace suanli {
namespace {

using plan_detail::Drop;
using plan_detail::Exclude;

constexpr double kSecondsPerDayServe = 86400;

// Returns the days after the buyer's date at which the deadline percentile
// of the service start falls for `o`.
double ReadyAtPercentile(const ServingOption& o, int percentile) {
  return percentile == 90 ? o.ready_p90_days : o.ready_p50_days;
}

// Time-to-serve: the last card of the mix delivered, plus setup. Lead-time
// risk: triangular draws per quote from (seed, quote id), as the training
// planner draws them, so both planners see the same delivery of a quote.
void ScheduleOption(const PlanInput& in, const Candidate& c, ServingOption& o) {
  const PlanCosts& k = in.costs;
  o.ready_days = 0;
  for (const auto& [q, cards] : c.parts) {
    o.ready_days = std::max(o.ready_days, WeeksToDays(q->lead_weeks_likely) + SetupDaysOf(*q, k));
  }
  const int n = std::max(1, in.options.monte_carlo_samples);
  std::vector<std::vector<double>> uniforms;
  for (const auto& [q, cards] : c.parts) {
    std::mt19937_64 rng(Fnv1a(q->id, in.options.seed));
    std::vector<double> draws(n);
    for (double& u : draws) u = static_cast<double>(rng() >> 11) * 0x1.0p-53;
    uniforms.push_back(std::move(draws));
  }
  std::vector<double> samples(n);
  for (int s = 0; s < n; ++s) {
    double last = 0;
    for (size_t i = 0; i < c.parts.size(); ++i) {
      const PlanQuote& q = *c.parts[i].first;
      const double lead_weeks =
          TriangularSample(q.lead_weeks_min, q.lead_weeks_likely, q.lead_weeks_max, uniforms[i][s]);
      // A delivery an export rule stops at the border never arrives.
      last = std::max(last, QuoteStopsDelivery(q, lead_weeks) ? std::numeric_limits<double>::infinity()
                                                              : WeeksToDays(lead_weeks) + SetupDaysOf(q, k));
    }
    samples[s] = last;
  }
  double delivered_share = 1;
  for (const auto& [q, cards] : c.parts) delivered_share *= 1 - q->rule_blocked_share;
  o.stop_share = 1 - delivered_share;
  std::sort(samples.begin(), samples.end());
  o.ready_p50_days = Percentile(samples, 0.5);
  o.ready_p90_days = Percentile(samples, 0.9);
  o.ready_p50_date = FinishDate(in.date, o.ready_p50_days);
  o.ready_p90_date = FinishDate(in.date, o.ready_p90_days);
}

// Says, for each monthly rental of `c`, that PriceMix bills the rental's
// started months whole: from hand-over (delivery) to `finish_days`, so the
// renter's setup day before a 12-month period starts a 13th month (an hourly
// quote bills that day alone). A monthly contract bills a started month: the
// provider cannot let the servers for the rest of it.
void NoteStartedMonths(const Candidate& c, double finish_days, double period_months, std::vector<std::string>& notes) {
  for (const auto& [q, cards] : c.parts) {
    if (q->mode != BuyMode::kRent || q->unit == QuoteUnit::kGpuHour) continue;
    const double rented_days = std::max(0.0, finish_days - WeeksToDays(q->lead_weeks_likely));
    const double months = std::ceil(rented_days / kDaysPerMonth - 1e-9);
    if (months <= std::ceil(period_months - 1e-9)) continue;
    notes.push_back(TrFormat("{}: billed {} started months for {:.0f} days from hand-over ({:g}-month service after "
                             "the renter's setup): a monthly rental bills a started month whole, where an hourly "
                             "one bills the days",
                             q->id, months, rented_days, period_months));
  }
}

// Prices `c` over the service period: PriceMix (plan/option_cost.h) with the
// job ending `period` after the likely start, so bought fleets pay power and
// hosting over the period and are resold at its end on the ownership curve,
// and rented ones pay rent from delivery to the end.
//   output tokens = rate_rps x utilisation x mean output x period seconds
//   cost per Mtok = total cost / (output tokens / 1e6)
ServingOption EvaluateOption(const PlanInput& in, const PlanServeWorkload& w, const PlanAccelerator& accel,
                             const ServingNeed& need, const Candidate& c) {
  ServingOption o;
  o.accelerator = accel.id;
  o.mode = c.mode;
  o.need = need;
  for (const auto& [q, cards] : c.parts) {
    o.mix.push_back(MakeMixPart(*q, cards));
    o.cards += BilledCards(*q, cards);
  }
  ScheduleOption(in, c, o);
  const double period_days = w.period_months * kDaysPerMonth;
  o.cost = PriceMix(c, accel, in.costs, /*staged=*/false, o.ready_days + period_days, in.currency, o.notes,
                    in.quotes);
  NoteStartedMonths(c, o.ready_days + period_days, w.period_months, o.notes);
  o.output_tokens = w.rate_rps * w.utilisation * w.output_tokens * period_days * kSecondsPerDayServe;
  o.cost_per_mtok = o.output_tokens > 0 ? o.cost.total / (o.output_tokens / 1e6) : 0;
  return o;
}

// Sorts best first: cost first for the cost objectives, the P50 start first
// otherwise; ties by accelerator and quotes so the order is stable.
void RankServing(std::vector<ServingOption>& options, Objective objective, double max_stop_risk) {
  const bool cost_first = objective == Objective::kLowestCost || objective == Objective::kCheapestByDeadline;
  const auto key = [cost_first, max_stop_risk](const ServingOption& o) {
    std::string mix;
    for (const MixPart& p : o.mix) mix += p.quote_id + ";";
    // Options an export rule may stop rank after the others (RankOptions).
    const bool risky = o.stop_share > max_stop_risk + 1e-9;
    return cost_first ? std::make_tuple(risky, o.cost.total, o.ready_p50_days, o.accelerator, mix)
                      : std::make_tuple(risky, o.ready_p50_days, o.cost.total, o.accelerator, mix);
  };
  std::stable_sort(options.begin(), options.end(),
                   [&key](const ServingOption& a, const ServingOption& b) { return key(a) < key(b); });
}

// Returns "rent 8 h100-sxm-80gb from X (1 wk)" for an option.
std::string ServingDescribe(const ServingOption& o) {
  std::vector<std::string> parts;
  for (const MixPart& p : o.mix) parts.push_back(TrFormat("{} from {} ({:g} wk)", p.cards, p.quote_id, p.lead_weeks));
  return fmt::format("{} {} {}: {}", Tr(o.mode == BuyMode::kRent ? "rent" : "buy"), o.need.devices, o.accelerator,
                     Join(parts, " + "));
}

// Returns "serving from 2025-03-01 (P90 2025-03-20)", or its own words for a
// start an export rule may stop ("... but it may never start: ...").
std::string ServingFrom(const ServingOption& o) {
  if (o.ready_p50_date == kNeverDate) {
    return TrFormat("it may never start serving: an export rule stops {:.1f}% of its deliveries", 100 * o.stop_share);
  }
  if (o.ready_p90_date == kNeverDate) {
    return TrFormat("serving from {} (P50), but it may never start: an export rule stops {:.1f}% of its "
                    "deliveries (no P90 start)",
                    FormatDate(o.ready_p50_date), 100 * o.stop_share);
  }
  return TrFormat("serving from {} (P90 {})", FormatDate(o.ready_p50_date), FormatDate(o.ready_p90_date));
}

// Returns "serving from 2025-03-01" (P50), or "it may never start serving: ..." for a P50 that never comes.
std::string ServingStart(const ServingOption& o) {
  if (o.ready_p50_date == kNeverDate) {
    return TrFormat("it may never start serving: an export rule stops {:.1f}% of its deliveries", 100 * o.stop_share);
  }
  return TrFormat("serving from {}", FormatDate(o.ready_p50_date));
}

// The recommendation: option 0, why by the objective, and how the best
// option of every other accelerator compares.
Recommendation RecommendServing(const std::vector<ServingOption>& options, const PlanServeWorkload& w,
                                const PlanInput& in) {
  Recommendation r;
  if (options.empty()) return r;
  r.option = 0;
  const ServingOption& best = options[0];
  const ServingLayout& l = best.need.layout;
  if (best.need.disaggregated) {
    const ServingNeed& n = best.need;
    r.reasons.push_back(TrFormat(
        "{}: xPyD, {} prefill × ({}) + {} decode × ({}) ({} weights, {} KV, {}); {}; {} over {:g} months, {} per "
        "million output tokens",
        ServingDescribe(best), n.prefill_replicas, ServingRanksShort(n.prefill_layout), n.decode_replicas,
        ServingRanksShort(n.decode_layout), PrecisionName(n.decode_layout.weights), PrecisionName(n.decode_layout.kv),
        n.engine, ServingFrom(best),
        FormatMoney(best.cost.total, in.currency), w.period_months, PerMtokText(best.cost_per_mtok, in.currency)));
    r.reasons.push_back(XpydChoiceText(n));
  } else {
    r.reasons.push_back(TrFormat(
        "{}: {} × ({}) ({} weights, {} KV, {}); {}; {} over {:g} months, {} per million output tokens",
        ServingDescribe(best), best.need.replicas, ServingRanksShort(l), PrecisionName(l.weights), PrecisionName(l.kv),
        best.need.engine, ServingFrom(best),
        FormatMoney(best.cost.total, in.currency), w.period_months, PerMtokText(best.cost_per_mtok, in.currency)));
  }
  switch (in.objective) {
    case Objective::kLowestCost:
    case Objective::kCheapestByDeadline:
      r.reasons.push_back(w.has_needed_by ? TrFormat("the cheapest option ready by needed_by {} (P{})",
                                                     FormatDate(w.needed_by), DeadlinePercentile(in))
                                          : Tr("the cheapest option"));
      break;
    default:
      r.reasons.push_back(Tr("the earliest start of service (P50), the cheaper of equal starts"));
  }
  std::map<std::string, bool> seen{{best.accelerator, true}};
  for (size_t i = 1; i < options.size(); ++i) {
    const ServingOption& o = options[i];
    if (seen[o.accelerator]) continue;
    seen[o.accelerator] = true;
    r.reasons.push_back(TrFormat("runner-up {} (#{}): {} per Mtok ({}), {}", o.accelerator, i + 1,
                                 PerMtokText(o.cost_per_mtok, in.currency),
                                 CostDifferenceText(o.cost.total, best.cost.total), ServingStart(o)));
  }
  if (best.stop_share > 0) {
    r.reasons.push_back(best.ready_p90_date == kNeverDate
                            ? TrFormat("risk: an export rule stops its delivery at the border with probability "
                                       "{:.1f}%: those cards are paid for and never arrive, so no P90 start comes",
                                       100 * best.stop_share)
                            : TrFormat("risk: an export rule stops its delivery at the border with probability "
                                       "{:.1f}%: those cards are paid for and never arrive (P90 start {})",
                                       100 * best.stop_share, FormatDate(best.ready_p90_date)));
  }
  if ((best.need.disaggregated ? best.need.decode_layout : l).weights == Precision::kInt4) {
    r.reasons.push_back(Tr("int4 weights (GPTQ/AWQ class) lose some quality against bf16; check the task's "
                           "accuracy before serving them"));
  }
  return r;
}

// The options of one accelerator with a feasible fleet; drops by reason.
void OptionsOf(const PlanInput& in, const PlanServeWorkload& w, const PlanAccelerator& accel,
               const std::vector<const PlanQuote*>& eligible, const ServingNeed& need, WorkloadPlan& scratch,
               std::vector<ServingOption>& all, int& evaluated) {
  const std::vector<Candidate> mixes =
      GenerateMixes(eligible, need.devices, /*staged=*/false, std::max(1, in.costs.node_size));
  if (mixes.empty()) {
    Exclude(scratch, accel.id,
            TrFormat("no quote (or pair of quotes) supplies the {} cards the fleet needs", need.devices));
    Drop(scratch, "quote", Tr("no quote for enough cards"), static_cast<int64_t>(eligible.size()));
    return;
  }
  const int percentile = DeadlinePercentile(in);
  double earliest = std::numeric_limits<double>::infinity(), cheapest_cash = earliest, cheapest_net = earliest;
  size_t kept = 0;
  for (const Candidate& c : mixes) {
    ServingOption o = EvaluateOption(in, w, accel, need, c);
    ++evaluated;
    earliest = std::min(earliest, ReadyAtPercentile(o, percentile));
    if (w.has_needed_by && FinishDate(in.date, ReadyAtPercentile(o, percentile)) > w.needed_by) {
      Drop(scratch, "option", TrFormat("deadline: serving starts (P{}) after needed_by", percentile));
      continue;
    }
    // The budget limits the cash paid (before any resale credit), as for training.
    if (in.constraints.budget > 0 && o.cost.cash > in.constraints.budget) {
      if (o.cost.cash < cheapest_cash) {
        cheapest_cash = o.cost.cash;
        cheapest_net = o.cost.total;
      }
      Drop(scratch, "option", Tr("over budget (cash paid before resale)"));
      continue;
    }
    all.push_back(std::move(o));
    ++kept;
  }
  if (kept > 0) return;
  if (w.has_needed_by && FinishDate(in.date, earliest) > w.needed_by) {
    Exclude(scratch, accel.id,
            std::isfinite(earliest)
                ? TrFormat("serving starts {} at the earliest (P{}), after needed_by {}",
                           FormatDate(FinishDate(in.date, earliest)), percentile, FormatDate(w.needed_by))
                : TrFormat("no fleet ever starts serving at P{} (an export rule stops its deliveries), so none is "
                           "ready by needed_by {}",
                           percentile, FormatDate(w.needed_by)));
  } else {
    Exclude(scratch, accel.id, TrFormat("over budget: the cheapest fleet pays {} cash ({} after resale) > budget {}",
                                        FormatMoney(cheapest_cash, in.currency), FormatMoney(cheapest_net, in.currency),
                                        FormatMoney(in.constraints.budget, in.currency)));
  }
}

// Plans one serving workload.
Result<ServingWorkloadPlan> PlanOne(const PlanInput& in, const PlanServeWorkload& w) {
  ServingWorkloadPlan plan;
  plan.workload = w;
  plan.workload.capacity = nullptr;
  WorkloadPlan scratch;  // EligibleQuotes and Exclude/Drop record here
  std::vector<std::string> skus;
  for (const PlanQuote& q : in.quotes) {
    if (std::find(skus.begin(), skus.end(), q.sku) == skus.end()) skus.push_back(q.sku);
  }
  std::sort(skus.begin(), skus.end());
  struct Searched {
    const PlanAccelerator* accel;
    std::vector<const PlanQuote*> eligible;
    std::future<ServingNeed> need;
  };
  std::vector<Searched> searched;
  for (const std::string& sku : skus) {
    const auto it = std::find_if(in.accelerators.begin(), in.accelerators.end(),
                                 [&sku](const PlanAccelerator& a) { return a.id == sku; });
    if (it == in.accelerators.end()) {
      return MakeError(fmt::format("quote refers to accelerator '{}' unknown to the planner", sku));
    }
    std::vector<const PlanQuote*> eligible = plan_detail::EligibleQuotes(in, *it, scratch);
    if (eligible.empty()) continue;
    // Capacity searches are independent: one thread per accelerator.
    searched.push_back(Searched{&*it, std::move(eligible),
                                std::async(std::launch::async, [&w, &sku] { return w.capacity(sku); })});
  }
  std::vector<ServingOption> all;
  for (Searched& s : searched) {
    const ServingNeed need = s.need.get();
    plan.needs.emplace_back(s.accel->id, need);
    if (!need.feasible) {
      Exclude(scratch, s.accel->id, need.reason_text.empty() ? need.reason : need.reason_text);
      Drop(scratch, "option", NoFleetText(need, /*table=*/false));
      continue;
    }
    OptionsOf(in, w, *s.accel, s.eligible, need, scratch, all, plan.options_evaluated);
  }
  RankServing(all, in.objective, in.constraints.max_stop_risk);
  if (static_cast<int>(all.size()) > in.options.top) all.resize(in.options.top);
  plan.recommendation = RecommendServing(all, w, in);
  plan.options = std::move(all);
  plan.excluded = std::move(scratch.excluded);
  plan.dropped = std::move(scratch.dropped);
  plan.status = plan.options.empty() ? PlanStatus::kInfeasible : PlanStatus::kFeasible;
  if (plan.options.empty() && plan.excluded.empty()) {
    plan.excluded.push_back(Excluded{"*", Tr("no quote in the market offers any accelerator")});
  }
  return plan;
}

}  // namespace

std::string NoFleetText(const ServingNeed& need, bool table) {
  if (!need.engine_runs) return table ? Tr("the engine does not run here") : Tr("the engine does not run on the device");
  if (!need.fits) return Tr("no layout holds the weights in device memory");
  const std::string none = table ? Tr("none meets the SLOs") : Tr("no layout meets the SLOs");
  if (need.max_devices <= 0) return none;
  return none + TrFormat(" within {} devices (constraints.max_devices)", FormatCount(need.max_devices));
}

std::string XpydChoiceText(const ServingNeed& need) {
  if (need.aggregated_devices == 0) {
    return TrFormat("xPyD (disaggregated prefill and decode pools, as serve chooses): {} devices; no aggregated "
                    "fleet meets the SLOs; KV moved between the pools in {:.1f} ms",
                    FormatCount(need.devices), need.kv_transfer_ms);
  }
  return TrFormat("xPyD (disaggregated prefill and decode pools, as serve chooses): {} devices against {} aggregated, "
                  "the fewer devices; KV moved between the pools in {:.1f} ms",
                  FormatCount(need.devices), FormatCount(need.aggregated_devices), need.kv_transfer_ms);
}

std::string PerMtokText(double amount, const std::string& currency) {
  if (!(amount < 100)) return FormatMoney(amount, currency);
  // FormatMoney rounds to whole units below 10,000: put two decimals in place
  // of the "1" of one unit, so the unit stays the current language's.
  return fmt::format("{:.2f}", amount) + FormatMoney(1, currency).substr(1);
}

Result<ServingPlanResult> MakeServingPlan(const PlanInput& input, const std::vector<PlanServeWorkload>& workloads) {
  ServingPlanResult result;
  for (const PlanServeWorkload& w : workloads) {
    SUANLI_ASSIGN_OR_RETURN(ServingWorkloadPlan plan, PlanOne(input, w));
    result.workloads.push_back(std::move(plan));
  }
  return result;
}

}  // namespace suanli
