// The serving workload: request arrivals (Poisson at a rate, or a trace),
// prompt and output lengths (fixed, uniform, lognormal) and the latency SLOs.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace suanli {

// kTrace: lengths drawn from TrafficSpec::sampled_lengths (a trace's rows),
// not parsed from a flag or a file (ParseLengthKind accepts the other three).
enum class LengthKind { kFixed, kUniform, kLognormal, kTrace };

// A distribution of token counts with the given mean.
struct LengthDistribution {
  LengthKind kind = LengthKind::kFixed;
  double mean_tokens = 512;  // mean, tokens (>= 1)
  double spread = 0.5;       // uniform: half-width / mean (0..1); lognormal: sigma of log
  int64_t max_tokens = 0;    // cap, tokens (0 = 16 x mean)
};

// Returns the distribution named "fixed", "uniform" or "lognormal".
Result<LengthKind> ParseLengthKind(std::string_view name);
// Returns the lower-case name of `kind`.
std::string_view LengthKindName(LengthKind kind);

// One request: arrival time and lengths.
struct Request {
  double arrival_s = 0;  // seconds from the start
  int input_tokens = 1;  // prompt tokens (>= 1)
  int output_tokens = 1; // generated tokens (>= 1)
};

// Open-loop Poisson traffic.
struct TrafficSpec {
  double rate_rps = 1;  // mean arrivals per second (> 0); 0 = all arrive at t = 0
  LengthDistribution input;
  LengthDistribution output;
  int requests = 2000;  // requests to generate
  uint64_t seed = 1;    // same seed, same requests
  // (input, output) tokens of a trace's rows; a request draws one row
  // uniformly and takes its lengths where input/output are kTrace (its own
  // distribution's draw where not). Empty: the distributions alone.
  std::vector<std::pair<int, int>> sampled_lengths;
};

// Returns Poisson traffic at `rate_rps` whose lengths are drawn from the rows
// of `trace` (paired, so a long prompt keeps its own output): input and
// output kTrace with the trace's means and longest rows as caps.
TrafficSpec TraceLengthTraffic(const std::vector<Request>& trace, double rate_rps);

// Latency objectives at a percentile.
struct ServingSlo {
  double ttft_s = 0;        // time to first token, seconds (0 = none)
  double tpot_s = 0;        // time per output token after the first, seconds (0 = none)
  double percentile = 99;   // percentile the targets hold at (50..100)
};

// Returns `spec.requests` requests with exponential inter-arrival times
// (Poisson process) and lengths drawn from the distributions; deterministic
// for a seed (std::mt19937_64 and inverse-transform sampling only).
std::vector<Request> GenerateRequests(const TrafficSpec& spec);
// Returns the requests of GenerateRequests(spec) whose index i has i % every < keep
// (the first `keep` of every `every` replicas fed round-robin), drawn without
// keeping the others: the same requests, in order.
std::vector<Request> GenerateRequests(const TrafficSpec& spec, int every, int keep);

// Returns `traffic` with its prompt lengths capped at `max_context_tokens` - 1
// (an engine rejects a prompt with no room for one output token) and its
// output lengths at `max_context_tokens`; unchanged when 0. Without it a
// lognormal's 16 x mean cap can exceed the model's context.
TrafficSpec CapToContext(TrafficSpec traffic, int64_t max_context_tokens);

// Parses a trace CSV with header arrival_s,input_len,output_len (sorted by
// arrival); errors name file:line and the column.
Result<std::vector<Request>> ParseTraceCsv(std::string_view text, const std::string& file_name);

// Returns a copy of `requests` with arrival times scaled so the mean rate
// becomes `rate_rps` (used to replay a trace at another load).
std::vector<Request> RescaleArrivals(const std::vector<Request>& requests, double rate_rps);

}  // namespace suanli
