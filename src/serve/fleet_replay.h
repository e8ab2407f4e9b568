// The replay of a whole serving fleet as `suanli serve --gpus N` runs it:
// one request stream at the full rate, dealt round-robin over N/(tp*pp)
// replicas, long enough for a steady state. The capacity search confirms its
// answers with it, so a searched fleet (serve's search, plan's serving
// workloads) meets the SLOs when serve replays it (docs/serving.md "The
// capacity search").
#pragma once

#include "serve/engine.h"
#include "serve/iteration.h"
#include "serve/replica.h"
#include "serve/simulator.h"
#include "serve/traffic.h"

namespace suanli {

// Returns the requests a stationary run of `traffic` simulates on `layout`
// (SteadyStateRequests over the lone request: the mean prompt's prefill plus
// the mean output's decode steps at the mean context; at least
// traffic.requests).
int ReplayRequests(const IterationCost& cost, const ServingLayout& layout, const ReplicaMemory& memory,
                   const TrafficSpec& traffic);

// Simulates `replicas` replicas of `layout` serving Poisson `traffic` at its
// full rate, ReplayRequests long, measured in steady state: the figures
// `serve --gpus replicas*tp*pp` prints. `stop_at_miss` as Simulate's.
SimulationResult ReplayFleet(const TrafficSpec& traffic, const IterationCost& cost, const ServingLayout& layout,
                             const ReplicaMemory& memory, const EngineSpec& engine, const ServingSlo& slo,
                             int replicas, bool stop_at_miss = false);

}  // namespace suanli
