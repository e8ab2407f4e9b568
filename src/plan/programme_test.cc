// The programme check (plan/programme.h): one budget and one stock per quote
// for all the workloads of a scenario.
#include "plan/programme.h"

#include <limits>

#include <gtest/gtest.h>

#include "plan/plan.h"
#include "plan/serving_plan.h"

namespace suanli {
namespace {

constexpr double kForever = std::numeric_limits<double>::infinity();

// A workload whose recommendation is one option drawing `cards` from `quote`.
WorkloadPlan OneOption(const std::string& name, const std::string& quote, int cards, BuyMode mode,
                       double lead_weeks, double finish_days, double cash, double total) {
  WorkloadPlan w;
  w.name = name;
  w.status = PlanStatus::kFeasible;
  PlanOptionResult o;
  o.mode = mode;
  o.gpus = cards;
  o.mix.push_back(MixPart{quote, "Supplier", cards, lead_weeks, cards, QuoteUnit::kCard, 1, 0, 0, 0, ""});
  o.finish_days = finish_days;
  o.cost.cash = cash;
  o.cost.total = total;
  w.options.push_back(o);
  w.recommendation.option = 0;
  return w;
}

PlanInput Input(double budget, int64_t stock) {
  PlanInput in;
  in.currency = "USD";
  in.constraints.budget = budget;
  PlanQuote q;
  q.id = "q-rent";
  q.supplier = "Supplier";
  q.mode = BuyMode::kRent;
  q.quantity = stock;
  in.quotes.push_back(q);
  return in;
}

TEST(PeakConcurrentCards, CountsOnlyOverlappingHolds) {
  EXPECT_EQ(PeakConcurrentCards({{{0, 10}, 29}, {{5, 20}, 128}}), 157);
  EXPECT_EQ(PeakConcurrentCards({{{0, 10}, 29}, {{10, 20}, 128}}), 128);  // one returned as the other starts
  EXPECT_EQ(PeakConcurrentCards({{{0, kForever}, 64}, {{30, 40}, 64}, {{50, 60}, 32}}), 128);
  EXPECT_EQ(PeakConcurrentCards({}), 0);
}

// One workload prints no Programme block (checked = false), but its budget is
// still checked (cfo item 2: "a single workload plan must also check its budget").
TEST(CheckProgramme, OneWorkloadHasNoBlockButItsBudgetIsChecked) {
  const PlanInput in = Input(1e6, 128);
  const ProgrammeCheck check =
      CheckProgramme(in, {OneOption("a", "q-rent", 128, BuyMode::kRent, 1, 100, 2e6, 2e6)});
  EXPECT_FALSE(check.checked);
  EXPECT_FALSE(check.Feasible());
  const ProgrammeCheck within =
      CheckProgramme(in, {OneOption("a", "q-rent", 128, BuyMode::kRent, 1, 100, 0.9e6, 0.9e6)});
  EXPECT_FALSE(within.checked);
  EXPECT_TRUE(within.Feasible());
}

// A serving fleet pays from the same budget and holds cards of the same
// stock as training (cfo item 2): 23.02 M train + 2.82 M serve > 24 M, and
// 1,024 rented for training + 21 rented for serving from the same 1,024.
TEST(CheckProgramme, ServingCountsAgainstTheBudgetAndTheStock) {
  const PlanInput in = Input(24e6, 1024);
  const std::vector<WorkloadPlan> train = {OneOption("train", "q-rent", 1024, BuyMode::kRent, 1, 110, 23.02e6, 23.02e6)};
  ServingPlanResult serving;
  ServingWorkloadPlan w;
  w.status = PlanStatus::kFeasible;
  w.workload.period_months = 12;
  ServingOption o;
  o.mode = BuyMode::kRent;
  o.mix.push_back(MixPart{"q-rent", "Supplier", 21, 1, 21, QuoteUnit::kCard, 1, 0, 0, 0, ""});
  o.ready_days = 8;
  o.cost.cash = 2.82e6;
  o.cost.total = 2.82e6;
  w.options.push_back(o);
  w.recommendation.option = 0;
  serving.workloads.push_back(w);
  const ProgrammeCheck check = CheckProgramme(in, train, &serving);
  EXPECT_TRUE(check.checked);  // one training and one serving workload: two
  EXPECT_EQ(check.serving_workloads, 1);
  EXPECT_EQ(check.recommendations, 2);
  EXPECT_DOUBLE_EQ(check.cash, 25.84e6);
  ASSERT_EQ(check.violations.size(), 2u);
  EXPECT_NE(check.violations[0].find("25.84 M USD"), std::string::npos) << check.violations[0];
  EXPECT_NE(check.violations[0].find("own hardware"), std::string::npos) << check.violations[0];
  EXPECT_NE(check.violations[1].find("1,045"), std::string::npos) << check.violations[1];
  // Without the serving fleet the training alone fits both.
  EXPECT_TRUE(CheckProgramme(in, train).Feasible());
}

TEST(CheckProgramme, TheBudgetIsOnePotForAllWorkloads) {
  const PlanInput in = Input(2e6, 0);
  const ProgrammeCheck check = CheckProgramme(
      in, {OneOption("a", "q-rent", 8, BuyMode::kRent, 1, 100, 1.41e6, 1.41e6),
           OneOption("b", "q-rent", 8, BuyMode::kRent, 1, 100, 1.49e6, 1.0e6),
           OneOption("c", "q-rent", 8, BuyMode::kRent, 1, 100, 0.37e6, 0.3e6)});
  EXPECT_TRUE(check.checked);
  EXPECT_EQ(check.recommendations, 3);
  EXPECT_DOUBLE_EQ(check.cash, 3.27e6);
  EXPECT_DOUBLE_EQ(check.total, 2.71e6);
  ASSERT_EQ(check.violations.size(), 1u);
  EXPECT_NE(check.violations[0].find("3.27 M USD"), std::string::npos) << check.violations[0];
  EXPECT_NE(check.violations[0].find("2.00 M USD"), std::string::npos) << check.violations[0];
  // Within the budget (each alone always was): feasible together.
  const ProgrammeCheck fits = CheckProgramme(
      in, {OneOption("a", "q-rent", 8, BuyMode::kRent, 1, 100, 1.0e6, 1.0e6),
           OneOption("b", "q-rent", 8, BuyMode::kRent, 1, 100, 1.0e6, 1.0e6)});
  EXPECT_TRUE(fits.Feasible());
  PlanResult result;
  result.workloads = {OneOption("a", "q-rent", 8, BuyMode::kRent, 1, 100, 1.5e6, 1.5e6),
                      OneOption("b", "q-rent", 8, BuyMode::kRent, 1, 100, 1.5e6, 1.5e6)};
  result.programme = CheckProgramme(in, result.workloads);
  EXPECT_FALSE(result.Feasible());  // the exit status follows the programme
}

TEST(CheckProgramme, AQuotesStockIsSharedWhileRentalsOverlap) {
  const PlanInput in = Input(0, 128);
  // 29 cards from week 1 to day 100 and 128 from week 1 to day 60: 157 at once.
  const ProgrammeCheck over = CheckProgramme(
      in, {OneOption("8B", "q-rent", 29, BuyMode::kRent, 1, 100, 1e5, 1e5),
           OneOption("70B", "q-rent", 128, BuyMode::kRent, 1, 60, 1e6, 1e6)});
  ASSERT_EQ(over.quotes.size(), 1u);
  EXPECT_EQ(over.quotes[0].peak_cards, 157);
  EXPECT_EQ(over.quotes[0].workloads, 2);
  ASSERT_EQ(over.violations.size(), 1u);
  EXPECT_NE(over.violations[0].find("q-rent"), std::string::npos);
  EXPECT_NE(over.violations[0].find("157"), std::string::npos);
  // The second rental starts after the first is returned: the stock serves both.
  const ProgrammeCheck after = CheckProgramme(
      in, {OneOption("8B", "q-rent", 29, BuyMode::kRent, 0, 5, 1e5, 1e5),
           OneOption("70B", "q-rent", 128, BuyMode::kRent, 1, 60, 1e6, 1e6)});
  EXPECT_TRUE(after.Feasible());
  EXPECT_EQ(after.quotes[0].peak_cards, 128);
  // Bought cards leave the stock for good.
  const ProgrammeCheck bought = CheckProgramme(
      in, {OneOption("8B", "q-rent", 29, BuyMode::kBuy, 0, 5, 1e5, 1e5),
           OneOption("70B", "q-rent", 128, BuyMode::kRent, 1, 60, 1e6, 1e6)});
  EXPECT_FALSE(bought.Feasible());
}

}  // namespace
}  // namespace suanli
