// suanli plan SCENARIO.yaml: the full decision for every workload of a
// scenario: options, schedule, cost, time-to-model, frontier, recommendation.
#include <iostream>
#include <thread>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/common.h"
#include "plan/market_adapter.h"
#include "plan/plan.h"
#include "plan/scenario.h"
#include "plan/throughput.h"
#include "report/plan_report.h"

namespace suanli::cli {
namespace {

constexpr char kFooter[] = R"(examples:
  suanli plan examples/china-2023-startup.yaml
  suanli plan examples/china-2023-startup.yaml --json --top 5
  suanli plan examples/google-2010.yaml

The scenario file is described in docs/scenario.md (schema: docs/scenario.schema.json).
exit codes: 0 a plan for every workload, 1 some workload has no feasible option
(the reasons per accelerator are listed), 2 bad input (file:line and a fix on stderr).)";

}  // namespace

int RunPlan(int argc, char** argv) {
  CLI::App app{"The full decision: options (accelerator x cards x quotes x buy|rent), "
               "procurement schedule, time-to-model (P50/P90), cost, the time/cost frontier and "
               "a recommendation.",
               "suanli plan"};
  CommonOptions common;
  AddCommonOptions(app, common);
  std::string path;
  int top = 0;
  app.add_option("SCENARIO", path, "scenario YAML file")->required();
  app.add_option("--top", top, "options shown per workload (default: options.top or 10)")
      ->check(CLI::Range(1, 1000));
  app.footer(kFooter);
  if (auto code = ParseArgs(app, argc, argv)) return *code;

  auto scenario = LoadScenario(path);
  if (!scenario.ok()) return ReportError("plan", scenario.error());
  const Scenario& s = *scenario;
  CommonOptions with_scenario_catalog = common;
  for (const std::string& file : s.catalog_files) {
    with_scenario_catalog.catalog_files.push_back(file);
  }
  auto catalog = LoadCatalog(with_scenario_catalog);
  if (!catalog.ok()) return ReportError("plan", catalog.error());

  PlanInput input;
  input.region = s.buyer.region;
  input.tier = s.buyer.tier;
  input.date = s.buyer.date;
  input.currency = s.buyer.currency;
  input.allow_grey_market = s.buyer.allow_grey_market;
  input.objective = s.objective;
  input.constraints = s.constraints;
  input.options = s.options;
  if (top > 0) input.options.top = top;
  if (s.constraints.budget > 0 && s.budget_currency != s.buyer.currency) {
    auto converted = ConvertMoney(s.constraints.budget, s.budget_currency, s.buyer.currency,
                                  s.buyer.date);
    if (!converted.ok()) {
      return ReportError("plan", MakeError(converted.error().message, s.budget_where,
                                           converted.error().hint));
    }
    input.constraints.budget = *converted;
  }
  // Accept vendor spellings ("A800") and plan with the canonical ids.
  for (std::string& id : input.constraints.accelerators) {
    auto accel = catalog->FindAccelerator(id);
    if (!accel.ok()) {
      return ReportError("plan", MakeError(accel.error().message, s.accelerators_where,
                                           accel.error().hint));
    }
    id = (*accel)->id;
  }

  auto market = LoadPlanMarket(s, *catalog);
  if (!market.ok()) return ReportError("plan", market.error());
  input.quotes = market->quotes;
  input.costs = market->costs;
  for (const PlanQuote& q : input.quotes) {
    bool known = false;
    for (const PlanAccelerator& a : input.accelerators) known = known || a.id == q.sku;
    if (known) continue;
    auto accel = catalog->FindAccelerator(q.sku);
    if (!accel.ok()) return ReportError("plan", MakeError(accel.error().message, q.where));
    input.accelerators.push_back(PlanAccelerator{(*accel)->id, (*accel)->vendor, (*accel)->tdp_w});
  }

  const int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::vector<ModelSpec> models;
  models.reserve(s.workloads.size());
  for (const ScenarioWorkload& w : s.workloads) {
    auto model = ResolveModel(*catalog, w.model);
    if (!model.ok()) {
      return ReportError("plan", MakeError(model.error().message, w.model_where, model.error().hint));
    }
    models.push_back(*model);
  }
  for (size_t i = 0; i < s.workloads.size(); ++i) {
    const ScenarioWorkload& w = s.workloads[i];
    TrainSettings settings;
    settings.seq_len = w.seq_len;
    settings.global_batch = w.global_batch;
    settings.global_batch_tokens = w.global_batch_tokens;
    auto precision = ParsePrecision(w.precision);
    if (precision.ok()) settings.precision = *precision;
    settings.threads = threads;
    PlanWorkload workload;
    workload.model = models[i].id;
    workload.tokens = w.tokens;
    workload.name = !w.name.empty() ? w.name : models[i].id;
    workload.throughput = MakeSearchThroughput(*catalog, models[i], settings);
    input.workloads.push_back(std::move(workload));
  }

  auto result = MakePlan(input);
  if (!result.ok()) return ReportError("plan", result.error());

  PlanReport report;
  report.file = path;
  report.input = &input;
  report.result = &*result;
  report.quotes_seed = market->quotes_seed;
  report.quotes_store = market->quotes_store;
  report.quotes_inline = market->quotes_inline;
  report.store = s.market.store;
  report.assumptions = market->notes;
  report.assumptions.push_back(
      "throughput: best layout found by the layout search for each accelerator and size, on the "
      "accelerator's default system");
  report.assumptions.push_back(
      "training time = tokens / (tokens/s x useful fraction), useful fraction from Young/Daly "
      "checkpointing; time-to-model = delivery + setup + training, staged when allowed");
  if (common.json) {
    PrintJson(PlanReportJson(report));
  } else {
    std::cout << PlanReportText(report);
  }
  return result->Feasible() ? kExitOk : kExitInfeasible;
}

}  // namespace suanli::cli
