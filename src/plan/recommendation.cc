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

std::string Weeks(double days) { return fmt::format("{:.1f} weeks", DaysToWeeks(days)); }

}  // namespace

// "64 a800-sxm-80gb from Shenzhen dist. (2 wk)" or a two-part mix.
std::string Describe(const PlanOptionResult& o) {
  std::vector<std::string> parts;
  for (const MixPart& p : o.mix) {
    parts.push_back(fmt::format("{} from {} ({:g} wk)", p.cards, p.supplier, p.lead_weeks));
  }
  return fmt::format("{} {} {}{}", o.mode == BuyMode::kRent ? "rent" : "buy", o.gpus,
                     o.accelerator, parts.empty() ? "" : ": " + Join(parts, " + "));
}

void RankOptions(std::vector<PlanOptionResult>& options, Objective objective) {
  const bool by_cost = objective == Objective::kLowestCost || objective == Objective::kCheapestByDeadline;
  std::stable_sort(options.begin(), options.end(), [&](const auto& a, const auto& b) {
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

Recommendation Recommend(const std::vector<PlanOptionResult>& options, Objective objective,
                         const std::string& currency) {
  Recommendation rec;
  if (options.empty()) return rec;
  rec.option = 0;
  const PlanOptionResult& best = options[0];
  rec.reasons.push_back(fmt::format(
      "{} is the best option by {}: trained by {} (P50; P90 {}) for {}", Describe(best),
      ObjectiveName(objective), FormatDate(best.finish_p50_date),
      FormatDate(best.finish_p90_date), FormatMoney(best.cost.total, currency)));
  const auto compare = [&](size_t index, std::string_view label) {
    const PlanOptionResult& other = options[index];
    const double dt = other.finish_p50_days - best.finish_p50_days;
    const int d_days = other.finish_p50_date.days - best.finish_p50_date.days;
    const double dc_pct = (best.cost.total / other.cost.total - 1.0) * 100.0;
    // Finish times compare by calendar day: a fraction of a day between two
    // Monte-Carlo P50s is noise, not a difference.
    std::string time_part = d_days > 0   ? fmt::format("finishes {} earlier", Weeks(dt))
                            : d_days < 0 ? fmt::format("finishes {} later", Weeks(-dt))
                                         : std::string("finishes the same day");
    std::string cost_part = dc_pct >= 0 ? fmt::format("for {:.1f}% more", dc_pct)
                                        : fmt::format("for {:.1f}% less", -dc_pct);
    rec.reasons.push_back(fmt::format("{} {} than #{} {} ({})", time_part, cost_part, index + 1,
                                      Describe(other), label));
  };
  // Same accelerator and size from another source: the premium-vs-wait question,
  // against the cheapest such alternative.
  size_t same = 0;
  for (size_t i = 1; i < options.size(); ++i) {
    const auto& o = options[i];
    if (o.accelerator == best.accelerator && o.gpus == best.gpus && o.mode == best.mode &&
        MixKey(o) != MixKey(best) &&
        (same == 0 || o.cost.total < options[same].cost.total)) {
      same = i;
    }
  }
  if (same != 0) compare(same, "same cards, other source");
  size_t cheapest = 0, fastest = 0;
  for (size_t i = 1; i < options.size(); ++i) {
    if (options[i].cost.total < options[cheapest].cost.total) cheapest = i;
    // The fastest by P50 day; among options finishing the same day, the cheapest.
    const int day = options[i].finish_p50_date.days, fastest_day = options[fastest].finish_p50_date.days;
    if (day < fastest_day ||
        (day == fastest_day && options[i].cost.total < options[fastest].cost.total)) {
      fastest = i;
    }
  }
  // The next frontier point: the cheapest option among those that finish
  // later than the best but no later than any cheaper one (the next trade-off).
  size_t next = 0;
  for (size_t i = 1; i < options.size(); ++i) {
    const auto& o = options[i];
    if (!o.pareto || o.cost.total >= best.cost.total ||
        o.finish_p50_days <= best.finish_p50_days) {
      continue;
    }
    if (next == 0 || o.finish_p50_days < options[next].finish_p50_days) next = i;
  }
  if (next != 0 && next != same) compare(next, "the next cheaper option on the frontier");
  if (cheapest != 0 && cheapest != same && cheapest != next) {
    compare(cheapest, "the cheapest option");
  }
  if (fastest != 0 && fastest != cheapest && fastest != same) {
    compare(fastest, "the fastest option");
  }
  if (cheapest == 0) rec.reasons.push_back("it is also the cheapest feasible option");
  if (best.staged) {
    rec.reasons.push_back(fmt::format(
        "training starts in week {:.1f} on the first {} cards and grows when the rest arrive "
        "(week {:.1f})",
        best.start_weeks, best.mix.front().cards, best.arrival_weeks));
  }
  if (best.finish_p90_days - best.finish_p50_days > 7) {
    rec.reasons.push_back(fmt::format("lead-time risk: P90 is {} after P50",
                                      Weeks(best.finish_p90_days - best.finish_p50_days)));
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
  return fmt::format(
      "rent vs own: best rent #{} {} for {} (P50 {}), best buy #{} {} for {} (P50 {}): owning costs "
      "{} {} ({:+.1f}%) and finishes {}",
      rent + 1, Describe(r), FormatMoney(r.cost.total, currency), FormatDate(r.finish_p50_date), buy + 1,
      Describe(b), FormatMoney(b.cost.total, currency), FormatDate(b.finish_p50_date),
      FormatMoney(std::abs(diff), currency), diff >= 0 ? "more" : "less", 100.0 * diff / r.cost.total,
      days == 0 ? std::string("the same day")
                : fmt::format("{} days {}", std::abs(days), days < 0 ? "earlier" : "later"));
}

}  // namespace suanli
