// The fit report page: the memory chart of the asked and the fewest layouts, the capacity rule, Chinese.
#include "report/fit_html.h"

#include <gtest/gtest.h>

#include "core/i18n.h"
#include "core/units.h"

namespace suanli {
namespace {

FitResult SampleFitResult(bool min_found) {
  FitResult r;
  r.model = "llama-2-70b";
  r.accelerator = "a100-sxm-40gb";
  r.gpus = 64;
  r.train.tp = 8;
  r.train.pp = 2;
  r.train.dp = 4;
  r.capacity_bytes = 40 * kGiB;
  r.usable_bytes = 39 * kGiB;
  r.memory.weights_bytes = 30 * kGiB;
  r.memory.total_bytes = 48.9 * kGiB;
  r.min.found = min_found;
  r.min.devices = 32;
  r.min.train.tp = 4;
  r.min.memory.weights_bytes = 20 * kGiB;
  r.min.memory.total_bytes = 38.8 * kGiB;
  r.min.reason = min_found ? "" : "nothing fits on up to 64 devices";
  return r;
}

TEST(FitHtml, MemoryChartOfAskedAndFewestAgainstCapacity) {
  const std::string html = FitHtml(SampleFitResult(true));
  EXPECT_NE(html.find("data-chart=\"memory\""), std::string::npos);
  EXPECT_NE(html.find("\"rule\""), std::string::npos);
  EXPECT_NE(html.find("fewest: 32 devices"), std::string::npos);
  EXPECT_NE(html.find("asked: 64 devices"), std::string::npos);
  EXPECT_NE(html.find("does not fit"), std::string::npos);
  EXPECT_NE(html.find("48.9"), std::string::npos);
}

TEST(FitHtml, NoMinimumSaysWhy) {
  const std::string html = FitHtml(SampleFitResult(false));
  EXPECT_NE(html.find("nothing fits on up to 64 devices"), std::string::npos);
  EXPECT_EQ(html.find("fewest: "), std::string::npos);
}

TEST(FitHtml, ChineseCaptions) {
  SetLanguage(Language::kChinese);
  const std::string html = FitHtml(SampleFitResult(true));
  SetLanguage(Language::kEnglish);
  EXPECT_NE(html.find(TrIn(Language::kChinese, "Memory per device against capacity")), std::string::npos);
  EXPECT_EQ(html.find("Memory per device against capacity"), std::string::npos);
}

}  // namespace
}  // namespace suanli
