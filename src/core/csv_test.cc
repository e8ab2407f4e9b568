#include "core/csv.h"

#include <gtest/gtest.h>

namespace suanli {
namespace {

TEST(Csv, QuotesCommasNewlinesAndLines) {
  auto records = ParseCsv("a,b,c\n1,\"x, y\",\"say \"\"hi\"\"\"\n2,\"two\nlines\",z\n\n3,,\n", "t.csv");
  ASSERT_TRUE(records.ok());
  ASSERT_EQ(records->size(), 4u);
  EXPECT_EQ((*records)[1].fields[1], "x, y");
  EXPECT_EQ((*records)[1].fields[2], "say \"hi\"");
  EXPECT_EQ((*records)[2].fields[1], "two\nlines");
  EXPECT_EQ((*records)[2].line, 3);
  EXPECT_EQ((*records)[3].line, 6);
  EXPECT_EQ((*records)[3].fields.size(), 3u);
}

TEST(Csv, UnterminatedQuoteNamesLine) {
  auto records = ParseCsv("a,b\n1,\"open\n", "bad.csv");
  ASSERT_FALSE(records.ok());
  EXPECT_EQ(records.error().where, "bad.csv:2");
}


TEST(Csv, BomIsSkippedBeforeHeader) {
  auto records = ParseCsv("\xEF\xBB\xBFid,name\r\na,b\r\n", "bom.csv");
  ASSERT_TRUE(records.ok());
  EXPECT_EQ((*records)[0].fields[0], "id");
}

TEST(Csv, InvalidUtf8AndNulNameLineAndColumn) {
  auto latin1 = ParseCsv("id,name\na,caf\xE9\n", "l.csv");
  ASSERT_FALSE(latin1.ok());
  EXPECT_EQ(latin1.error().where, "l.csv:2 name");
  auto nul = ParseCsv(std::string("id,name\na,b\0\n", 13), "n.csv");
  ASSERT_FALSE(nul.ok());
  EXPECT_EQ(nul.error().message.rfind("NUL byte", 0), 0u);
  auto header = ParseCsv("id,n\xE4me\n", "h.csv");
  ASSERT_FALSE(header.ok());
  EXPECT_EQ(header.error().where, "h.csv:1 header column 2");
  EXPECT_EQ(ParseCsv("id\na,\xFF\n", "x.csv").error().where, "x.csv:2 column 2");
}

TEST(Csv, TextAfterClosingQuote) {
  EXPECT_FALSE(ParseCsv("a,b\n\"x\"y,1\n", "q.csv").ok());
  EXPECT_TRUE(ParseCsv("a,b\n\"x\",1\r\n", "q.csv").ok());
}

}  // namespace
}  // namespace suanli
