#include "serve/traffic.h"

#include <algorithm>

#include <gtest/gtest.h>

namespace suanli {
namespace {

TEST(TrafficTest, CapToContextKeepsPromptsWithinTheModel) {
  TrafficSpec spec;
  spec.requests = 20000;
  spec.input = {LengthKind::kLognormal, 2500, 1.5, 0};  // 16 x mean = 40,000 > 32,768
  spec.output = {LengthKind::kFixed, 400, 0, 0};
  const TrafficSpec capped = CapToContext(spec, 32768);
  EXPECT_EQ(capped.input.max_tokens, 32767);
  EXPECT_EQ(capped.output.max_tokens, 0);  // 16 x 400 is within the context
  int longest = 0;
  for (const Request& r : GenerateRequests(capped)) longest = std::max(longest, r.input_tokens);
  EXPECT_EQ(longest, 32767);  // sigma 1.5 reaches the cap
  EXPECT_EQ(CapToContext(spec, 0).input.max_tokens, 0);  // unknown context: unchanged
  spec.input.max_tokens = 1000;
  EXPECT_EQ(CapToContext(spec, 32768).input.max_tokens, 1000);  // a lower cap stays
}

TEST(TrafficTest, PoissonRateAndLengthMeans) {
  TrafficSpec spec;
  spec.rate_rps = 5;
  spec.requests = 20000;
  spec.input = {LengthKind::kLognormal, 1000, 0.8, 0};
  spec.output = {LengthKind::kUniform, 200, 0.5, 0};
  const std::vector<Request> requests = GenerateRequests(spec);
  ASSERT_EQ(requests.size(), 20000u);
  const double rate = (requests.size() - 1) / (requests.back().arrival_s - requests.front().arrival_s);
  EXPECT_NEAR(rate, 5.0, 0.15);
  double in = 0, out = 0;
  int out_min = 1 << 30, out_max = 0;
  for (const Request& r : requests) {
    in += r.input_tokens;
    out += r.output_tokens;
    out_min = std::min(out_min, r.output_tokens);
    out_max = std::max(out_max, r.output_tokens);
  }
  EXPECT_NEAR(in / requests.size(), 1000, 30);
  EXPECT_NEAR(out / requests.size(), 200, 3);
  EXPECT_GE(out_min, 100);
  EXPECT_LE(out_max, 300);
}

TEST(TrafficTest, DeterministicForASeed) {
  TrafficSpec spec;
  spec.requests = 100;
  spec.input.kind = LengthKind::kLognormal;
  const auto a = GenerateRequests(spec);
  const auto b = GenerateRequests(spec);
  spec.seed = 2;
  const auto c = GenerateRequests(spec);
  EXPECT_EQ(a[99].arrival_s, b[99].arrival_s);
  EXPECT_EQ(a[50].input_tokens, b[50].input_tokens);
  EXPECT_NE(a[99].arrival_s, c[99].arrival_s);
}

TEST(TrafficTest, FixedLengthsAndZeroRate) {
  TrafficSpec spec;
  spec.rate_rps = 0;
  spec.requests = 3;
  spec.input = {LengthKind::kFixed, 128, 0, 0};
  const auto r = GenerateRequests(spec);
  EXPECT_EQ(r[2].arrival_s, 0);
  EXPECT_EQ(r[2].input_tokens, 128);
}

TEST(TrafficTest, TraceCsv) {
  auto trace = ParseTraceCsv("arrival_s,input_len,output_len\n0,100,10\n0.5,200,20\n", "t.csv");
  ASSERT_TRUE(trace.ok()) << trace.error().ToString();
  ASSERT_EQ(trace->size(), 2u);
  EXPECT_EQ((*trace)[1].input_tokens, 200);
  auto bad = ParseTraceCsv("arrival_s,input_len,output_len\n0,100,10\n0.5,x,20\n", "t.csv");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().where, "t.csv:3 input_len");
  auto unsorted = ParseTraceCsv("arrival_s,input_len,output_len\n1,100,10\n0.5,1,20\n", "t.csv");
  EXPECT_FALSE(unsorted.ok());
  EXPECT_FALSE(ParseTraceCsv("a,b,c\n", "t.csv").ok());
  const auto rescaled = RescaleArrivals(*trace, 4.0);
  EXPECT_DOUBLE_EQ(rescaled[1].arrival_s, 0.25);
}

TEST(TrafficTest, LengthKindNames) {
  EXPECT_EQ(*ParseLengthKind("Lognormal"), LengthKind::kLognormal);
  EXPECT_FALSE(ParseLengthKind("zipf").ok());
}

}  // namespace
}  // namespace suanli
