// The programme check (plan/programme.h): the recommendations of every
// training workload against the one budget and each quote's one stock.
#include "plan/programme.h"

#include <algorithm>
#include <limits>
#include <map>
#include <type_traits>

#include <fmt/format.h>

#include "core/date.h"
#include "core/i18n.h"
#include "core/text.h"
#include "plan/plan.h"
#include "plan/serving_plan.h"

namespace suanli {

int64_t PeakConcurrentCards(const std::vector<std::pair<std::pair<double, double>, int64_t>>& holds) {
  // The peak of a sum of intervals is reached at some interval's start.
  int64_t peak = 0;
  for (const auto& [at, unused] : holds) {
    const double t = at.first;
    int64_t held = 0;
    for (const auto& [span, cards] : holds) {
      if (span.first <= t && t < span.second) held += cards;
    }
    peak = std::max(peak, held);
  }
  return peak;
}

namespace {

// Returns the sentence a breach by 2+ recommendations carries: each is
// costed on its own hardware (one cluster shared in turn is not modelled).
std::string SeparateHardwareNote(const ProgrammeCheck& check) {
  if (check.recommendations < 2) return "";
  return Tr(" (each workload is costed on its own hardware, bought or rented for it alone: sharing one "
            "cluster between workloads one after another is not modelled)");
}

}  // namespace

ProgrammeCheck CheckProgramme(const PlanInput& input, const std::vector<WorkloadPlan>& workloads,
                              const ServingPlanResult* serving) {
  ProgrammeCheck check;
  check.workloads = static_cast<int>(workloads.size());
  check.serving_workloads = serving == nullptr ? 0 : static_cast<int>(serving->workloads.size());
  check.budget = input.constraints.budget;
  check.checked = check.workloads + check.serving_workloads >= 2;
  // Per quote: the cards each recommendation holds, from delivery (likely
  // lead time) to the likely end for rentals, for good for purchases.
  std::map<std::string, std::vector<std::pair<std::pair<double, double>, int64_t>>> holds;
  const auto hold = [&](const std::vector<MixPart>& mix, BuyMode mode, double end_days) {
    for (const MixPart& part : mix) {
      auto it = std::find_if(check.quotes.begin(), check.quotes.end(),
                             [&](const ProgrammeQuote& q) { return q.quote_id == part.quote_id; });
      if (it == check.quotes.end()) {
        ProgrammeQuote q;
        q.quote_id = part.quote_id;
        q.supplier = part.supplier;
        for (const PlanQuote& pq : input.quotes) {
          if (pq.id == part.quote_id) q.quantity = pq.quantity;
        }
        check.quotes.push_back(q);
        it = check.quotes.end() - 1;
      }
      ++it->workloads;
      const double from = WeeksToDays(part.lead_weeks);
      const double to = mode == BuyMode::kRent ? std::max(from, end_days) : std::numeric_limits<double>::infinity();
      holds[part.quote_id].push_back({{from, to}, part.cards});
    }
  };
  // Counts a workload's recommended option (training or serving) against the
  // budget; returns it, or nullptr when the workload has none.
  const auto count_recommended = [&check](const auto& w) {
    using Option = std::decay_t<decltype(w.options.front())>;
    const int pick = w.recommendation.option;
    if (pick < 0 || pick >= static_cast<int>(w.options.size())) return static_cast<const Option*>(nullptr);
    const Option& o = w.options[pick];
    ++check.recommendations;
    check.cash += o.cost.cash;
    check.total += o.cost.total;
    double least_cash = o.cost.cash;
    for (const Option& other : w.options) least_cash = std::min(least_cash, other.cost.cash);
    check.cheapest_cash += least_cash;
    return &o;
  };
  for (const WorkloadPlan& w : workloads) {
    if (const PlanOptionResult* o = count_recommended(w)) hold(o->mix, o->mode, o->finish_days);
  }
  if (serving != nullptr) {
    for (const ServingWorkloadPlan& w : serving->workloads) {
      if (const ServingOption* o = count_recommended(w)) {
        hold(o->mix, o->mode, o->ready_days + w.workload.period_months * kDaysPerMonth);
      }
    }
  }
  if (check.budget > 0 && check.cash > check.budget * (1 + 1e-9)) {
    std::string text = TrFormat(
        "the {} recommendations together pay {} cash > budget {} (the budget is one pot for all workloads)",
        check.recommendations, FormatMoney(check.cash, input.currency), FormatMoney(check.budget, input.currency));
    if (check.cheapest_cash < check.cash) {
      text += TrFormat("; the least-cash option shown for each workload would together pay {}{}",
                       FormatMoney(check.cheapest_cash, input.currency),
                       check.cheapest_cash > check.budget * (1 + 1e-9) ? Tr(", still over the budget")
                                                                       : Tr(", within it: choose among those"));
    }
    check.violations.push_back(text + SeparateHardwareNote(check));
  }
  for (ProgrammeQuote& q : check.quotes) {
    q.peak_cards = PeakConcurrentCards(holds[q.quote_id]);
    if (q.quantity > 0 && q.peak_cards > q.quantity) {
      check.violations.push_back(TrFormat(
          "quote {} ({}) offers {} cards, but {} recommendations hold {} of its cards at the same time "
          "(rented cards from delivery to the likely finish, bought ones for good)",
          q.quote_id, q.supplier, FormatCount(static_cast<double>(q.quantity)), q.workloads,
          FormatCount(static_cast<double>(q.peak_cards))) + SeparateHardwareNote(check));
    }
  }
  return check;
}

}  // namespace suanli
