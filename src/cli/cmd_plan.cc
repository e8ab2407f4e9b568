// suanli plan SCENARIO.yaml: the full decision for every workload of a
// scenario: options, schedule, cost, time-to-model, frontier, recommendation.
#include <fstream>
#include <iostream>
#include <thread>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/common.h"
#include "core/i18n.h"
#include "core/text.h"
#include "report/html_page.h"
#include "plan/plan.h"
#include "plan/prepare.h"
#include "plan/scenario.h"
#include "plan/serving_plan.h"
#include "report/plan_html.h"
#include "report/plan_report.h"
#include "report/plan_serving_report.h"

namespace suanli::cli {
namespace {

constexpr char kPlanFooter[] = R"(examples:
  suanli plan examples/china-2023-startup.yaml
  suanli plan examples/china-2023-startup.yaml --json --top 5
  suanli plan examples/china-2023-startup.yaml --report plan.html
  suanli plan examples/google-2010.yaml

The scenario file is described in docs/scenario.md (schema: docs/scenario.schema.json).
exit codes: 0 a plan for every workload, 1 some workload has no feasible option
(the reasons per accelerator are listed), 2 bad input (file:line and a fix on stderr).)";

// The flags of `suanli plan`.
struct PlanFlags {
  CommonOptions common;
  std::string path;
  int top = 0;
  std::string report_path;
  std::vector<std::string> assume;
};

// Notes in words that the report prints under Assumptions.
std::vector<std::string> PlanNotes(const Scenario& s, const PlanMarket& market,
                                   const std::vector<std::string>& assume) {
  std::vector<std::string> notes = market.drop_notes;
  notes.insert(notes.end(), market.notes.begin(), market.notes.end());
  if (!s.buyer.region_alias.empty()) {
    notes.push_back(TrFormat("buyer.region '{}' read as {} (the ISO 3166-1 code the export rules use)",
                             s.buyer.region_alias, s.buyer.region));
  }
  if (!s.serving.empty()) {
    notes.push_back(Tr("serving: per accelerator the fewest devices meeting the SLOs, from the continuous-batching "
                       "simulation of the capacity search (docs/serving.md); time-to-serve = delivery + setup; "
                       "bought fleets pay cards, servers, network, power at TDP and hosting over the period, less "
                       "resale at its end; rented ones pay rent from delivery; cost per Mtok = cost / output tokens "
                       "served (rate × utilisation × mean output × period)"));
  }
  if (s.workloads.empty()) {
    if (!assume.empty()) notes.push_back(TrFormat("what-if step-model assumptions: {}", Join(assume, ", ")));
    return notes;
  }
  notes.push_back(Tr("throughput: best layout found by the layout search for each accelerator and size, on the "
                     "accelerator's default system"));
  notes.push_back(Tr("training time = tokens / (tokens/s x useful fraction), useful fraction from Young/Daly "
                     "checkpointing; time-to-model = delivery + setup + training, staged when allowed"));
  notes.push_back(Tr("global batch as the cluster grows: tokens per step fixed (train.global_batch_tokens, default "
                     "max(4M, 1k per card)), rounded to a multiple of the cluster size so every data-parallel degree "
                     "divides it (a power of two when that would more than double it); not grown with data "
                     "parallelism"));
  if (!assume.empty()) notes.push_back(TrFormat("what-if step-model assumptions: {}", Join(assume, ", ")));
  return notes;
}

// Plans every workload of the scenario and renders the result.
Result<int> PlanBody(const PlanFlags& flags) {
  SUANLI_ASSIGN_OR_RETURN(const PerfAssumptions assumptions, MakePerfAssumptions(flags.assume));
  SUANLI_ASSIGN_OR_RETURN(const Scenario s, LoadScenario(flags.path));
  CommonOptions with_scenario_catalog = flags.common;
  for (const std::string& file : s.catalog_files) with_scenario_catalog.catalog_files.push_back(file);
  SUANLI_ASSIGN_OR_RETURN(const Catalog catalog, LoadCatalog(with_scenario_catalog));

  // JSON stays English: the planner's reasons and notes are written in the
  // current language, so plan in English when they go to JSON.
  const Language language = CurrentLanguage();
  if (flags.common.json) SetLanguage(Language::kEnglish);
  const int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  SUANLI_ASSIGN_OR_RETURN(PreparedPlan prepared, PreparePlan(s, catalog, threads, assumptions));
  if (flags.top > 0) prepared.input.options.top = flags.top;
  const PlanInput& input = prepared.input;
  const PlanMarket& market = prepared.market;
  SUANLI_ASSIGN_OR_RETURN(PlanResult result, MakePlan(input));
  std::vector<std::string> model_notes = prepared.model_notes;
  SUANLI_ASSIGN_OR_RETURN(const std::vector<PlanServeWorkload> serving, PrepareServing(s, catalog, &model_notes));
  if (!flags.common.quiet) {
    for (const std::string& note : model_notes) PrintNote(note);
  }
  SUANLI_ASSIGN_OR_RETURN(const ServingPlanResult served, MakeServingPlan(input, serving));
  // Serving fleets pay from the same budget and draw on the same stock as training.
  if (!served.workloads.empty()) result.programme = CheckProgramme(input, result.workloads, &served);

  PlanReport report;
  report.file = flags.path;
  report.input = &input;
  report.result = &result;
  report.quotes_seed = market.quotes_seed;
  report.quotes_store = market.quotes_store;
  report.quotes_inline = market.quotes_inline;
  report.store = s.market.store;
  report.assumptions = PlanNotes(s, market, flags.assume);
  report.market_dropped = market.dropped;
  if (!served.workloads.empty()) report.serving = &served;
  if (flags.common.json) {
    PrintJson(PlanReportJson(report));
    SetLanguage(language);
  } else if (TableOnly(flags.common)) {
    std::cout << PlanReportTables(report, flags.common.table_format);
  } else {
    std::cout << PlanReportText(report);
  }
  if (!flags.report_path.empty()) {
    SUANLI_RETURN_IF_ERROR(WriteReport(flags.report_path, PlanReportHtml(report), flags.common.quiet));
  }
  return PlanFeasible(report) ? kExitOk : kExitInfeasible;
}

}  // namespace

int RunPlan(int argc, char** argv) {
  CLI::App app{Tr("The full decision: options (accelerator x cards x quotes x buy|rent), "
                  "procurement schedule, time-to-model (P50/P90), cost, the time/cost frontier and "
                  "a recommendation."),
               "suanli plan"};
  PlanFlags flags;
  AddCommonOptions(app, flags.common);
  app.add_option("SCENARIO", flags.path, Tr("scenario YAML file"))->required();
  app.add_option("--report", flags.report_path,
                 Tr("also write a self-contained HTML report (charts, tables, sources; works offline) to this file"));
  app.add_option("--top", flags.top, Tr("options shown per workload (default: options.top or 10)"))
      ->check(CLI::Range(1, 1000));
  AddAssumeOption(app, flags.assume);
  app.footer(Tr(kPlanFooter));
  if (auto code = ParseArgs(app, argc, argv)) return *code;
  return ExitCode("plan", PlanBody(flags));
}

}  // namespace suanli::cli
