#include "core/yaml_reader.h"

#include <gtest/gtest.h>

namespace suanli {
namespace {

YamlMap Load(const std::string& text) {
  auto node = ParseYaml(text, "t.yaml");
  EXPECT_TRUE(node.ok());
  return YamlMap(*node, "t.yaml", "");
}

TEST(YamlReader, SyntaxErrorHasLineAndColumn) {
  auto node = ParseYaml("a: 1\nb: [1, 2\n", "bad.yaml");
  ASSERT_FALSE(node.ok());
  EXPECT_EQ(node.error().where.rfind("bad.yaml:", 0), 0u);
}

TEST(YamlReader, TypedFieldsAndRanges) {
  YamlMap map = Load("layers: 80\nhidden: 8192.5\nmemory: 80 GiB\nflag: yes\n");
  EXPECT_EQ(*map.Int("layers", 1, 1000), 80);
  EXPECT_FALSE(map.Int("hidden", 1, 100000).ok());
  EXPECT_FALSE(map.Int("layers", 1, 10).ok());
  EXPECT_DOUBLE_EQ(*map.Quantity("memory", Dimension::kBytes), 80.0 * kGiB);
  EXPECT_TRUE(*map.Bool("flag"));
  auto missing = map.Int("heads", 1, 10);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().where.find("heads"), std::string::npos);
}

TEST(YamlReader, UnknownKeySuggestsNearest) {
  YamlMap map = Load("layres: 80\n");
  auto status = map.CheckKeys({"layers", "hidden"});
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().hint.find("layers"), std::string::npos);
  EXPECT_EQ(status.error().where, "t.yaml:1:1 layres");
}

}  // namespace
}  // namespace suanli
