#include "market/region.h"

#include <gtest/gtest.h>

namespace suanli {
namespace {

TEST(Region, CodesInAnyCase) {
  auto cn = ParseRegion("cn", "f");
  ASSERT_TRUE(cn.ok());
  EXPECT_EQ(cn->code, "CN");
  EXPECT_EQ(cn->alias, "");
  EXPECT_EQ(ParseRegion(" US ", "f")->code, "US");
}

TEST(Region, AliasesAreReadAsTheirCodeAndSaid) {
  for (const char* alias : {"China", "中国", "PRC", "Mainland China", "china"}) {
    auto r = ParseRegion(alias, "f");
    ASSERT_TRUE(r.ok()) << alias;
    EXPECT_EQ(r->code, "CN") << alias;
    EXPECT_FALSE(r->alias.empty()) << alias;
  }
  EXPECT_EQ(ParseRegion("United States", "f")->code, "US");
  EXPECT_EQ(ParseRegion("香港", "f")->code, "HK");
}

TEST(Region, UnknownRegionIsAnErrorListingTheCodes) {
  auto r = ParseRegion("Chna", "scenario.yaml:3:11 buyer.region");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().where, "scenario.yaml:3:11 buyer.region");
  EXPECT_NE(r.error().message.find("unknown region 'Chna'"), std::string::npos);
  EXPECT_NE(r.error().hint.find("CN"), std::string::npos) << r.error().hint;
  EXPECT_NE(r.error().hint.find("china"), std::string::npos) << r.error().hint;  // did you mean
  EXPECT_FALSE(ParseRegion("", "f").ok());
  EXPECT_FALSE(ParseRegion("XX", "f").ok());
}

}  // namespace
}  // namespace suanli
