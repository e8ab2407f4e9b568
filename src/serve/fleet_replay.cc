// The whole-fleet replay (serve/fleet_replay.h).
#include "serve/fleet_replay.h"

#include "serve/capacity.h"
#include "serve/steady_state.h"

namespace suanli {

int ReplayRequests(const IterationCost& cost, const ServingLayout& layout, const ReplicaMemory& memory,
                   const TrafficSpec& traffic) {
  const double lone_request_s = LonePrefillSeconds(cost, layout, traffic, memory.window) +
                                traffic.output.mean_tokens * LoneDecodeSeconds(cost, traffic, memory.window);
  return SteadyStateRequests(traffic.rate_rps, lone_request_s, traffic.requests);
}

SimulationResult ReplayFleet(const TrafficSpec& traffic, const IterationCost& cost, const ServingLayout& layout,
                             const ReplicaMemory& memory, const EngineSpec& engine, const ServingSlo& slo,
                             int replicas, bool stop_at_miss) {
  TrafficSpec all = traffic;
  all.requests = ReplayRequests(cost, layout, memory, traffic);
  SchedulerLimits limits = ServingLimits(layout, memory, engine, /*steady_state=*/true);
  limits.arrival_rate_rps = traffic.rate_rps;
  return Simulate(GenerateRequests(all), cost, limits, slo, replicas, stop_at_miss);
}

}  // namespace suanli
