#include "core/yaml_reader.h"

#include <cstdint>

#include <fmt/format.h>
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

TEST(YamlReader, AbsentKeyIsANullNodeThatCanBeAskedItsType) {
  // yaml-cpp's own lookup gives an invalid node whose IsMap() throws (found
  // by fuzzing a serve: block without output_len).
  YamlMap map = Load("input_len: 2000\n");
  const YAML::Node absent = map.Node("output_len");
  EXPECT_NO_THROW(EXPECT_FALSE(absent.IsMap()));
  EXPECT_TRUE(absent.IsNull());
  EXPECT_FALSE(map.Number("output_len", 1, 10).ok());
}

TEST(YamlReader, UnknownKeySuggestsNearest) {
  YamlMap map = Load("layres: 80\n");
  auto status = map.CheckKeys({"layers", "hidden"});
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().hint.find("layers"), std::string::npos);
  EXPECT_EQ(status.error().where, "t.yaml:1:1 layres");
}


TEST(YamlReader, DuplicateKeyNamesLineAndKey) {
  auto node = ParseYaml("a: 1\nb:\n  c: 1\n  c: 2\n", "d.yaml");
  ASSERT_FALSE(node.ok());
  EXPECT_EQ(node.error().where, "d.yaml:4:3");
  EXPECT_NE(node.error().message.find("duplicate key 'c' (first given at line 3)"), std::string::npos);
  EXPECT_TRUE(ParseYaml("a: {c: 1}\nb: {c: 1}\n", "ok.yaml").ok());  // same key, other maps
}

TEST(YamlReader, NestingLimit) {
  const std::string ok = std::string(kMaxYamlDepth - 1, '[') + std::string(kMaxYamlDepth - 1, ']');
  EXPECT_TRUE(ParseYaml(ok, "n.yaml").ok());
  const std::string deep = std::string(kMaxYamlDepth + 1, '[') + std::string(kMaxYamlDepth + 1, ']');
  auto node = ParseYaml(deep, "n.yaml");
  ASSERT_FALSE(node.ok());
  EXPECT_EQ(node.error().message, "nesting deeper than 64 levels");
  EXPECT_EQ(node.error().where.rfind("n.yaml:1:", 0), 0u);
  auto very_deep = ParseYaml(std::string(5000, '['), "n.yaml");  // yaml-cpp's own limit
  ASSERT_FALSE(very_deep.ok());
  EXPECT_EQ(very_deep.error().message, "nesting deeper than 64 levels");
}

TEST(YamlReader, BomUtf8AndControlBytes) {
  EXPECT_TRUE(ParseYaml("\xEF\xBB\xBFname: caf\xC3\xA9\n", "b.yaml").ok());
  auto latin1 = ParseYaml("a: 1\nname: caf\xE9\n", "l.yaml");
  ASSERT_FALSE(latin1.ok());
  EXPECT_EQ(latin1.error().where, "l.yaml:2:10");
  EXPECT_FALSE(ParseYaml("name: \"a\\0b\"\n", "e.yaml").ok());  // NUL by escape
  EXPECT_FALSE(ParseYaml(std::string("name: a\0b\n", 10), "z.yaml").ok());
}

TEST(YamlReader, AliasesMultipleDocumentsAndComplexKeys) {
  EXPECT_TRUE(ParseYaml("a: &x [1, 2]\nb: *x\n", "a.yaml").ok());
  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  for (char c = 'b'; c <= 'j'; ++c) {
    bomb += fmt::format("{0}: &{0} [*{1}, *{1}, *{1}, *{1}, *{1}, *{1}, *{1}, *{1}]\n", c, char(c - 1));
  }
  EXPECT_FALSE(ParseYaml(bomb, "bomb.yaml").ok());
  EXPECT_FALSE(ParseYaml("a: 1\n---\nb: 2\n", "m.yaml").ok());
  EXPECT_FALSE(ParseYaml("? [a, b]\n: 1\n", "k.yaml").ok());
  EXPECT_TRUE(ParseYaml("", "empty.yaml").ok());
}

TEST(YamlReader, DocumentSeparators) {
  // One document: a leading '---', a closing '...', a '---' inside a quoted value.
  EXPECT_TRUE(ParseYaml("---\na: 1\n", "d.yaml").ok());
  EXPECT_TRUE(ParseYaml("# c\n--- # start\na: 1\n...\n", "d.yaml").ok());
  EXPECT_TRUE(ParseYaml("a: \"---\"\nb: x---\n", "d.yaml").ok());
  // A second document is named at its first line of content.
  auto two = ParseYaml("a: 1\n---\n\nb: 2\n", "m.yaml");
  ASSERT_FALSE(two.ok());
  EXPECT_EQ(two.error().where, "m.yaml:4:1");
  auto inline_second = ParseYaml("a: 1\n--- b\n", "m.yaml");
  ASSERT_FALSE(inline_second.ok());
  EXPECT_EQ(inline_second.error().where, "m.yaml:2:1");
  EXPECT_FALSE(ParseYaml("a: 1\n...\nb: 2\n", "m.yaml").ok());
}

TEST(YamlReader, PlainScalarStartingWithACommaReturns) {
  // yaml-cpp 0.7's LoadAll never returns on these (fuzz_scenario_yaml).
  for (const char* text : {",", " ,\n", ",a\n"}) {
    auto parsed = ParseYaml(text, "c.yaml");
    EXPECT_TRUE(!parsed.ok() || !parsed->IsMap()) << text;
  }
}

TEST(YamlReader, UnclosedQuoteAtEnd) {
  EXPECT_FALSE(ParseYaml("name: \"abc\n", "q.yaml").ok());
  EXPECT_FALSE(ParseYaml("name: 'it''s\n", "q.yaml").ok());
  EXPECT_FALSE(ParseYaml("x: \"\xC3\xA9\"\nname: \"ab\\\"c\n", "q.yaml").ok());
  EXPECT_TRUE(ParseYaml("x: \"\xC3\xA9\xC3\xA9\"\nname: \"ab\\\"c\"\ny: 'it''s'\n", "q.yaml").ok());
}

TEST(YamlReader, NumbersAreStrict) {
  YamlMap map = Load("hex: 0x10\nbig: 99999999999999999999\ninf: .inf\nnan: NaN\nhuge: 1e400\n"
                     "max: 9223372036854775807\n");
  for (const char* key : {"hex", "big", "inf", "nan", "huge"}) {
    EXPECT_FALSE(map.Int(key, 0, INT64_MAX).ok()) << key;
    if (std::string(key) != "big") {
      EXPECT_FALSE(map.Number(key, -1e300, 1e300).ok()) << key;
    }
  }
  EXPECT_EQ(*map.Int("max", 0, INT64_MAX), INT64_MAX);
  EXPECT_NE(map.Int("hex", 0, 100).error().where.find("hex"), std::string::npos);
}

}  // namespace
}  // namespace suanli

namespace suanli {
namespace {

struct Named {
  std::string id;
};

TEST(YamlReader, ReadIdListReadsEntriesAndRefusesARepeatedId) {
  const auto read = [](const YamlMap& entry) -> Result<Named> {
    SUANLI_ASSIGN_OR_RETURN(std::string id, entry.String("id"));
    return Named{id};
  };
  auto two = ReadIdList<Named>("things:\n  - {id: a}\n  - {id: b}\n", "t.yaml", "things", read);
  ASSERT_TRUE(two.ok()) << two.error().ToString();
  ASSERT_EQ(two->size(), 2u);
  EXPECT_EQ((*two)[1].id, "b");
  auto repeated = ReadIdList<Named>("things:\n  - {id: a}\n  - {id: a}\n", "t.yaml", "things", read);
  ASSERT_FALSE(repeated.ok());
  EXPECT_NE(repeated.error().message.find("duplicate id 'a'"), std::string::npos);
  EXPECT_NE(repeated.error().where.find("t.yaml:3"), std::string::npos) << repeated.error().where;
  EXPECT_FALSE(ReadIdList<Named>("other: []\n", "t.yaml", "things", read).ok());
}

}  // namespace
}  // namespace suanli
