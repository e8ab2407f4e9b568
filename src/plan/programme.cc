// The programme check (plan/programme.h): the recommendations of every
// training workload against the one budget and each quote's one stock.
#include "plan/programme.h"

#include <algorithm>
#include <limits>
#include <map>

#include <fmt/format.h>

#include "core/date.h"
#include "core/i18n.h"
#include "core/text.h"
#include "plan/plan.h"

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

ProgrammeCheck CheckProgramme(const PlanInput& input, const std::vector<WorkloadPlan>& workloads) {
  ProgrammeCheck check;
  check.workloads = static_cast<int>(workloads.size());
  check.budget = input.constraints.budget;
  if (workloads.size() < 2) return check;
  check.checked = true;
  // Per quote: the cards each recommendation holds, from delivery (likely
  // lead time) to the likely finish for rentals, for good for purchases.
  std::map<std::string, std::vector<std::pair<std::pair<double, double>, int64_t>>> holds;
  for (const WorkloadPlan& w : workloads) {
    const int pick = w.recommendation.option;
    if (pick < 0 || pick >= static_cast<int>(w.options.size())) continue;
    const PlanOptionResult& o = w.options[pick];
    ++check.recommendations;
    check.cash += o.cost.cash;
    check.total += o.cost.total;
    double least_cash = o.cost.cash;
    for (const PlanOptionResult& other : w.options) least_cash = std::min(least_cash, other.cost.cash);
    check.cheapest_cash += least_cash;
    for (const MixPart& part : o.mix) {
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
      const double to = o.mode == BuyMode::kRent ? std::max(from, o.finish_days)
                                                 : std::numeric_limits<double>::infinity();
      holds[part.quote_id].push_back({{from, to}, part.cards});
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
    check.violations.push_back(text);
  }
  for (ProgrammeQuote& q : check.quotes) {
    q.peak_cards = PeakConcurrentCards(holds[q.quote_id]);
    if (q.quantity > 0 && q.peak_cards > q.quantity) {
      check.violations.push_back(TrFormat(
          "quote {} ({}) offers {} cards, but {} recommendations hold {} of its cards at the same time "
          "(rented cards from delivery to the likely finish, bought ones for good)",
          q.quote_id, q.supplier, FormatCount(static_cast<double>(q.quantity)), q.workloads,
          FormatCount(static_cast<double>(q.peak_cards))));
    }
  }
  return check;
}

}  // namespace suanli
