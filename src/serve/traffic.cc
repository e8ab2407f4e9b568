// Request generation (Poisson arrivals, length distributions) and trace reading.
#include "serve/traffic.h"
#include "core/i18n.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <random>

#include <fmt/format.h>

#include "core/csv.h"
#include "core/number.h"
#include "core/text.h"

namespace suanli {
namespace {

constexpr std::array<LengthKind, 3> kLengthKinds = {LengthKind::kFixed, LengthKind::kUniform,
                                                    LengthKind::kLognormal};

// Returns a uniform draw in (0, 1) from 53 random bits (portable, unlike
// std::uniform_real_distribution whose algorithm is implementation-defined).
double Uniform01(std::mt19937_64& rng) {
  return (static_cast<double>(rng() >> 11) + 0.5) * (1.0 / 9007199254740992.0);
}

// Returns a standard normal draw (Box-Muller; portable for the same reason).
double StandardNormal(std::mt19937_64& rng) {
  const double u1 = Uniform01(rng);
  const double u2 = Uniform01(rng);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
}

// Returns the largest length `d` draws, tokens.
double LengthCap(const LengthDistribution& d) {
  return d.max_tokens > 0 ? static_cast<double>(d.max_tokens) : 16.0 * d.mean_tokens;
}

// Returns `d` with its cap lowered to `cap_tokens` (at least 1) where that is lower.
LengthDistribution CapLength(LengthDistribution d, int64_t cap_tokens) {
  const int64_t cap = std::max<int64_t>(1, cap_tokens);
  if (LengthCap(d) > static_cast<double>(cap)) d.max_tokens = cap;
  return d;
}

int DrawLength(const LengthDistribution& d, std::mt19937_64& rng) {
  double tokens = d.mean_tokens;
  if (d.kind == LengthKind::kUniform) {
    const double half = std::clamp(d.spread, 0.0, 1.0) * d.mean_tokens;
    tokens = d.mean_tokens - half + 2.0 * half * Uniform01(rng);
  } else if (d.kind == LengthKind::kLognormal) {
    // A lognormal with mean m has mu = ln m - sigma^2/2.
    const double sigma = d.spread;
    tokens = std::exp(std::log(d.mean_tokens) - 0.5 * sigma * sigma + sigma * StandardNormal(rng));
  }
  const double cap = LengthCap(d);
  return static_cast<int>(std::clamp(std::round(tokens), 1.0, std::max(1.0, cap)));
}

Result<double> CsvNumber(const CsvRecord& record, size_t column, const std::string& name,
                         const std::string& file_name, double min, bool whole = false) {
  const std::string& text = record.fields[column];
  const Result<double> value = ParseNumber(text);  // strict: no hex, inf, nan or trailing text
  if (value.ok() && whole && std::floor(*value) != *value) {
    return MakeError(TrFormat("'{}' is not a whole number", text),
                     fmt::format("{}:{} {}", file_name, record.line, name));
  }
  if (!value.ok() || *value < min || *value > 1e9) {
    return MakeError(TrFormat("{} '{}' is not a number >= {}", name, text, min),
                     fmt::format("{}:{} {}", file_name, record.line, name));
  }
  return *value;
}

}  // namespace

Result<LengthKind> ParseLengthKind(std::string_view name) {
  auto kind = FindByName<LengthKind>(name, kLengthKinds, LengthKindName);
  if (!kind) return MakeError(TrFormat("unknown length distribution '{}'", name), "",
                              Tr("use fixed, uniform or lognormal"));
  return *kind;
}

std::string_view LengthKindName(LengthKind kind) {
  switch (kind) {
    case LengthKind::kFixed: return "fixed";
    case LengthKind::kUniform: return "uniform";
    case LengthKind::kLognormal: return "lognormal";
    case LengthKind::kTrace: return "trace";
  }
  return "fixed";
}

std::vector<Request> GenerateRequests(const TrafficSpec& spec) { return GenerateRequests(spec, 1, 1); }

std::vector<Request> GenerateRequests(const TrafficSpec& spec, int every, int keep) {
  every = std::max(1, every);
  keep = std::clamp(keep, 1, every);
  std::mt19937_64 rng(spec.seed);
  std::vector<Request> requests;
  requests.reserve(static_cast<size_t>(std::max(0, spec.requests)) / static_cast<size_t>(every) *
                       static_cast<size_t>(keep) + static_cast<size_t>(keep));
  double t = 0;
  for (int i = 0; i < spec.requests; ++i) {
    // Exponential gaps by inverse transform: -ln(U)/rate.
    if (spec.rate_rps > 0) t += -std::log(Uniform01(rng)) / spec.rate_rps;
    Request r;
    r.arrival_s = t;
    if (spec.sampled_lengths.empty()) {
      r.input_tokens = DrawLength(spec.input, rng);
      r.output_tokens = DrawLength(spec.output, rng);
    } else {  // one row of the trace, uniformly; its lengths within each distribution's cap
      const size_t n = spec.sampled_lengths.size();
      const auto& [input, output] = spec.sampled_lengths[std::min(n - 1, static_cast<size_t>(Uniform01(rng) * n))];
      const auto take = [&rng](const LengthDistribution& d, int tokens) {
        if (d.kind != LengthKind::kTrace) return DrawLength(d, rng);
        return static_cast<int>(std::clamp<double>(tokens, 1.0, std::max(1.0, LengthCap(d))));
      };
      r.input_tokens = take(spec.input, input);
      r.output_tokens = take(spec.output, output);
    }
    if (i % every < keep) requests.push_back(r);
  }
  return requests;
}

TrafficSpec TraceLengthTraffic(const std::vector<Request>& trace, double rate_rps) {
  TrafficSpec t;
  t.rate_rps = rate_rps;
  t.input = {LengthKind::kTrace, 1, 0, 1};
  t.output = {LengthKind::kTrace, 1, 0, 1};
  if (trace.empty()) return t;
  double input = 0, output = 0;
  for (const Request& r : trace) {
    t.sampled_lengths.push_back({r.input_tokens, r.output_tokens});
    input += r.input_tokens;
    output += r.output_tokens;
    t.input.max_tokens = std::max<int64_t>(t.input.max_tokens, r.input_tokens);
    t.output.max_tokens = std::max<int64_t>(t.output.max_tokens, r.output_tokens);
  }
  t.input.mean_tokens = input / static_cast<double>(trace.size());
  t.output.mean_tokens = output / static_cast<double>(trace.size());
  return t;
}

TrafficSpec CapToContext(TrafficSpec traffic, int64_t max_context_tokens) {
  if (max_context_tokens <= 0) return traffic;
  traffic.input = CapLength(traffic.input, max_context_tokens - 1);
  traffic.output = CapLength(traffic.output, max_context_tokens);
  return traffic;
}

Result<std::vector<Request>> ParseTraceCsv(std::string_view text, const std::string& file_name) {
  SUANLI_ASSIGN_OR_RETURN(std::vector<CsvRecord> records, ParseCsv(text, file_name));
  const std::vector<std::string> header = {"arrival_s", "input_len", "output_len"};
  if (records.empty() || records[0].fields != header) {
    return MakeError(Tr("the header must be arrival_s,input_len,output_len"), file_name + ":1");
  }
  std::vector<Request> requests;
  double last = 0;
  for (size_t i = 1; i < records.size(); ++i) {
    const CsvRecord& record = records[i];
    if (record.fields.size() == 1 && record.fields[0].empty()) continue;  // blank line
    if (record.fields.size() != 3) {
      return MakeError(TrFormat("expected 3 fields, found {}", record.fields.size()),
                       fmt::format("{}:{}", file_name, record.line));
    }
    SUANLI_ASSIGN_OR_RETURN(const double arrival, CsvNumber(record, 0, "arrival_s", file_name, 0));
    SUANLI_ASSIGN_OR_RETURN(const double input, CsvNumber(record, 1, "input_len", file_name, 1, true));
    SUANLI_ASSIGN_OR_RETURN(const double output, CsvNumber(record, 2, "output_len", file_name, 1, true));
    if (arrival < last) {
      return MakeError(Tr("arrivals must be sorted by time"), fmt::format("{}:{} arrival_s", file_name, record.line));
    }
    last = arrival;
    requests.push_back({arrival, static_cast<int>(input), static_cast<int>(output)});
  }
  if (requests.empty()) return MakeError(Tr("the trace has no requests"), file_name);
  return requests;
}

std::vector<Request> RescaleArrivals(const std::vector<Request>& requests, double rate_rps) {
  std::vector<Request> out = requests;
  if (requests.size() < 2 || rate_rps <= 0) return out;
  const double span = requests.back().arrival_s - requests.front().arrival_s;
  if (span <= 0) return out;
  const double scale = (static_cast<double>(requests.size()) - 1.0) / rate_rps / span;
  for (Request& r : out) r.arrival_s = (r.arrival_s - requests.front().arrival_s) * scale;
  return out;
}

}  // namespace suanli
