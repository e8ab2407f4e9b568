#include "plan/frontier.h"

#include <gtest/gtest.h>

#include "core/i18n.h"
#include "plan/recommendation.h"

namespace suanli {
namespace {

PlanOptionResult Option(const char* accelerator, int day, double cost) {
  PlanOptionResult o;
  o.accelerator = accelerator;
  o.gpus = 64;
  o.finish_p50_days = day;
  o.finish_p50_date = Date{day};
  o.cost.total = cost;
  o.mix.push_back(MixPart{std::string(accelerator) + "-quote", "supplier", 64, 1, 64, QuoteUnit::kCard, 1, 0, 0, 0, ""});
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

// A buyer tester's case (session 20): the sentence "the next cheaper option on
// the frontier" named a point of the sampled frontier (so it changed with
// --top) instead of the true neighbour of the whole frontier.
TEST(FrontierTest, NextCheaperFrontierPointComesFromTheWholeFrontierWhateverTheTop) {
  // Ranked by finish: 8 frontier points, each a few days later and a bit cheaper.
  std::vector<PlanOptionResult> ranked;
  for (int k = 0; k < 8; ++k) {
    ranked.push_back(Option(k % 2 == 0 ? "card-a" : "card-b", 100 + 4 * k, 1000 - 45 * k));
    ranked.back().gpus = 1024 - 64 * k;
  }
  ranked.push_back(Option("card-a", 105, 990));  // later and dearer than #2: off the frontier
  ranked.back().gpus = 2048;
  MarkPareto(ranked, 0);
  ASSERT_TRUE(ranked[1].pareto);
  const RecommendationPicks all = PickComparisons(ranked, 0);
  EXPECT_EQ(all.next, 1u);
  EXPECT_EQ(all.cheapest, 7u);
  for (int top : {1, 2, 3, 10}) {
    const ShownOptions shown = SelectShown(ranked, top, 0, {all.same, all.next, all.cheapest, all.fastest});
    const Recommendation rec = Recommend(shown.options, Objective::kEarliestFinish, "CNY", 0);
    std::string line;
    for (const std::string& r : rec.reasons) {
      if (r.find("next cheaper option on the frontier") != std::string::npos) line = r;
    }
    // Four days later for 4.5% less: card-b with 960 cards, ranked #2, whatever the top.
    EXPECT_NE(line.find("960 card-b"), std::string::npos) << "top " << top << ": " << line;
    EXPECT_NE(line.find("0.6 weeks"), std::string::npos) << "top " << top << ": " << line;
    EXPECT_NE(line.find("#2 "), std::string::npos) << "top " << top << ": " << line;
  }
}

}  // namespace
}  // namespace suanli
