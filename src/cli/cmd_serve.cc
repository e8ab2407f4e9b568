// `suanli serve`: an LLM service's latencies and throughput on a fixed
// number of devices, or the fewest devices that serve a rate within TTFT and
// TPOT targets (docs/serving.md).
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/common.h"
#include "core/yaml_reader.h"
#include "core/i18n.h"
#include "plan/serve_prices.h"
#include "report/serve_choice_report.h"
#include "report/serve_html.h"
#include "report/serve_report.h"
#include "serve/capacity.h"
#include "serve/crossover.h"
#include "serve/fleet_choice.h"
#include "serve/engine.h"
#include "serve/sweep.h"

namespace suanli::cli {
namespace {

constexpr const char* kExamples = R"(examples:
  suanli serve --model llama-3-8b --accel h100-sxm-80gb --gpus 1 --rate 10 --input-len 1000 --output-len 200
  suanli serve --model llama-2-70b --accel h800 --rate 20 --input-len 2000 --output-len 300 \
               --ttft-ms 2000 --tpot-ms 50 --percentile 99
  suanli serve --model qwen2-72b --accel a800 --gpus 8 --tp 4 --weights int4 --rate 4 --engine lmdeploy
  suanli serve --model llama-3-8b --accel h20 --rate 30 --tpot-ms 40 --report serve.html   # charts
  suanli serve --model llama-3-8b --accel h20 --rate 30 --tpot-ms 40 --sweep --format csv   # the sweep

With --gpus the layout (--tp, default the smallest that fits; --pp, default 1) runs as
gpus/(tp*pp) replicas fed round-robin; without --rate every request arrives at t = 0
(offline throughput). With --rate and an SLO (--ttft-ms, --tpot-ms) and no --gpus, or with
--search, the fewest devices meeting the SLOs are searched over tp, pp, weight and KV formats.
Lengths are fixed unless --input-dist/--output-dist say uniform (±--spread of the mean) or
lognormal (sigma --spread). --trace FILE replays arrival_s,input_len,output_len rows.
--report FILE.html and --sweep simulate the answer along the device count (a search) or
the request rate (one layout) for the latency and throughput charts.
Exit codes: 0 ok, 1 no feasible answer (does not fit, or no layout meets the SLOs), 2 bad input.
)";

struct ServeFlags {
  CommonOptions common;
  std::string model, accel, system;
  std::string engine = "vllm";
  int gpus = 0;
  double rate = 0;
  int requests = 2000;
  double input_len = 1024, output_len = 256;
  std::string input_dist = "fixed", output_dist = "fixed";
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
};

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
  t.requests = f.requests;
  t.seed = f.seed;
  Result<LengthKind> in = ParseLengthKind(f.input_dist);
  if (!in.ok()) return MakeError(in.error().message, "--input-dist", in.error().hint);
  Result<LengthKind> out = ParseLengthKind(f.output_dist);
  if (!out.ok()) return MakeError(out.error().message, "--output-dist", out.error().hint);
  t.input = {*in, f.input_len, f.spread, 0};
  t.output = {*out, f.output_len, f.spread, 0};
  return t;
}

ServingLayout BaseLayout(const ServeFlags& f, const EngineSpec& engine, Precision weights, Precision kv) {
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
  l.max_batch = f.max_batch > 0 ? f.max_batch : engine.max_batch;
  l.prefill_budget_tokens = f.prefill_budget > 0 ? f.prefill_budget : engine.prefill_budget_tokens;
  return l;
}

// Writes `page` to --report and says so on stderr (unless --quiet).
Status WriteReport(const ServeFlags& f, const HtmlPage& page) {
  SUANLI_RETURN_IF_ERROR(WriteHtmlFile(f.report, page.Render()));
  if (!f.common.quiet) fmt::print(stderr, "{}\n", TrFormat("report written to {}", f.report));
  return OkStatus();
}


// Prints the main output: JSON, the sweep or main table alone (csv/md), or the text.
void PrintServe(const ServeFlags& f, const nlohmann::json& json, const TextTable& main_table,
                const std::string& text, const ServeSubject& subject, const ServeSweep& sweep) {
  if (f.common.json) {
    PrintJson(json);
  } else if (TableOnly(f.common)) {
    fmt::print("{}", f.sweep ? SweepTable(subject, sweep).RenderAs(f.common.table_format)
                             : main_table.RenderAs(f.common.table_format));
  } else {
    fmt::print("{}", text);
    if (f.sweep && !sweep.points.empty()) {
      fmt::print("\n{}\n{}", Tr("The sweep (latencies in ms)"), SweepTable(subject, sweep).Render());
    }
  }
}

// Runs one layout on --gpus devices and prints the simulated service.
Result<int> FixedRun(const ServeFlags& f, const ServeSubject& subject, const ModelSpec& model,
                     const ClusterSpec& cluster, const EngineSpec& engine, ServingLayout layout,
                     std::vector<Request> requests) {
  if (f.tp == 0) {  // the smallest tensor parallelism whose replica fits
    for (int tp = 1; tp <= f.gpus / layout.pp && tp <= cluster.scale_up_domain; tp *= 2) {
      layout.tp = tp;
      if (model.heads % tp == 0 && ServingMemory(model, *cluster.accelerator, layout).fits) break;
    }
  }
  if (f.gpus % layout.Devices() != 0) {
    return MakeError(TrFormat("{} devices are not a multiple of tp*pp = {}", f.gpus, layout.Devices()), "--gpus");
  }
  SUANLI_ASSIGN_OR_RETURN(const IterationModel iteration, IterationModel::Make(model, cluster, layout, engine));
  ServeRun run;
  run.layout = layout;
  run.replicas = f.gpus / layout.Devices();
  run.memory = ServingMemory(model, *cluster.accelerator, layout);
  if (!run.memory.fits) {
    fmt::print(stderr, "suanli serve: {}\n",
               Alarm(TrFormat("{} does not fit: {:.1f} GiB of weights and {:.1f} GiB reserve per device, "
                              "{:.1f} GiB usable",
                              model.id, run.memory.weights_bytes / (1 << 30), run.memory.reserve_bytes / (1 << 30),
                              run.memory.usable_bytes / (1 << 30))));
    return kExitInfeasible;
  }
  BatchWork lone;
  lone.decode_seqs = 1;
  lone.decode_context_tokens = f.input_len + 0.5 * f.output_len;
  run.lone_decode = iteration.Breakdown(lone);
  const SchedulerLimits limits = ServingLimits(layout, run.memory, engine);
  run.service = Simulate(requests, iteration, limits, subject.slo, run.replicas);
  ServeSweep sweep;
  if ((f.sweep || !f.report.empty()) && f.trace.empty()) {
    sweep = SweepFixedLayout(subject.traffic, iteration, limits, subject.slo, run.replicas, layout.Devices());
  }
  PrintServe(f, ServeRunJson(subject, run), LatencyTable(run.service), ServeRunText(subject, run), subject, sweep);
  if (!f.report.empty()) SUANLI_RETURN_IF_ERROR(WriteReport(f, ServeRunPage(subject, run, sweep)));
  return kExitOk;
}

// Returns the capacity query of `cluster` for the flags (pins, limits, traffic, SLO).
Result<CapacityQuery> MakeQuery(const ServeFlags& f, const ServeSubject& subject, const ModelSpec& model,
                                const ClusterSpec& cluster, const EngineSpec& engine, const ServingLayout& base) {
  CapacityQuery q;
  q.model = &model;
  q.cluster = cluster;
  q.engine = &engine;
  SUANLI_ASSIGN_OR_RETURN(q.traffic, MakeTraffic(f));
  q.slo = subject.slo;
  if (f.tp > 0) q.tp = f.tp;
  if (f.pp > 0) q.pp = f.pp;
  if (!f.weights.empty() && f.weights != "auto") q.weights = base.weights;
  if (!f.kv.empty() && f.kv != "auto") q.kv = base.kv;
  q.max_batch = base.max_batch;
  q.prefill_budget_tokens = base.prefill_budget_tokens;
  if (f.gpus > 0) q.max_devices = f.gpus;
  q.top = f.top;
  return q;
}

// Returns the buyer of --region, --date, --currency and --own-years.
Result<ServeBuyer> MakeBuyer(const ServeFlags& f) {
  ServeBuyer buyer;
  SUANLI_ASSIGN_OR_RETURN(buyer.region, RegionFlag(f.region, "--region"));
  if (!f.date.empty()) {
    Result<Date> date = ParseDate(f.date);
    if (!date.ok()) return MakeError(date.error().message, "--date", date.error().hint);
    buyer.date = *date;
  }
  if (f.currency != "CNY" && f.currency != "USD") {
    return MakeError(TrFormat("unsupported report currency '{}'", f.currency), "--currency", Tr("use CNY or USD"));
  }
  buyer.currency = f.currency;
  buyer.own_years = f.own_years;
  return buyer;
}

// Returns the costed options of every accelerator in `accels`, ranked, and
// the crossover when there are two.
Result<ServeChoice> ChooseAccelerators(const ServeFlags& f, const ServeSubject& subject, const Catalog& catalog,
                                       const ModelSpec& model, const std::vector<const Accelerator*>& accels,
                                       bool all, const EngineSpec& engine, const ServingLayout& base) {
  SUANLI_ASSIGN_OR_RETURN(const ServeBuyer buyer, MakeBuyer(f));
  ServeChoice choice;
  SUANLI_ASSIGN_OR_RETURN(choice.prices, LoadServePrices(catalog, buyer));
  choice.own_years = buyer.own_years;
  const bool disaggregate = f.ttft_ms > 0 && f.tpot_ms > 0;
  std::vector<ClusterSpec> clusters;
  for (const Accelerator* a : accels) {
    const System* system = f.system.empty() ? catalog.DefaultSystemFor(a->id) : *catalog.FindSystem(f.system);
    clusters.push_back(MakeCluster(*a, system));
    SUANLI_ASSIGN_OR_RETURN(const CapacityQuery q, MakeQuery(f, subject, model, clusters.back(), engine, base));
    AcceleratorOption option = EvaluateAccelerator(q, choice.prices.by_accelerator[a->id], disaggregate);
    if (all && !option.aggregated.fits) {
      ++choice.skipped_no_fit;
      continue;
    }
    choice.options.push_back(std::move(option));
  }
  RankAccelerators(choice.options);
  if (accels.size() == 2) {
    SUANLI_ASSIGN_OR_RETURN(const TrafficSpec traffic, MakeTraffic(f));
    Result<Crossover> crossover =
        FindCrossover(model, clusters[0], clusters[1], engine, base.weights, base.kv, traffic);
    if (crossover.ok()) {
      PriceCrossover(*crossover, choice.prices.by_accelerator[accels[0]->id],
                     choice.prices.by_accelerator[accels[1]->id]);
      choice.crossover = *crossover;
    } else {
      choice.crossover_error = crossover.error().message;
    }
  }
  return choice;
}

Result<int> CapacityRun(const ServeFlags& f, const ServeSubject& subject, const Catalog& catalog,
                        const ModelSpec& model, const std::vector<const Accelerator*>& accels, bool all,
                        const EngineSpec& engine, const ServingLayout& base) {
  if (f.rate <= 0) return MakeError(Tr("the capacity search needs a request rate"), "--rate", Tr("add --rate REQ_PER_S"));
  if (f.ttft_ms <= 0 && f.tpot_ms <= 0) {
    return MakeError(Tr("the capacity search needs a latency target"), "--ttft-ms", Tr("add --ttft-ms and/or --tpot-ms"));
  }
  if (!f.trace.empty()) return MakeError(Tr("the capacity search generates Poisson traffic"), "--trace");
  SUANLI_ASSIGN_OR_RETURN(const ServeChoice choice,
                          ChooseAccelerators(f, subject, catalog, model, accels, all, engine, base));
  if (choice.options.empty()) {
    fmt::print(stderr, "suanli serve: {}\n", Alarm(Tr("no accelerator in the catalog holds the model's weights")));
    return kExitInfeasible;
  }
  const AcceleratorOption& best = choice.options.front();
  ServeSweep sweep;
  if ((f.sweep || !f.report.empty()) && best.aggregated.feasible) {
    const Accelerator* a = *catalog.FindAccelerator(best.accelerator);
    SUANLI_ASSIGN_OR_RETURN(const CapacityQuery q,
                            MakeQuery(f, subject, model, MakeCluster(*a, catalog.DefaultSystemFor(a->id)), engine, base));
    sweep = SweepCapacityAnswer(q, best.aggregated.answers.front());
  }
  const bool one = choice.options.size() == 1;
  const TextTable table = one ? CapacityTable(subject, best.aggregated, &best.answer_costs, choice.prices.currency)
                              : ChoiceTable(choice);
  PrintServe(f, ServeChoiceJson(subject, choice), table, ServeChoiceText(subject, choice), subject, sweep);
  if (!f.report.empty()) SUANLI_RETURN_IF_ERROR(WriteReport(f, CapacityPage(subject, choice, sweep)));
  const bool any = std::any_of(choice.options.begin(), choice.options.end(),
                               [](const AcceleratorOption& o) { return o.feasible; });
  return any ? kExitOk : kExitInfeasible;
}

// Returns the accelerators --accel names: one id, a comma-separated list, or
// "all" (every catalog accelerator; those without memory for the model are skipped later).
Result<std::vector<const Accelerator*>> AcceleratorList(const Catalog& catalog, const std::string& text) {
  std::vector<const Accelerator*> out;
  if (text == "all") {
    for (const Accelerator& a : catalog.accelerators()) out.push_back(&a);
    return out;
  }
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = std::min(text.find(',', start), text.size());
    Result<const Accelerator*> a = catalog.FindAccelerator(text.substr(start, comma - start));
    if (!a.ok()) return MakeError(a.error().message, "--accel", a.error().hint);
    out.push_back(*a);
    start = comma + 1;
  }
  return out;
}

// Predicts every row of a serving-runs CSV and prints the errors.
Result<int> ValidateRuns(const ServeFlags& f, const Catalog& catalog) {
  SUANLI_ASSIGN_OR_RETURN(const std::string text, ReadTextFile(f.validate));
  SUANLI_ASSIGN_OR_RETURN(const std::vector<ServingRunRow> rows, ParseServingRuns(text, f.validate));
  SUANLI_ASSIGN_OR_RETURN(const std::vector<EngineSpec> engines, LoadEmbeddedEngines());
  std::vector<ServingCheck> checks;
  for (const ServingRunRow& row : rows) {
    ServingCheck check;
    check.row = row;
    Result<double> prediction = PredictServingRun(row, catalog, engines);
    check.predicted = prediction.ok();
    if (prediction.ok()) {
      check.prediction = *prediction;
    } else {
      check.reason = prediction.error().message;
    }
    checks.push_back(std::move(check));
  }
  if (TableOnly(f.common)) {
    fmt::print("{}", ServingValidationTable(checks).RenderAs(f.common.table_format));
  } else {
    fmt::print("{}", ServingValidationText(checks));
  }
  if (!f.report.empty()) SUANLI_RETURN_IF_ERROR(WriteReport(f, ServingValidationPage(f.validate, checks)));
  return kExitOk;
}

Result<int> ServeBody(const ServeFlags& f) {
  SUANLI_ASSIGN_OR_RETURN(const Catalog catalog, LoadCatalog(f.common));
  if (!f.validate.empty()) return ValidateRuns(f, catalog);
  if (f.model.empty()) return MakeError(Tr("--model is required"), "--model", Tr("give a preset id or a model file"));
  if (f.accel.empty()) return MakeError(Tr("--accel is required"), "--accel", Tr("give an accelerator id"));
  SUANLI_ASSIGN_OR_RETURN(const ModelSpec model, ResolveModel(catalog, f.model));
  SUANLI_ASSIGN_OR_RETURN(const std::vector<const Accelerator*> accels, AcceleratorList(catalog, f.accel));
  const bool all = f.accel == "all";
  if ((all || accels.size() > 1) && (f.gpus > 0 && !f.search)) {
    return MakeError(Tr("several accelerators are compared by the capacity search"), "--accel",
                     Tr("add --search with --rate and an SLO, or name one accelerator"));
  }
  const Accelerator* accelerator = accels.front();
  const System* system = catalog.DefaultSystemFor(accelerator->id);
  if (!f.system.empty()) {
    SUANLI_ASSIGN_OR_RETURN(system, catalog.FindSystem(f.system));
  }
  const ClusterSpec cluster = MakeCluster(*accelerator, system);
  SUANLI_ASSIGN_OR_RETURN(const std::vector<EngineSpec> engines, LoadEmbeddedEngines());
  SUANLI_ASSIGN_OR_RETURN(const EngineSpec* engine, FindEngine(engines, f.engine));
  const bool any_weights = f.weights.empty() || f.weights == "auto";
  const bool any_kv = f.kv.empty() || f.kv == "auto";
  SUANLI_ASSIGN_OR_RETURN(const Precision weights, FormatFlag(any_weights ? "bf16" : f.weights, "--weights"));
  SUANLI_ASSIGN_OR_RETURN(const Precision kv, FormatFlag(any_kv ? "bf16" : f.kv, "--kv"));
  SUANLI_ASSIGN_OR_RETURN(TrafficSpec traffic, MakeTraffic(f));
  std::string accel_ids;
  for (const Accelerator* a : accels) accel_ids += (accel_ids.empty() ? "" : ",") + a->id;
  ServeSubject subject{model.id, all ? "all" : accel_ids, engine->id, traffic, f.trace,
                       ServingSlo{f.ttft_ms * 1e-3, f.tpot_ms * 1e-3, f.percentile}};
  const ServingLayout base = BaseLayout(f, *engine, weights, kv);
  if (f.search || (f.gpus == 0 && f.rate > 0) || all || accels.size() > 1) {
    return CapacityRun(f, subject, catalog, model, accels, all, *engine, base);
  }
  if (f.gpus == 0) return MakeError(Tr("give --gpus for one layout, or --rate with SLOs to search"), "--gpus");
  std::vector<Request> requests;
  if (!f.trace.empty()) {
    SUANLI_ASSIGN_OR_RETURN(const std::string text, ReadTextFile(f.trace));
    SUANLI_ASSIGN_OR_RETURN(requests, ParseTraceCsv(text, f.trace));
    if (f.rate > 0) requests = RescaleArrivals(requests, f.rate);
  } else {
    requests = GenerateRequests(traffic);
  }
  return FixedRun(f, subject, model, cluster, *engine, base, std::move(requests));
}

}  // namespace

int RunServe(int argc, char** argv) {
  CLI::App app{Tr("LLM serving: simulated TTFT, TPOT and throughput of a layout on N devices, or the fewest "
                  "devices that serve a rate within latency SLOs."),
               "suanli serve"};
  app.footer(Tr(kExamples));
  ServeFlags f;
  AddCommonOptions(app, f.common);
  app.add_option("--model", f.model, Tr("model preset id, config.json or YAML model file"));
  app.add_option("--accel", f.accel, Tr("accelerator id (suanli catalog accelerators)"));
  app.add_option("--validate", f.validate, Tr("serving-runs CSV: predict each row, report the errors"));
  app.add_option("--system", f.system, Tr("system id (default: the accelerator's usual server)"));
  app.add_option("--engine", f.engine, Tr("serving engine: vllm, sglang, trt-llm, lmdeploy, llama.cpp, mindie"));
  app.add_option("--gpus", f.gpus, Tr("devices (replicas of tp*pp)"))->check(CLI::Range(1, 65536));
  app.add_option("--rate", f.rate, Tr("request arrivals per second (Poisson)"))->check(CLI::Range(1e-6, 1e6));
  app.add_option("--requests", f.requests, Tr("requests to simulate"))->check(CLI::Range(1, 1000000));
  app.add_option("--input-len", f.input_len, Tr("mean prompt tokens"))->check(CLI::Range(1.0, 1e6));
  app.add_option("--output-len", f.output_len, Tr("mean generated tokens"))->check(CLI::Range(1.0, 1e6));
  app.add_option("--input-dist", f.input_dist, Tr("fixed|uniform|lognormal"));
  app.add_option("--output-dist", f.output_dist, Tr("fixed|uniform|lognormal"));
  app.add_option("--spread", f.spread, Tr("uniform half-width / mean, or lognormal sigma"))->check(CLI::Range(0.0, 3.0));
  app.add_option("--trace", f.trace, Tr("CSV of arrival_s,input_len,output_len"));
  app.add_option("--ttft-ms", f.ttft_ms, Tr("time-to-first-token target, ms"))->check(CLI::Range(1e-3, 1e7));
  app.add_option("--tpot-ms", f.tpot_ms, Tr("time-per-output-token target, ms"))->check(CLI::Range(1e-3, 1e7));
  app.add_option("--percentile", f.percentile, Tr("percentile the targets hold at"))->check(CLI::Range(50.0, 100.0));
  app.add_option("--weights", f.weights, Tr("bf16|fp8|int8|int4 (default bf16; the search tries all)"));
  app.add_option("--kv", f.kv, Tr("KV cache bf16|fp8 (default bf16; the search tries all)"));
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
  app.add_option("--region", f.region, Tr("buyer's region for quotes and running costs (default CN)"));
  app.add_option("--date", f.date, Tr("date YYYY-MM-DD the quotes apply on (default: the newest seed quote's)"));
  app.add_option("--currency", f.currency, Tr("report currency CNY|USD (default CNY)"));
  app.add_option("--own-years,--amortize-years", f.own_years,
                 Tr("years a bought fleet is kept and serves, then resold (default 3)"))
      ->check(CLI::Range(0.1, 20.0));
  if (auto code = ParseArgs(app, argc, argv)) return *code;
  return ExitCode("serve", ServeBody(f));
}

}  // namespace suanli::cli
