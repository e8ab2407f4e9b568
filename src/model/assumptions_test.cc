#include "model/assumptions.h"

#include <gtest/gtest.h>

#include "core/i18n.h"

namespace suanli {
namespace {

TEST(ModelAssumptions, TextsInEnglishForJsonAndInChineseToRead) {
  const std::vector<FieldRecord> english = ModelAssumptions();
  ASSERT_FALSE(english.empty());
  for (const FieldRecord& r : english) {
    EXPECT_TRUE(r.shown_text.empty() && r.shown_source.empty()) << r.path;
    EXPECT_EQ(ShownSource(r), r.source) << r.path;
  }
  SetLanguage(Language::kChinese);
  const size_t missing_before = MissingTranslations().size();
  const std::vector<FieldRecord> chinese = ModelAssumptions();
  const size_t missing_after = MissingTranslations().size();
  const std::string confidence_word = Tr("measured");
  SetLanguage(Language::kEnglish);
  EXPECT_EQ(missing_after, missing_before);  // every text has a zh entry (assumptions.yaml)
  EXPECT_NE(confidence_word, "measured");
  ASSERT_EQ(chinese.size(), english.size());
  for (size_t i = 0; i < english.size(); ++i) {
    EXPECT_EQ(chinese[i].path, english[i].path);
    EXPECT_EQ(chinese[i].text, english[i].text) << english[i].path;      // JSON stays English
    EXPECT_EQ(chinese[i].source, english[i].source) << english[i].path;
    EXPECT_NE(ShownSource(chinese[i]), english[i].source) << english[i].path;
  }
  const FieldRecord* reserve = FindField(chinese, "memory.runtime_reserve");
  ASSERT_NE(reserve, nullptr);
  EXPECT_NE(ShownText(*reserve).find("GiB，"), std::string::npos) << ShownText(*reserve);
}

TEST(PerfAssumptionOverride, SetsDurationsWithUnitsAndPlainShares) {
  PerfAssumptions as;
  ASSERT_TRUE(SetPerfAssumption(as, "perf.moe_dispatch_overhead=2 ms").ok());
  EXPECT_DOUBLE_EQ(as.moe_dispatch_overhead_s, 2e-3);
  ASSERT_TRUE(SetPerfAssumption(as, "overlap_contention = 0.1").ok());  // prefix optional
  EXPECT_DOUBLE_EQ(as.overlap_contention, 0.1);
  ASSERT_TRUE(SetPerfAssumption(as, "perf.unfused_score_bytes_forward=4B").ok());
  EXPECT_DOUBLE_EQ(as.unfused_score_bytes_forward, 4);
  // Untouched fields keep their defaults.
  EXPECT_DOUBLE_EQ(as.attention_efficiency, PerfAssumptions{}.attention_efficiency);
}

TEST(PerfAssumptionOverride, RejectsWhatItCannotRead) {
  PerfAssumptions as;
  const PerfAssumptions defaults;
  auto unknown = SetPerfAssumption(as, "perf.moe_dispatch=1ms");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().where, "--assume");
  EXPECT_NE(unknown.error().hint.find("perf.moe_dispatch_overhead"), std::string::npos);
  EXPECT_FALSE(SetPerfAssumption(as, "perf.moe_dispatch_overhead=2").ok());   // no unit
  EXPECT_FALSE(SetPerfAssumption(as, "perf.overlap_contention=1.5").ok());    // out of range
  EXPECT_FALSE(SetPerfAssumption(as, "perf.attention_efficiency=-0.5").ok());
  EXPECT_FALSE(SetPerfAssumption(as, "perf.overlap_contention").ok());        // no '='
  EXPECT_DOUBLE_EQ(as.moe_dispatch_overhead_s, defaults.moe_dispatch_overhead_s);
  EXPECT_DOUBLE_EQ(as.overlap_contention, defaults.overlap_contention);
}

TEST(PerfAssumptionOverride, EverySettableNameIsListedByShowAssumptions) {
  // Each settable name is a `show assumptions` row, or one half of a row
  // that shows a forward/backward pair.
  std::vector<std::string> shown;
  for (const FieldRecord& r : ModelAssumptions()) shown.push_back(r.path);
  for (const std::string& name : SettablePerfAssumptions()) {
    bool listed = false;
    for (const std::string& row : shown) listed = listed || name.rfind(row, 0) == 0;
    EXPECT_TRUE(listed) << name;
  }
}

}  // namespace
}  // namespace suanli
