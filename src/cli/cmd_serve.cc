// `suanli serve`: an LLM service's latencies and throughput on a fixed
// number of devices, or the fewest devices that serve a rate within TTFT and
// TPOT targets (docs/serving.md).
#include <algorithm>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/serve_flags.h"
#include "cli/serving_validate.h"
#include "core/yaml_reader.h"
#include "core/i18n.h"
#include "core/text.h"
#include "workload/hf_quant.h"
#include "report/serve_answers_table.h"
#include "report/serve_choice_report.h"
#include "report/serve_html.h"
#include "report/serve_report.h"
#include "serve/capacity.h"
#include "serve/engine.h"
#include "serve/fleet_replay.h"
#include "serve/sweep.h"

namespace suanli::cli {
namespace {

constexpr const char* kServeExamples = R"(examples:
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
lognormal (sigma --spread). --dataset NAME takes both length distributions from a published
dataset's statistics (data/serving/datasets.yaml: sharegpt, mlperf-openorca, llama-bench, ...);
--input-len/--output-len given with it replace only the means. --trace FILE replays
arrival_s,input_len,output_len rows on --gpus; with --rate and an SLO and no --gpus the
search draws each request's lengths from the trace's rows at that rate (Poisson arrivals).
--report FILE.html and --sweep simulate the answer along the device count (a search) or
the request rate (one layout) for the latency and throughput charts.
Exit codes: 0 ok, 1 no feasible answer (does not fit, or no layout meets the SLOs), 2 bad input.
)";

// Returns the engine id of --engine: "auto" is plan's rule (DefaultEngineFor)
// for the accelerators named, vLLM when their vendors' defaults differ (one
// engine runs the comparison; it runs everywhere).
std::string ResolveEngine(const std::string& flag, const std::vector<const Accelerator*>& accels) {
  if (ToLower(flag) != "auto") return flag;
  std::string id;
  for (const Accelerator* a : accels) {
    const std::string own = DefaultEngineFor(a->vendor);
    if (!id.empty() && id != own) return "vllm";
    id = own;
  }
  return id.empty() ? "vllm" : id;
}

// Prints the main output: JSON, the sweep or main table alone (csv/md), or the text.
void PrintServe(const ServeFlags& f, const nlohmann::json& json, const TextTable& main_table,
                const std::string& text, const ServeSubject& subject, const ServeSweep& sweep,
                const std::string& sweep_heading = Tr("The sweep (latencies in ms)")) {
  if (f.common.json) {
    PrintJson(json);
  } else if (TableOnly(f.common)) {
    const TextTable table = f.sweep ? SweepTable(subject, sweep) : main_table;
    // CSV is read by programs: plain numbers (units are in the headers); Markdown keeps the separators.
    fmt::print("{}", (f.common.table_format == TableFormat::kCsv ? PlainNumbers(table) : table)
                         .RenderAs(f.common.table_format));
  } else {
    fmt::print("{}", text);
    if (f.sweep && !sweep.points.empty()) {
      fmt::print("\n{}\n{}", sweep_heading, SweepTable(subject, sweep).Render());
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
    return MakeError(TrFormat("{} devices are not a multiple of tp x dp-attention x pp = {}", f.gpus, layout.Devices()), "--gpus");
  }
  SUANLI_ASSIGN_OR_RETURN(const IterationModel iteration, IterationModel::Make(model, cluster, layout, engine));
  ServeRun run;
  run.layout = layout;
  run.replicas = f.gpus / layout.Devices();
  run.memory = ServingMemory(model, *cluster.accelerator, layout);
  BatchWork lone;
  lone.decode_seqs = 1;
  lone.decode_context_tokens =
      run.memory.window.Keys(subject.traffic.input.mean_tokens + 0.5 * subject.traffic.output.mean_tokens);
  run.lone_decode = iteration.Breakdown(lone);
  // Generated Poisson traffic is stationary; a trace or an offline queue is measured whole.
  const bool stationary = subject.traffic.rate_rps > 0 && f.trace.empty();
  TrafficSpec traffic = subject.traffic;
  SchedulerLimits limits = ServingLimits(layout, run.memory, engine, stationary);
  if (!run.memory.fits) {  // no answer, said as every other one is: text, JSON (fits/feasible false) and report
    constexpr const char* kNoFit =
        "{} does not fit: {:.1f} GiB of weights and {:.1f} GiB reserve per device, {:.1f} GiB usable";
    constexpr const char* kFix = "try a larger --tp or --pp, smaller --weights (fp8, int4), or drop --gpus to search";
    const double gib = 1 << 30;
    run.verdict.served = false;
    run.verdict.reason = fmt::format("{}; {}", fmt::format(fmt::runtime(kNoFit), model.id, run.memory.weights_bytes / gib,
                                                            run.memory.reserve_bytes / gib, run.memory.usable_bytes / gib),
                                     kFix);
    run.verdict.reason_text = fmt::format("{}; {}", TrFormat(kNoFit, model.id, run.memory.weights_bytes / gib,
                                                             run.memory.reserve_bytes / gib, run.memory.usable_bytes / gib),
                                          Tr(kFix));
  } else if (stationary) {
    // Long enough for a steady state on every replica, as the capacity search
    // confirms (docs/serving.md); a long fleet run simulates its first replicas.
    if (f.requests == 0) traffic.requests = ReplayRequests(iteration, layout, run.memory, traffic, run.replicas);
    run.service = SimulateFleet(traffic, iteration, limits, subject.slo, run.replicas);
  } else {
    run.service = Simulate(requests, iteration, limits, subject.slo, run.replicas);
  }
  if (run.memory.fits) run.verdict = JudgeService(run.service, requests, model, run.memory, layout, &engine);
  ServeSweep sweep;
  if ((f.sweep || !f.report.empty()) && f.trace.empty() && run.verdict.served) {
    sweep = SweepFixedLayout(traffic, iteration, limits, subject.slo, run.replicas, layout.Devices());
  }
  if (!run.verdict.served && TableOnly(f.common)) {  // a table of zeros would read as an answer
    fmt::print(stderr, "suanli serve: {}\n", Alarm(TrFormat("no feasible answer: {}", run.verdict.reason_text)));
  } else {
    PrintServe(f, ServeRunJson(subject, run), LatencyTable(run.service, subject.slo.percentile), ServeRunText(subject, run), subject, sweep);
  }
  if (!f.report.empty()) SUANLI_RETURN_IF_ERROR(WriteReport(f.report, ServeRunPage(subject, run, sweep).Render(), f.common.quiet));
  // Targets given and missed: the layout is no answer to them (exit 1, as
  // the capacity search's "no layout meets the SLOs"); a script checking a
  // fleet must not read success.
  const bool slo_given = subject.slo.ttft_s > 0 || subject.slo.tpot_s > 0;
  if (!run.verdict.served || (slo_given && !run.service.meets_slo)) return kExitInfeasible;
  return kExitOk;
}

// Checks the traffic's longest context (a trace's longest request, else the
// mean prompt plus the mean output) against the model's maximum: bad input
// for a search on generated traffic (`searches`) or where the positions are a
// learned table, else a note on stderr.
Status CheckServeContext(const ServeFlags& f, const ModelSpec& model, const TrafficSpec& traffic,
                         const std::vector<Request>& trace, bool searches) {
  double longest = traffic.input.mean_tokens + traffic.output.mean_tokens;
  if (!trace.empty()) {
    longest = 0;
    for (const Request& r : trace) longest = std::max<double>(longest, r.input_tokens + r.output_tokens);
  }
  const ContextCheck check = CheckContext(model, longest);
  if (!check.exceeds) return OkStatus();
  // A search on generated traffic past the context is bad input: it would
  // cap the prompts (CapToContext) and answer for other lengths than the
  // header and its replay command state. One layout runs them as asked (an
  // engine rejects them; the verdict says why).
  if (!check.hard && trace.empty() && searches) {
    return MakeError(TrFormat("{} tokens of prompt and output exceed {}'s maximum context of {} tokens: the search "
                              "would cap the prompts and answer for other lengths than asked",
                              FormatCount(longest), model.id, FormatCount(model.max_seq_len)),
                     "--input-len", TrFormat("keep prompt plus output within {} tokens", FormatCount(model.max_seq_len)));
  }
  if (check.hard) {
    return MakeError(check.message, trace.empty() ? "--input-len" : "--trace",
                     TrFormat("keep prompt plus output within {} tokens", FormatCount(model.max_seq_len)));
  }
  if (!f.common.quiet) fmt::print(stderr, "suanli serve: {}\n", TrFormat("note: {}", check.message));
  return OkStatus();
}

// Says, on stderr, what serve models of a model's sliding-window layers
// (docs/serving.md "Sliding-window attention") and what it leaves out.
void NoteSlidingWindow(const ServeFlags& f, const ModelSpec& model, const EngineSpec& engine) {
  if (f.common.quiet || model.sliding_window <= 0 || model.sliding_window_layers <= 0) return;
  const std::string layers = TrFormat("{} of {} layers attend a {}-token sliding window", model.sliding_window_layers,
                                      model.layers, FormatCount(model.sliding_window));
  const std::string kept =
      engine.window_frees_kv
          ? TrFormat("{} keeps only the window's KV in them and attention reads at most the window; not modelled: "
                     "engines' fixed split of memory between window and full-attention pools",
                     engine.id)
          : TrFormat("{} keeps every token's KV in them (as full attention); attention reads at most the window",
                     engine.id);
  fmt::print(stderr, "suanli serve: {}\n", TrFormat("note: {}", fmt::format("{}: {}; {}", model.id, layers, kept)));
}

Result<int> CapacityRun(const ServeFlags& f, const ServeSubject& subject, const Catalog& catalog,
                        const ModelSpec& model, const std::vector<const Accelerator*>& accels, bool all,
                        const EngineSpec& engine, const ServingLayout& base) {
  if (f.rate <= 0) {
    return MakeError(Tr("the capacity search needs a request rate"), "--rate",
                     f.trace.empty() ? Tr("add --rate REQ_PER_S")
                                     : Tr("add --rate REQ_PER_S: the search draws the trace's lengths at that rate"));
  }
  if (f.ttft_ms <= 0 && f.tpot_ms <= 0) {
    return MakeError(Tr("the capacity search needs a latency target"), "--ttft-ms", Tr("add --ttft-ms and/or --tpot-ms"));
  }
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
  // --format csv|md: every answer of both modes, the chosen one first and marked (the text has ModeLines).
  const TextTable table = one ? ServeAnswersTable(subject, best, choice.prices.currency)
                              : ChoiceTable(choice, subject.slo.percentile);
  // The sweep runs the aggregated answer: say so when the chosen one is xPyD.
  const std::string sweep_heading = best.feasible && best.disaggregated_chosen
                                        ? Tr("The sweep of the aggregated alternative, not the chosen xPyD answer "
                                             "(latencies in ms)")
                                        : Tr("The sweep (latencies in ms)");
  PrintServe(f, ServeChoiceJson(subject, choice), table, ServeChoiceText(subject, choice), subject, sweep,
             sweep_heading);
  if (!f.report.empty()) SUANLI_RETURN_IF_ERROR(WriteReport(f.report, CapacityPage(subject, choice, sweep).Render(), f.common.quiet));
  const bool any = std::any_of(choice.options.begin(), choice.options.end(),
                               [](const AcceleratorOption& o) { return o.feasible; });
  return any ? kExitOk : kExitInfeasible;
}

Result<int> ServeBody(const ServeFlags& f) {
  SUANLI_ASSIGN_OR_RETURN(const Catalog catalog, LoadCatalog(f.common));
  if (!f.validate.empty()) return ValidateServingRuns("serve", f.validate, catalog, f.common, f.report);
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
  SUANLI_ASSIGN_OR_RETURN(const EngineSpec* engine, FindEngine(engines, ResolveEngine(f.engine, accels)));
  SUANLI_RETURN_IF_ERROR(engine->CheckSpeculative(f.speculative, model.id, model.mtp_layers));
  const bool any_weights = f.weights.empty() || f.weights == "auto";
  const bool any_kv = f.kv.empty() || f.kv == "auto";
  SUANLI_ASSIGN_OR_RETURN(const Precision weights,
                          FormatFlag(any_weights ? ServingWeightsFlag(model, "", true) : f.weights, "--weights"));
  SUANLI_ASSIGN_OR_RETURN(const Precision kv, FormatFlag(any_kv ? "bf16" : f.kv, "--kv"));
  SUANLI_ASSIGN_OR_RETURN(TrafficSpec traffic, MakeTraffic(f));
  // Draw no prompt past the model's context, as the capacity search draws
  // them, so `serve --gpus` replays the search's requests (a spread's tail).
  if (traffic.input.kind != LengthKind::kFixed || traffic.output.kind != LengthKind::kFixed) {
    traffic = CapToContext(traffic, model.UsableContext());
  }
  std::string accel_ids;
  for (const Accelerator* a : accels) accel_ids += (accel_ids.empty() ? "" : ",") + a->id;
  ServeSubject subject{model.id, all ? "all" : accel_ids, engine->id, traffic, f.trace,
                       ServingSlo{f.ttft_ms * 1e-3, f.tpot_ms * 1e-3, f.percentile}, f.search};
  const ServingLayout base = BaseLayout(f, *engine, *accelerator, weights, kv);
  std::vector<Request> requests;
  if (!f.trace.empty()) {
    SUANLI_ASSIGN_OR_RETURN(const std::string text, ReadTextFile(f.trace));
    SUANLI_ASSIGN_OR_RETURN(requests, ParseTraceCsv(text, f.trace));
    if (f.rate > 0) requests = RescaleArrivals(requests, f.rate);
    // The header, the JSON and the lone decode step take the trace's mean lengths, not the flags' defaults.
    if (!requests.empty()) {
      double input = 0, output = 0;
      for (const Request& r : requests) input += r.input_tokens, output += r.output_tokens;
      subject.traffic.input = LengthDistribution{};
      subject.traffic.output = LengthDistribution{};
      subject.traffic.input.mean_tokens = input / static_cast<double>(requests.size());
      subject.traffic.output.mean_tokens = output / static_cast<double>(requests.size());
    }
  }
  const bool searches = f.search || (f.gpus == 0 && f.rate > 0) || all || accels.size() > 1;
  SUANLI_RETURN_IF_ERROR(CheckServeContext(f, model, traffic, requests, searches));
  NoteSlidingWindow(f, model, *engine);
  if (f.search || (f.gpus == 0 && f.rate > 0) || all || accels.size() > 1) {
    if (f.trace.empty()) return CapacityRun(f, subject, catalog, model, accels, all, *engine, base);
    // The search generates Poisson arrivals at --rate, each request's lengths
    // one row of the trace drawn at random (docs/serving.md "Traces").
    ServeSubject search = subject;
    const TrafficSpec lengths = TraceLengthTraffic(requests, f.rate);
    search.traffic.input = lengths.input;
    search.traffic.output = lengths.output;
    search.traffic.sampled_lengths = lengths.sampled_lengths;
    return CapacityRun(f, search, catalog, model, accels, all, *engine, base);
  }
  if (f.gpus == 0 && !f.trace.empty()) {
    return MakeError(Tr("give --gpus for one layout, or --rate with SLOs to search"), "--gpus",
                     Tr("with --trace: --gpus N (with --tp/--pp) replays the trace's arrivals on one layout; --rate "
                        "R with --ttft-ms/--tpot-ms searches the fleet on Poisson arrivals at R req/s with the "
                        "trace's lengths"));
  }
  if (f.gpus == 0) return MakeError(Tr("give --gpus for one layout, or --rate with SLOs to search"), "--gpus");
  if (f.trace.empty()) requests = GenerateRequests(traffic);
  return FixedRun(f, subject, model, cluster, *engine, base, std::move(requests));
}

}  // namespace

int RunServe(int argc, char** argv) {
  CLI::App app{Tr("LLM serving: simulated TTFT, TPOT and throughput of a layout on N devices, or the fewest "
                  "devices that serve a rate within latency SLOs."),
               "suanli serve"};
  app.footer(Tr(kServeExamples));
  ServeFlags f;
  AddServeOptions(app, f);
  if (auto code = ParseArgs(app, argc, argv)) return *code;
  f.input_len_given = app.count("--input-len") > 0;
  f.output_len_given = app.count("--output-len") > 0;
  return ExitCode("serve", ServeBody(f));
}

}  // namespace suanli::cli
