#include "serve/simulator.h"

#include <algorithm>
#include <vector>

#include <gtest/gtest.h>

namespace suanli {
namespace {

// A roofline-shaped toy engine: a 10 ms weight-read floor, 0.1 ms per token
// of compute beyond it, 1 us per context token of KV read.
class ToyCost : public IterationCost {
 public:
  double Seconds(const BatchWork& w) const override {
    const double tokens = w.prefill_tokens + w.decode_seqs;
    return std::max(10e-3, 1e-4 * tokens) + 1e-6 * w.decode_context_tokens;
  }
};

SchedulerLimits Limits(double kv_tokens) {
  SchedulerLimits limits;
  limits.max_batch = 256;
  limits.prefill_budget_tokens = 2048;
  limits.kv_capacity_tokens = kv_tokens;
  limits.block_tokens = 1;
  return limits;
}

std::vector<Request> Offline(int n, int input, int output) {
  return std::vector<Request>(static_cast<size_t>(n), Request{0.0, input, output});
}

TEST(SimulatorTest, OneRequestAloneHandComputed) {
  ToyCost cost;
  ServingSlo slo;
  const SimulationResult r = Simulate({Request{0.0, 1000, 11}}, cost, Limits(1e6), slo);
  ASSERT_EQ(r.completed, 1);
  // Prefill of 1000 tokens in one iteration: max(10 ms, 100 ms) = 100 ms.
  EXPECT_NEAR(r.ttft.p50_s, 0.100, 1e-9);
  // Each decode step: 10 ms + 1 us x context (1000..1009): mean 10 + 1.0045 ms.
  EXPECT_NEAR(r.tpot.p50_s, 0.0110045, 1e-9);
  EXPECT_EQ(r.preemptions, 0);
}

TEST(SimulatorTest, ChunkedPrefillSplitsLongPrompts) {
  ToyCost cost;
  const SimulationResult r = Simulate({Request{0.0, 5000, 2}}, cost, Limits(1e6), ServingSlo{});
  // 2048 + 2048 + 904 tokens: 204.8 + 204.8 + 90.4 ms.
  EXPECT_NEAR(r.ttft.p50_s, 0.5, 1e-9);
  EXPECT_EQ(r.iterations, 4);
}

TEST(SimulatorTest, DecodeThroughputGrowsWithBatchUntilKvBinds) {
  ToyCost cost;
  double last = 0;
  for (int n : {1, 8, 64}) {
    const SimulationResult r = Simulate(Offline(n, 100, 200), cost, Limits(1e6), ServingSlo{});
    EXPECT_GT(r.output_tokens_per_s, 1.5 * last) << n;
    last = r.output_tokens_per_s;
  }
  // The same 64 requests with room for only ~8 of them at once.
  const SimulationResult bound = Simulate(Offline(64, 100, 200), cost, Limits(8 * 300), ServingSlo{});
  EXPECT_LT(bound.output_tokens_per_s, 0.5 * last);
  EXPECT_EQ(bound.completed, 64);
}

TEST(SimulatorTest, PreemptsWhenTheCacheFillsAndStillFinishes) {
  ToyCost cost;
  // 32 prompts of 100 tokens fit at admission (3,200 < 4,000) but not their outputs.
  const SimulationResult r = Simulate(Offline(32, 100, 400), cost, Limits(4000), ServingSlo{});
  EXPECT_GT(r.preemptions, 0);
  EXPECT_EQ(r.completed, 32);
  EXPECT_EQ(r.rejected, 0);
}

TEST(SimulatorTest, RejectsRequestsLongerThanTheCache) {
  ToyCost cost;
  const SimulationResult r = Simulate({Request{0.0, 5000, 100}, Request{0.0, 10, 10}}, cost,
                                      Limits(1000), ServingSlo{1.0, 1.0, 99});
  EXPECT_EQ(r.rejected, 1);
  EXPECT_EQ(r.completed, 1);
  EXPECT_FALSE(r.meets_slo);
}

TEST(SimulatorTest, TtftRisesSteeplyNearCapacity) {
  ToyCost cost;
  // Saturated throughput of this engine with 500-token prompts and 50-token outputs.
  const SimulationResult full = Simulate(Offline(2000, 500, 50), cost, Limits(1e6), ServingSlo{});
  const double capacity_rps = full.requests_per_s;
  auto at = [&](double load) {
    TrafficSpec spec;
    spec.rate_rps = load * capacity_rps;
    spec.requests = 4000;
    spec.input = {LengthKind::kFixed, 500, 0, 0};
    spec.output = {LengthKind::kFixed, 50, 0, 0};
    return Simulate(GenerateRequests(spec), cost, Limits(1e6), ServingSlo{});
  };
  const double low = at(0.3).ttft.p99_s, mid = at(0.6).ttft.p99_s, high = at(0.97).ttft.p99_s;
  EXPECT_LT(low, mid * 1.05);
  EXPECT_GT(high, 3.0 * mid);
}

// A run starts from an empty engine and ends when arrivals stop, so near
// capacity its first and last requests decode in small batches: long
// outputs fill the batch slowly and empty it slowly. The steady window (the
// middle half by arrival) sees the stationary batch, so slower tokens, and a
// throughput equal to the offered load (the run is stable), where the whole
// run's is diluted by its drain.
TEST(SimulatorTest, SteadyStateDropsTheWarmUpAndTheDrain) {
  EXPECT_EQ(SteadyWindow(100, true).first, 25u);
  EXPECT_EQ(SteadyWindow(100, true).last, 75u);
  EXPECT_EQ(SteadyWindow(100, false).first, 0u);
  EXPECT_EQ(SteadyWindow(100, false).last, 100u);
  EXPECT_EQ(SteadyWindow(5, true).last, 5u);  // too few to spare: all measured
  EXPECT_DOUBLE_EQ(OverloadShare(400), 0.8);
  EXPECT_DOUBLE_EQ(OverloadShare(10000), 0.96);

  // A 20 ms floor plus 0.1 ms per token: at 80% of the 256-sequence
  // capacity a stationary batch of ~150 sequences, filled and emptied over a
  // request's life (400 steps, ~14 s) at each end of a ~100 s run.
  class FloorCost : public IterationCost {
   public:
    double Seconds(const BatchWork& w) const override { return 0.02 + 1e-4 * (w.prefill_tokens + w.decode_seqs); }
  } cost;
  const double capacity_rps = Simulate(Offline(2000, 100, 400), cost, Limits(1e6), ServingSlo{}).requests_per_s;
  TrafficSpec spec;
  spec.rate_rps = 0.8 * capacity_rps;
  spec.requests = 1000;
  spec.input = {LengthKind::kFixed, 100, 0, 0};
  spec.output = {LengthKind::kFixed, 400, 0, 0};
  const std::vector<Request> requests = GenerateRequests(spec);
  const SimulationResult whole = Simulate(requests, cost, Limits(1e6), ServingSlo{});
  SchedulerLimits steady_limits = Limits(1e6);
  steady_limits.steady_state = true;
  const SimulationResult steady = Simulate(requests, cost, steady_limits, ServingSlo{});
  EXPECT_EQ(whole.measured, 1000);
  EXPECT_EQ(steady.measured, 500);
  EXPECT_GT(steady.tpot.mean_s, 1.05 * whole.tpot.mean_s);
  // Completions in the window match the window's own arrivals (its Poisson
  // draw) within their scatter, ~4.5% for 500.
  EXPECT_NEAR(steady.requests_per_s, steady.offered_rps, 0.1 * steady.offered_rps);
  EXPECT_NEAR(steady.offered_rps, spec.rate_rps, 0.15 * spec.rate_rps);
  EXPECT_FALSE(steady.overloaded);
  EXPECT_LT(whole.output_tokens_per_s, steady.output_tokens_per_s);
  EXPECT_LE(steady.goodput_rps, steady.requests_per_s);

  // At 1.3x the capacity the queue grows: completions stay at the capacity,
  // the run is flagged and no SLO is met, however loose.
  TrafficSpec over = spec;
  over.rate_rps = 1.3 * capacity_rps;
  const SimulationResult flooded = Simulate(GenerateRequests(over), cost, steady_limits, ServingSlo{1e9, 1e9, 99});
  EXPECT_TRUE(flooded.overloaded);
  EXPECT_FALSE(flooded.meets_slo);
  EXPECT_NEAR(flooded.requests_per_s, capacity_rps, 0.15 * capacity_rps);
}

// The default seed's middle 1,000 of 2,000 arrivals come 9.4% faster than
// the nominal rate (a Poisson draw, ~3 of its 3.2% scatters). A stable engine
// serves what arrives, so its throughput is the rate offered, never above it
// (counting the completions in the window of those arrivals gave 21.99 req/s
// completed at 20 req/s before).
TEST(SimulatorTest, SteadyThroughputNeverExceedsTheOfferedRate) {
  ToyCost cost;  // 10 ms floor: 20 req/s of 100 + 20 tokens is a light load
  TrafficSpec spec;
  spec.rate_rps = 20;
  spec.requests = 2000;
  spec.input = {LengthKind::kFixed, 100, 0, 0};
  spec.output = {LengthKind::kFixed, 20, 0, 0};
  const std::vector<Request> requests = GenerateRequests(spec);
  const double window_rps = (1499 - 500) / (requests[1499].arrival_s - requests[500].arrival_s);
  ASSERT_GT(window_rps, 1.05 * spec.rate_rps);  // the draw this test guards against
  SchedulerLimits limits = Limits(1e6);
  limits.steady_state = true;
  limits.arrival_rate_rps = spec.rate_rps;
  const SimulationResult r = Simulate(requests, cost, limits, ServingSlo{});
  ASSERT_FALSE(r.overloaded);
  EXPECT_DOUBLE_EQ(r.offered_rps, 20);
  EXPECT_DOUBLE_EQ(r.requests_per_s, 20);
  EXPECT_NEAR(r.output_tokens_per_s, 20 * r.requests_per_s, 1e-6);
  EXPECT_NEAR(r.total_tokens_per_s, 120 * r.requests_per_s, 1e-6);
  // Without the nominal rate the window's own arrivals bound it.
  limits.arrival_rate_rps = 0;
  const SimulationResult unknown = Simulate(requests, cost, limits, ServingSlo{});
  EXPECT_NEAR(unknown.offered_rps, window_rps, 1e-9);
  EXPECT_DOUBLE_EQ(unknown.requests_per_s, window_rps);
}

// Far past capacity every measured request arrives within a few ms, long
// before any finishes: the arrival window holds no completion, yet the
// engine serves at its capacity, the rate of an all-at-once queue.
TEST(SimulatorTest, OverloadedThroughputIsTheCapacityNotZero) {
  ToyCost cost;
  TrafficSpec spec;
  spec.rate_rps = 1e5;
  spec.requests = 2000;
  spec.input = {LengthKind::kFixed, 100, 0, 0};
  spec.output = {LengthKind::kFixed, 100, 0, 0};
  SchedulerLimits limits = Limits(1e6);
  limits.steady_state = true;
  limits.arrival_rate_rps = spec.rate_rps;
  const SimulationResult r = Simulate(GenerateRequests(spec), cost, limits, ServingSlo{});
  const double capacity_rps = Simulate(Offline(2000, 100, 100), cost, Limits(1e6), ServingSlo{}).requests_per_s;
  EXPECT_TRUE(r.overloaded);
  EXPECT_NEAR(r.requests_per_s, capacity_rps, 0.15 * capacity_rps);
  EXPECT_NEAR(r.output_tokens_per_s, 100 * r.requests_per_s, 1e-6);
}

// A latency nobody had is no latency: one-token outputs have no TPOT.
TEST(SimulatorTest, LatencyStatsCountTheirSamples) {
  ToyCost cost;
  const SimulationResult r = Simulate(Offline(10, 100, 1), cost, Limits(1e6), ServingSlo{});
  EXPECT_EQ(r.ttft.samples, 10);
  EXPECT_EQ(r.e2e.samples, 10);
  EXPECT_EQ(r.tpot.samples, 0);
  const SimulationResult rejected = Simulate(Offline(10, 5000, 10), cost, Limits(1000), ServingSlo{});
  EXPECT_EQ(rejected.completed, 0);
  EXPECT_EQ(rejected.ttft.samples, 0);
}

// 100 req/s of requests that take 5.4 s alone: 40 lifetimes are 21,600
// requests; a light load keeps the minimum; the cap holds.
TEST(SimulatorTest, SteadyStateRequestsSpanFortyLoneLifetimes) {
  EXPECT_EQ(SteadyStateRequests(100, 5.4, 2000), 21600);
  EXPECT_EQ(SteadyStateRequests(1, 5.4, 2000), 2000);
  EXPECT_EQ(SteadyStateRequests(1e5, 60, 2000), kMaxSteadyRequests);
  EXPECT_EQ(SteadyStateRequests(0, 5.4, 2000), 2000);
}

TEST(SimulatorTest, ReplicasShareTheLoadAndResultsAreDeterministic) {
  ToyCost cost;
  TrafficSpec spec;
  spec.rate_rps = 40;
  spec.requests = 3000;
  spec.input = {LengthKind::kLognormal, 400, 0.7, 0};
  spec.output = {LengthKind::kLognormal, 100, 0.7, 0};
  const auto requests = GenerateRequests(spec);
  const SimulationResult one = Simulate(requests, cost, Limits(1e6), ServingSlo{}, 1);
  const SimulationResult four = Simulate(requests, cost, Limits(1e6), ServingSlo{}, 4);
  const SimulationResult again = Simulate(requests, cost, Limits(1e6), ServingSlo{}, 4);
  EXPECT_LT(four.ttft.p99_s, one.ttft.p99_s);
  EXPECT_EQ(four.ttft.p99_s, again.ttft.p99_s);
  EXPECT_EQ(four.iterations, again.iterations);
}

// A closed loop of one client sends each request when the last one finishes:
// no request waits, so every TTFT is the lone prefill (10 ms: max(10 ms,
// 10 tokens x 0.1 ms)), and the run takes three request lifetimes (10 ms
// prefill + 10 decode steps of ~10 ms). Queued at once behind a batch cap of
// one, the same requests wait for each other.
TEST(SimulatorTest, ClosedLoopSendsTheNextRequestWhenOneFinishes) {
  ToyCost cost;
  SchedulerLimits closed = Limits(1e6);
  closed.closed_loop_clients = 1;
  const SimulationResult r = Simulate(Offline(3, 10, 11), cost, closed, ServingSlo{});
  ASSERT_EQ(r.completed, 3);
  EXPECT_NEAR(r.ttft.mean_s, 0.010, 1e-9);
  EXPECT_NEAR(r.ttft.p99_s, 0.010, 1e-9);
  EXPECT_NEAR(r.duration_s, 3 * 0.110, 1e-3);
  EXPECT_LE(r.mean_decode_batch, 1.0 + 1e-9);

  SchedulerLimits capped = Limits(1e6);
  capped.max_batch = 1;
  const SimulationResult queued = Simulate(Offline(3, 10, 11), cost, capped, ServingSlo{});
  EXPECT_NEAR(queued.duration_s, r.duration_s, 1e-6);
  EXPECT_GT(queued.ttft.mean_s, 0.100);  // (10 + 120 + 230) / 3 ms

  // Two clients over two replicas: one each, so the replicas run side by side.
  SchedulerLimits two = closed;
  two.closed_loop_clients = 2;
  const SimulationResult pair = Simulate(Offline(4, 10, 11), cost, two, ServingSlo{}, 2);
  EXPECT_NEAR(pair.duration_s, 2 * 0.110, 1e-3);
  EXPECT_NEAR(pair.ttft.mean_s, 0.010, 1e-9);
}

TEST(SimulatorTest, PercentileInterpolates) {
  std::vector<double> v = {4, 1, 3, 2};
  EXPECT_DOUBLE_EQ(InterpolatedPercentile(v, 50), 2.5);
  EXPECT_DOUBLE_EQ(InterpolatedPercentile(v, 100), 4);
  std::vector<double> empty;
  EXPECT_EQ(InterpolatedPercentile(empty, 50), 0);
}

TEST(SimulatorTest, StoppingAtACertainMissAgreesWithTheFullRun) {
  // From an easy load to an overloaded one, and targets on either side of
  // the latencies: the early stop must say "missed" exactly when the full
  // run misses, and never stop a run that meets the SLO.
  ToyCost cost;
  int stopped = 0, met = 0;
  for (double rate : {2.0, 10.0, 30.0, 60.0, 120.0}) {
    TrafficSpec t;
    t.rate_rps = rate;
    t.requests = 400;
    t.input = {LengthKind::kLognormal, 600, 0.8, 0};
    t.output = {LengthKind::kLognormal, 120, 0.8, 0};
    const std::vector<Request> requests = GenerateRequests(t);
    // Targets at the full run's own percentiles (met, with the most
    // latencies over them that a met SLO allows), just below and just above.
    const SimulationResult free_run = Simulate(requests, cost, Limits(1e6), ServingSlo{0, 0, 90}, 2);
    std::vector<ServingSlo> slos = {{0.3, 0.02, 90}, {1.0, 0.05, 99}, {0, 0.03, 50}, {0.5, 0, 90}};
    for (double f : {0.999, 1.0, 1.001}) {
      slos.push_back({free_run.ttft.p90_s * f, 0, 90});
      slos.push_back({0, free_run.tpot.p90_s * f, 90});
    }
    for (const ServingSlo& slo : slos) {
      for (double kv : {3000.0, 1e6}) {  // 3,000 slots reject the longest requests
        const SimulationResult full = Simulate(requests, cost, Limits(kv), slo, 2);
        const SimulationResult quick = Simulate(requests, cost, Limits(kv), slo, 2, /*stop_at_miss=*/true);
        SCOPED_TRACE(testing::Message() << "rate " << rate << " kv " << kv << " ttft " << slo.ttft_s << " tpot "
                                        << slo.tpot_s);
        EXPECT_EQ(quick.meets_slo, full.meets_slo);
        EXPECT_FALSE(full.stopped_at_miss);
        if (full.meets_slo) {
          ++met;
          EXPECT_FALSE(quick.stopped_at_miss);
          EXPECT_EQ(quick.ttft.at_slo_percentile_s, full.ttft.at_slo_percentile_s);
        } else if (quick.stopped_at_miss) {
          ++stopped;
          EXPECT_LE(quick.iterations, full.iterations);
        }
      }
    }
  }
  EXPECT_GT(met, 0);
  EXPECT_GT(stopped, 0);
}

}  // namespace
}  // namespace suanli
