#include "plan/compare.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/i18n.h"
#include "core/units.h"
#include "market/costs.h"
#include "search/min_fit.h"

namespace suanli {
namespace {

// Share of the step above which communication and bubbles are the bound.
constexpr double kCommBoundShare = 0.30;

// Sets the entry's reason from one format string (its zh entry is in
// data/i18n/zh/compare.yaml): in English for JSON, translated for reports.
template <typename... Args>
void SetWhy(CompareEntry& e, std::string_view english, const Args&... args) {
  e.why = fmt::format(fmt::runtime(english), args...);
  e.why_text = fmt::format(fmt::runtime(Tr(english)), args...);
}

// Returns the sizes tried first, ascending: 1, 2, 4, 8, then whole nodes at
// powers of two and 3·2^k (16, 24, 32, 48, ...), and `max_gpus` (rounded down
// to whole nodes above 8), none above `max_gpus`.
std::vector<int> CoarseSizes(int max_gpus) {
  std::vector<int> sizes;
  for (int n = 1; n <= std::min(8, max_gpus); n *= 2) sizes.push_back(n);
  for (int p = 16; p <= max_gpus; p *= 2) {
    sizes.push_back(p);
    if (p / 2 * 3 <= max_gpus) sizes.push_back(p / 2 * 3);
  }
  const int top = max_gpus > 8 ? max_gpus / 8 * 8 : max_gpus;
  if (sizes.empty() || sizes.back() < top) sizes.push_back(top);
  std::sort(sizes.begin(), sizes.end());
  sizes.erase(std::unique(sizes.begin(), sizes.end()), sizes.end());
  return sizes;
}

// Returns the sizes in [from, below) at which a data-parallel degree that
// divides the global batch fills whole replicas: d · m for every divisor d of
// `global_batch` and m a power of two, whole nodes of 8 above 8, ascending.
// Throughput peaks at such sizes (a dp that divides the batch exists), so a
// size below the coarse misses can still match: at 1,000 sequences 1,000
// cards (dp 125 × 8) reach what 768 and 1,024 miss.
std::vector<int> BatchAlignedSizes(int global_batch, int from, int below) {
  std::vector<int> sizes;
  for (int d = 1; d <= global_batch && d < below; ++d) {
    if (global_batch % d != 0) continue;
    for (long long n = d; n < below; n *= 2) {
      if (n >= from && (n <= 8 || n % 8 == 0)) sizes.push_back(static_cast<int>(n));
    }
  }
  std::sort(sizes.begin(), sizes.end());
  sizes.erase(std::unique(sizes.begin(), sizes.end()), sizes.end());
  return sizes;
}

// Returns the fewest cards of `accelerator` that reach `target`; sizes
// below the answer with no layout for the global batch are added to `batch_misses`.
CompareEntry Match(const std::string& accelerator, double target, int reference_gpus,
                   const Throughput& reference, const ThroughputFn& throughput, int max_gpus,
                   int min_fit_gpus, std::vector<int>& batch_misses) {
  CompareEntry e;
  e.accelerator = accelerator;
  int first_fit = 0, lo = 0, hi = 0;
  Throughput best_seen;
  int best_seen_gpus = 0;
  std::string not_fit_reason;
  for (const int n : CoarseSizes(max_gpus)) {
    const Throughput t = throughput(accelerator, n);
    e.precision = t.precision;  // the same at every size
    if (!t.fits) {
      not_fit_reason = t.reason;
      if (t.reason.starts_with("no valid layout")) batch_misses.push_back(n);
      lo = n;
      continue;
    }
    if (first_fit == 0) first_fit = n;
    if (t.tokens_per_s > best_seen.tokens_per_s) {
      best_seen = t;
      best_seen_gpus = n;
    }
    if (t.tokens_per_s >= target) {
      hi = n;
      break;
    }
    lo = n;
  }
  e.min_gpus_to_fit = min_fit_gpus;
  if (hi == 0) {
    e.matched = false;
    e.bound = "cannot match";
    if (first_fit == 0) {
      e.gpus = max_gpus;
      SetWhy(e, "the model does not fit on up to {} cards: {}", max_gpus,
             not_fit_reason.empty() ? "no layout fits in memory" : not_fit_reason);
    } else {
      e.gpus = best_seen_gpus;
      e.tokens_per_s = best_seen.tokens_per_s;
      e.layout = best_seen.layout;
      SetWhy(e,
             "throughput peaks at {} tokens/s on {} cards, {:.0f}% of the reference; more cards "
             "do not close the gap within {} cards",
             FormatCount(best_seen.tokens_per_s), best_seen_gpus, 100.0 * best_seen.tokens_per_s / target,
             max_gpus);
    }
    return e;
  }
  // The fewest whole nodes from half the first hit up to it that reach the
  // target, tried in order: throughput is not monotonic in the cluster size
  // (the layouts whose data-parallel degree divides the fixed global batch
  // change with it: at 2,000 sequences 320 cards reach a target that 384
  // miss), so neither a bisection nor the gap after the last coarse miss
  // alone would do; below half of `hi` two coarse sizes in a row missed.
  // Below that, down to a quarter of `hi`, the sizes a data-parallel degree
  // dividing the batch fills (BatchAlignedSizes) are tried too.
  int found = hi;
  if (hi > 8) {
    const int start = std::min(lo, hi / 2) / 8 * 8 + 8;
    std::vector<int> sizes = BatchAlignedSizes(reference.layout.global_batch, hi / 4, start);
    for (int n = start; n < hi; n += 8) sizes.push_back(n);
    for (const int n : sizes) {
      const Throughput t = throughput(accelerator, n);
      if (t.fits && t.tokens_per_s >= target) {
        found = n;
        break;
      }
      if (!t.fits && t.reason.starts_with("no valid layout")) batch_misses.push_back(n);
    }
  }
  const Throughput t = throughput(accelerator, found);
  e.matched = true;
  e.gpus = found;
  e.tokens_per_s = t.tokens_per_s;
  e.layout = t.layout;
  e.ratio_to_reference = static_cast<double>(found) / reference_gpus;
  const double per_card = t.tokens_per_s / found;
  const double ref_per_card = reference.tokens_per_s / reference_gpus;
  const double comm_share = t.step_time_s > 0 ? t.comm_s / t.step_time_s : 0;
  const double ref_comm_share = reference.step_time_s > 0 ? reference.comm_s / reference.step_time_s : 0;
  if (first_fit >= found && found > 1 && lo > 0) {
    e.bound = "memory capacity";
    SetWhy(e,
        "the model needs {} cards just to fit ({} of {} usable per card); at that size it already "
        "matches the reference",
        min_fit_gpus > 0 ? min_fit_gpus : first_fit, FormatBytes(t.memory_bytes), FormatBytes(t.capacity_bytes));
  } else if (comm_share >= kCommBoundShare && comm_share > ref_comm_share + 0.05) {
    e.bound = "bandwidth/communication";
    SetWhy(e,
        "{:.0f}% of each step is exposed communication and pipeline bubble (reference: {:.0f}%); "
        "{} the reference's tokens/s per card",
        100 * comm_share, 100 * ref_comm_share, FormatRatio(per_card, ref_per_card));
  } else {
    e.bound = "compute";
    SetWhy(e,
        "per card it trains {} tokens/s vs {} for the reference ({}); communication "
        "is {:.0f}% of the step",
        FormatCount(per_card), FormatCount(ref_per_card), FormatRatio(per_card, ref_per_card), 100 * comm_share);
  }
  return e;
}

}  // namespace

bool SameRecommendationKey(const CompareEntry& a, const CompareEntry& b) {
  if (a.price.has_value() != b.price.has_value()) return false;
  return a.price ? a.total_cost() == b.total_cost() : a.gpus == b.gpus;
}

bool RecommendBefore(const CompareEntry& a, const CompareEntry& b) {
  // A priced row before an unpriced one; priced: the lower cost with
  // replacements; unpriced: the fewer cards.
  if (a.price.has_value() != b.price.has_value()) return a.price.has_value();
  if (!SameRecommendationKey(a, b)) return a.price ? a.total_cost() < b.total_cost() : a.gpus < b.gpus;
  // Ties: the faster, then the cheaper, then the fewer cards, then the id.
  if (a.tokens_per_s != b.tokens_per_s) return a.tokens_per_s > b.tokens_per_s;
  if (a.total_cost() != b.total_cost()) return a.total_cost() < b.total_cost();
  if (a.gpus != b.gpus) return a.gpus < b.gpus;
  return a.accelerator < b.accelerator;
}

double TokensPerStep(const ParallelConfig& layout) {
  return static_cast<double>(layout.global_batch) * layout.seq_len;
}

bool SameBatchEverywhere(const CompareResult& r) {
  return std::all_of(r.candidates.begin(), r.candidates.end(), [&](const CompareEntry& e) {
    return e.tokens_per_s <= 0 || (e.layout.global_batch == r.reference_layout.global_batch &&
                                   e.layout.seq_len == r.reference_layout.seq_len);
  });
}

Result<CompareResult> CompareClusters(const std::string& model, const std::string& reference,
                                      int reference_gpus,
                                      const std::vector<std::string>& candidates,
                                      const ThroughputFn& throughput, const CardPriceFn& price,
                                      double tokens, int max_gpus, const std::string& currency,
                                      const MinFitFn& min_fit, Precision precision, const StackOfFn& stack_of) {
  CompareResult r;
  r.model = model;
  r.reference_accelerator = reference;
  r.reference_gpus = reference_gpus;
  r.tokens = tokens;
  r.currency = currency;
  r.precision = precision;
  if (stack_of) {
    // The CLI refuses a reference its named stack does not run on (bad input) before this.
    auto stack = stack_of(reference);
    if (!stack.ok()) return stack.error();
    r.reference_stack = *stack;
  }
  const Throughput ref = throughput(reference, reference_gpus);
  if (!ref.fits) {
    return MakeError(TrFormat("{} does not fit on {} × {}: {}", model, reference_gpus, reference, ref.reason),
                     "--reference", Tr("give more reference cards or a smaller model"));
  }
  r.reference_tokens_per_s = ref.tokens_per_s;
  r.reference_precision = ref.precision;
  r.reference_layout = ref.layout;
  r.reference_price = price ? price(reference, reference_gpus) : std::nullopt;
  if (r.reference_price) r.reference_cost = r.reference_price->cost();
  if (tokens > 0) r.reference_train_days = tokens / ref.tokens_per_s / 86400.0;
  std::vector<std::string> granular;  // "card: sizes" with no layout for the stated batch
  for (const std::string& candidate : candidates) {
    if (stack_of) {
      if (auto stack = stack_of(candidate); !stack.ok()) {
        CompareEntry excluded;
        excluded.accelerator = candidate;
        excluded.bound = "excluded";
        SetWhy(excluded, "excluded: {}", stack.error().message);
        r.candidates.push_back(std::move(excluded));
        continue;
      }
    }
    std::vector<int> misses;
    CompareEntry e = Match(candidate, ref.tokens_per_s, reference_gpus, ref, throughput, max_gpus,
                           min_fit ? min_fit(candidate) : 0, misses);
    if (stack_of) e.stack = *stack_of(candidate);
    std::erase_if(misses, [&](int n) { return !e.matched || n >= e.gpus; });
    std::sort(misses.begin(), misses.end());
    if (!misses.empty()) granular.push_back(fmt::format("{} {}", candidate, fmt::join(misses, ", ")));
    e.price = price ? price(candidate, e.gpus) : std::nullopt;
    if (e.matched && e.price) e.cost = e.price->cost();
    if (tokens > 0 && e.tokens_per_s > 0) e.train_days = tokens / e.tokens_per_s / 86400.0;
    r.candidates.push_back(std::move(e));
  }
  if (!granular.empty()) {
    // Only a stated batch leaves sizes without a layout: say that layout
    // granularity, not throughput, set those counts.
    const std::string list = fmt::format("{}", fmt::join(granular, "; "));
    r.batch_note.english = fmt::format(
        "layout granularity binds: no layout's data-parallel degree divides the global batch of {} sequences on "
        "{} cards, so the answer skips those sizes (leave --global-batch out to let each size run the nearest "
        "batch its data-parallel degree divides)",
        ref.layout.global_batch, list);
    r.batch_note.text = TrFormat(
        "layout granularity binds: no layout's data-parallel degree divides the global batch of {} sequences on "
        "{} cards, so the answer skips those sizes (leave --global-batch out to let each size run the nearest "
        "batch its data-parallel degree divides)",
        ref.layout.global_batch, list);
  }
  PutBestFirstAmongTies(r);
  return r;
}

std::string StackIn(const CompareResult& r, const std::string& accelerator) {
  if (accelerator == r.reference_accelerator && !r.reference_stack.empty()) return r.reference_stack;
  for (const CompareEntry& e : r.candidates) {
    if (e.accelerator == accelerator && !e.stack.empty()) return e.stack;
  }
  return r.stack;
}

void PriceUsedCardRisk(CompareResult& r, double used_annual_failure_rate) {
  r.used_annual_failure_rate = used_annual_failure_rate;
  // The planner's term (market/costs.h CostOfOwning): used cards past their
  // warranty over the months held, here the months the row trains.
  const auto risk = [&](const std::optional<CardPrice>& price, int cards, double train_days) {
    if (!price || !price->used() || r.tokens <= 0 || train_days <= 0) return 0.0;
    return ExpectedReplacementCost(cards, price->price_per_card, used_annual_failure_rate,
                                   train_days / kDaysPerMonth, price->warranty_months);
  };
  r.reference_replacement_risk = risk(r.reference_price, r.reference_gpus, r.reference_train_days);
  for (CompareEntry& e : r.candidates) e.replacement_risk = e.matched ? risk(e.price, e.gpus, e.train_days) : 0.0;
  PutBestFirstAmongTies(r);
}

int BestCompareEntry(const CompareResult& r) {
  int best = -1;
  for (size_t i = 0; i < r.candidates.size(); ++i) {
    const CompareEntry& e = r.candidates[i];
    if (!e.matched || !e.buyable()) continue;
    if (best < 0 || RecommendBefore(e, r.candidates[static_cast<size_t>(best)])) best = static_cast<int>(i);
  }
  return best;
}

void PutBestFirstAmongTies(CompareResult& r) {
  const int best = BestCompareEntry(r);
  if (best < 0) return;
  const CompareEntry& b = r.candidates[static_cast<size_t>(best)];
  for (int i = 0; i < best; ++i) {
    const CompareEntry& e = r.candidates[static_cast<size_t>(i)];
    if (!e.matched || !e.buyable() || !SameRecommendationKey(e, b)) continue;
    // Rotate the winner to the first tied row; the rows between keep their order.
    std::rotate(r.candidates.begin() + i, r.candidates.begin() + best, r.candidates.begin() + best + 1);
    return;
  }
}

MinFitFn MakeSearchMinFit(const Catalog& catalog, const ModelSpec& model, const TrainSettings& settings,
                          int max_gpus) {
  SearchOptions options;
  options.seq_len = EffectiveSeqLen(model, settings);
  options.precision = settings.precision;
  options.global_batch = settings.global_batch;
  options.assumptions = settings.assumptions;
  return [&catalog, model, options, settings, max_gpus](const std::string& accelerator) {
    auto found = catalog.FindAccelerator(accelerator);
    if (!found.ok()) return 0;
    // At the precision the card trains at, as the throughput and fit do
    // (bf16 asked on a card with fp16 only: fp16 gradients, fewer bytes),
    // on the stack the card runs (auto: its platform's).
    SearchOptions on_card = options;
    UseSettingsStack(settings, **found, on_card);
    on_card.precision = TrainingPrecisionOn(**found, options.precision);
    const MinFit fit = MinTrainingDevicesOf(catalog, model, **found, on_card, max_gpus);
    return fit.found ? fit.devices : 0;
  };
}

}  // namespace suanli
