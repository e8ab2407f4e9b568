// The planner core: options (accelerator x cluster size x purchase mix x
// buy|rent) -> procurement schedule -> training time -> cost, lead-time risk
// (Monte Carlo), ranking by objective, Pareto frontier and a recommendation.
// It knows nothing of the catalog files or the market store: throughput and
// quotes come in through PlanInput, so it is tested with fakes.
#pragma once

#include <cstdint>
#include <limits>
#include <functional>
#include <optional>
#include <map>
#include <string>
#include <vector>

#include "core/result.h"
#include "market/costs.h"
#include "market/market.h"
#include "model/campaign.h"
#include "model/reliability.h"
#include "plan/programme.h"
#include "plan/schedule.h"
#include "workload/parallel.h"
#include "core/date.h"

namespace suanli {

enum class Objective { kEarliestFinish, kLowestCost, kFastestWithinBudget, kCheapestByDeadline };
// Returns "earliest_finish", "lowest_cost", ...
std::string_view ObjectiveName(Objective objective);
// Parses an objective name; the error lists the accepted names.
Result<Objective> ParseObjective(std::string_view text);

enum class BuyMode { kBuy, kRent };
// Returns "buy" or "rent".
std::string_view BuyModeName(BuyMode mode);

// One supplier quote, already checked against export rules and converted to
// the buyer's currency (the adapter in plan/market_adapter.h builds these).
struct PlanQuote {
  std::string id;              // quote id, unique in the scenario
  std::string supplier;        // "Shenzhen distributor"
  ChannelTier channel = ChannelTier::kReseller;
  std::string sku;             // accelerator id
  BuyMode mode = BuyMode::kBuy;
  QuoteUnit unit = QuoteUnit::kCard;  // what unit_price buys
  int cards_per_unit = 1;      // cards in one server (kServer, kServerMonth)
  double unit_price = 0;       // buyer currency per unit
  double quote_unit_price = 0; // the quote's own price per unit, in quote_currency
  std::string quote_currency;  // the currency the quote was given in ("USD")
  int64_t quantity = 0;        // cards available; 0 = unlimited
  int64_t min_order = 0;       // cards; 0 = none
  double lead_weeks_min = 0;   // weeks from the buyer's date to delivery
  double lead_weeks_likely = 0;
  double lead_weeks_max = 0;
  Condition condition = Condition::kNew;
  int warranty_months = 0;     // as quoted; 0 = none or not stated (warranty_stated)
  bool warranty_stated = false;  // the quote states warranty_months (Quote::warranty_stated)
  std::string payment;         // payment terms as quoted ("cash up front")
  double paid_before_delivery = 1;  // share of the price paid before delivery (PaidBeforeDeliveryShare), 0..1
  bool includes_network = false;    // the price includes the scale-out network (quote field includes_network)
  double bundle_amount = 0;    // buyer currency, one-off bundled purchase required
  double bundle_fraction = 0;  // fraction of the purchase added as a bundle requirement
  bool allowed = true;         // the market's quote check allows it for this buyer on this date
  std::string blocked_reason;  // why not, when !allowed
  std::string blocked_category;  // market/quote_filter.h category name ("rule", "region", ...), when !allowed
  std::string warning;         // allowed with a caveat (e.g. used stock imported before a ban)
  double rule_blocked_share = 0;  // share of deliveries (triangular lead time) an export rule would stop
  // Delivery days (after the buyer's date, DeliveryDay) within the lead-time
  // range on which an export rule stops the cards, ascending; the Monte Carlo
  // never finishes a draw that delivers on one (QuoteStopsDelivery).
  std::vector<int> rule_stopped_days;
  std::string where;           // file:line of the quote, for messages
  std::string source;          // citation (URL, article, "estimate: reasoning")
  Date observed;               // date the price was seen
};

// Cost and reliability assumptions in the buyer's currency: the market's
// cost settings (data/market/costs.yaml, market/costs.h) and the model's
// reliability figures, with the scenario's overrides.
struct PlanCosts : CostSettings {
  double checkpoint_write_s = ReliabilityAssumptions{}.checkpoint_write_s;  // seconds to write one checkpoint
  double restart_s = ReliabilityAssumptions{}.restart_s;  // seconds lost per interruption besides recompute
  ModelError dense_error = ReliabilityAssumptions{}.dense_error;  // realised / predicted throughput, dense models
  ModelError moe_error = ReliabilityAssumptions{}.moe_error;      // the same for mixture-of-experts models
  // The errors of stacks with rows enough of their own (model_error.h); a
  // scenario that sets any of the four figures above empties them.
  std::vector<StackModelError> stack_errors = ReliabilityAssumptions{}.stack_errors;
  bool model_error_measured = true;  // the figures above are the shipped fits (false: a scenario set them)
  std::vector<std::string> overridden;  // keys the scenario's `costs:` set, in file order (ApplyCostOverrides)
  // The whole run beyond steady state (model/campaign.h): batch ramp,
  // evaluation, rollbacks, stragglers and the campaign spread; its
  // `reliability` is not read (the fields above are).
  CampaignAssumptions campaign = DefaultCampaignAssumptions();
};

// Returns the days between delivery and the first training step for cards
// of `q`: setup_days for bought cards (racking, burn-in, bring-up),
// rental_setup_days for rented ones (handed over racked and burnt in).
double SetupDaysOf(const PlanQuote& q, const PlanCosts& costs);

// One term of a training step (compute, a communication kind, the bubble).
struct StepTerm {
  std::string name;   // English label: "compute", "TP comm", "bubble" (StepTermNames)
  double seconds = 0; // per step, exposed (not hidden behind compute)
};

// Returns the labels of the step terms in the order the model reports them.
const std::vector<std::string>& StepTermNames();

// The training throughput of one (accelerator, cluster size) point.
struct Throughput {
  bool fits = false;         // some layout fits in memory
  double tokens_per_s = 0;   // whole cluster
  double ramp_tokens_per_s = 0;  // whole cluster at the campaign's batch ramp (model/campaign.h); 0 = tokens_per_s
  double step_time_s = 0;
  double compute_s = 0;      // compute + recompute part of the step
  double comm_s = 0;         // exposed communication + pipeline bubble
  double memory_bytes = 0;   // per device of the best layout
  double capacity_bytes = 0; // usable per device
  ParallelConfig layout;     // the best layout
  // The precision it trains at: the workload's, or the best the part has
  // when it lacks that one (fp8 on an A800 trains at bf16), fits or not.
  Precision precision = Precision::kBf16;
  std::vector<StepTerm> step_terms;  // where the step time goes, per term (StepTermNames)
  std::string reason;        // why not, when !fits
};

// Returns the throughput of `gpus` cards of `accelerator` for the workload.
using ThroughputFn = std::function<Throughput(const std::string& accelerator, int gpus)>;

// Returns the fewest cards of an accelerator on which the model fits (0 = none).
using MinFitFn = std::function<int(const std::string& accelerator)>;

// What the accelerator is, for filters and power.
struct PlanAccelerator {
  std::string id;
  std::string vendor;
  double tdp_w = 0;
  // The server its loose cards go into (its usual system, data/systems.yaml):
  // a PCIe server (costs.pcie_server_per_node) or a baseboard one, and the
  // scale-out ports per card and their speed (costs.network_per_card).
  bool pcie_host = false;
  double network_ports_per_card = 1;
  double port_gbps = 400;
};

struct PlanWorkload {
  std::string name;         // display name, e.g. "aquila-7b on 1T tokens"
  std::string model;        // model id
  bool moe = false;         // mixture-of-experts model (its model error is wider)
  double tokens = 0;        // training tokens
  ThroughputFn throughput;  // best-layout throughput per (accelerator, gpus)
  // The fewest cards that fit (search/min_fit.h, the answer `fit` and
  // `compare` give); null = judged from the sizes tried.
  MinFitFn min_fit;
  std::string stack = "";   // software stack id (data/stacks.yaml); "" = none stated: the family errors
  std::string model_arg = "";  // the model as the scenario names it (preset id or path), for `suanli train --model`
};

struct PlanConstraints {
  int max_devices = 16384;
  double budget = 0;          // buyer currency; 0 = none
  bool has_deadline = false;
  Date deadline;
  // Which finish must meet the deadline: 50 (P50) or 90 (P90); 0 = 90 for
  // cheapest_by_deadline, 50 otherwise (DeadlinePercentile).
  int deadline_percentile = 0;
  // The largest probability that an export rule stops a delivery of an
  // option which may still rank with the options no rule can stop (0-1);
  // options above it rank after every option within it (RankOptions).
  double max_stop_risk = 0;
  std::vector<std::string> vendors;       // allowed vendors; empty = all
  std::vector<std::string> accelerators;  // allowed accelerator ids; empty = all
};

struct PlanOptions {
  std::vector<int> cluster_sizes;  // empty = auto
  bool allow_staged_start = true;
  int monte_carlo_samples = 1000;
  uint64_t seed = 42;
  int top = 10;                    // ranked options kept, and at most this many frontier points
  double horizon_days = 365;       // options finishing later than this after the buyer's date are dropped
                                   // (never before the deadline: PlanHorizonDays)
};

struct PlanInput {
  std::string region = "CN";
  std::string tier = "startup";
  Date date;
  std::string currency = "CNY";
  bool allow_grey_market = false;
  Objective objective = Objective::kEarliestFinish;
  PlanConstraints constraints;
  PlanOptions options;
  PlanCosts costs;
  std::vector<PlanAccelerator> accelerators;  // catalog entries the quotes refer to
  // Every catalog accelerator (id, vendor), so the plan can say why one with
  // no quote on offer has no option (ExcludeUnoffered, plan/no_offer.h).
  std::vector<PlanAccelerator> catalog_accelerators;
  std::vector<PlanQuote> quotes;
  // Why no quote of an accelerator is on offer to the buyer on the date, in
  // words (NoOfferReasons, plan/no_offer.h); only accelerators with none.
  std::map<std::string, std::string> no_offer;
  std::vector<PlanWorkload> workloads;
};

// Cards bought or rented from one quote.
struct MixPart {
  std::string quote_id;
  std::string supplier;
  int cards = 0;
  double lead_weeks = 0;  // likely lead time
  int billed_cards = 0;   // cards paid for: whole servers for a server quote (BilledCards)
  QuoteUnit unit = QuoteUnit::kCard;  // what unit_price buys (card, server, gpu-hour, server-month)
  int cards_per_unit = 1;             // cards in one unit (a server's cards)
  double unit_price = 0;              // report currency per unit (FX at the buyer's date)
  double card_price = 0;              // report currency per card (per card-hour or card-month when rented)
  double quote_unit_price = 0;        // the quote's own price per unit, in quote_currency
  std::string quote_currency;         // the quote's currency ("USD")
  double lead_weeks_median = 0;       // median of the quote's triangular lead range (what the P50 draws centre on)
};
// MakeMixPart (plan/mixes.h) fills a part and its prices from a quote.

// Cost of an option in the buyer's currency; total = sum of the parts - residual;
// cash = the sum of the parts (what is paid before any resale credit).
struct CostBreakdown {
  double purchase = 0;          // cards or servers
  double bundle = 0;            // bundled purchase required by the supplier
  double servers = 0;           // host chassis and network for loose cards
  double power = 0;             // TDP x PUE x hours x price
  double hosting = 0;           // per card-month while owned during the run
  double replacement_risk = 0;  // expected replacements of used cards without warranty
  double rule_stop_loss = 0;    // expected purchase lost to cards paid for and stopped by an export rule at delivery
  double residual = 0;          // resale value subtracted (0 unless assumed)
  double rental = 0;            // rent for the run
  double total = 0;             // net cost: cash - residual (what the objective ranks)
  double cash = 0;              // cash paid, before the resale credit (what the budget limits)
};

struct PlanOptionResult {
  std::string accelerator;
  std::string stack;  // the software stack it trains on (the workload's, `auto` resolved for this card)
  int gpus = 0;
  std::vector<MixPart> mix;
  BuyMode mode = BuyMode::kBuy;
  ParallelConfig layout;
  double tokens_per_s = 0;      // full cluster
  double step_time_s = 0;       // one optimizer step of the best layout, seconds
  std::vector<StepTerm> step_terms;  // where that step time goes
  double memory_bytes = 0;      // per device of the best layout
  double capacity_bytes = 0;    // usable per device
  double train_days = 0;        // campaign on the full cluster: ramp, evaluation, rollbacks, stragglers, failures
  double steady_train_days = 0; // steady state on the full cluster: tokens / tokens_per_s
  double train_p50_days = 0;    // the campaign at the median realised / predicted ratio (what the cost bills)
  double failure_overhead = 0;  // fraction of time lost to checkpoints and restarts
  double failures_per_gpu_day = 0;  // job interruptions per GPU-day the schedule used (OptionFailuresPerGpuDay)
  double used_share = 0;        // share of the option's cards that are used (not new)
  // Probability that an export rule stops a delivery of the option at the
  // border: 1 - product over its purchase quotes of (1 - rule_blocked_share).
  // Those Monte Carlo draws never finish (a P90 past it is "never").
  double stop_share = 0;
  double arrival_weeks = 0;     // likely arrival of the last card
  double start_weeks = 0;       // training starts (first cards + setup)
  double finish_days = 0;       // likely schedule, days after the buyer's date
  double finish_p10_days = 0;   // Monte Carlo: one in ten samples finishes earlier
  double finish_p50_days = 0;   // Monte Carlo
  double finish_p90_days = 0;   // infinity when more than 10% of the draws never finish (stop_share)
  Date finish_p10_date;         // kNeverDate when the P10 never finishes
  Date finish_p50_date;         // kNeverDate when the P50 never finishes
  Date finish_p90_date;         // kNeverDate when the P90 never finishes
  bool staged = false;          // trains on the first cards while the rest arrive
  CostBreakdown cost;           // on the likely deliveries with training at the median realised rate
  double cost_p90_total = 0;    // the same when training runs at the slow end (P90 duration) of the model error
  double cost_p90_cash = 0;     // cash paid (before resale) at that P90 duration
  bool pareto = false;
  std::vector<std::string> notes;  // warranty, cash terms, bundle
  // For a near miss (WorkloadPlan::near_misses): the constraint it misses,
  // "budget", "deadline" or "horizon"; "" for an option that meets them all.
  std::string misses;
};

// An excluded option class and why.
struct Excluded {
  std::string accelerator;
  std::string reason;
};

// The fewest cards of an accelerator on which the workload fits.
struct MinCards {
  std::string accelerator;
  int cards = 0;  // 0 = none up to the size limit
};

// Things considered and dropped, counted by what (quote, size, mix, option)
// and why.
struct DropGroup {
  std::string what;    // "quote", "size", "option"
  std::string reason;  // in words
  int64_t count = 0;
};

enum class PlanStatus { kFeasible, kInfeasible };

struct Recommendation {
  int option = -1;                   // index into options
  std::vector<std::string> reasons;  // in words
};

struct WorkloadPlan {
  std::string name;
  std::string model;
  std::string stack;                      // software stack id ("" = none stated)
  std::string model_arg;                  // the model as the scenario names it (preset id or path)
  double tokens = 0;
  PlanStatus status = PlanStatus::kInfeasible;
  std::vector<PlanOptionResult> options;  // ranked, best first: the top N, frontier points, best per accelerator
  std::vector<int> frontier;              // indices into options, by finish time
  int frontier_total = 0;                 // frontier points among all options evaluated (frontier samples them)
  Recommendation recommendation;
  std::vector<Excluded> excluded;
  std::vector<MinCards> min_cards;        // per accelerator with eligible quotes, when min_fit is set
  std::vector<DropGroup> dropped;         // every quote, size and option dropped, by reason
  int best_rent = -1;                     // index into options of the best rent (-1 = none)
  int best_buy = -1;                      // index into options of the best buy (-1 = none)
  std::string no_buy_reason;              // with a best rent and no best buy: why no purchase is shown, in words
  int64_t options_evaluated = 0;
  // With no feasible option: the few evaluated options closest to meeting
  // the constraints, each marked with the one it misses (`misses`), best first.
  std::vector<PlanOptionResult> near_misses;
  ChosenModelError model_error;           // the throughput error its P10/P50/P90 drew from, and its rows
  ModelError campaign_error;              // how far whole campaigns missed the campaign model beyond it
  double searched_layout_ratio = 1.0;     // the search's layouts run at this share of their predicted rate (model_error.h)
};

struct PlanResult {
  std::vector<WorkloadPlan> workloads;
  double elapsed_s = 0;
  ProgrammeCheck programme;  // the recommendations together against the shared budget and stock (plan/programme.h)
  // Returns true when every workload has a feasible option and their
  // recommendations fit the shared budget and stock together.
  bool Feasible() const {
    for (const auto& w : workloads) {
      if (w.status != PlanStatus::kFeasible) return false;
    }
    return programme.Feasible();
  }
};

// The largest cluster the planner tries, in cards.
constexpr int kMaxPlanClusterSize = 16384;

// CandidateSizes and RefineSizes: plan/sizes.h.


// A finish that never comes (a delivery an export rule stops); later than any date.
constexpr Date kNeverDate{std::numeric_limits<int>::max()};
// Returns the date `days` after `date` (AddDays), or kNeverDate when `days` is not finite.
Date FinishDate(Date date, double days);
// Returns "YYYY-MM-DD", or "never" (translated) for kNeverDate.
std::string FormatFinish(Date date);
// Returns the wording of a finish that never comes, for sentences: "may never
// finish: an export rule stops 45.0% of its deliveries" (`stop_share` 0..1).
std::string NeverFinishText(double stop_share);
// Returns the interruptions per GPU-day of a job on a mix: the scenario's
// failures_per_gpu_day on every card, plus used_annual_failure_rate / 365.25
// on the share `used_share` of cards that are used (a used card's failures
// come on top of the fleet's interruptions; each one stops a synchronous job).
double OptionFailuresPerGpuDay(const PlanCosts& costs, double used_share);

// Returns the percentile (50 or 90) of the finish that must meet the deadline.
int DeadlinePercentile(const PlanInput& input);
// Returns the planning horizon in days after the buyer's date: options.horizon_days,
// extended to the deadline when that is later (the horizon never cuts before the deadline).
double PlanHorizonDays(const PlanInput& input);
// Returns true when the deadline extended the horizon (PlanHorizonDays > options.horizon_days).
bool HorizonExtendedToDeadline(const PlanInput& input);

// Returns the useful fraction of wall time (model/reliability.h) under the
// scenario's interruption rate, checkpoint and restart costs.
double UsefulFraction(const PlanCosts& costs, int gpus);
// Returns the reliability and model-error assumptions of the plan's costs for
// a workload on `stack` ("" = the family errors).
ReliabilityAssumptions Reliability(const PlanCosts& costs, const std::string& stack = {});
// Returns the stack id a workload's `stack` setting runs on `vendor`'s cards:
// `auto` is the platform's own stack (data/stacks.yaml default_on); any
// other setting, "" (the family errors) included, is kept.
std::string StackIdOn(const std::string& stack, std::string_view vendor);
// Returns the campaign assumptions of the plan's costs (with Reliability(costs, stack)).
CampaignAssumptions CampaignOf(const PlanCosts& costs, const std::string& stack = {});


// Plans every workload (concurrently: each workload's ThroughputFn must be
// safe to call from its own thread). Fails only on inconsistent input (e.g. a quote for
// an accelerator not in `accelerators`); infeasible is a status.
Result<PlanResult> MakePlan(const PlanInput& input);

}  // namespace suanli
