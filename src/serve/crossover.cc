// The decode-throughput crossover of two accelerators (serve/crossover.h).
#include "serve/crossover.h"

#include <algorithm>
#include <cmath>

#include "core/i18n.h"
#include "serve/capacity.h"
#include "serve/replica.h"

namespace suanli {
namespace {

// Returns per-device decode tokens/s of `batch` sequences at `context` tokens each.
double DecodeRate(const IterationModel& model, int batch, double context) {
  BatchWork work;
  work.decode_seqs = batch;
  work.decode_context_tokens = batch * context;
  return batch / model.Seconds(work) / model.layout().Devices();
}

// Fills a side's batch-1, peak and prefill rates.
void FillSide(CrossoverSide& side, const IterationModel& model, const ReplicaMemory& memory, int engine_cap,
              const TrafficSpec& traffic, double context) {
  // A sliding window caps the keys read and (engines that free it) the KV held.
  const double keys = memory.window.Keys(context);
  side.max_batch = std::clamp(static_cast<int>(memory.kv_capacity_tokens / keys), 1, engine_cap);
  side.batch1_tok_s = DecodeRate(model, 1, keys);
  side.peak_tok_s = DecodeRate(model, side.max_batch, keys);
  side.prefill_tok_s = traffic.input.mean_tokens / LonePrefillSeconds(model, side.layout, traffic, memory.window) /
                       side.layout.Devices();
}

}  // namespace

Result<Crossover> FindCrossover(const ModelSpec& model, const ClusterSpec& first, const ClusterSpec& second,
                                const EngineSpec& engine, Precision weights, Precision kv,
                                const TrafficSpec& traffic, const PerfAssumptions& assumptions) {
  Crossover c;
  c.first.accelerator = first.accelerator->id;
  c.second.accelerator = second.accelerator->id;
  c.context_tokens = traffic.input.mean_tokens + 0.5 * traffic.output.mean_tokens;
  ServingLayout layout;
  layout.weights = weights;
  layout.kv = kv;
  layout.memory = engine.memory;
  // Each side runs the engine's default batch and budget on its own device.
  const BatchDefaults first_defaults = engine.DefaultsFor(*first.accelerator);
  const BatchDefaults second_defaults = engine.DefaultsFor(*second.accelerator);
  auto on = [&](const BatchDefaults& defaults) {
    ServingLayout side = layout;
    side.max_batch = defaults.max_batch;
    side.prefill_budget_tokens = defaults.prefill_budget_tokens;
    return side;
  };
  const int domain = std::min(first.scale_up_domain, second.scale_up_domain);
  bool fits = false;
  for (layout.tp = 1; layout.tp <= std::max(1, domain); layout.tp *= 2) {
    if (model.heads % layout.tp != 0) continue;
    if (ServingMemory(model, *first.accelerator, on(first_defaults)).fits &&
        ServingMemory(model, *second.accelerator, on(second_defaults)).fits) {
      fits = true;
      break;
    }
  }
  if (!fits) {
    return MakeError(TrFormat("{} fits on {} and {} with no common tensor parallelism up to {}", model.id,
                              c.first.accelerator, c.second.accelerator, domain),
                     "--accel", Tr("try --weights int4 or fp8"));
  }
  c.first.layout = on(first_defaults);
  c.second.layout = on(second_defaults);
  SUANLI_ASSIGN_OR_RETURN(const IterationModel a, IterationModel::Make(model, first, c.first.layout, engine, assumptions));
  SUANLI_ASSIGN_OR_RETURN(const IterationModel b,
                          IterationModel::Make(model, second, c.second.layout, engine, assumptions));
  FillSide(c.first, a, ServingMemory(model, *first.accelerator, c.first.layout), first_defaults.max_batch, traffic,
           c.context_tokens);
  FillSide(c.second, b, ServingMemory(model, *second.accelerator, c.second.layout), second_defaults.max_batch,
           traffic, c.context_tokens);
  c.leader_at_1 = c.first.batch1_tok_s >= c.second.batch1_tok_s ? 0 : 1;
  const int top = std::max({c.first.max_batch, c.second.max_batch, first_defaults.max_batch,
                            second_defaults.max_batch});
  for (int batch = 1; batch <= top; ++batch) {
    const double ra = DecodeRate(a, batch, c.context_tokens);
    const double rb = DecodeRate(b, batch, c.context_tokens);
    const bool overtaken = c.leader_at_1 == 0 ? rb > ra : ra > rb;
    if (overtaken && c.crossover_batch == 0) c.crossover_batch = batch;
    const bool power_of_two = (batch & (batch - 1)) == 0;
    if (power_of_two || batch == top || batch == c.crossover_batch || batch == c.first.max_batch ||
        batch == c.second.max_batch) {
      c.batches.push_back(batch);
      c.first_tok_s.push_back(ra);
      c.second_tok_s.push_back(rb);
    }
  }
  return c;
}

void PriceCrossover(Crossover& c, const DevicePricing& first, const DevicePricing& second) {
  for (auto [side, pricing] : {std::pair{&c.first, &first}, std::pair{&c.second, &second}}) {
    // One whole server of cards at the peak, so a card carries its share of
    // the server's hosting and chassis rather than a whole one.
    const int cards = ServerCards(*pricing);
    const ServingCost cost = FleetCost(*pricing, cards, cards * side->peak_tok_s);
    side->per_mtok = cost.Best();
    side->per_mtok_basis = cost.BestBasis();
  }
}

}  // namespace suanli
