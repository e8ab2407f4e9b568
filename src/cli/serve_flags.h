// `suanli serve`'s flags and the CLI-side choices made from them: the
// traffic, layout and capacity query they describe, the buyer, the costed
// choice among accelerators (cli-internal: the serve, plan and report
// libraries do the work; docs/serving.md).
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "catalog/catalog.h"
#include "cli/common.h"
#include "core/result.h"
#include "plan/serve_prices.h"
#include "report/serve_choice_report.h"
#include "report/serve_report.h"
#include "serve/capacity.h"

namespace suanli::cli {

// The flags of `suanli serve`.
struct ServeFlags {
  CommonOptions common;
  std::string model, accel, system;
  std::string engine = "auto";  // "auto": DefaultEngineFor the accelerator (vLLM with several of different vendors' defaults)
  int gpus = 0;
  double rate = 0;
  int requests = 0;  // 0 = TrafficSpec's default, more for Poisson traffic (SteadyStateRequests)
  double input_len = 1024, output_len = 256;
  std::string input_dist = "fixed", output_dist = "fixed";
  std::string dataset;  // --dataset: length distributions of a published dataset ("" = the flags')
  bool input_len_given = false, output_len_given = false;  // set after parsing: they override the dataset's means
  double spread = 0.5;
  std::string trace;
  std::string validate;  // serving-runs CSV to predict
  double ttft_ms = 0, tpot_ms = 0, percentile = 99;
  std::string weights, kv;  // "" or "auto": bf16 for one layout, every format for the search
  int tp = 0, pp = 0, max_batch = 0, prefill_budget = 0;
  int ep = 1, dp_attention = 1;
  std::string speculative;  // "" = off, else a method of the engine (mtp, eagle)
  bool search = false;
  bool sweep = false;   // --sweep: print the sweep table
  std::string report;   // --report FILE.html
  int top = 3;
  uint64_t seed = 1;
  // Costs (added at the end of the option table).
  std::string region = "CN", date, currency = "CNY";
  double own_years = 3;
  int max_quote_age_days = 0;  // --max-quote-age; 0 = the planner's default
  std::vector<std::string> licences;  // --licence RULE_ID: licence-required rules the buyer holds a licence under
};

// Adds every `serve` option to `app`, bound to `f`.
void AddServeOptions(CLI::App& app, ServeFlags& f);

// Returns the serving format named by `text` (bf16, fp8, int8, int4); the error names `flag`.
Result<Precision> FormatFlag(const std::string& text, const char* flag);

// Returns the generated traffic of the flags (rate, requests, lengths, seed):
// --dataset's distributions, with --input-len/--output-len replacing their means when given.
Result<TrafficSpec> MakeTraffic(const ServeFlags& f);

// Returns the replica layout the flags pin, the engine's defaults on `accelerator` elsewhere.
ServingLayout BaseLayout(const ServeFlags& f, const EngineSpec& engine, const Accelerator& accelerator,
                         Precision weights, Precision kv);

// Returns the capacity query of `cluster` for the flags (pins, limits, traffic, SLO).
Result<CapacityQuery> MakeQuery(const ServeFlags& f, const ServeSubject& subject, const ModelSpec& model,
                                const ClusterSpec& cluster, const EngineSpec& engine, const ServingLayout& base);

// Returns the buyer of --region, --date, --currency and --own-years.
Result<ServeBuyer> MakeBuyer(const ServeFlags& f);

// Returns the costed options of every accelerator in `accels` (with `all`,
// those holding no layout skipped), ranked, and the crossover when there are two.
Result<ServeChoice> ChooseAccelerators(const ServeFlags& f, const ServeSubject& subject, const Catalog& catalog,
                                       const ModelSpec& model, const std::vector<const Accelerator*>& accels,
                                       bool all, const EngineSpec& engine, const ServingLayout& base);

// Returns the accelerators --accel names: one id, a comma-separated list, or
// "all" (every catalog accelerator).
Result<std::vector<const Accelerator*>> AcceleratorList(const Catalog& catalog, const std::string& text);

}  // namespace suanli::cli
