// Sweeps for the serve report's charts: the simulated service of one layout
// at several replica counts (latency and throughput against devices) or at
// several request rates (latency against load). Computed here, drawn in report/.
#pragma once

#include <vector>

#include "serve/capacity.h"
#include "serve/iteration.h"
#include "serve/replica.h"
#include "serve/simulator.h"
#include "serve/traffic.h"

namespace suanli {

// One point of a sweep: the layout's service at `replicas` replicas and `rate_rps`.
struct SweepPoint {
  int replicas = 0;
  int devices = 0;            // replicas * tp * pp
  double rate_rps = 0;        // the whole service's offered rate (0 = offline)
  SimulationResult service;   // latencies of the requests; throughput of the whole service
};

// What a sweep varies.
enum class SweepAxis { kDevices, kLoad };

struct ServeSweep {
  SweepAxis axis = SweepAxis::kDevices;
  std::vector<SweepPoint> points;  // ascending along the axis
};

// Returns the replica counts a device sweep around `replicas` visits: about
// a dozen counts from a quarter to twice it (1, 2, ... when small), ascending.
std::vector<int> SweepReplicaCounts(int replicas, int max_replicas);

// Returns the capacity answer's layout simulated at the replica counts of
// SweepReplicaCounts (each replica fed its round-robin share, as the search
// does); throughput is the whole service's (one share × replicas).
ServeSweep SweepCapacityAnswer(const CapacityQuery& query, const CapacityAnswer& answer);

// Returns one layout on `replicas` replicas simulated at 0.25× to 2× the
// traffic's rate (kLoad), or, offline (rate 0), at 1, 2, 4 ... `replicas`
// replicas with every request at t = 0 (kDevices).
ServeSweep SweepFixedLayout(const TrafficSpec& traffic, const IterationCost& cost, const SchedulerLimits& limits,
                            const ServingSlo& slo, int replicas, int devices_per_replica);

}  // namespace suanli
