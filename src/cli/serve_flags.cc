// `suanli serve`'s options and what the flags describe (cli/serve_flags.h).
#include "cli/serve_flags.h"

#include <cstdlib>

#include <fmt/format.h>

#include "cli/flag_checks.h"
#include "core/i18n.h"
#include "serve/dataset.h"
#include "serve/engine.h"

namespace suanli::cli {

void AddServeOptions(CLI::App& app, ServeFlags& f) {
  AddCommonOptions(app, f.common);
  app.add_option("--model", f.model, Tr("model preset id, config.json or YAML model file"));
  app.add_option("--accel", f.accel, Tr("accelerator id (suanli catalog accelerators)"));
  app.add_option("--validate", f.validate, Tr("serving-runs CSV: predict each row, report the errors"));
  app.add_option("--system", f.system, Tr("system id (default: the accelerator's usual server)"));
  // The ids come from data/engines.yaml, so the help cannot fall behind it.
  std::vector<std::string> engine_ids;
  if (auto engines = LoadEmbeddedEngines(); engines.ok()) {
    for (const EngineSpec& engine : *engines) engine_ids.push_back(engine.id);
  }
  app.add_option("--engine", f.engine,
                 TrFormat("serving engine: auto (default: MindIE on Huawei Ascend, vLLM elsewhere, as plan's engine: "
                          "auto), {}",
                          fmt::join(engine_ids, ", ")));
  app.add_option("--gpus", f.gpus, Tr("devices (replicas of tp x dp-attention x pp)"))->check(CLI::Range(1, 65536));
  app.add_option("--rate", f.rate, Tr("request arrivals per second (Poisson)"))->check(CLI::Range(1e-6, 1e6));
  app.add_option("--requests", f.requests, Tr("requests to simulate (default 2,000; Poisson traffic: enough for 40 lone request lifetimes, "
                                           "up to 200,000)"))->check(CLI::Range(1, 1000000));
  app.add_option("--input-len", f.input_len, Tr("mean prompt tokens"))->check(CLI::Range(1.0, 1e6));
  app.add_option("--output-len", f.output_len, Tr("mean generated tokens"))->check(CLI::Range(1.0, 1e6));
  app.add_option("--dataset", f.dataset,
                 Tr("prompt and output lengths of a published dataset (data/serving/datasets.yaml): sharegpt, "
                    "mlperf-openorca, llama-bench, ..."));
  app.add_option("--input-dist", f.input_dist, Tr("fixed|uniform|lognormal"));
  app.add_option("--output-dist", f.output_dist, Tr("fixed|uniform|lognormal"));
  app.add_option("--spread", f.spread, Tr("uniform half-width / mean, or lognormal sigma"))->check(CLI::Range(0.0, 3.0));
  app.add_option("--trace", f.trace, Tr("CSV of arrival_s,input_len,output_len"));
  app.add_option("--ttft-ms", f.ttft_ms, Tr("time-to-first-token target, ms"))->check(CLI::Range(1e-3, 1e7));
  app.add_option("--tpot-ms", f.tpot_ms, Tr("time-per-output-token target, ms"))->check(CLI::Range(1e-3, 1e7));
  // A plain number: "p99" or "99%" get a hint rather than CLI11's bare "not in range".
  const CLI::Validator percentile_check(
      [](std::string& text) -> std::string {
        char* end = nullptr;
        const double value = std::strtod(text.c_str(), &end);
        if (end == text.c_str() || *end != '\0' || !(value >= 50.0 && value <= 100.0)) {
          return TrFormat("--percentile {}: write the percentile as a number from 50 to 100, e.g. 99 for P99 or 99.9",
                          text);
        }
        return "";
      },
      "50..100");
  app.add_option("--percentile", f.percentile, Tr("percentile the targets hold at"))->check(percentile_check);
  app.add_option("--weights", f.weights, Tr("bf16|fp8|int8|int4 (default: the config.json's quantization_config format, else bf16; the search tries all)"));
  app.add_option("--kv", f.kv, Tr("KV cache bf16, or the engine's 8-bit format: fp8 (int8 on MindIE and LMDeploy) (default bf16; the search tries all)"));
  app.add_option("--tp", f.tp, Tr("tensor-parallel size per replica"))->check(CLI::Range(1, 1024));
  app.add_option("--pp", f.pp, Tr("pipeline stages per replica"))->check(CLI::Range(1, 1024));
  app.add_option("--ep", f.ep, Tr("expert-parallel ranks of a MoE replica (dividing tp x dp-attention)"))
      ->check(CLI::Range(1, 1024));
  app.add_option("--dp-attention", f.dp_attention, Tr("attention data-parallel groups of tp devices (MoE)"))
      ->check(CLI::Range(1, 1024));
  app.add_option("--speculative", f.speculative, Tr("speculative decoding method of the engine: mtp or eagle"))
      ->check(CLI::IsMember({"mtp", "eagle"}));
  app.add_option("--max-batch", f.max_batch, Tr("running sequences (default: the engine's)"))->check(CLI::Range(1, 65536));
  app.add_option("--prefill-budget", f.prefill_budget, Tr("tokens per iteration (default: the engine's)"))
      ->check(CLI::Range(16, 1 << 22));
  app.add_flag("--sweep", f.sweep, Tr("also print the sweep: latency and throughput along devices or load"));
  app.add_option("--report", f.report, Tr("write an HTML report (charts, tables) to FILE.html"));
  app.add_flag("--search", f.search, Tr("search layouts and replicas for --rate within the SLOs"));
  app.add_option("--top", f.top, Tr("answers shown by the search"))->check(CLI::Range(1, 100));
  app.add_option("--seed", f.seed, Tr("random seed of the generated traffic"));
  app.add_option("--region", f.region, Tr("buyer's region for quotes and running costs (default CN)"))
      ->transform(RegionCheck());
  app.add_option("--date", f.date, Tr("date YYYY-MM-DD the quotes apply on (default: the newest seed quote on offer to --region's buyers)"));
  app.add_option("--max-quote-age", f.max_quote_age_days,
                 Tr("a quote without valid_until observed more than DAYS before --date is stale (default 92, as "
                    "the planner's market.max_quote_age_days)"))
      ->check(CLI::Range(1, 36500));
  app.add_option("--currency", f.currency, Tr("report currency CNY|USD (default CNY)"))->transform(CurrencyCode);
  app.add_option("--licence,--license", f.licences,
                 Tr("RULE_ID of a licence-required export rule the buyer holds a licence under (repeatable; "
                    "`suanli market rules` lists the ids)"));
  app.add_option("--own-years,--amortize-years", f.own_years,
                 Tr("years a bought fleet is kept and serves, then resold (default 3)"))
      ->check(CLI::Range(0.1, 20.0));
}

// Returns the precision named by `text`, with `flag` in the error.
Result<Precision> FormatFlag(const std::string& text, const char* flag) {
  Result<Precision> p = ParsePrecision(text);
  if (!p.ok()) return MakeError(p.error().message, flag, Tr("use bf16, fp8, int8 or int4"));
  if (*p != Precision::kBf16 && *p != Precision::kFp8 && *p != Precision::kInt8 && *p != Precision::kInt4) {
    return MakeError(TrFormat("{} is not a serving format", text), flag, Tr("use bf16, fp8, int8 or int4"));
  }
  return *p;
}

Result<TrafficSpec> MakeTraffic(const ServeFlags& f) {
  TrafficSpec t;
  t.rate_rps = f.rate;
  if (f.requests > 0) t.requests = f.requests;
  t.seed = f.seed;
  Result<LengthKind> in = ParseLengthKind(f.input_dist);
  if (!in.ok()) return MakeError(in.error().message, "--input-dist", in.error().hint);
  Result<LengthKind> out = ParseLengthKind(f.output_dist);
  if (!out.ok()) return MakeError(out.error().message, "--output-dist", out.error().hint);
  t.input = {*in, f.input_len, f.spread, 0};
  t.output = {*out, f.output_len, f.spread, 0};
  if (!f.dataset.empty()) {
    SUANLI_ASSIGN_OR_RETURN(const ServingDataset dataset, DatasetLengths(f.dataset));
    t.input = dataset.input;
    t.output = dataset.output;
    if (f.input_len_given) t.input.mean_tokens = f.input_len;
    if (f.output_len_given) t.output.mean_tokens = f.output_len;
  }
  return t;
}

ServingLayout BaseLayout(const ServeFlags& f, const EngineSpec& engine, const Accelerator& accelerator,
                         Precision weights, Precision kv) {
  ServingLayout l;
  l.tp = f.tp > 0 ? f.tp : 1;
  l.pp = f.pp > 0 ? f.pp : 1;
  l.ep = f.ep;
  l.dp_attention = f.dp_attention;
  if (const SpeculativeMethod* m = engine.FindSpeculative(f.speculative); m != nullptr) {
    l.speculative = {m->draft_tokens, m->acceptance, m->draft_cost};
  }
  l.weights = weights;
  l.kv = kv;
  l.memory = engine.memory;
  const BatchDefaults defaults = engine.DefaultsFor(accelerator);
  l.max_batch = f.max_batch > 0 ? f.max_batch : defaults.max_batch;
  l.prefill_budget_tokens = f.prefill_budget > 0 ? f.prefill_budget : defaults.prefill_budget_tokens;
  return l;
}

}  // namespace suanli::cli
