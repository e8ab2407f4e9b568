// Train run renderers: the subject keys, the campaign keys, infeasible points.
#include "report/train_run.h"

#include <gtest/gtest.h>

namespace suanli {
namespace {

TEST(TrainRun, AssumedLineAndCampaignKeys) {
  EXPECT_EQ(AssumedLine({}), "");
  EXPECT_EQ(AssumedLine({"a=1", "b=2"}), "what-if: a=1, b=2\n");
  CampaignTotals totals;
  totals.tokens = 1e12;
  totals.campaign.train_s = 86400;
  totals.campaign.wall_s = 2 * 86400;
  const nlohmann::json json = CampaignJson(totals);
  EXPECT_EQ(json["tokens"], 1e12);
  EXPECT_EQ(json["total_time_days"], 1.0);
  EXPECT_EQ(json["campaign_days"], 2.0);
  EXPECT_TRUE(json.contains("gpu_hours"));
}

TEST(TrainRun, ScalingMarksInfeasibleSizes) {
  const TrainSubject subject{"m", "acc", 0, {"x=1"}};
  const std::vector<ScalingPoint> points = {{8, std::nullopt, "does not fit in memory"}};
  const nlohmann::json json = ScalingJson(subject, points);
  EXPECT_EQ(json["scaling"][0]["feasible"], false);
  EXPECT_EQ(json["scaling"][0]["reason"], "does not fit in memory");
  EXPECT_EQ(json["assumed"][0], "x=1");
  const std::string text = ScalingText(subject, points);
  EXPECT_NE(text.find("does not fit"), std::string::npos);
  EXPECT_EQ(text.rfind("m on acc: best layout at each cluster size\nwhat-if: x=1\n", 0), 0u);
}

TEST(TrainRun, EmptySearchHasNoFitAndReason) {
  SearchResult result;
  result.infeasible_reason = "nothing fits";
  const TrainSubject subject{"m", "acc", 8, {}};
  const nlohmann::json json = TrainSearchJson(subject, result, std::nullopt, 5);
  EXPECT_EQ(json["fits"], false);
  EXPECT_EQ(json["reason"], "nothing fits");
  EXPECT_EQ(json["gpus"], 8);
  EXPECT_FALSE(json.contains("assumed"));
  EXPECT_NE(TrainSearchText(subject, result, std::nullopt, 5).find("no feasible layout: nothing fits"),
            std::string::npos);
}

}  // namespace
}  // namespace suanli
