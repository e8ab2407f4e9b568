// The costed choice among accelerators for `suanli serve` (cli/serve_flags.h):
// one capacity query per accelerator, priced for the buyer, ranked.
#include "cli/serve_flags.h"
#include "cli/flag_checks.h"

#include <algorithm>

#include "core/date.h"
#include "core/i18n.h"
#include "serve/crossover.h"
#include "serve/fleet_choice.h"

namespace suanli::cli {
namespace {

// Returns the traffic the capacity search generates: the flags' (MakeTraffic),
// with the lengths of the subject's trace rows when --trace gave them.
Result<TrafficSpec> SearchTraffic(const ServeFlags& f, const ServeSubject& subject) {
  SUANLI_ASSIGN_OR_RETURN(TrafficSpec t, MakeTraffic(f));
  if (!subject.traffic.sampled_lengths.empty()) {
    t.input = subject.traffic.input;
    t.output = subject.traffic.output;
    t.sampled_lengths = subject.traffic.sampled_lengths;
  }
  return t;
}

}  // namespace

// Returns the capacity query of `cluster` for the flags (pins, limits, traffic, SLO).
Result<CapacityQuery> MakeQuery(const ServeFlags& f, const ServeSubject& subject, const ModelSpec& model,
                                const ClusterSpec& cluster, const EngineSpec& engine, const ServingLayout& base) {
  CapacityQuery q;
  q.model = &model;
  q.cluster = cluster;
  q.engine = &engine;
  SUANLI_ASSIGN_OR_RETURN(q.traffic, SearchTraffic(f, subject));
  q.slo = subject.slo;
  if (f.tp > 0) q.tp = f.tp;
  if (f.pp > 0) q.pp = f.pp;
  if (f.dp_attention > 1) q.dp_attention = f.dp_attention;
  if (f.ep > 1) q.ep = f.ep;
  q.speculative = base.speculative;
  if (!f.weights.empty() && f.weights != "auto") q.weights = base.weights;
  if (!f.kv.empty() && f.kv != "auto") q.kv = base.kv;
  q.max_batch = f.max_batch;  // 0: the engine's default on this cluster's device
  q.prefill_budget_tokens = f.prefill_budget;
  if (f.gpus > 0) q.max_devices = f.gpus;
  q.top = f.top;
  SUANLI_RETURN_IF_ERROR(CheckPinnedFormats(q));  // exit 2, not a search with no layout
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
  buyer.max_quote_age_days = f.max_quote_age_days;
  buyer.licences = f.licences;  // checked against the rules by LoadServePrices
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
    if (all && !engine.CheckRunsOn(*a).ok()) {
      ++choice.skipped_platform;
      continue;
    }
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
    SUANLI_ASSIGN_OR_RETURN(const TrafficSpec traffic, SearchTraffic(f, subject));
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

// Returns the accelerators --accel names: one id, a comma-separated list, or
// "all" (every catalog accelerator; those without memory for the model are skipped later).
Result<std::vector<const Accelerator*>> AcceleratorList(const Catalog& catalog, const std::string& text) {
  std::vector<const Accelerator*> out;
  if (text == "all") {
    for (const Accelerator& a : catalog.accelerators()) out.push_back(&a);
    return out;
  }
  std::vector<std::string> names;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = std::min(text.find(',', start), text.size());
    names.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return AcceleratorsFlag(catalog, names, "--accel");
}

}  // namespace suanli::cli
