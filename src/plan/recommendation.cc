// Ranking and the recommendation (plan/recommendation.h).
#include "plan/recommendation.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "core/text.h"
#include "plan/frontier.h"
#include "plan/plan_text.h"

namespace suanli {
namespace {

std::string Weeks(double days) { return TrFormat("{:.1f} weeks", DaysToWeeks(days)); }

// "for 0.8% more", "for 1.62× the cost", "at 0.42× the cost": a ratio once
// the difference is large, a percentage while it is small.
std::string CostDifference(double cost, double reference) {
  const double ratio = reference > 0 ? cost / reference : 1.0;
  if (ratio >= 1.5) return TrFormat("for {} the cost", FormatRatio(cost, reference));
  if (ratio <= 1 / 1.5) return TrFormat("at {} the cost", FormatRatio(cost, reference));
  return ratio >= 1 ? TrFormat("for {:.1f}% more", 100 * (ratio - 1))
                    : TrFormat("for {:.1f}% less", 100 * (1 - ratio));
}

}  // namespace

std::string CostDifferenceText(double cost, double reference) { return CostDifference(cost, reference); }

// "buy 64 a800-sxm-80gb: 64 from Shenzhen dist. (2 wk)" or a two-part mix.
std::string Describe(const PlanOptionResult& o) {
  std::vector<std::string> parts;
  for (const MixPart& p : o.mix) {
    parts.push_back(TrFormat("{} from {} ({:g} wk)", p.cards, p.supplier, p.lead_weeks));
  }
  return TrFormat("{} {} {}{}", Tr(o.mode == BuyMode::kRent ? "rent" : "buy"), o.gpus, o.accelerator,
                  parts.empty() ? "" : Tr(": ") + Join(parts, " + "));
}

bool OverStopRisk(const PlanOptionResult& o, double max_stop_risk) { return o.stop_share > max_stop_risk + 1e-9; }

void RankOptions(std::vector<PlanOptionResult>& options, Objective objective, double max_stop_risk) {
  const bool by_cost = objective == Objective::kLowestCost || objective == Objective::kCheapestByDeadline;
  std::stable_sort(options.begin(), options.end(), [&](const auto& a, const auto& b) {
    // An option an export rule may stop at the border ranks after every
    // option within the risk the scenario accepts, whatever the objective.
    const bool ra = OverStopRisk(a, max_stop_risk), rb = OverStopRisk(b, max_stop_risk);
    if (ra != rb) return rb;
    // Finish times compare by calendar day (the P50 date).
    const int ta = a.finish_p50_date.days, tb = b.finish_p50_date.days;
    const double ca = a.cost.total, cb = b.cost.total;
    if (by_cost) {
      if (ca != cb) return ca < cb;
      if (ta != tb) return ta < tb;
    } else {
      if (ta != tb) return ta < tb;
      if (ca != cb) return ca < cb;
    }
    if (a.accelerator != b.accelerator) return a.accelerator < b.accelerator;
    if (a.gpus != b.gpus) return a.gpus < b.gpus;
    return MixKey(a) < MixKey(b);
  });
}

RecommendationPicks PickComparisons(const std::vector<PlanOptionResult>& options, double max_stop_risk) {
  RecommendationPicks picks;
  if (options.empty()) return picks;
  const PlanOptionResult& best = options[0];
  // Options ranked lower only because an export rule may stop them: the
  // cheapest and the earliest of them, so the buyer sees what the rule costs.
  for (size_t i = 1; i < options.size(); ++i) {
    const PlanOptionResult& o = options[i];
    if (!OverStopRisk(o, max_stop_risk) || OverStopRisk(best, max_stop_risk)) continue;
    // Cheaper on its price: before the expected loss of the stopped cards.
    const double priced = o.cost.total - o.cost.rule_stop_loss;
    const size_t rc = picks.risky_cheaper;
    if (priced < best.cost.total &&
        (rc == 0 || priced < options[rc].cost.total - options[rc].cost.rule_stop_loss)) {
      picks.risky_cheaper = i;
    }
    if (o.finish_p50_date < best.finish_p50_date &&
        (picks.risky_earlier == 0 || o.finish_p50_date < options[picks.risky_earlier].finish_p50_date)) {
      picks.risky_earlier = i;
    }
  }
  for (size_t i = 1; i < options.size(); ++i) {
    const PlanOptionResult& o = options[i];
    // Same accelerator and size from another source: the premium-vs-wait
    // question, against the cheapest such alternative.
    if (o.accelerator == best.accelerator && o.gpus == best.gpus && o.mode == best.mode &&
        MixKey(o) != MixKey(best) && (picks.same == 0 || o.cost.total < options[picks.same].cost.total)) {
      picks.same = i;
    }
    if (o.cost.total < options[picks.cheapest].cost.total) picks.cheapest = i;
    // The fastest by P50 day; among options finishing the same day, the cheapest.
    const int day = o.finish_p50_date.days, fastest_day = options[picks.fastest].finish_p50_date.days;
    if (day < fastest_day || (day == fastest_day && o.cost.total < options[picks.fastest].cost.total)) {
      picks.fastest = i;
    }
    // The next point of the whole frontier (`pareto`, MarkPareto): the
    // earliest frontier point cheaper than the best that finishes later.
    if (o.pareto && o.cost.total < best.cost.total && o.finish_p50_date > best.finish_p50_date &&
        (picks.next == 0 || o.finish_p50_date < options[picks.next].finish_p50_date)) {
      picks.next = i;
    }
  }
  return picks;
}

Recommendation Recommend(const std::vector<PlanOptionResult>& options, Objective objective,
                         const std::string& currency, double max_stop_risk) {
  Recommendation rec;
  if (options.empty()) return rec;
  rec.option = 0;
  const PlanOptionResult& best = options[0];
  // A finish that never comes has its own wording (NeverFinishText), never "trained by never".
  if (best.finish_p50_date == kNeverDate) {
    rec.reasons.push_back(TrFormat("{} is the best option by {} for {}, but it {} (no P50 finish)", Describe(best),
                                   ObjectiveName(objective), FormatMoney(best.cost.total, currency),
                                   NeverFinishText(best.stop_share)));
  } else if (best.finish_p90_date == kNeverDate) {
    rec.reasons.push_back(TrFormat("{} is the best option by {}: trained by {} (P50) for {}, but it {} (no P90 "
                                   "finish)",
                                   Describe(best), ObjectiveName(objective), FormatDate(best.finish_p50_date),
                                   FormatMoney(best.cost.total, currency), NeverFinishText(best.stop_share)));
  } else {
    rec.reasons.push_back(TrFormat("{} is the best option by {}: trained by {} (P50; P90 {}) for {}", Describe(best),
                                   ObjectiveName(objective), FormatDate(best.finish_p50_date),
                                   FormatDate(best.finish_p90_date), FormatMoney(best.cost.total, currency)));
  }
  if (best.stop_share > 0) {
    rec.reasons.push_back(
        best.finish_p90_date == kNeverDate
            ? TrFormat("risk: an export rule stops its delivery at the border with probability {:.1f}% (its quotes' "
                       "lead-time ranges straddle the rule's date): the cards are paid for and never arrive, so "
                       "those draws never finish and no P90 finish comes; the cost counts the expected loss {}",
                       100 * best.stop_share, FormatMoney(best.cost.rule_stop_loss, currency))
            : TrFormat("risk: an export rule stops its delivery at the border with probability {:.1f}% (its quotes' "
                       "lead-time ranges straddle the rule's date): the cards are paid for and never arrive, so "
                       "those draws never finish (P90 {}); the cost counts the expected loss {}",
                       100 * best.stop_share, FormatDate(best.finish_p90_date),
                       FormatMoney(best.cost.rule_stop_loss, currency)));
  }
  const RecommendationPicks picks = PickComparisons(options, max_stop_risk);
  const size_t risky_cheaper = picks.risky_cheaper, risky_earlier = picks.risky_earlier;
  std::vector<size_t> risky;
  if (risky_cheaper != 0) risky.push_back(risky_cheaper);
  if (risky_earlier != 0 && risky_earlier != risky_cheaper) risky.push_back(risky_earlier);
  for (size_t i : risky) {
    const PlanOptionResult& o = options[i];
    // Shown options finish at P50 (a P50 that never comes is past the horizon); the P90 may never come.
    const std::string p90 = o.finish_p90_date == kNeverDate ? Tr("so no P90 finish comes")
                                                            : TrFormat("P90 {}", FormatDate(o.finish_p90_date));
    rec.reasons.push_back(TrFormat(
        "#{} {} costs {} ({} with the expected loss of the cards stopped) and finishes by {} (P50), but an "
        "export rule stops its delivery with probability {:.1f}% ({}): ranked after every option no rule "
        "stops (constraints.max_stop_risk: {:.2f} accepts that risk)",
        i + 1, Describe(o), FormatMoney(o.cost.total - o.cost.rule_stop_loss, currency),
        FormatMoney(o.cost.total, currency), FormatFinish(o.finish_p50_date),
        100 * o.stop_share, p90, std::ceil(100 * o.stop_share) / 100));
  }
  const auto compare = [&](size_t index, const std::string& label) {
    const PlanOptionResult& other = options[index];
    const double dt = other.finish_p50_days - best.finish_p50_days;
    const int d_days = other.finish_p50_date.days - best.finish_p50_date.days;
    // Finish times compare by calendar day: a fraction of a day between two
    // Monte-Carlo P50s is noise, not a difference.
    const std::string time_part = d_days > 0   ? TrFormat("finishes {} earlier", Weeks(dt))
                                  : d_days < 0 ? TrFormat("finishes {} later", Weeks(-dt))
                                               : Tr("finishes the same day");
    const double ratio = other.cost.total > 0 ? best.cost.total / other.cost.total : 1.0;
    const bool as_ratio = ratio >= 1.5 || ratio <= 1 / 1.5;
    rec.reasons.push_back(TrFormat(as_ratio ? "{} {} of #{} {} ({})" : "{} {} than #{} {} ({})", time_part,
                                   CostDifference(best.cost.total, other.cost.total), index + 1, Describe(other),
                                   label));
  };
  const size_t same = picks.same, next = picks.next, cheapest = picks.cheapest, fastest = picks.fastest;
  if (same != 0) compare(same, Tr("same cards, other source"));
  if (next != 0 && next != same) compare(next, Tr("the next cheaper option on the frontier"));
  if (cheapest != 0 && cheapest != same && cheapest != next) compare(cheapest, Tr("the cheapest option"));
  if (fastest != 0 && fastest != cheapest && fastest != same) compare(fastest, Tr("the fastest option"));
  if (cheapest == 0) rec.reasons.push_back(Tr("it is also the cheapest feasible option"));
  if (best.staged) {
    rec.reasons.push_back(TrFormat(
        "training starts in week {:.1f} on the first {} cards and grows when the rest arrive (week {:.1f})",
        best.start_weeks, best.mix.front().cards, best.arrival_weeks));
  }
  if (best.finish_p90_days - best.finish_p50_days > 7) {
    rec.reasons.push_back(
        std::isfinite(best.finish_p90_days)
            ? TrFormat("finish-date risk: P90 is {} after P50 (delivery, interruptions and the model's measured error)",
                       Weeks(best.finish_p90_days - best.finish_p50_days))
            : TrFormat("finish-date risk: P90 never comes: more than 1 draw in 10 never finishes (an export rule "
                       "stops the delivery)"));
  }
  for (const std::string& note : best.notes) rec.reasons.push_back(note);
  return rec;
}

std::string RentVersusOwn(const std::vector<PlanOptionResult>& options, int rent, int buy,
                          const std::string& currency) {
  if (rent < 0 || buy < 0) return "";
  const PlanOptionResult& r = options[rent];
  const PlanOptionResult& b = options[buy];
  const double diff = b.cost.total - r.cost.total;
  const int days = b.finish_p50_date.days - r.finish_p50_date.days;
  const std::string when = days == 0  ? Tr("the same day")
                           : days < 0 ? TrFormat("{} days earlier", -days)
                                      : TrFormat("{} days later", days);
  return TrFormat(
      "rent vs own: best rent #{} {} for {} (P50 {}), best buy #{} {} for {} (P50 {}): owning costs {} {} ({}) "
      "and finishes {}",
      rent + 1, Describe(r), FormatMoney(r.cost.total, currency), FormatDate(r.finish_p50_date), buy + 1,
      Describe(b), FormatMoney(b.cost.total, currency), FormatDate(b.finish_p50_date),
      FormatMoney(std::abs(diff), currency), Tr(diff >= 0 ? "more" : "less"),
      FormatRatio(b.cost.total, r.cost.total), when);
}

// The names of the objectives, buy modes and step terms (plan/plan.h).
namespace {

constexpr std::pair<Objective, std::string_view> kObjectiveNames[] = {
    {Objective::kEarliestFinish, "earliest_finish"},
    {Objective::kLowestCost, "lowest_cost"},
    {Objective::kFastestWithinBudget, "fastest_within_budget"},
    {Objective::kCheapestByDeadline, "cheapest_by_deadline"},
};

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

const std::vector<std::string>& StepTermNames() {
  static const std::vector<std::string> kNames = {"compute", "recompute", "optimizer step", "MoE dispatch",
                                                  "TP comm", "CP comm", "EP comm", "DP comm",
                                                  "PP comm", "pipeline bubble"};
  return kNames;
}

std::string_view BuyModeName(BuyMode mode) { return mode == BuyMode::kRent ? "rent" : "buy"; }

}  // namespace suanli
