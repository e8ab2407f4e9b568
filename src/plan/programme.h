// The programme check: the workloads of one scenario share its budget and
// each quote's stock, so their recommendations are checked together after
// each workload is planned on its own (docs/scenario.md "One budget, one
// stock"). Not a joint optimiser: it reports a breach, it does not re-plan.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace suanli {

struct PlanInput;
struct WorkloadPlan;

// The cards the recommendations draw from one quote.
struct ProgrammeQuote {
  std::string quote_id;
  std::string supplier;
  int64_t quantity = 0;     // cards the quote offers (quantity_available); 0 = unlimited
  int workloads = 0;        // recommendations that draw from it
  int64_t peak_cards = 0;   // most cards held from it at one time (bought cards are held for good)
};

// The recommendations of all training workloads taken together.
struct ProgrammeCheck {
  bool checked = false;         // true when 2+ workloads have a recommendation (the check ran)
  int workloads = 0;            // training workloads in the scenario
  int recommendations = 0;      // workloads with a recommended option
  double cash = 0;              // buyer currency: cash the recommendations pay together, before resale
  double total = 0;             // buyer currency: their cost after the resale credit
  double budget = 0;            // buyer currency: constraints.budget (0 = none)
  double cheapest_cash = 0;     // buyer currency: each workload's least-cash shown option, summed
  std::vector<ProgrammeQuote> quotes;     // quotes drawn from, in first-use order
  std::vector<std::string> violations;    // breaches of the shared budget or stock, in words
  // Returns true when the recommendations fit the budget and stock together.
  bool Feasible() const { return violations.empty(); }
};

// Returns the peak number of cards held at once from intervals [start, end)
// in days (end = infinity for bought cards, which leave the stock for good).
int64_t PeakConcurrentCards(const std::vector<std::pair<std::pair<double, double>, int64_t>>& holds);

// Returns the check of the recommendations of `workloads` against the
// shared budget and stock of `input` (checked = false with fewer than 2
// workloads: one workload's options already respect both).
ProgrammeCheck CheckProgramme(const PlanInput& input, const std::vector<WorkloadPlan>& workloads);

}  // namespace suanli
