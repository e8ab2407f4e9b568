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
struct ServingPlanResult;

// The cards the recommendations draw from one quote.
struct ProgrammeQuote {
  std::string quote_id;
  std::string supplier;
  int64_t quantity = 0;     // cards the quote offers (quantity_available); 0 = unlimited
  int workloads = 0;        // recommendations that draw from it
  int64_t peak_cards = 0;   // most cards held from it at one time (bought cards are held for good)
};

// The recommendations of all workloads (training and serving) taken together.
struct ProgrammeCheck {
  bool checked = false;         // true when the scenario has 2+ workloads, training and serving together
  int workloads = 0;            // training workloads in the scenario
  int serving_workloads = 0;    // serving workloads in the scenario (counted against the same budget and stock)
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

// Returns the check of the recommendations of `workloads` and of `serving`
// (null = none) against the shared budget and stock of `input`: a serving
// fleet pays its cash and holds its cards (rented ones over the service
// period, bought ones for good) like a training option. Violations are
// found with any number of workloads; checked = true (the report's
// Programme block) with 2 or more.
ProgrammeCheck CheckProgramme(const PlanInput& input, const std::vector<WorkloadPlan>& workloads,
                              const ServingPlanResult* serving = nullptr);

}  // namespace suanli
