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

// The cheapest usable purchase quote for a count of cards, in the report currency.
struct CardPrice {
  std::string quote_id;
  std::string supplier;
  double price_per_card = 0;   // unit price / cards per unit, report currency per card
  // Cards paid for the count priced: whole servers for a quote sold by the
  // server (the planner's BilledCards, plan/mixes.h), else the count.
  int billed_cards = 0;
  int cards_per_unit = 1;      // cards in one unit the quote sells (384 for a CloudMatrix supernode)
  Condition condition = Condition::kNew;  // new, used-pulled or refurbished
  int warranty_months = 0;                // the quote's warranty, months (0 = none)
  // The planner's warning on the quote (QuoteCategory::kFlagged), e.g. used
  // stock imported before an export rule and resold in-country; empty english: none.
  ReasonText flag;
  // Returns true when the cards are not new (the planner prices replacements of those past warranty).
  bool used() const { return condition != Condition::kNew; }
  // What the planner adds to the cards for the count (CostOfOwning): host
  // servers of loose cards, a network port per installed card (none when the
  // quote includes its network) and bundled purchases, report currency.
  double hardware_extra = 0;
  // Returns what the cluster costs to buy: price_per_card × billed_cards +
  // hardware_extra, report currency.
  double cost() const { return price_per_card * billed_cards + hardware_extra; }
};

// Why an export rule stops the buyer buying a card, and whether a licence lifts it.
struct BlockedBy {
  ReasonText reason;              // the rule and its summary; empty english: not blocked
  bool licence_required = false;  // true: a licence-required rule (the buyer may hold one: --licence); false: a ban
};

// Returns the quote that supplies `cards` cards of an accelerator id for the
// least money (whole units billed, stock and minimum order respected), or
// nullopt when none usable can.
using CardPriceFn = std::function<std::optional<CardPrice>(const std::string& accelerator, int cards)>;

// One candidate's answer.
struct CompareEntry {
  std::string accelerator;
  std::string stack;           // the software stack it runs (--stack, or auto: its platform's)
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
  bool blocked_licence = false;  // `blocked` is a licence-required rule (a licence lifts it), not a ban
  double cost = 0;             // price of the cards paid (CardPrice::cost; 0 without a quote), report currency
  double train_days = 0;       // when tokens > 0
  // Expected cost of replacing used cards that fail outside the quote's
  // warranty over the training days (PriceUsedCardRisk), report currency;
  // 0 for new cards or when not priced.
  double replacement_risk = 0;
  // Returns true when the price is of used cards whose replacement risk is
  // not priced (no --tokens: no months held to price it over).
  bool risk_unpriced(double tokens) const { return price && price->used() && tokens <= 0; }
  // Returns the cost the recommendation goes by: cost + replacement_risk, report currency.
  double total_cost() const { return cost + replacement_risk; }
  // Returns true unless an export rule stops the buyer buying the card.
  bool buyable() const { return blocked.english.empty(); }
};

struct CompareResult {
  std::string model;
  std::string stack = "megatron";  // --stack: of the reference and every candidate, or auto (each its platform's)
  std::string reference_stack = "megatron";  // the stack the reference runs (data/stacks.yaml)
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
  bool reference_blocked_licence = false;  // reference_blocked is a licence-required rule, not a ban
  double reference_cost = 0;
  double reference_replacement_risk = 0;  // as CompareEntry::replacement_risk, for the reference's cards
  double reference_train_days = 0;
  double tokens = 0;           // 0 = not given
  std::string currency;
  Date price_date;             // the buyer's date the quotes behind the prices were checked on
  bool price_date_defaulted = false;  // no --date: the newest seed quote's date
  std::string region;          // buyer region of the price checks
  std::string tier;            // buyer tier of the price checks
  std::string store;           // quote store read besides the seed quotes (--db); empty = seed only
  int quotes_store = 0;        // quotes read from `store`
  std::vector<std::string> licences;  // licence-required rules the buyer holds a licence under (--licence)
  double used_annual_failure_rate = 0;  // used cards failing per card-year (costs.used_annual_failure_rate)
  std::vector<CompareEntry> candidates;
  // The user stated the global batch (--global-batch): every size runs it
  // exactly, so a size whose data-parallel degrees do not divide it has no
  // layout; false: each size runs the nearest batch its dp divides.
  bool batch_stated = false;
  ReasonText batch_note;  // what the batch choice did to the answer; empty english: nothing to say
};

// Returns the stack id `accelerator` runs under the comparison, or an error
// that excludes it (a stack named for every card that does not run there).
using StackOfFn = std::function<Result<std::string>(const std::string& accelerator)>;

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
// reference's as a target each layout rounds to the nearest its dp divides
// (TrainSettings::nearest_global_batch), or, when the user stated it, exactly
// (a size whose layouts cannot divide it does not fit; the result's
// batch_note then says where that granularity bound the answer). A candidate
// `stack_of` refuses is excluded with its reason (bound "excluded").
Result<CompareResult> CompareClusters(const std::string& model, const std::string& reference,
                                      int reference_gpus,
                                      const std::vector<std::string>& candidates,
                                      const ThroughputFn& throughput, const CardPriceFn& price,
                                      double tokens, int max_gpus, const std::string& currency,
                                      const MinFitFn& min_fit = nullptr, Precision precision = Precision::kBf16,
                                      const StackOfFn& stack_of = nullptr);

// Returns the stack id of `accelerator` in `result` (the reference's or a candidate's; else result.stack).
std::string StackIn(const CompareResult& result, const std::string& accelerator);

// Sets every priced row's replacement_risk (the reference's too): for used
// cards, the planner's ExpectedReplacementCost (market/costs.h) of the
// row's cards at its card price over its training days (months held =
// train_days / kDaysPerMonth) past the quote's warranty, at
// `used_annual_failure_rate` failures per card-year; 0 without --tokens
// (CompareEntry::risk_unpriced says so). Stores the rate in the result.
void PriceUsedCardRisk(CompareResult& result, double used_annual_failure_rate);

// Returns true when the recommendation (★) cannot tell `a` and `b` apart by
// its first key: both priced at the same cost with replacements, or both
// unpriced on the same card count.
bool SameRecommendationKey(const CompareEntry& a, const CompareEntry& b);
// Returns true when `a` is recommended before `b`: priced before unpriced,
// then the lower cost with replacements (priced) or the fewer cards
// (unpriced); ties go to the higher tokens/s, then the lower cost, the fewer
// cards, and the lower id, so the order of --candidates never decides.
bool RecommendBefore(const CompareEntry& a, const CompareEntry& b);
// Returns the index of the candidate to recommend (RecommendBefore among
// the matches the buyer may buy), or -1 when there is none.
int BestCompareEntry(const CompareResult& result);
// Moves the BestCompareEntry row before the rows tied with it by the first
// key (SameRecommendationKey), the others keeping their order, so the table
// lists the ★ row first among its ties whatever the order of --candidates.
// Returns nothing; CompareClusters
// and PriceUsedCardRisk call it.
void PutBestFirstAmongTies(CompareResult& result);

// Returns a MinFitFn over `catalog` (which must outlive it) for `model`
// trained as `settings` says (sequence length, precision, global batch),
// up to `max_gpus` cards: search/min_fit.h's MinTrainingDevicesOf.
MinFitFn MakeSearchMinFit(const Catalog& catalog, const ModelSpec& model, const TrainSettings& settings,
                          int max_gpus);

}  // namespace suanli
