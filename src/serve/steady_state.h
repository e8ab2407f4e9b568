// How a stationary serving run is measured: its length, the middle half of
// its requests, and when its queue grows without bound (docs/serving.md
// "Steady state" and "Overload").
#pragma once

#include <cstddef>
#include <vector>

namespace suanli {

// The requests [first, last) whose latencies and throughput a simulation reports.
struct MeasuredRange {
  size_t first = 0;
  size_t last = 0;
};

// Returns how many requests a stationary run at `rate_rps` should simulate so
// that it spans kSteadyLifetimes lone request lifetimes (`lone_request_s`:
// the mean prompt's prefill plus the mean output's decode steps, alone), at
// least `minimum` and at most kMaxSteadyRequests: each measured quarter then
// holds several loaded lifetimes (docs/serving.md "Steady state").
int SteadyStateRequests(double rate_rps, double lone_request_s, int minimum);
inline constexpr double kSteadyLifetimes = 40;
inline constexpr int kMaxSteadyRequests = 200'000;

// Returns the requests of a stationary run of `replicas` replicas fed
// round-robin at `rate_rps` in all: SteadyStateRequests of the whole stream,
// the cap kMaxSteadyRequests applying per replica (each replica's share spans
// kSteadyLifetimes lone lifetimes at its own rate, however many replicas
// share the stream), at least `minimum`. Until session 21 the cap applied to
// the whole stream: 160 replicas at 10,000 req/s got 1,250 requests each,
// 20 s of traffic against a 25 s request lifetime, never a steady state.
long long SteadyFleetRequests(double rate_rps, double lone_request_s, int minimum, int replicas);

// Requests a fleet run simulates at most: a longer stream is simulated on its
// first replicas only (FleetSample), every replica being fed alike.
inline constexpr long long kMaxSimulatedFleetRequests = 400'000;

// Which replicas of a fleet run are simulated: the first `simulated` of
// `replicas` (round-robin makes them alike: replica r gets requests r, r +
// replicas, ...), each with all its requests of the stream.
struct FleetSample {
  int replicas = 1;
  int simulated = 1;
  // Returns true when only some replicas are simulated.
  bool Sampled() const { return simulated < replicas; }
};
// Returns the replicas to simulate of a stream of `stream_requests` over
// `replicas`: all of them up to kMaxSimulatedFleetRequests, else as many
// whole replicas' shares as fit in it (at least one).
FleetSample SampleFleet(long long stream_requests, int replicas);

// A steady run whose completions fall below OverloadShare(n) of its n
// measured arrivals is overloaded: its queue grows for as long as the traffic
// lasts. The share is 1 - kOverloadSigmas / sqrt(n), that many times the
// scatter bound 1/sqrt(n) of a stable engine's completions below its arrivals
// (0.80 for 400, 0.96 for 10,000); judged from kMinOverloadSample on.
inline constexpr double kOverloadSigmas = 4;
inline constexpr int kMinOverloadSample = 400;
// Returns 1 - kOverloadSigmas / sqrt(measured).
double OverloadShare(int measured);

// Returns true when the queue waits `waits_s` (seconds from arrival to first
// admission, in arrival order) grow: the least-squares slope of the means of
// kOverloadBlocks consecutive blocks is positive and more than
// kOverloadSigmas of its standard error (from the blocks' scatter about the
// line). A stable engine's waits are stationary (often all 0: no queue);
// an overloaded one's grow in proportion to the arrival time, since its
// queue does. Fewer than 2 * kOverloadBlocks waits: false.
bool QueueWaitsGrow(const std::vector<double>& waits_s);
inline constexpr int kOverloadBlocks = 10;

// Returns the measured requests of `count` sorted by arrival: all of them,
// or with `steady_state` the middle half. docs/serving.md "Steady state":
// a run starts from an empty engine and ends when arrivals stop, so its first
// requests see short queues and small batches and its last ones a draining
// batch; a quarter is discarded at each end (warm-up deletion, Law & Kelton,
// Simulation Modeling and Analysis, ch. 9.5.1).
MeasuredRange SteadyWindow(size_t count, bool steady_state);

}  // namespace suanli
