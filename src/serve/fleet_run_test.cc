// Fleet runs long enough for a steady state on every replica (session 21):
// the steady-state length is per replica, independent of the replica count,
// a long fleet run simulates its first replicas, and the default engine rule.
#include "serve/fleet_replay.h"

#include <gtest/gtest.h>

#include "serve/capacity.h"
#include "serve/engine.h"
#include "serve/serve_test_support.h"
#include "serve/serving_cost.h"
#include "serve/steady_state.h"

namespace suanli {
namespace {

// 10,000 req/s over 160 replicas with a 10 s lone request: each replica's
// 62.5 req/s share needs 25,000 requests for 40 lifetimes; the whole stream
// 4,000,000. Until session 21 the stream was capped at 200,000 (1,250 per
// replica: 20 s, shorter than a request's life) and a share at 1,000.
TEST(FleetRunTest, SteadyLengthIsPerReplicaWhateverTheReplicaCount) {
  EXPECT_EQ(SteadyFleetRequests(10000, 10, 2000, 160), 4'000'000);
  EXPECT_EQ(SteadyFleetRequests(10000, 10, 2000, 1), kMaxSteadyRequests);  // one replica: as before
  EXPECT_EQ(SteadyFleetRequests(20, 1, 2000, 4), 2000);                     // short runs keep the minimum
  EXPECT_EQ(ShareRequests(10000, 160, 10, 1000), 25'000);
  EXPECT_EQ(ShareRequests(20000, 320, 10, 1000), 25'000);  // twice the rate on twice the replicas: the same share
  EXPECT_EQ(ShareRequests(20, 2, 1, 1000), 1000);
}

TEST(FleetRunTest, ALongFleetRunSimulatesWholeSharesOfItsFirstReplicas) {
  EXPECT_FALSE(SampleFleet(kMaxSimulatedFleetRequests, 160).Sampled());
  const FleetSample s = SampleFleet(4'000'000, 160);
  EXPECT_EQ(s.simulated, 16);  // 25,000 requests each
  EXPECT_EQ(SampleFleet(10'000'000, 2).simulated, 1);
}

TEST(FleetRunTest, FilteredStreamIsTheRoundRobinShareOfTheFullStream) {
  TrafficSpec t;
  t.rate_rps = 50;
  t.requests = 1000;
  t.input = {LengthKind::kLognormal, 500, 0.5, 0};
  const std::vector<Request> all = GenerateRequests(t);
  const std::vector<Request> first3 = GenerateRequests(t, 10, 3);
  ASSERT_EQ(first3.size(), 300u);
  for (size_t k = 0; k < first3.size(); ++k) {
    const Request& r = all[k / 3 * 10 + k % 3];
    EXPECT_EQ(first3[k].arrival_s, r.arrival_s);
    EXPECT_EQ(first3[k].input_tokens, r.input_tokens);
  }
}

// A sampled fleet reads as the whole fleet: its replicas are fed alike, so the
// throughput scaled up and the latency percentiles match a full run.
TEST(FleetRunTest, SampledFleetMatchesTheFullRun) {
  TrafficSpec t;
  t.rate_rps = 400;
  t.input = {LengthKind::kFixed, 200, 0, 0};
  t.output = {LengthKind::kLognormal, 50, 0.5, 0};
  t.requests = 600'000;  // over kMaxSimulatedFleetRequests on 40 replicas: 15,000 each, 26 simulated
  const FlatCost cost(0.02);
  SchedulerLimits limits;
  limits.steady_state = true;
  limits.kv_capacity_tokens = 1e6;
  const ServingSlo slo{1.0, 0.05, 90};
  const SimulationResult sampled = SimulateFleet(t, cost, limits, slo, 40);
  ASSERT_EQ(sampled.replicas_simulated, 26);
  EXPECT_EQ(sampled.fleet_replicas, 40);
  limits.arrival_rate_rps = t.rate_rps;
  const SimulationResult full = Simulate(GenerateRequests(t), cost, limits, slo, 40);
  EXPECT_NEAR(sampled.requests_per_s, full.requests_per_s, 0.01 * full.requests_per_s);
  EXPECT_NEAR(sampled.output_tokens_per_s, full.output_tokens_per_s, 0.02 * full.output_tokens_per_s);
  EXPECT_NEAR(sampled.tpot.p90_s, full.tpot.p90_s, 0.02 * full.tpot.p90_s);
  EXPECT_NEAR(sampled.ttft.p90_s, full.ttft.p90_s, 0.05 * full.ttft.p90_s + 1e-3);
  EXPECT_EQ(sampled.meets_slo, full.meets_slo);
}

TEST(FleetRunTest, ServeAndPlanShareTheDefaultEngine) {
  EXPECT_EQ(DefaultEngineFor("Huawei"), "mindie");
  EXPECT_EQ(DefaultEngineFor("NVIDIA"), "vllm");
}

// A server-month rental bills whole servers and started months, as plan does.
DevicePricing MonthlyServer(double price_per_server_month) {
  DevicePricing p;
  p.rent_per_card_hour = price_per_server_month / 8 / DaysToHours(kDaysPerMonth);
  p.rent_per_month = true;
  p.rent_unit_price = price_per_server_month;
  p.rent_cards_per_unit = 8;
  p.own_years = 1;
  p.costs.rental_setup_days = 1;
  return p;
}

TEST(FleetRunTest, MonthlyRentalBillsWholeServersAndStartedMonths) {
  const DevicePricing p = MonthlyServer(7500);
  EXPECT_EQ(RentedCards(p, 54), 56);
  EXPECT_EQ(RentedCards(p, 5), 8);
  // 54 and 56 cards both take 7 servers: the same bill, no phantom difference.
  EXPECT_DOUBLE_EQ(*FleetCost(p, 54, 1000).rented_per_mtok, *FleetCost(p, 56, 1000).rented_per_mtok);
  // 5 cards pay one whole server: 1 day of setup + 12 months = 13 started months.
  EXPECT_DOUBLE_EQ(*RentalBill(p, 5, 1 + 12 * kDaysPerMonth), 7500.0 * 13);
  EXPECT_DOUBLE_EQ(*FleetCost(p, 5, 1000).rented_total, 7500.0 * 13);
}

TEST(FleetRunTest, HourlyRentalBillsTheSetupDays) {
  DevicePricing p;
  p.rent_per_card_hour = 2.0;
  p.own_years = 1;
  p.costs.rental_setup_days = 1;
  EXPECT_EQ(RentedCards(p, 5), 5);
  EXPECT_DOUBLE_EQ(*FleetCost(p, 5, 1000).rented_total, 5 * 2.0 * DaysToHours(1 + 12 * kDaysPerMonth));
}

}  // namespace
}  // namespace suanli
