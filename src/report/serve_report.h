// Renderers of `serve` runs: one simulated layout and a capacity search (text and JSON).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "serve/capacity.h"
#include "serve/iteration.h"
#include "serve/replica.h"
#include "serve/serving_runs.h"
#include "serve/simulator.h"
#include "serve/traffic.h"

namespace suanli {

// What a serve run was asked: named in every output.
struct ServeSubject {
  std::string model;        // model id
  std::string accelerator;  // accelerator id
  std::string engine;       // engine id
  TrafficSpec traffic;      // rate (0 = offline) and lengths
  std::string trace;        // trace file, or "" for generated traffic
  ServingSlo slo;
};

// One simulated layout on a fixed number of devices.
struct ServeRun {
  ServingLayout layout;
  int replicas = 0;
  ReplicaMemory memory;            // per device of one replica
  IterationBreakdown lone_decode;  // a batch-1 decode step at the mean context
  SimulationResult service;        // all replicas
};

// Returns the int4 quality caveat line when `weights` is int4, else "".
std::string Int4Caveat(Precision weights);

// Returns the text report of one simulated layout.
std::string ServeRunText(const ServeSubject& subject, const ServeRun& run);
// Returns the JSON report of one simulated layout.
nlohmann::json ServeRunJson(const ServeSubject& subject, const ServeRun& run);

// Returns the text report of a capacity search.
std::string CapacityText(const ServeSubject& subject, const CapacityResult& result);
// Returns the JSON report of a capacity search.
nlohmann::json CapacityJson(const ServeSubject& subject, const CapacityResult& result);

// One validated row: the published value and the prediction (or why none).
struct ServingCheck {
  ServingRunRow row;
  bool predicted = false;
  double prediction = 0;  // the metric's unit
  std::string reason;     // when not predicted
};

// Returns the per-row table and the median |relative error| per metric family.
std::string ServingValidationText(const std::vector<ServingCheck>& checks);

}  // namespace suanli
