// The equivalence question of the article: how many cards of each candidate
// accelerator match the best-layout throughput of a reference cluster
// (e.g. 100 A800), what they cost at market quotes, and which bound decides.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/precision.h"
#include "core/result.h"
#include "market/quote_filter.h"
#include "catalog/catalog.h"
#include "plan/plan.h"
#include "plan/throughput.h"
#include "workload/model_spec.h"

namespace suanli {

// The cheapest usable purchase quote for a card, in the report currency.
struct CardPrice {
  std::string quote_id;
  std::string supplier;
  double price_per_card = 0;
};

// Returns the cheapest quote for an accelerator id, or nullopt when none is usable.
using CardPriceFn = std::function<std::optional<CardPrice>(const std::string& accelerator)>;

// One candidate's answer.
struct CompareEntry {
  std::string accelerator;
  bool matched = false;        // some size up to max_gpus reaches the reference throughput
  int gpus = 0;                // cards needed (or the largest tried when !matched)
  double tokens_per_s = 0;     // at `gpus`
  double ratio_to_reference = 0;  // cards needed / reference cards
  ParallelConfig layout;
  int min_gpus_to_fit = 0;     // fewest cards on which the model fits (search/min_fit.h; 0 = none)
  std::string bound;           // compute | memory capacity | bandwidth/communication | cannot match
  std::string why;             // in words, with the numbers, in English (JSON)
  std::string why_text;        // `why` in the current language (text and HTML reports)
  // The precision it trained at (Throughput::precision): the requested one,
  // or the best the card has when it lacks that (CompareResult::precision).
  Precision precision = Precision::kBf16;
  std::optional<CardPrice> price;
  ReasonText no_price;         // why no quote is usable, when !price (CardPrices::why_none)
  // Why the buyer may not buy this card on the price date (an export rule;
  // CardPrices::blocked); empty `english` when it may. A blocked card stays
  // listed but is never the recommendation (BestCandidate).
  ReasonText blocked;
  double cost = 0;             // gpus x price (0 without a quote)
  double train_days = 0;       // when tokens > 0
  // Returns true unless an export rule stops the buyer buying the card.
  bool buyable() const { return blocked.english.empty(); }
};

struct CompareResult {
  std::string model;
  std::string stack = "megatron";  // software stack of the reference and every candidate (data/stacks.yaml)
  std::string reference_accelerator;
  int reference_gpus = 0;
  double reference_tokens_per_s = 0;
  ParallelConfig reference_layout;
  Precision precision = Precision::kBf16;            // the requested training precision (--precision)
  Precision reference_precision = Precision::kBf16;  // the one the reference trains at (the CLI refuses a
                                                     // reference without the requested one)
  std::optional<CardPrice> reference_price;
  ReasonText reference_no_price;  // why no quote is usable, when !reference_price
  ReasonText reference_blocked;   // why the buyer may not buy the reference's card; empty english: it may
  double reference_cost = 0;
  double reference_train_days = 0;
  double tokens = 0;           // 0 = not given
  std::string currency;
  Date price_date;             // the buyer's date the quotes behind the prices were checked on
  bool price_date_defaulted = false;  // no --date: the newest seed quote's date
  std::string region;          // buyer region of the price checks
  std::string tier;            // buyer tier of the price checks
  std::string store;           // quote store read besides the seed quotes (--db); empty = seed only
  int quotes_store = 0;        // quotes read from `store`
  std::vector<CompareEntry> candidates;
};

// Returns the tokens per optimizer step of a layout: global batch (sequences) × sequence length.
double TokensPerStep(const ParallelConfig& layout);
// Returns true when every candidate with a throughput trains at the
// reference's global batch and sequence length (the same recipe).
bool SameBatchEverywhere(const CompareResult& result);

// Compares candidates with `reference_gpus` cards of `reference`. Sizes are
// tried on a coarse grid (1, 2, 4, 8, then powers of two and 3·2^k, and
// `max_gpus`) up to the first that reaches the reference, then every whole
// node of 8 between the last miss and that hit in order, so the answer is
// the fewest cards even where throughput falls as cards are added; each
// candidate's min_gpus_to_fit comes from `min_fit` (when set). Fails when
// the reference itself does not fit. `precision` is the one requested; a
// candidate without it trains at its best (CompareEntry::precision).
// `throughput` decides the global batch: `compare` gives every size the
// reference's (TrainSettings::global_batch), so a size whose layouts cannot
// divide it does not fit and the rows compare one training recipe.
Result<CompareResult> CompareClusters(const std::string& model, const std::string& reference,
                                      int reference_gpus,
                                      const std::vector<std::string>& candidates,
                                      const ThroughputFn& throughput, const CardPriceFn& price,
                                      double tokens, int max_gpus, const std::string& currency,
                                      const MinFitFn& min_fit = nullptr, Precision precision = Precision::kBf16);

// Returns a MinFitFn over `catalog` (which must outlive it) for `model`
// trained as `settings` says (sequence length, precision, global batch),
// up to `max_gpus` cards: search/min_fit.h's MinTrainingDevicesOf.
MinFitFn MakeSearchMinFit(const Catalog& catalog, const ModelSpec& model, const TrainSettings& settings,
                          int max_gpus);

}  // namespace suanli
