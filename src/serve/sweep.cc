// The serve report's sweeps: a layout's simulated service along the device
// count or the offered load.
#include "serve/sweep.h"
#include "serve/fleet_replay.h"

#include <algorithm>
#include <cmath>

#include "core/i18n.h"
#include "core/progress.h"

namespace suanli {

std::vector<int> SweepReplicaCounts(int replicas, int max_replicas) {
  std::vector<int> counts;
  const int top = std::max(1, std::min(max_replicas, 2 * replicas));
  const int low = std::max(1, replicas / 4);
  const int step = std::max(1, (top - low) / 11);
  for (int n = low; n <= top; n += step) counts.push_back(n);
  if (std::find(counts.begin(), counts.end(), replicas) == counts.end() && replicas <= top) {
    counts.push_back(replicas);
  }
  if (counts.back() != top && std::find(counts.begin(), counts.end(), top) == counts.end()) counts.push_back(top);
  std::sort(counts.begin(), counts.end());
  return counts;
}

ServeSweep SweepCapacityAnswer(const CapacityQuery& q, const CapacityAnswer& answer) {
  ServeSweep sweep;
  sweep.axis = SweepAxis::kDevices;
  Result<IterationModel> model = IterationModel::Make(*q.model, q.cluster, answer.layout, *q.engine, q.assumptions);
  if (!model.ok()) return sweep;
  const int per_replica = answer.layout.Devices();
  const std::vector<int> counts = SweepReplicaCounts(answer.replicas, std::max(1, q.max_devices / per_replica));
  Progress progress(Tr("sweeping replica counts"), static_cast<double>(counts.size()));
  for (int n : counts) {
    SweepPoint point;
    point.replicas = n;
    point.devices = n * per_replica;
    point.rate_rps = q.traffic.rate_rps;
    // The whole fleet, as `serve --gpus` and the search's confirmation replay it.
    point.service = ReplayFleet(CapToContext(q.traffic, q.model->UsableContext()), *model, answer.layout, answer.memory, *q.engine, q.slo, n);
    sweep.points.push_back(point);
    progress.Add(1);
  }
  return sweep;
}

ServeSweep SweepFixedLayout(const TrafficSpec& traffic, const IterationCost& cost, const SchedulerLimits& limits,
                            const ServingSlo& slo, int replicas, int devices_per_replica) {
  ServeSweep sweep;
  if (traffic.rate_rps <= 0) {
    sweep.axis = SweepAxis::kDevices;
    const std::vector<Request> requests = GenerateRequests(traffic);
    std::vector<int> counts;
    for (int n = 1; n < replicas; n *= 2) counts.push_back(n);
    counts.push_back(replicas);
    Progress progress(Tr("sweeping replica counts"), static_cast<double>(counts.size()));
    for (int n : counts) {
      sweep.points.push_back({n, n * devices_per_replica, 0, Simulate(requests, cost, limits, slo, n)});
      progress.Add(1);
    }
    return sweep;
  }
  sweep.axis = SweepAxis::kLoad;
  constexpr double kLoads[] = {0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0};
  Progress progress(Tr("sweeping the request rate"), std::size(kLoads));
  for (double load : kLoads) {
    TrafficSpec t = traffic;
    t.rate_rps = traffic.rate_rps * load;
    SchedulerLimits at_load = limits;
    if (limits.steady_state) at_load.arrival_rate_rps = t.rate_rps;
    // A long fleet run simulates its first replicas (SimulateFleet), as serve --gpus does.
    sweep.points.push_back({replicas, replicas * devices_per_replica, t.rate_rps,
                            limits.steady_state ? SimulateFleet(t, cost, at_load, slo, replicas)
                                                : Simulate(GenerateRequests(t), cost, at_load, slo, replicas)});
    progress.Add(1);
  }
  return sweep;
}

}  // namespace suanli
