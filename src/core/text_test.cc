#include "core/text.h"

#include <gtest/gtest.h>

#include "core/i18n.h"

namespace suanli {
namespace {

TEST(Text, EditDistance) {
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3);
  EXPECT_EQ(EditDistance("", "abc"), 3);
  EXPECT_EQ(EditDistance("a800", "a800"), 0);
}

TEST(Text, NormalizeId) { EXPECT_EQ(NormalizeId("A800 80GB"), NormalizeId("a800-80gb")); }

TEST(Text, NearestMatchesPrefersPrefixes) {
  const std::vector<std::string> ids = {"a100-sxm-80gb", "a800-sxm-80gb", "a800-pcie-80gb",
                                        "h800-sxm-80gb", "mi300x"};
  const auto near = NearestMatches("a8000", ids);
  ASSERT_FALSE(near.empty());
  EXPECT_EQ(near.front(), "a800-sxm-80gb");
  EXPECT_TRUE(NearestMatches("zzzzzzzzzzzzzzzzzzzzzz", ids).empty());
}

TEST(Text, DidYouMean) {
  EXPECT_EQ(DidYouMean({"a", "b", "c"}), "did you mean a, b or c?");
  EXPECT_EQ(DidYouMean({}), "");
}


TEST(TextTest, DidYouMeanListsInTheCurrentLanguage) {
  EXPECT_EQ(DidYouMean({"a", "b", "c"}), "did you mean a, b or c?");
  SetLanguage(Language::kChinese);
  const std::string chinese = DidYouMean({"a", "b", "c"});
  SetLanguage(Language::kEnglish);
  EXPECT_EQ(chinese, "您是不是要找 a、b 或 c？");
}

}  // namespace
}  // namespace suanli
