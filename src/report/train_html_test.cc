// The train report pages: named charts, the capacity rule, no MFU for a layout
// that does not fit, Chinese captions.
#include "report/train_html.h"

#include <gtest/gtest.h>

#include "core/i18n.h"
#include "core/units.h"
#include "report/html_test_support.h"

namespace suanli {
namespace {

StepEstimate Estimate(bool fits) {
  StepEstimate e;
  e.step_time_s = 2.0;
  e.tokens_per_s = 123456;
  e.tokens_per_s_per_gpu = 1929;
  e.mfu = 0.45;
  e.breakdown.compute_s = 1.5;
  e.breakdown.tp_comm_s = 0.3;
  e.breakdown.bubble_s = 0.2;
  e.memory.weights_bytes = 20 * kGiB;
  e.memory.activations_bytes = 30 * kGiB;
  e.memory.total_bytes = fits ? 50 * kGiB : 90 * kGiB;
  e.usable_bytes = 73 * kGiB;
  e.fits = fits;
  return e;
}

const TrainSubject kSubject{"llama-2-70b", "a800-sxm-80gb", 64, {}, 80 * kGiB, {}};

TEST(TrainHtml, OneLayoutHasStepTimeAndMemoryChartsWithTheCapacityRule) {
  ParallelConfig config;
  config.tp = 8;
  config.pp = 2;
  config.dp = 4;
  const std::string html = TrainEstimateHtml(kSubject, config, Estimate(true), std::nullopt);
  EXPECT_EQ(Count(html, "data-chart=\"step-time\""), 1u);
  EXPECT_EQ(Count(html, "data-chart=\"memory\""), 1u);
  EXPECT_NE(html.find("\"rule\""), std::string::npos);  // the usable-memory rule
  EXPECT_NE(html.find("\"capacity\""), std::string::npos);
  EXPECT_NE(html.find("123,456 tokens/s"), std::string::npos);
  EXPECT_NE(html.find("llama-2-70b"), std::string::npos);
  EXPECT_NE(html.find("pipeline bubble"), std::string::npos);
}

TEST(TrainHtml, LayoutThatDoesNotFitHasNoThroughputButSaysWhy) {
  ParallelConfig config;
  const std::string html = TrainEstimateHtml(kSubject, config, Estimate(false), std::nullopt);
  EXPECT_EQ(html.find("tokens/s"), std::string::npos);
  EXPECT_EQ(html.find("MFU"), std::string::npos);
  EXPECT_EQ(html.find("data-chart=\"step-time\""), std::string::npos);
  EXPECT_NE(html.find("data-chart=\"memory\""), std::string::npos);
  EXPECT_NE(html.find("needs 90.0 GiB per device, 73.0 GiB usable"), std::string::npos);
}

TEST(TrainHtml, SearchPageRanksAndChartsEachRow) {
  SearchResult result;
  for (int i = 0; i < 3; ++i) {
    SearchCandidate c;
    c.config.tp = 1 << i;
    c.estimate = Estimate(true);
    c.estimate.tokens_per_s -= 1000 * i;
    result.top.push_back(c);
  }
  const std::string html = TrainSearchHtml(kSubject, result, std::nullopt, 5);
  EXPECT_EQ(Count(html, "data-chart="), 2u);
  EXPECT_NE(html.find("#3 tp4"), std::string::npos);
  EXPECT_NE(html.find("vs best"), std::string::npos);
}

TEST(TrainHtml, ScalingPageHasThroughputAndMfuCharts) {
  std::vector<ScalingPoint> points = {{8, std::nullopt, "too small", "too small"}};
  SearchCandidate c;
  c.estimate = Estimate(true);
  points.push_back({16, c, "", ""});
  const std::string html = ScalingHtml(kSubject, points);
  EXPECT_EQ(Count(html, "data-chart=\"scaling\""), 1u);
  EXPECT_EQ(Count(html, "data-chart=\"mfu\""), 1u);
  EXPECT_NE(html.find("8 devices: too small"), std::string::npos);
}

TEST(TrainHtml, ChineseCaptions) {
  SetLanguage(Language::kChinese);
  ParallelConfig config;
  const std::string html = TrainEstimateHtml(kSubject, config, Estimate(true), std::nullopt);
  SetLanguage(Language::kEnglish);
  EXPECT_NE(html.find("<html lang=\"zh-CN\">"), std::string::npos);
  EXPECT_NE(html.find(TrIn(Language::kChinese, "Where the step time goes")), std::string::npos);
  EXPECT_NE(html.find(TrIn(Language::kChinese, "memory per device (GiB)")), std::string::npos);
  EXPECT_EQ(html.find("Where the step time goes"), std::string::npos);
}

}  // namespace
}  // namespace suanli
