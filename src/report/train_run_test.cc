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
  // The total is the whole campaign; the steady state is apart.
  EXPECT_EQ(json["total_time_days"], 2.0);
  EXPECT_EQ(json["total_time_s"], 2.0 * 86400);
  EXPECT_EQ(json["steady_state_days"], 1.0);
  EXPECT_EQ(json["steady_state_s"], 86400.0);
  EXPECT_EQ(json["campaign_days"], 2.0);
  EXPECT_TRUE(json.contains("gpu_hours"));
  EXPECT_TRUE(json.contains("steady_state_gpu_hours"));
}

TEST(TrainRun, CampaignDaysKeepTheTablesPrecision) {
  CampaignTotals totals;
  totals.tokens = 2e12;
  totals.campaign.train_s = 1031.0 * 86400;
  totals.campaign.wall_s = 1067.9 * 86400;
  totals.campaign.wall_p50_s = 1290.3 * 86400;
  const nlohmann::json json = CampaignJson(totals);
  EXPECT_NEAR(json["campaign_days_p50"].get<double>(), 1290.3, 1e-6);
  EXPECT_NEAR(json["total_time_days"].get<double>(), 1067.9, 1e-6);
  EXPECT_TRUE(json["tokens"].is_number_integer());
}

TEST(TrainRun, ScalingMarksInfeasibleSizes) {
  const TrainSubject subject{"m", "acc", 0, {"x=1"}, 0, {}};
  const std::vector<ScalingPoint> points = {{8, std::nullopt, "does not fit in memory", "does not fit in memory"}};
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
  result.infeasible_reason_text = "nothing fits";
  const TrainSubject subject{"m", "acc", 8, {}, 0, {}};
  const nlohmann::json json = TrainSearchJson(subject, result, std::nullopt, 5);
  EXPECT_EQ(json["fits"], false);
  EXPECT_EQ(json["reason"], "nothing fits");
  EXPECT_EQ(json["gpus"], 8);
  EXPECT_FALSE(json.contains("assumed"));
  EXPECT_NE(TrainSearchText(subject, result, std::nullopt, 5).find("no feasible layout: nothing fits"),
            std::string::npos);
}

// Returns a fitting candidate of `tokens_per_s` with vp `vp` and micro-batch `mb`.
SearchCandidate Candidate(double tokens_per_s, int vp, int mb, int zero = 1) {
  SearchCandidate c;
  c.config.vp = vp;
  c.config.micro_batch = mb;
  c.config.zero = zero;
  c.estimate.tokens_per_s = tokens_per_s;
  c.estimate.fits = true;
  return c;
}

TEST(TrainRun, RankingCollapsesRunnerUpsThatDifferOnlyInADetail) {
  SearchResult result;
  result.top = {Candidate(100, 2, 1), Candidate(99, 4, 1),  // vp only: collapsed
                Candidate(98, 2, 2, 2), Candidate(98, 2, 4, 2),  // micro-batch at the same speed: collapsed
                Candidate(97, 2, 8, 3), Candidate(96, 2, 1, 0)};
  const std::vector<RankedRow> rows = RankRows(result, 3);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].variants, 1);
  EXPECT_EQ(rows[1].index, 2u);
  EXPECT_EQ(rows[1].variants, 1);
  EXPECT_EQ(rows[2].index, 4u);
  const TextTable table = RankingTable(result, rows);
  EXPECT_NE(table.Rows()[0][1].find("(+1 variant)"), std::string::npos);
}

// JSON, the table (text, CSV, Markdown) and the HTML show the same rows: once
// --top 3 printed 2 table rows (one "(+5 variants)") and 3 JSON entries.
TEST(TrainRun, JsonListsTheSameRowsAsTheTable) {
  SearchResult result;
  result.top = {Candidate(100, 8, 1), Candidate(99, 6, 1), Candidate(98, 4, 1),  // vp only: one row
                Candidate(97, 8, 1, 2), Candidate(96, 6, 1, 2)};                  // another zero: a second row
  const TrainSubject subject{"m", "acc", 16, {}, 0, {}};
  const std::vector<RankedRow> rows = RankRows(result, 3);
  ASSERT_EQ(rows.size(), 2u);
  const nlohmann::json json = TrainSearchJson(subject, result, std::nullopt, 3);
  const nlohmann::json& top = json["search"]["top"];
  ASSERT_EQ(top.size(), rows.size());
  EXPECT_EQ(top[0]["variants"], 2);
  EXPECT_EQ(top[1]["config"]["zero"], 2);
  EXPECT_EQ(top[1]["variants"], 1);
  EXPECT_EQ(RankingTable(result, rows).RowCount(), top.size());
  // Fewer rows than asked are explained, not silently dropped.
  EXPECT_NE(TrainSearchText(subject, result, std::nullopt, 3).find("2 of 3 rows asked"), std::string::npos);
  EXPECT_EQ(FewerRowsNote(result, RankRows(result, 2), 2), "");
}

TEST(TrainRun, NoThroughputForALayoutThatDoesNotFit) {
  TrainSubject subject{"m", "acc", 8, {}, 0, {}};
  ParallelConfig config;
  StepEstimate estimate;
  estimate.tokens_per_s = 1000;
  estimate.mfu = 0.5;
  estimate.memory.weights_bytes = 30.0 * (1 << 30);
  estimate.memory.total_bytes = 30.0 * (1 << 30);
  estimate.usable_bytes = 20.0 * (1 << 30);
  const nlohmann::json json = TrainEstimateJson(subject, config, estimate, std::nullopt);
  EXPECT_TRUE(json["mfu"].is_null());
  EXPECT_TRUE(json["tokens_per_s"].is_null());
  EXPECT_EQ(json["reason"], "needs 30.0 GiB per device, 20.0 GiB usable (largest: weights 30.0 GiB)");
  const std::string text = TrainEstimateText(subject, config, estimate, std::nullopt);
  EXPECT_EQ(text.find("MFU"), std::string::npos);
  EXPECT_EQ(text.find("tokens/s"), std::string::npos);
  EXPECT_NE(text.find("does not fit: needs 30.0 GiB per device"), std::string::npos);
}

}  // namespace
}  // namespace suanli
