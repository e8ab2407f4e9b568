#include "plan/plan.h"

#include <algorithm>
#include <chrono>
#include <future>
#include <cmath>
#include <limits>
#include <map>
#include <random>
#include <set>

#include <fmt/format.h>

#include "core/text.h"
#include "plan/plan_text.h"

namespace suanli {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
// Seed key of the model-error draws (a control character keeps it apart from
// quote ids, which are printable).
constexpr const char* kModelErrorStream = "\x01model error";
constexpr int kMaxClusterSize = 16384;

constexpr std::pair<Objective, std::string_view> kObjectiveNames[] = {
    {Objective::kEarliestFinish, "earliest_finish"},
    {Objective::kLowestCost, "lowest_cost"},
    {Objective::kFastestWithinBudget, "fastest_within_budget"},
    {Objective::kCheapestByDeadline, "cheapest_by_deadline"},
};

int64_t Available(const PlanQuote& q) {
  return q.quantity > 0 ? q.quantity : std::numeric_limits<int64_t>::max() / 4;
}

// Price of one card from a quote (per-card equivalent), buyer currency.
double CardPrice(const PlanQuote& q) {
  return q.unit == QuoteUnit::kServer ? q.unit_price / std::max(1, q.cards_per_unit) : q.unit_price;
}

bool CanSupply(const PlanQuote& q, int64_t cards) {
  return cards > 0 && cards <= Available(q) && cards >= q.min_order;
}

uint64_t Fnv1a(std::string_view text, uint64_t seed) {
  uint64_t h = 1469598103934665603ULL ^ seed;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

struct Candidate {
  std::vector<std::pair<const PlanQuote*, int>> parts;
  BuyMode mode = BuyMode::kBuy;
};

// Mixes of at most two quotes that supply exactly `n` cards: one quote alone,
// or the first quote up to its stock and the second for the rest (this covers
// the cheapest-first and fastest-first fills), and with staged starts a fast
// expensive quote for 1/4 or 1/2 of the cluster and a slow cheap one for the rest.
std::vector<Candidate> GenerateMixes(const std::vector<const PlanQuote*>& quotes, int n,
                                     bool staged, int node_size) {
  std::vector<Candidate> out;
  std::set<std::string> seen;
  const auto add = [&](Candidate c) {
    std::string key;
    for (const auto& [q, cards] : c.parts) key += fmt::format("{}:{};", q->id, cards);
    if (seen.insert(key).second) out.push_back(std::move(c));
  };
  for (const PlanQuote* q : quotes) {
    if (CanSupply(*q, n)) add(Candidate{{{q, n}}, q->mode});
  }
  for (const PlanQuote* a : quotes) {
    for (const PlanQuote* b : quotes) {
      if (a == b || a->mode != b->mode) continue;
      const int64_t ca = std::min<int64_t>(Available(*a), n);
      if (ca < n && CanSupply(*a, ca) && CanSupply(*b, n - ca)) {
        add(Candidate{{{a, static_cast<int>(ca)}, {b, static_cast<int>(n - ca)}}, a->mode});
      }
      if (staged && a->mode == BuyMode::kBuy && a->lead_weeks_likely < b->lead_weeks_likely &&
          CardPrice(*a) > CardPrice(*b)) {
        for (int divisor : {4, 2}) {
          const int first = n / divisor / node_size * node_size;
          if (first <= 0 || first >= n) continue;
          if (CanSupply(*a, first) && CanSupply(*b, n - first)) {
            add(Candidate{{{a, first}, {b, n - first}}, a->mode});
          }
        }
      }
    }
  }
  return out;
}

std::string Money(double amount, const std::string& currency) {
  return FormatMoney(amount, currency);
}

std::string Weeks(double days) { return fmt::format("{:.1f} weeks", DaysToWeeks(days)); }

// "64 a800-sxm-80gb from Shenzhen dist. (2 wk)" or a two-part mix.
std::string Describe(const PlanOptionResult& o) {
  std::vector<std::string> parts;
  for (const MixPart& p : o.mix) {
    parts.push_back(fmt::format("{} from {} ({:g} wk)", p.cards, p.supplier, p.lead_weeks));
  }
  return fmt::format("{} {} {}{}", o.mode == BuyMode::kRent ? "rent" : "buy", o.gpus,
                     o.accelerator, parts.empty() ? "" : ": " + Join(parts, " + "));
}

double Percentile(std::vector<double>& sorted, double p) {
  if (sorted.empty()) return kInf;
  const size_t rank = static_cast<size_t>(std::ceil(p * static_cast<double>(sorted.size())));
  return sorted[std::min(sorted.size(), std::max<size_t>(rank, 1)) - 1];
}

struct SkuStats {
  int largest_not_fitting = 0;
  int smallest_fitting = 0;
  std::string not_fit_reason;
  bool any_supply = false;
  int64_t max_supply = 0;
  int evaluated = 0;
  int over_budget = 0;
  int past_deadline = 0;
  int past_horizon = 0;
  double min_cost = kInf;
  double min_finish_days = kInf;
};

class WorkloadPlanner {
 public:
  WorkloadPlanner(const PlanInput& input, const PlanWorkload& workload)
      : in_(input), wl_(workload) {}

  Result<WorkloadPlan> Run();

 private:
  const Throughput& Tput(const std::string& sku, int gpus) {
    auto key = std::make_pair(sku, gpus);
    auto it = cache_.find(key);
    if (it == cache_.end()) it = cache_.emplace(key, wl_.throughput(sku, gpus)).first;
    return it->second;
  }
  double NetRate(const std::string& sku, int gpus) {
    if (gpus <= 0) return 0;
    const Throughput& t = Tput(sku, gpus);
    if (!t.fits || t.tokens_per_s <= 0) return 0;
    return t.tokens_per_s * UsefulFraction(in_.costs, gpus);
  }
  std::optional<PlanOptionResult> Evaluate(const PlanAccelerator& accel, int n,
                                           const Candidate& c, const Throughput& t);
  void Rank(std::vector<PlanOptionResult>& options) const;
  Recommendation Recommend(const std::vector<PlanOptionResult>& options) const;

  // Returns `n` uniform draws in [0,1) for a quote, seeded by (seed, quote id).
  const std::vector<double>& Uniforms(const std::string& quote_id, int n) {
    auto it = uniforms_.find(quote_id);
    if (it != uniforms_.end()) return it->second;
    std::mt19937_64 rng(Fnv1a(quote_id, in_.options.seed));
    std::vector<double> draws(n);
    for (double& u : draws) u = static_cast<double>(rng() >> 11) * 0x1.0p-53;
    return uniforms_.emplace(quote_id, std::move(draws)).first->second;
  }

  const PlanInput& in_;
  const PlanWorkload& wl_;
  std::map<std::pair<std::string, int>, Throughput> cache_;
  std::map<std::string, std::vector<double>> uniforms_;
};

std::optional<PlanOptionResult> WorkloadPlanner::Evaluate(const PlanAccelerator& accel, int n,
                                                          const Candidate& c,
                                                          const Throughput& t) {
  const PlanCosts& k = in_.costs;
  PlanOptionResult o;
  o.accelerator = accel.id;
  o.gpus = n;
  o.mode = c.mode;
  o.layout = t.layout;
  o.tokens_per_s = t.tokens_per_s;
  o.failure_overhead = 1.0 - UsefulFraction(k, n);
  o.train_days = SecondsToDays(wl_.tokens / NetRate(accel.id, n));
  const bool staged = in_.options.allow_staged_start && c.parts.size() > 1;
  o.staged = staged;

  std::vector<Batch> batches;
  double arrival_days = 0, start_days = kInf;
  for (const auto& [q, cards] : c.parts) {
    o.mix.push_back(MixPart{q->id, q->supplier, cards, q->lead_weeks_likely});
    batches.push_back(Batch{WeeksToDays(q->lead_weeks_likely) + k.setup_days, cards});
    arrival_days = std::max(arrival_days, WeeksToDays(q->lead_weeks_likely));
    start_days = std::min(start_days, WeeksToDays(q->lead_weeks_likely) + k.setup_days);
  }
  const auto rate = [&](int cards) { return NetRate(accel.id, cards); };
  o.finish_days = FinishDays(batches, wl_.tokens, staged, rate);
  if (!std::isfinite(o.finish_days)) return std::nullopt;
  // A staged mix whose later cards arrive after training has finished pays for
  // cards it never uses: the smaller mix is its own option, so drop this one.
  if (staged) {
    for (const Batch& batch : batches) {
      if (batch.ready_days >= o.finish_days) return std::nullopt;
    }
  }
  o.arrival_weeks = DaysToWeeks(arrival_days);
  o.start_weeks = DaysToWeeks(staged ? start_days : arrival_days + k.setup_days);

  // Lead-time risk: triangular draws per quote, independent between quotes;
  // model risk: the realised / predicted throughput ratio of published runs
  // (log-normal, docs/validation.md), one draw per sample shared by every
  // option. Common random numbers: sample s of a quote is the same in every
  // option that uses it, so options differ only by what they buy, not by noise.
  std::vector<double> samples;
  const int n_samples = std::max(1, in_.options.monte_carlo_samples);
  samples.reserve(n_samples);
  std::vector<Batch> drawn = batches;
  std::vector<const std::vector<double>*> uniforms;
  for (const auto& part : c.parts) uniforms.push_back(&Uniforms(part.first->id, n_samples));
  const std::vector<double>& model_uniforms = Uniforms(kModelErrorStream, n_samples);
  const ReliabilityAssumptions reliability = Reliability(k);
  for (int s = 0; s < n_samples; ++s) {
    const double speed = ThroughputRatioAt(ErrorFor(reliability, wl_.moe), model_uniforms[s]);
    const auto drawn_rate = [&](int cards) { return rate(cards) * speed; };
    for (size_t i = 0; i < c.parts.size(); ++i) {
      const PlanQuote& q = *c.parts[i].first;
      drawn[i].ready_days =
          WeeksToDays(TriangularSample(q.lead_weeks_min, q.lead_weeks_likely, q.lead_weeks_max,
                                       (*uniforms[i])[s])) +
          k.setup_days;
    }
    samples.push_back(FinishDays(drawn, wl_.tokens, staged, drawn_rate));
  }
  std::sort(samples.begin(), samples.end());
  o.finish_p50_days = Percentile(samples, 0.5);
  o.finish_p90_days = Percentile(samples, 0.9);
  o.finish_p50_date = AddDays(in_.date, o.finish_p50_days);
  o.finish_p90_date = AddDays(in_.date, o.finish_p90_days);

  // Cost on the likely schedule.
  CostBreakdown& cost = o.cost;
  const double common_start = arrival_days + k.setup_days;
  for (const auto& [q, cards] : c.parts) {
    const double delivered = WeeksToDays(q->lead_weeks_likely);
    const double run_from = staged ? delivered + k.setup_days : common_start;
    const double run_days = std::max(0.0, o.finish_days - run_from);
    if (q->mode == BuyMode::kRent) {
      const double rented_days = std::max(0.0, o.finish_days - delivered);
      if (q->unit == QuoteUnit::kGpuHour) {
        cost.rental += cards * q->unit_price * DaysToHours(rented_days);
      } else {
        const double units = std::ceil(static_cast<double>(cards) / std::max(1, q->cards_per_unit));
        cost.rental += units * q->unit_price * std::ceil(rented_days / kDaysPerMonth - 1e-9);
      }
      continue;
    }
    double purchase = 0;
    if (q->unit == QuoteUnit::kServer) {
      purchase = std::ceil(static_cast<double>(cards) / std::max(1, q->cards_per_unit)) * q->unit_price;
      cost.servers += cards * k.network_per_card;
    } else {
      purchase = cards * q->unit_price;
      cost.servers += std::ceil(static_cast<double>(cards) / std::max(1, k.node_size)) *
                          k.server_per_node +
                      cards * k.network_per_card;
    }
    cost.purchase += purchase;
    cost.bundle += q->bundle_amount + q->bundle_fraction * purchase;
    cost.power += PowerCost(accel.tdp_w, cards, DaysToHours(run_days), k.pue, k.power_price_per_kwh);
    cost.hosting += cards * k.hosting_per_card_month * std::max(0.0, o.finish_days - delivered) /
                    kDaysPerMonth;
    if (q->condition != Condition::kNew && q->warranty_months < k.used_risk_months) {
      cost.replacement_risk += ExpectedReplacementCost(cards, CardPrice(*q), k.used_annual_failure_rate,
                                                       k.used_risk_months, q->warranty_months);
      o.notes.push_back(fmt::format(
          "{}: {} cards{}: expected replacements over the first {} months priced in ({:g}%/year "
          "failures = {} per card)",
          q->id, ConditionName(q->condition), q->warranty_months == 0 ? " without warranty" : " with short warranty",
          k.used_risk_months, 100 * k.used_annual_failure_rate,
          Money(ExpectedReplacementCost(1, CardPrice(*q), k.used_annual_failure_rate, k.used_risk_months,
                                        q->warranty_months),
                in_.currency)));
    }
    cost.residual += k.residual_fraction * purchase;
    if (q->bundle_amount > 0 || q->bundle_fraction > 0) {
      o.notes.push_back(fmt::format("{}: bundled purchase required ({})", q->id,
                                    Money(q->bundle_amount + q->bundle_fraction * purchase,
                                          in_.currency)));
    }
    if (!q->payment.empty()) o.notes.push_back(fmt::format("{}: payment {}", q->id, q->payment));
    if (!q->warning.empty()) o.notes.push_back(fmt::format("{}: {}", q->id, q->warning));
  }
  cost.total = cost.purchase + cost.bundle + cost.servers + cost.power + cost.hosting +
               cost.replacement_risk - cost.residual + cost.rental;
  return o;
}

std::string MixKey(const PlanOptionResult& o) {
  std::string key;
  for (const MixPart& p : o.mix) key += fmt::format("{}:{:08};", p.quote_id, p.cards);
  return key;
}

void WorkloadPlanner::Rank(std::vector<PlanOptionResult>& options) const {
  const bool by_cost = in_.objective == Objective::kLowestCost ||
                       in_.objective == Objective::kCheapestByDeadline;
  std::stable_sort(options.begin(), options.end(), [&](const auto& a, const auto& b) {
    // Finish times compare by calendar day (the P50 date).
    const int ta = a.finish_p50_date.days, tb = b.finish_p50_date.days;
    const double ca = a.cost.total, cb = b.cost.total;
    if (by_cost) {
      if (ca != cb) return ca < cb;
      if (ta != tb) return ta < tb;
    } else {
      if (ta != tb) return ta < tb;
      if (ca != cb) return ca < cb;
    }
    if (a.accelerator != b.accelerator) return a.accelerator < b.accelerator;
    if (a.gpus != b.gpus) return a.gpus < b.gpus;
    return MixKey(a) < MixKey(b);
  });
}

Recommendation WorkloadPlanner::Recommend(const std::vector<PlanOptionResult>& options) const {
  Recommendation rec;
  if (options.empty()) return rec;
  rec.option = 0;
  const PlanOptionResult& best = options[0];
  const std::string& cur = in_.currency;
  rec.reasons.push_back(fmt::format(
      "{} is the best option by {}: trained by {} (P50; P90 {}) for {}", Describe(best),
      ObjectiveName(in_.objective), FormatDate(best.finish_p50_date),
      FormatDate(best.finish_p90_date), Money(best.cost.total, cur)));
  const auto compare = [&](const PlanOptionResult& other, std::string_view label) {
    const double dt = other.finish_p50_days - best.finish_p50_days;
    const double dc_pct = (best.cost.total / other.cost.total - 1.0) * 100.0;
    std::string time_part = dt > 0.05 ? fmt::format("finishes {} earlier", Weeks(dt))
                            : dt < -0.05 ? fmt::format("finishes {} later", Weeks(-dt))
                                         : std::string("finishes at the same time");
    std::string cost_part = dc_pct >= 0 ? fmt::format("for {:.1f}% more", dc_pct)
                                        : fmt::format("for {:.1f}% less", -dc_pct);
    rec.reasons.push_back(fmt::format("{} {} than {}{}", time_part, cost_part, Describe(other),
                                      label.empty() ? "" : fmt::format(" ({})", label)));
  };
  // Same accelerator and size from another source: the premium-vs-wait question,
  // against the cheapest such alternative.
  size_t same = 0;
  for (size_t i = 1; i < options.size(); ++i) {
    const auto& o = options[i];
    if (o.accelerator == best.accelerator && o.gpus == best.gpus && o.mode == best.mode &&
        MixKey(o) != MixKey(best) &&
        (same == 0 || o.cost.total < options[same].cost.total)) {
      same = i;
    }
  }
  if (same != 0) compare(options[same], "same cards, other source");
  size_t cheapest = 0, fastest = 0;
  for (size_t i = 1; i < options.size(); ++i) {
    if (options[i].cost.total < options[cheapest].cost.total) cheapest = i;
    if (options[i].finish_p50_days < options[fastest].finish_p50_days) fastest = i;
  }
  // The next frontier point: the cheapest option among those that finish
  // later than the best but no later than any cheaper one (the next trade-off).
  size_t next = 0;
  for (size_t i = 1; i < options.size(); ++i) {
    const auto& o = options[i];
    if (!o.pareto || o.cost.total >= best.cost.total ||
        o.finish_p50_days <= best.finish_p50_days) {
      continue;
    }
    if (next == 0 || o.finish_p50_days < options[next].finish_p50_days) next = i;
  }
  if (next != 0 && next != same) compare(options[next], "the next cheaper option on the frontier");
  if (cheapest != 0 && cheapest != same && cheapest != next) {
    compare(options[cheapest], "the cheapest option");
  }
  if (fastest != 0 && fastest != cheapest && fastest != same) {
    compare(options[fastest], "the fastest option");
  }
  if (cheapest == 0) rec.reasons.push_back("it is also the cheapest feasible option");
  if (best.staged) {
    rec.reasons.push_back(fmt::format(
        "training starts in week {:.1f} on the first {} cards and grows when the rest arrive "
        "(week {:.1f})",
        best.start_weeks, best.mix.front().cards, best.arrival_weeks));
  }
  if (best.finish_p90_days - best.finish_p50_days > 7) {
    rec.reasons.push_back(fmt::format("lead-time risk: P90 is {} after P50",
                                      Weeks(best.finish_p90_days - best.finish_p50_days)));
  }
  for (const std::string& note : best.notes) rec.reasons.push_back(note);
  return rec;
}

Result<WorkloadPlan> WorkloadPlanner::Run() {
  WorkloadPlan plan;
  plan.name = wl_.name;
  plan.model = wl_.model;
  plan.tokens = wl_.tokens;
  const std::vector<int> sizes =
      CandidateSizes(in_.options.cluster_sizes, in_.constraints.max_devices);
  std::vector<std::string> skus;
  for (const PlanQuote& q : in_.quotes) {
    if (std::find(skus.begin(), skus.end(), q.sku) == skus.end()) skus.push_back(q.sku);
  }
  std::sort(skus.begin(), skus.end());
  std::vector<PlanOptionResult> all;
  const auto exclude = [&](const std::string& sku, std::string reason) {
    for (const Excluded& e : plan.excluded) {
      if (e.accelerator == sku && e.reason == reason) return;
    }
    plan.excluded.push_back(Excluded{sku, std::move(reason)});
  };
  for (const std::string& sku : skus) {
    const PlanAccelerator* accel = nullptr;
    for (const PlanAccelerator& a : in_.accelerators) {
      if (a.id == sku) accel = &a;
    }
    if (accel == nullptr) {
      return MakeError(fmt::format("quote refers to accelerator '{}' unknown to the planner", sku));
    }
    const auto& allowed_ids = in_.constraints.accelerators;
    if (!allowed_ids.empty() &&
        std::find(allowed_ids.begin(), allowed_ids.end(), sku) == allowed_ids.end()) {
      exclude(sku, "not in constraints.accelerators");
      continue;
    }
    const auto& vendors = in_.constraints.vendors;
    if (!vendors.empty() && std::none_of(vendors.begin(), vendors.end(), [&](const auto& v) {
          return NormalizeId(v) == NormalizeId(accel->vendor);
        })) {
      exclude(sku, fmt::format("vendor {} not in constraints.vendors", accel->vendor));
      continue;
    }
    std::vector<const PlanQuote*> eligible;
    for (const PlanQuote& q : in_.quotes) {
      if (q.sku != sku) continue;
      if (!q.allowed) {
        exclude(sku, fmt::format("quote {} ({}): {}", q.id, q.supplier, q.blocked_reason));
        continue;
      }
      eligible.push_back(&q);
    }
    if (eligible.empty()) continue;
    SkuStats stats;
    for (const PlanQuote* q : eligible) {
      stats.max_supply = std::max(stats.max_supply, Available(*q));
    }
    double best_tps = 0;
    int flat_sizes = 0;
    double earliest_ready_days = std::numeric_limits<double>::infinity();
    for (const PlanQuote* q : eligible) {
      earliest_ready_days = std::min(earliest_ready_days, WeeksToDays(q->lead_weeks_min) + in_.costs.setup_days);
    }
    for (int n : sizes) {
      const std::vector<Candidate> mixes =
          GenerateMixes(eligible, n, in_.options.allow_staged_start, in_.costs.node_size);
      if (mixes.empty()) continue;
      stats.any_supply = true;
      const Throughput& t = Tput(sku, n);
      if (!t.fits || t.tokens_per_s <= 0) {
        if (stats.smallest_fitting > 0) {
          // Larger than a size that works: no valid layout (batch or
          // divisibility), not memory.
          exclude(sku, fmt::format("no valid layout on {} cards{}", n,
                                   t.reason.empty() ? "" : ": " + t.reason));
          continue;
        }
        stats.largest_not_fitting = std::max(stats.largest_not_fitting, n);
        if (stats.not_fit_reason.empty()) stats.not_fit_reason = t.reason;
        continue;
      }
      if (stats.smallest_fitting == 0) stats.smallest_fitting = n;
      // More cards that add (almost) no throughput only cost more: stop after
      // two sizes in a row that gain less than 2%.
      if (t.tokens_per_s < best_tps * 1.02) {
        if (++flat_sizes >= 2) break;
      } else {
        flat_sizes = 0;
      }
      best_tps = std::max(best_tps, t.tokens_per_s);
      // More cards shorten time-to-model by at most the training time: stop
      // growing once training is under 5% of the earliest possible finish.
      const double train_days_here = SecondsToDays(wl_.tokens / NetRate(sku, n));
      const bool last_useful_size = train_days_here < 0.05 * (earliest_ready_days + train_days_here);
      for (const Candidate& c : mixes) {
        std::optional<PlanOptionResult> o = Evaluate(*accel, n, c, t);
        ++plan.options_evaluated;
        if (!o) continue;
        ++stats.evaluated;
        stats.min_cost = std::min(stats.min_cost, o->cost.total);
        stats.min_finish_days = std::min(stats.min_finish_days, o->finish_p50_days);
        if (in_.constraints.budget > 0 && o->cost.total > in_.constraints.budget) {
          ++stats.over_budget;
          continue;
        }
        if (in_.constraints.has_deadline && o->finish_p50_date > in_.constraints.deadline) {
          ++stats.past_deadline;
          continue;
        }
        if (o->finish_p50_days > in_.options.horizon_days) {
          ++stats.past_horizon;
          continue;
        }
        all.push_back(std::move(*o));
      }
      if (last_useful_size) break;
    }
    if (!stats.any_supply) {
      if (sizes.empty()) {
        exclude(sku, fmt::format("no cluster size to try: options.cluster_sizes are all above "
                                 "constraints.max_devices ({})", in_.constraints.max_devices));
      } else {
        exclude(sku, fmt::format("the eligible quotes cannot supply any cluster size tried (at most "
                                 "{} cards, minimum orders included; sizes from {})",
                                 stats.max_supply, sizes.front()));
      }
    } else if (stats.largest_not_fitting > 0 && stats.smallest_fitting == 0) {
      exclude(sku, fmt::format("{} does not fit in memory on any size up to {} cards{}", wl_.model,
                               stats.largest_not_fitting,
                               stats.not_fit_reason.empty() ? "" : ": " + stats.not_fit_reason));
    } else if (stats.largest_not_fitting > 0 && stats.largest_not_fitting < stats.smallest_fitting) {
      exclude(sku, fmt::format("{} does not fit in memory on {} cards or fewer (needs at least {})",
                               wl_.model, stats.largest_not_fitting, stats.smallest_fitting));
    }
    if (stats.evaluated > 0 &&
        stats.evaluated == stats.over_budget + stats.past_deadline + stats.past_horizon) {
      if (stats.past_horizon > 0) {
        exclude(sku, fmt::format("no option finishes within the planning horizon of {:g} days "
                                 "(options.horizon_days); earliest P50 finish {}",
                                 in_.options.horizon_days,
                                 FormatDate(AddDays(in_.date, stats.min_finish_days))));
      }
      if (stats.over_budget > 0) {
        exclude(sku, fmt::format("over budget: cheapest option costs {} > budget {}",
                                 Money(stats.min_cost, in_.currency),
                                 Money(in_.constraints.budget, in_.currency)));
      }
      if (stats.past_deadline > 0) {
        exclude(sku, fmt::format("misses the deadline {}: earliest P50 finish {}",
                                 FormatDate(in_.constraints.deadline),
                                 FormatDate(AddDays(in_.date, stats.min_finish_days))));
      }
    }
  }

  // Pareto frontier of (P50 finish, total cost).
  std::vector<size_t> order(all.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (all[a].finish_p50_date != all[b].finish_p50_date) {
      return all[a].finish_p50_date < all[b].finish_p50_date;
    }
    return all[a].cost.total < all[b].cost.total;
  });
  double best_cost = kInf;
  for (size_t i : order) {
    if (all[i].cost.total < best_cost) {
      all[i].pareto = true;
      best_cost = all[i].cost.total;
    }
  }
  Rank(all);
  const Recommendation rec = Recommend(all);
  // Keep the best `top` options and at most `top` frontier points, spread
  // evenly along the frontier (both ends included), so the report stays legible.
  const size_t top = static_cast<size_t>(std::max(1, in_.options.top));
  std::set<std::string> frontier_keys;
  const auto key_of = [&](const PlanOptionResult& o) {
    return fmt::format("{}|{}|{}|{}", o.accelerator, o.gpus, BuyModeName(o.mode), MixKey(o));
  };
  std::vector<const PlanOptionResult*> frontier_points;
  for (const auto& o : all) {
    if (o.pareto) frontier_points.push_back(&o);
  }
  std::stable_sort(frontier_points.begin(), frontier_points.end(),
                   [](const PlanOptionResult* a, const PlanOptionResult* b) {
                     return a->finish_p50_days < b->finish_p50_days;
                   });
  const size_t n_front = frontier_points.size();
  if (n_front <= top) {
    for (const auto* o : frontier_points) frontier_keys.insert(key_of(*o));
  } else {
    for (size_t k = 0; k < top; ++k) {
      const size_t index = top == 1 ? 0 : k * (n_front - 1) / (top - 1);
      frontier_keys.insert(key_of(*frontier_points[index]));
    }
  }
  // ... and the best option of every accelerator, so each class shows up once.
  std::vector<PlanOptionResult> kept;
  std::set<std::string> accelerators_shown;
  for (size_t i = 0; i < all.size(); ++i) {
    const bool on_shown_frontier = all[i].pareto && frontier_keys.count(key_of(all[i])) > 0;
    const bool best_of_class = accelerators_shown.insert(all[i].accelerator).second;
    if (i < top || on_shown_frontier || best_of_class) kept.push_back(all[i]);
  }
  plan.options = std::move(kept);
  plan.recommendation = rec;  // option 0 is kept first, reasons refer to the full set
  std::vector<int> frontier;
  for (size_t i = 0; i < plan.options.size(); ++i) {
    if (plan.options[i].pareto && frontier_keys.count(key_of(plan.options[i])) > 0) {
      frontier.push_back(static_cast<int>(i));
    }
  }
  std::stable_sort(frontier.begin(), frontier.end(), [&](int a, int b) {
    return plan.options[a].finish_p50_days < plan.options[b].finish_p50_days;
  });
  plan.frontier = std::move(frontier);
  plan.status = plan.options.empty() ? PlanStatus::kInfeasible : PlanStatus::kFeasible;
  if (plan.options.empty() && plan.excluded.empty()) {
    plan.excluded.push_back(Excluded{"*", "no quote in the market offers any accelerator"});
  }
  return plan;
}

}  // namespace

std::string_view ObjectiveName(Objective objective) {
  for (const auto& [value, name] : kObjectiveNames) {
    if (value == objective) return name;
  }
  return "?";
}

Result<Objective> ParseObjective(std::string_view text) {
  std::vector<std::string> names;
  for (const auto& [value, name] : kObjectiveNames) {
    if (name == text) return value;
    names.emplace_back(name);
  }
  return MakeError(fmt::format("unknown objective '{}'", text), "",
                   "use one of: " + Join(names, ", "));
}

std::string_view BuyModeName(BuyMode mode) { return mode == BuyMode::kRent ? "rent" : "buy"; }

std::vector<int> CandidateSizes(const std::vector<int>& explicit_sizes, int max_devices) {
  const int limit = std::min(max_devices, kMaxClusterSize);
  std::vector<int> sizes;
  if (!explicit_sizes.empty()) {
    for (int n : explicit_sizes) {
      if (n >= 1 && n <= limit) sizes.push_back(n);
    }
  } else {
    for (int p = 8; p <= limit; p *= 2) {
      sizes.push_back(p);
      if (p * 3 / 2 <= limit && p >= 16) sizes.push_back(p * 3 / 2);
    }
    if (limit >= 8 && limit % 8 == 0) sizes.push_back(limit);
  }
  std::sort(sizes.begin(), sizes.end());
  sizes.erase(std::unique(sizes.begin(), sizes.end()), sizes.end());
  return sizes;
}

ReliabilityAssumptions Reliability(const PlanCosts& costs) {
  return ReliabilityAssumptions{costs.failures_per_gpu_day, costs.checkpoint_write_s, costs.restart_s,
                                costs.dense_error, costs.moe_error};
}

double UsefulFraction(const PlanCosts& costs, int gpus) {
  return UsefulFraction(Reliability(costs), gpus);
}

double FinishDays(std::vector<Batch> batches, double tokens, bool staged,
                  const std::function<double(int)>& rate) {
  if (batches.empty()) return kInf;
  std::stable_sort(batches.begin(), batches.end(),
                   [](const Batch& a, const Batch& b) { return a.ready_days < b.ready_days; });
  if (!staged) {
    int cards = 0;
    for (const Batch& b : batches) cards += b.cards;
    const double r = rate(cards);
    if (r <= 0) return kInf;
    return batches.back().ready_days + SecondsToDays(tokens / r);
  }
  double remaining = tokens;
  int cards = 0;
  for (size_t i = 0; i < batches.size(); ++i) {
    cards += batches[i].cards;
    const double from = batches[i].ready_days;
    const double to = i + 1 < batches.size() ? batches[i + 1].ready_days : kInf;
    const double r = rate(cards);
    if (r <= 0) continue;
    const double capacity = std::isfinite(to) ? DaysToSeconds(r * (to - from)) : kInf;
    if (capacity >= remaining) return from + SecondsToDays(remaining / r);
    remaining -= capacity;
  }
  return kInf;
}

double TriangularSample(double min, double mode, double max, double u) {
  if (max <= min) return mode;
  const double f = (mode - min) / (max - min);
  if (u < f) return min + std::sqrt(u * (max - min) * (mode - min));
  return max - std::sqrt((1.0 - u) * (max - min) * (max - mode));
}

Result<PlanResult> MakePlan(const PlanInput& input) {
  const auto start = std::chrono::steady_clock::now();
  PlanResult result;
  // Workloads are independent (each has its own throughput cache): plan them
  // concurrently; results keep the input order.
  std::vector<std::future<Result<WorkloadPlan>>> futures;
  for (const PlanWorkload& workload : input.workloads) {
    futures.push_back(std::async(std::launch::async, [&input, &workload] {
      WorkloadPlanner planner(input, workload);
      return planner.Run();
    }));
  }
  std::vector<Result<WorkloadPlan>> plans;
  for (auto& future : futures) plans.push_back(future.get());
  for (auto& plan : plans) {
    if (!plan.ok()) return plan.error();
    result.workloads.push_back(std::move(plan).value());
  }
  result.elapsed_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace suanli
