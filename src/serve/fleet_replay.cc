// The whole-fleet replay (serve/fleet_replay.h).
#include "serve/fleet_replay.h"

#include <algorithm>
#include <climits>

#include "serve/capacity.h"
#include "serve/steady_state.h"

namespace suanli {

double LoneRequestSeconds(const IterationCost& cost, const ServingLayout& layout, const ReplicaMemory& memory,
                          const TrafficSpec& traffic) {
  return LonePrefillSeconds(cost, layout, traffic, memory.window) +
         traffic.output.mean_tokens * LoneDecodeSeconds(cost, traffic, memory.window);
}

int ReplayRequests(const IterationCost& cost, const ServingLayout& layout, const ReplicaMemory& memory,
                   const TrafficSpec& traffic, int replicas) {
  const long long n = SteadyFleetRequests(traffic.rate_rps, LoneRequestSeconds(cost, layout, memory, traffic),
                                          traffic.requests, replicas);
  return static_cast<int>(std::min<long long>(INT_MAX, n));
}

SimulationResult SimulateFleet(const TrafficSpec& traffic, const IterationCost& cost, SchedulerLimits limits,
                               const ServingSlo& slo, int replicas, bool stop_at_miss) {
  const FleetSample sample = SampleFleet(traffic.requests, replicas);
  const double share = static_cast<double>(sample.simulated) / sample.replicas;
  if (limits.steady_state) limits.arrival_rate_rps = traffic.rate_rps * share;
  SimulationResult out = sample.Sampled()
                             ? Simulate(GenerateRequests(traffic, sample.replicas, sample.simulated), cost, limits,
                                        slo, sample.simulated, stop_at_miss)
                             : Simulate(GenerateRequests(traffic), cost, limits, slo, sample.replicas, stop_at_miss);
  out.replicas_simulated = sample.simulated;
  out.fleet_replicas = sample.replicas;
  if (sample.Sampled()) {  // the fleet serves replicas/simulated times what the simulated replicas do
    const double scale = 1.0 / share;
    out.requests_per_s *= scale;
    out.output_tokens_per_s *= scale;
    out.total_tokens_per_s *= scale;
    out.goodput_rps *= scale;
    out.offered_rps *= scale;
  }
  return out;
}

SimulationResult ReplayFleet(const TrafficSpec& traffic, const IterationCost& cost, const ServingLayout& layout,
                             const ReplicaMemory& memory, const EngineSpec& engine, const ServingSlo& slo,
                             int replicas, bool stop_at_miss) {
  TrafficSpec all = traffic;
  all.requests = ReplayRequests(cost, layout, memory, traffic, replicas);
  const SchedulerLimits limits = ServingLimits(layout, memory, engine, /*steady_state=*/true);
  return SimulateFleet(all, cost, limits, slo, replicas, stop_at_miss);
}

}  // namespace suanli
