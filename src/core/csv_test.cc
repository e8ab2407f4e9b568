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

}  // namespace
}  // namespace suanli
