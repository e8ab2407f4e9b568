// Accelerator choice for a serving workload (serve/fleet_choice.h).
#include "serve/fleet_choice.h"

#include <algorithm>
#include <tuple>

#include <fmt/format.h>

#include "core/i18n.h"

namespace suanli {
namespace {

// Returns the sort key: infeasible last, unpriced after priced, those the
// buyer cannot buy after those it can, cost, devices, id.
auto RankKey(const AcceleratorOption& o) {
  const auto best = o.cost.Best();
  return std::make_tuple(!o.feasible, !best.has_value(), o.Blocked(), best.value_or(0), o.devices, o.accelerator);
}

// Sets `o.why_lost` (English) and its translation from one format.
template <typename... Args>
void SetWhy(AcceleratorOption& o, const char* english, const Args&... args) {
  o.why_lost = fmt::format(fmt::runtime(english), args...);
  o.why_lost_text = TrFormat(english, args...);
}

void ExplainLoss(AcceleratorOption& o, const AcceleratorOption& w) {
  if (!o.feasible) {
    SetWhy(o, "cannot meet the SLOs: {}", o.aggregated.reason);
    o.why_lost_text = TrFormat("cannot meet the SLOs: {}", o.aggregated.reason_text);
    return;
  }
  const auto mine = o.cost.Best(), theirs = w.cost.Best();
  if (o.Blocked() && !w.Blocked()) {
    SetWhy(o, "the buyer cannot buy it: {} ({} devices vs {})", o.pricing.blocked_reason, o.devices, w.devices);
    o.why_lost_text = TrFormat("the buyer cannot buy it: {} ({} devices vs {})", o.pricing.blocked_reason_text,
                               o.devices, w.devices);
    return;
  }
  if (!mine && !theirs) {  // neither priced: ranked by devices, then by name (RankKey), not by a missing quote
    if (o.devices > w.devices) {
      SetWhy(o, "more devices: {} vs {} (neither has a rent or purchase quote on offer)", o.devices, w.devices);
    } else {
      SetWhy(o, "as many devices as {} ({}), neither priced: listed after it by name", w.accelerator, o.devices);
    }
    return;
  }
  if (!mine) {
    SetWhy(o, "no rent or purchase quote on offer to the buyer on the date ({} devices vs {})", o.devices, w.devices);
    return;
  }
  if (!theirs) {
    SetWhy(o, "needs {} devices vs {}", o.devices, w.devices);
    return;
  }
  if (o.devices > w.devices) {
    SetWhy(o, "more devices: {} vs {}; {:.2f} vs {:.2f} {} per million tokens", o.devices, w.devices, *mine, *theirs,
           o.pricing.currency);
  } else {
    SetWhy(o, "higher price: {} devices vs {}, but {:.2f} vs {:.2f} {} per million tokens", o.devices, w.devices,
           *mine, *theirs, o.pricing.currency);
  }
}

}  // namespace

double OfferedOutputTokensPerSecond(const TrafficSpec& traffic) {
  return traffic.rate_rps * traffic.output.mean_tokens;
}

AcceleratorOption EvaluateAccelerator(const CapacityQuery& q, const DevicePricing& pricing, bool disaggregate) {
  AcceleratorOption o;
  o.accelerator = q.cluster.accelerator->id;
  o.pricing = pricing;
  const double tokens_per_s = OfferedOutputTokensPerSecond(q.traffic);
  o.aggregated = SearchCapacity(q);
  for (const CapacityAnswer& a : o.aggregated.answers) o.answer_costs.push_back(FleetCost(pricing, a.devices, tokens_per_s));
  if (o.aggregated.feasible) o.aggregated_cost = o.answer_costs.front();
  if (disaggregate) {
    o.disaggregated = SearchDisaggregated(q);
  } else {
    o.disaggregated.reason = "not searched";
    o.disaggregated.reason_text = Tr("not searched");
  }
  if (o.disaggregated.feasible) o.disaggregated_cost = FleetCost(pricing, o.disaggregated.devices, tokens_per_s);
  o.feasible = o.aggregated.feasible || o.disaggregated.feasible;
  if (!o.feasible) return o;
  if (!o.aggregated.feasible) {
    o.disaggregated_chosen = true;
  } else if (o.disaggregated.feasible) {
    const auto agg = o.aggregated_cost.Best(), dis = o.disaggregated_cost.Best();
    o.disaggregated_chosen = agg && dis ? *dis < *agg : o.disaggregated.devices < o.aggregated.answers.front().devices;
  }
  o.devices = o.disaggregated_chosen ? o.disaggregated.devices : o.aggregated.answers.front().devices;
  o.cost = o.disaggregated_chosen ? o.disaggregated_cost : o.aggregated_cost;
  return o;
}

void RankAccelerators(std::vector<AcceleratorOption>& options) {
  std::sort(options.begin(), options.end(),
            [](const AcceleratorOption& a, const AcceleratorOption& b) { return RankKey(a) < RankKey(b); });
  for (size_t i = 0; i < options.size(); ++i) {
    if (i > 0 || !options[i].feasible) ExplainLoss(options[i], options.front());
  }
}

}  // namespace suanli
