#include "plan/prepare.h"

#include <algorithm>
#include <string>
#include <utility>

#include <fmt/format.h>

#include "core/i18n.h"
#include "core/text.h"
#include "plan/compare.h"
#include "plan/option_cost.h"
#include "plan/throughput.h"
#include "workload/layout_defaults.h"
#include "workload/stack.h"

namespace suanli {

namespace {

// Returns true when the constraints leave accelerator `a` in the plan.
bool Allowed(const PlanConstraints& c, const PlanAccelerator& a) {
  const auto same = [](const std::string& x, const std::string& y) { return NormalizeId(x) == NormalizeId(y); };
  const bool id_ok = c.accelerators.empty() ||
                     std::any_of(c.accelerators.begin(), c.accelerators.end(), [&](auto& id) { return same(id, a.id); });
  const bool vendor_ok = c.vendors.empty() ||
                         std::any_of(c.vendors.begin(), c.vendors.end(), [&](auto& v) { return same(v, a.vendor); });
  return id_ok && vendor_ok;
}

// Adds to `notes` one line per planned accelerator that lacks the workload's
// precision and trains at another (TrainingPrecisionOn), as compare says it:
// "ascend-910b has no fp8 peak in the catalog: it trains at bf16", so a bf16
// row is never ranked against fp8 ones without a word.
void AddPrecisionNotes(const Catalog& catalog, const PlanInput& input, const std::string& workload,
                       Precision wanted, std::vector<std::string>& notes) {
  for (const PlanAccelerator& planned : input.accelerators) {
    if (!Allowed(input.constraints, planned)) continue;
    auto accel = catalog.FindAccelerator(planned.id);
    if (!accel.ok()) continue;
    const Precision used = TrainingPrecisionOn(**accel, wanted);
    if (used == wanted) continue;
    notes.push_back(fmt::format("{}: {}", workload,
                                TrFormat("{} has no {} peak in the catalog: it trains at {}", planned.id,
                                         PrecisionName(wanted), PrecisionName(used))));
  }
}

}  // namespace

Result<PreparedPlan> PreparePlan(const Scenario& s, const Catalog& catalog, int threads,
                                 const PerfAssumptions& assumptions) {
  PlanInput input;
  input.region = s.buyer.region;
  input.tier = s.buyer.tier;
  input.date = s.buyer.date;
  input.currency = s.buyer.currency;
  input.allow_grey_market = s.buyer.allow_grey_market;
  input.objective = s.objective;
  input.constraints = s.constraints;
  input.options = s.options;
  if (s.constraints.budget > 0 && s.budget_currency != s.buyer.currency) {
    auto converted = ConvertMoney(s.constraints.budget, s.budget_currency, s.buyer.currency,
                                  s.buyer.date);
    if (!converted.ok()) {
      return MakeError(converted.error().message, s.budget_where, converted.error().hint);
    }
    input.constraints.budget = *converted;
  }
  // Every vendor named must be one the catalog knows (a typo would exclude every accelerator).
  std::vector<std::string> known_vendors;
  for (const Accelerator& a : catalog.accelerators()) {
    if (std::find(known_vendors.begin(), known_vendors.end(), a.vendor) == known_vendors.end()) {
      known_vendors.push_back(a.vendor);
    }
  }
  for (const std::string& vendor : input.constraints.vendors) {
    const bool known = std::any_of(known_vendors.begin(), known_vendors.end(),
                                   [&](const std::string& v) { return NormalizeId(v) == NormalizeId(vendor); });
    if (known) continue;
    const std::string guess = DidYouMean(NearestMatches(vendor, known_vendors));
    std::vector<std::string> sorted = known_vendors;
    std::sort(sorted.begin(), sorted.end());
    return MakeError(TrFormat("unknown vendor '{}' in constraints.vendors", vendor), s.vendors_where,
                     TrFormat("{}{}the catalog's vendors: {}", guess, guess.empty() ? "" : " ", Join(sorted, ", ")));
  }
  // Accept vendor spellings ("A800") and plan with the canonical ids.
  for (std::string& id : input.constraints.accelerators) {
    auto accel = catalog.FindAccelerator(id);
    if (!accel.ok()) {
      return MakeError(accel.error().message, s.accelerators_where, accel.error().hint);
    }
    id = (*accel)->id;
  }

  auto market = LoadPlanMarket(s, catalog);
  if (!market.ok()) return market.error();
  input.quotes = market->quotes;
  input.no_offer = market->no_offer;
  for (const Accelerator& a : catalog.accelerators()) input.catalog_accelerators.push_back(PlanAccelerator{a.id, a.vendor, a.tdp_w});
  input.costs = market->costs;
  for (const PlanQuote& q : input.quotes) {
    bool known = false;
    for (const PlanAccelerator& a : input.accelerators) known = known || a.id == q.sku;
    if (known) continue;
    auto accel = catalog.FindAccelerator(q.sku);
    if (!accel.ok()) return MakeError(accel.error().message, q.where);
    input.accelerators.push_back(PlanAcceleratorOf(**accel, catalog.DefaultSystemFor((*accel)->id)));
  }

  std::vector<ModelSpec> models;
  models.reserve(s.workloads.size());
  std::vector<std::string> prepared_notes;
  for (const ScenarioWorkload& w : s.workloads) {
    std::vector<std::string> notes;
    auto model = ResolveModelArg(catalog, w.model, &notes);
    if (!model.ok()) {
      return MakeError(model.error().message, w.model_where, model.error().hint);
    }
    models.push_back(*model);
    for (const std::string& note : notes) prepared_notes.push_back(fmt::format("{}: {}", w.model_where, note));
  }
  for (size_t i = 0; i < s.workloads.size(); ++i) {
    const ScenarioWorkload& w = s.workloads[i];
    TrainSettings settings;
    settings.seq_len = w.seq_len;
    settings.global_batch = w.global_batch;
    settings.global_batch_tokens = w.global_batch_tokens;
    settings.precision = w.precision;
    settings.threads = threads;
    settings.assumptions = assumptions;
    settings.stack = w.stack;
    settings.optimizer_offload = w.optimizer_offload;
    PlanWorkload workload;
    workload.model = models[i].id;
    workload.model_arg = w.model;
    workload.moe = models[i].IsMoe();
    workload.stack = w.stack;
    workload.tokens = w.tokens;
    // The default name says the stack when one was named (not `auto`).
    workload.name = !w.name.empty() ? w.name
                    : IsAutoStack(w.stack) || w.stack == kDefaultStackId ? models[i].id
                                                                        : fmt::format("{} ({})", models[i].id, w.stack);
    if (w.global_batch > 0) {  // global_batch counts sequences (global_batch_tokens counts tokens)
      const std::string note = LargeGlobalBatchNote(w.global_batch, EffectiveSeqLen(models[i], settings),
                                                    "train.global_batch");
      if (!note.empty()) prepared_notes.push_back(fmt::format("{}: {}", w.model_where, note));
    }
    AddPrecisionNotes(catalog, input, workload.name, w.precision, market->notes);
    workload.throughput = MakeSearchThroughput(catalog, models[i], settings);
    workload.min_fit = MakeSearchMinFit(catalog, models[i], settings,
                                        std::min(input.constraints.max_devices, kMaxPlanClusterSize));
    input.workloads.push_back(std::move(workload));
  }

  PreparedPlan prepared;
  prepared.input = std::move(input);
  prepared.market = std::move(market).value();
  prepared.model_notes = std::move(prepared_notes);
  return prepared;
}

}  // namespace suanli
