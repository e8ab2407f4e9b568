#include "plan/frontier.h"

#include <gtest/gtest.h>

namespace suanli {
namespace {

PlanOptionResult Option(const char* accelerator, int day, double cost) {
  PlanOptionResult o;
  o.accelerator = accelerator;
  o.gpus = 64;
  o.finish_p50_days = day;
  o.finish_p50_date = Date{day};
  o.cost.total = cost;
  o.mix.push_back(MixPart{std::string(accelerator) + "-quote", "supplier", 64, 1});
  return o;
}

TEST(FrontierTest, ParetoKeepsOnlyUnbeatenOptions) {
  std::vector<PlanOptionResult> options = {Option("fast-card", 10, 300), Option("slow-card", 30, 100),
                                           Option("worse-card", 30, 200), Option("mid-card", 20, 150)};
  MarkPareto(options, 0);
  EXPECT_TRUE(options[0].pareto);
  EXPECT_TRUE(options[1].pareto);
  EXPECT_FALSE(options[2].pareto);  // as late as slow-card and dearer
  EXPECT_TRUE(options[3].pareto);
}

TEST(FrontierTest, ShowsTopFrontierAndBestPerAccelerator) {
  std::vector<PlanOptionResult> ranked = {Option("fast-card", 10, 300), Option("fast-card", 12, 310),
                                          Option("mid-card", 20, 150), Option("slow-card", 30, 100)};
  MarkPareto(ranked, 0);
  const ShownOptions shown = SelectShown(ranked, 1, 0);
  // Top 1, the best of each other accelerator; one frontier point (the fastest end).
  ASSERT_EQ(shown.options.size(), 3u);
  EXPECT_EQ(shown.options[1].accelerator, "mid-card");
  EXPECT_EQ(shown.frontier, (std::vector<int>{0}));
  EXPECT_EQ(MixKey(ranked[0]), "fast-card-quote:00000064;");
}

}  // namespace
}  // namespace suanli
