// The replay of a whole serving fleet as `suanli serve --gpus N` runs it:
// one request stream at the full rate, dealt round-robin over N/(tp*pp)
// replicas, long enough for a steady state on every replica. The capacity
// search confirms its answers with it, so a searched fleet (serve's search,
// plan's serving workloads) meets the SLOs when serve replays it
// (docs/serving.md "The capacity search").
#pragma once

#include "serve/engine.h"
#include "serve/iteration.h"
#include "serve/replica.h"
#include "serve/simulator.h"
#include "serve/traffic.h"

namespace suanli {

// Returns seconds of a lone request on `layout`: the mean prompt's prefill
// plus the mean output's decode steps at the mean context.
double LoneRequestSeconds(const IterationCost& cost, const ServingLayout& layout, const ReplicaMemory& memory,
                          const TrafficSpec& traffic);

// Returns the requests a stationary run of `traffic` on `replicas` replicas of
// `layout` simulates (SteadyFleetRequests over LoneRequestSeconds: every
// replica's share spans the steady-state lifetimes at its own rate; at least
// traffic.requests).
int ReplayRequests(const IterationCost& cost, const ServingLayout& layout, const ReplicaMemory& memory,
                   const TrafficSpec& traffic, int replicas = 1);

// Simulates `replicas` replicas fed round-robin with the traffic.requests
// requests of `traffic` (Poisson at its full rate). A stream longer than
// kMaxSimulatedFleetRequests is simulated on its first replicas only
// (SampleFleet; the replicas are fed alike), its throughputs scaled to the
// fleet (SimulationResult::replicas_simulated says how many). With
// limits.steady_state the nominal rate is the simulated replicas' share.
SimulationResult SimulateFleet(const TrafficSpec& traffic, const IterationCost& cost, SchedulerLimits limits,
                               const ServingSlo& slo, int replicas, bool stop_at_miss = false);

// Simulates `replicas` replicas of `layout` serving Poisson `traffic` at its
// full rate, ReplayRequests long, measured in steady state: the figures
// `serve --gpus replicas*tp*pp` prints. `stop_at_miss` as Simulate's.
SimulationResult ReplayFleet(const TrafficSpec& traffic, const IterationCost& cost, const ServingLayout& layout,
                             const ReplicaMemory& memory, const EngineSpec& engine, const ServingSlo& slo,
                             int replicas, bool stop_at_miss = false);

}  // namespace suanli
