// Pareto frontier and the shown options (plan/frontier.h).
#include "plan/frontier.h"

#include <algorithm>
#include <limits>
#include <set>

#include <fmt/format.h>

namespace suanli {

std::string MixKey(const PlanOptionResult& o) {
  std::string key;
  for (const MixPart& p : o.mix) key += fmt::format("{}:{:08};", p.quote_id, p.cards);
  return key;
}

void MarkPareto(std::vector<PlanOptionResult>& all, double max_stop_risk) {
  // The frontier is drawn among the options within the accepted stop risk
  // (an option a rule may stop does not beat one it cannot), among all when none is.
  const bool any_safe = std::any_of(all.begin(), all.end(), [&](const PlanOptionResult& o) {
    return o.stop_share <= max_stop_risk + 1e-9;
  });
  std::vector<size_t> order;
  for (size_t i = 0; i < all.size(); ++i) {
    if (!any_safe || all[i].stop_share <= max_stop_risk + 1e-9) order.push_back(i);
  }
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (all[a].finish_p50_date != all[b].finish_p50_date) {
      return all[a].finish_p50_date < all[b].finish_p50_date;
    }
    return all[a].cost.total < all[b].cost.total;
  });
  double best_cost = std::numeric_limits<double>::infinity();
  for (size_t i : order) {
    if (all[i].cost.total < best_cost) {
      all[i].pareto = true;
      best_cost = all[i].cost.total;
    }
  }
}

ShownOptions SelectShown(const std::vector<PlanOptionResult>& all, int top_n, double max_stop_risk,
                         const std::vector<size_t>& also) {
  // Keep the best `top` options and at most `top` frontier points, spread
  // evenly along the frontier (both ends included), so the report stays legible.
  const size_t top = static_cast<size_t>(std::max(1, top_n));
  std::set<std::string> frontier_keys;
  const auto key_of = [&](const PlanOptionResult& o) {
    return fmt::format("{}|{}|{}|{}", o.accelerator, o.gpus, BuyModeName(o.mode), MixKey(o));
  };
  std::vector<const PlanOptionResult*> frontier_points;
  for (const auto& o : all) {
    if (o.pareto) frontier_points.push_back(&o);
  }
  std::stable_sort(frontier_points.begin(), frontier_points.end(),
                   [](const PlanOptionResult* a, const PlanOptionResult* b) {
                     return a->finish_p50_days < b->finish_p50_days;
                   });
  const size_t n_front = frontier_points.size();
  if (n_front <= top) {
    for (const auto* o : frontier_points) frontier_keys.insert(key_of(*o));
  } else {
    for (size_t k = 0; k < top; ++k) {
      const size_t index = top == 1 ? 0 : k * (n_front - 1) / (top - 1);
      frontier_keys.insert(key_of(*frontier_points[index]));
    }
  }
  // ... and the best option of every accelerator, so each class shows up once.
  // ... and the best rent and the best buy, so they can be set side by side.
  ShownOptions shown;
  shown.frontier_total = static_cast<int>(n_front);
  std::set<std::string> accelerators_shown;
  std::set<BuyMode> modes_shown;
  bool risky_shown = false;
  size_t cheapest_risky = all.size();
  for (size_t i = 0; i < all.size(); ++i) {
    if (all[i].stop_share <= max_stop_risk + 1e-9) continue;
    const double priced = all[i].cost.total - all[i].cost.rule_stop_loss;
    if (cheapest_risky == all.size() ||
        priced < all[cheapest_risky].cost.total - all[cheapest_risky].cost.rule_stop_loss) {
      cheapest_risky = i;
    }
  }
  for (size_t i = 0; i < all.size(); ++i) {
    const bool on_shown_frontier = all[i].pareto && frontier_keys.count(key_of(all[i])) > 0;
    const bool best_of_class = accelerators_shown.insert(all[i].accelerator).second;
    const bool best_of_mode = modes_shown.insert(all[i].mode).second;
    // The best option ranked down for its stop risk, and the cheapest on its
    // price (before the expected loss), so the buyer sees what the rule costs.
    const bool risky = all[i].stop_share > max_stop_risk + 1e-9;
    const bool first_risky = risky && !risky_shown;
    risky_shown = risky_shown || first_risky;
    const bool named = std::find(also.begin(), also.end(), i) != also.end();
    if (i < top || on_shown_frontier || best_of_class || best_of_mode || first_risky || i == cheapest_risky ||
        named) {
      shown.options.push_back(all[i]);
    }
  }
  for (size_t i = 0; i < shown.options.size(); ++i) {
    if (shown.options[i].pareto && frontier_keys.count(key_of(shown.options[i])) > 0) {
      shown.frontier.push_back(static_cast<int>(i));
    }
  }
  std::stable_sort(shown.frontier.begin(), shown.frontier.end(), [&](int a, int b) {
    return shown.options[a].finish_p50_days < shown.options[b].finish_p50_days;
  });
  return shown;
}

}  // namespace suanli
