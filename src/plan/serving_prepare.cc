// Serving workloads of a scenario wired to the SLO capacity search
// (plan/serving_plan.h PrepareServing; serve/capacity.h).
#include <memory>

#include <fmt/format.h>

#include "core/i18n.h"
#include "model/cluster.h"
#include "plan/serving_plan.h"
#include "serve/capacity.h"
#include "serve/engine.h"
#include "serve/fleet_choice.h"

namespace suanli {
namespace {

// The engine `engine: auto` runs: serve's default rule (serve/engine.h DefaultEngineFor).
std::string AutoEngine(const Accelerator& accelerator) { return DefaultEngineFor(accelerator.vendor); }

// Everything a capacity search of one serving workload needs besides the accelerator.
struct ServeSearch {
  ModelSpec model;
  std::vector<EngineSpec> engines;
  std::string engine;  // "auto" or an engine id
  TrafficSpec traffic;
  ServingSlo slo;
  std::optional<Precision> weights, kv;
  int requests_per_check = kDefaultRequestsPerCheck;
  int max_devices = 0;
};

// Runs the capacity search of `search` on `accelerator_id` over `catalog`.
ServingNeed SearchNeed(const Catalog& catalog, const ServeSearch& search, const std::string& accelerator_id) {
  ServingNeed need;
  auto accelerator = catalog.FindAccelerator(accelerator_id);
  if (!accelerator.ok()) {
    need.reason = need.reason_text = accelerator.error().message;
    return need;
  }
  need.engine = search.engine == "auto" ? AutoEngine(**accelerator) : search.engine;
  auto engine = FindEngine(search.engines, need.engine);
  if (!engine.ok()) {
    need.reason = need.reason_text = engine.error().message;
    return need;
  }
  if (Status runs = (*engine)->CheckRunsOn(**accelerator); !runs.ok()) {
    need.engine_runs = false;
    need.reason = need.reason_text = runs.error().message;
    return need;
  }
  CapacityQuery q;
  q.model = &search.model;
  q.cluster = MakeCluster(**accelerator, catalog.DefaultSystemFor((*accelerator)->id));
  q.engine = *engine;
  q.traffic = search.traffic;
  q.slo = search.slo;
  q.weights = search.weights;
  q.kv = search.kv;
  q.requests_per_check = search.requests_per_check;
  q.max_devices = search.max_devices;
  q.top = 1;  // the fewest devices: on one accelerator, also the cheapest fleet
  need.max_devices = q.max_devices;
  // serve's choice between aggregated and xPyD (both SLO targets needed for
  // xPyD), unpriced: the fewer devices win, as on one accelerator they cost less.
  const AcceleratorOption option =
      EvaluateAccelerator(q, DevicePricing{}, search.slo.ttft_s > 0 && search.slo.tpot_s > 0);
  const CapacityResult& result = option.aggregated;
  need.fits = result.fits;
  if (result.feasible) {
    const CapacityAnswer& a = result.answers.front();
    need.aggregated_devices = a.devices;
    need.aggregated_replicas = a.replicas;
    need.aggregated_layout = a.layout;
    need.aggregated_ttft_ms = 1e3 * a.service.ttft.at_slo_percentile_s;
    need.aggregated_tpot_ms = 1e3 * a.service.tpot.at_slo_percentile_s;
  }
  if (option.disaggregated.feasible) need.xpyd_devices = option.disaggregated.devices;
  if (!option.feasible) {
    need.reason = result.reason;
    need.reason_text = result.reason_text;
    return need;
  }
  need.feasible = true;
  need.devices = option.devices;
  if (option.disaggregated_chosen) {
    const DisaggregatedAnswer& d = option.disaggregated;
    need.disaggregated = true;
    need.prefill_replicas = d.prefill_replicas;
    need.decode_replicas = d.decode_replicas;
    need.prefill_layout = d.prefill_layout;
    need.decode_layout = d.decode_layout;
    need.kv_transfer_ms = 1e3 * d.transfer_s;
    need.ttft_ms = 1e3 * d.ttft_at_slo_s;
    need.tpot_ms = 1e3 * d.decode_service.tpot.at_slo_percentile_s;
    return need;
  }
  const CapacityAnswer& a = result.answers.front();
  need.replicas = a.replicas;
  need.layout = a.layout;
  need.ttft_ms = 1e3 * a.service.ttft.at_slo_percentile_s;
  need.tpot_ms = 1e3 * a.service.tpot.at_slo_percentile_s;
  return need;
}

Result<Precision> FormatOf(const std::string& text) { return ParsePrecision(text); }

}  // namespace

Result<std::vector<PlanServeWorkload>> PrepareServing(const Scenario& s, const Catalog& catalog,
                                                      std::vector<std::string>* notes) {
  std::vector<PlanServeWorkload> out;
  if (s.serving.empty()) return out;
  SUANLI_ASSIGN_OR_RETURN(const std::vector<EngineSpec> engines, LoadEmbeddedEngines());
  for (const ScenarioServe& w : s.serving) {
    std::vector<std::string> model_notes;
    auto model = ResolveModelArg(catalog, w.model, &model_notes);
    if (!model.ok()) return MakeError(model.error().message, w.model_where, model.error().hint);
    if (notes != nullptr) {
      for (const std::string& note : model_notes) notes->push_back(fmt::format("{}: {}", w.model_where, note));
    }
    if (w.engine != "auto") {
      auto engine = FindEngine(engines, w.engine);
      if (!engine.ok()) return MakeError(engine.error().message, w.engine_where, engine.error().hint);
    }
    auto search = std::make_shared<ServeSearch>();
    search->model = *model;
    search->engines = engines;
    search->engine = w.engine;
    search->traffic.rate_rps = w.rate_rps;
    // Serve's default traffic seed (TrafficSpec, `serve --seed`), not the
    // scenario's lead-time seed: the fleet is the one `serve` replays.
    SUANLI_ASSIGN_OR_RETURN(const LengthKind in_kind, ParseLengthKind(w.input_dist));
    SUANLI_ASSIGN_OR_RETURN(const LengthKind out_kind, ParseLengthKind(w.output_dist));
    search->traffic.input = {in_kind, w.input_tokens, w.spread, 0};
    search->traffic.output = {out_kind, w.output_tokens, w.spread, 0};
    search->slo = ServingSlo{w.ttft_ms * 1e-3, w.tpot_ms * 1e-3, w.percentile};
    if (!w.weights.empty()) {
      SUANLI_ASSIGN_OR_RETURN(search->weights, FormatOf(w.weights));
    }
    if (!w.kv.empty()) {
      SUANLI_ASSIGN_OR_RETURN(search->kv, FormatOf(w.kv));
    }
    search->requests_per_check = w.requests_per_check;
    search->max_devices = s.constraints.max_devices;

    PlanServeWorkload p;
    p.model = model->id;
    p.name = !w.name.empty() ? w.name : TrFormat("{} at {:g} req/s", model->id, w.rate_rps);
    p.rate_rps = w.rate_rps;
    p.input_tokens = w.input_tokens;
    p.output_tokens = w.output_tokens;
    p.ttft_ms = w.ttft_ms;
    p.tpot_ms = w.tpot_ms;
    p.percentile = w.percentile;
    p.has_needed_by = w.has_needed_by;
    p.needed_by = w.needed_by;
    p.period_months = w.period_months;
    p.utilisation = w.utilisation;
    p.capacity = [&catalog, search](const std::string& accelerator) {
      return SearchNeed(catalog, *search, accelerator);
    };
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace suanli
