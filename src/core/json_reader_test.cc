// Located JSON parsing: values, positions, syntax errors, duplicate keys and overflow.
#include "core/json_reader.h"

#include <gtest/gtest.h>

namespace suanli {
namespace {

TEST(JsonReader, ValuesAndPositions) {
  auto root = ParseJson("{\n  \"a\": 1.5,\n  \"b\": [true, null, \"x\\u00e9\\n\"],\n  \"c\": {\"d\": -2e3}\n}",
                        "t.json");
  ASSERT_TRUE(root.ok()) << root.error().ToString();
  ASSERT_EQ(root->kind, JsonValue::Kind::kObject);
  ASSERT_EQ(root->members.size(), 3u);
  EXPECT_DOUBLE_EQ(root->Find("a")->number, 1.5);
  const JsonValue* b = root->Find("b");
  ASSERT_EQ(b->items.size(), 3u);
  EXPECT_TRUE(b->items[0].boolean);
  EXPECT_EQ(b->items[1].kind, JsonValue::Kind::kNull);
  EXPECT_EQ(b->items[2].text, "x\xc3\xa9\n");
  EXPECT_DOUBLE_EQ(root->Find("c")->Find("d")->number, -2000);
  JsonMap map(*root, "t.json");
  EXPECT_EQ(map.Where("b"), "t.json:3:3 b");
  EXPECT_EQ(map.Where("zz"), "t.json zz");
  EXPECT_EQ(root->Find("c")->line, 4);
  EXPECT_EQ(root->Find("c")->column, 8);
}

TEST(JsonReader, ByteOrderMarkIsSkippedAndOddCharactersNamedWhole) {
  auto with_bom = ParseJson("\xEF\xBB\xBF{\"a\": 1}", "c.json");
  ASSERT_TRUE(with_bom.ok()) << with_bom.error().ToString();
  auto quote = ParseJson("{\"a\": \xE2\x80\x9Cx\xE2\x80\x9D}", "c.json");  // typographic quotes
  ASSERT_FALSE(quote.ok());
  EXPECT_NE(quote.error().message.find("'\xE2\x80\x9C'"), std::string::npos) << quote.error().message;
  auto broken = ParseJson("{\"a\": \xE2}", "c.json");
  ASSERT_FALSE(broken.ok());
  EXPECT_NE(broken.error().message.find("\\xE2"), std::string::npos) << broken.error().message;
}

TEST(JsonReader, SyntaxErrorAtEndOfOffendingToken) {
  auto root = ParseJson("{\n  \"a\": 1\n  \"b\": 2\n}", "bad.json");
  ASSERT_FALSE(root.ok());
  EXPECT_EQ(root.error().where, "bad.json:3:5");  // the "b" key ends at column 5
  EXPECT_EQ(root.error().message.rfind("malformed JSON: ", 0), 0u) << root.error().message;
  for (const char* bad : {"", "{", "[1,]", "{\"a\" 1}", "01", "1.", "-", "tru", "\"abc",
                          "\"\\q\"", "{\"a\":1}}", "[1e]", "\"\\u12\""}) {
    EXPECT_FALSE(ParseJson(bad, "b.json").ok()) << bad;
  }
}

TEST(JsonReader, DuplicateKeyNamesBothPlaces) {
  auto root = ParseJson("{\"hidden_size\": 1,\n \"hidden_size\": 2}", "d.json");
  ASSERT_FALSE(root.ok());
  EXPECT_EQ(root.error().where, "d.json:2:2 hidden_size");
  EXPECT_NE(root.error().message.find("duplicate key 'hidden_size'"), std::string::npos);
}

TEST(JsonReader, OverflowingNumberIsAnErrorUnderflowIsZero) {
  auto root = ParseJson("{\"x\": 1e999}", "o.json");
  ASSERT_FALSE(root.ok());
  EXPECT_EQ(root.error().where, "o.json:1:7 x");
  EXPECT_NE(root.error().message.find("too large"), std::string::npos);
  auto tiny = ParseJson("[1e-999]", "o.json");
  ASSERT_TRUE(tiny.ok());
  EXPECT_EQ(tiny->items[0].number, 0.0);
}

TEST(JsonReader, DeepNestingIsRejected) {
  EXPECT_FALSE(ParseJson(std::string(10000, '['), "deep.json").ok());
}

TEST(JsonMap, TypedFieldsAndMessages) {
  auto root = ParseJson(R"({"n": 80, "f": 2.5, "s": "x", "b": true, "z": null, "neg": -3})", "m.json");
  ASSERT_TRUE(root.ok());
  JsonMap map(*root, "m.json");
  EXPECT_EQ(*map.Int("n", 1, 100), 80);
  EXPECT_FALSE(map.Has("z"));
  EXPECT_EQ(*map.IntOr("z", 7, 0, 10), 7);
  EXPECT_EQ(map.Int("f", 0, 10).error().message, "'f' must be a whole number, got 2.5");
  EXPECT_EQ(map.Int("s", 0, 10).error().message, "'s' must be a number, got \"x\"");
  EXPECT_EQ(map.Int("neg", 0, 10).error().message, "'neg' = -3 is out of range");
  EXPECT_EQ(map.Int("missing", 0, 10).error().message, "missing required field 'missing'");
  EXPECT_EQ(*map.AnyInt({"m", "n"}, 1, 100), 80);
  EXPECT_DOUBLE_EQ(*map.NumberOr("f", 0, 0, 10), 2.5);
  EXPECT_FALSE(map.NumberOr("f", 0, 0, 1).ok());
  EXPECT_TRUE(*map.BoolOr("b", false));
  EXPECT_FALSE(map.BoolOr("n", false).ok());
  EXPECT_EQ(*map.String("s"), "x");
  EXPECT_FALSE(map.String("n").ok());
}

}  // namespace
}  // namespace suanli
