// Text tables fitted to a width, CSV, Markdown and JSON renderings, colour-aware widths.
#include "report/table.h"

#include <gtest/gtest.h>

namespace suanli {
namespace {

TextTable Sample() {
  TextTable table({"id", "notes", "price"});
  table.AlignColumn(2, TextTable::Align::kRight);
  table.AddRow({"h20-distributor-2024-02", "NVIDIA China distributor, quoted by Reuters", "95,850"});
  table.AddRow({"a800", "cash, \"no\" warranty", "88,000"});
  return table;
}

TEST(TextTable, FitsTheWidthByWrappingAtSpacesAndNeverBreaksAWord) {
  const std::string text = Sample().RenderFitted(50);
  size_t start = 0;
  while (start < text.size()) {
    const size_t end = text.find('\n', start);
    EXPECT_LE(DisplayWidth(text.substr(start, end - start)), 50u) << text;
    start = end + 1;
  }
  EXPECT_NE(text.find("h20-distributor-2024-02"), std::string::npos);  // ids whole
  EXPECT_NE(text.find("distributor,"), std::string::npos);
  EXPECT_NE(text.find("95,850"), std::string::npos);
}

TEST(TextTable, WideEnoughTableIsUnchanged) {
  const std::string text = Sample().RenderFitted(1000);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 4);
}

TEST(TextTable, CsvQuotesCommasAndQuotes) {
  EXPECT_EQ(Sample().RenderCsv(),
            "id,notes,price\r\nh20-distributor-2024-02,\"NVIDIA China distributor, quoted by Reuters\",\"95,850\"\r\n"
            "a800,\"cash, \"\"no\"\" warranty\",\"88,000\"\r\n");
}

TEST(TextTable, MarkdownAlignsNumbersRight) {
  const std::string md = Sample().RenderMarkdown();
  EXPECT_NE(md.find("| --- | --- | ---: |"), std::string::npos) << md;
  EXPECT_NE(md.find("| a800 | cash, \"no\" warranty | 88,000 |"), std::string::npos) << md;
}

TEST(TextTable, JsonRowsAreKeyedByHeader) {
  const auto rows = Sample().ToJson();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1]["price"], "88,000");
}

TEST(DisplayWidth, CjkCountsTwoAndColourCodesNothing) {
  EXPECT_EQ(DisplayWidth("算力"), 4u);
  EXPECT_EQ(DisplayWidth("\x1b[1;32mok\x1b[0m"), 2u);
  EXPECT_EQ(StripColor("\x1b[1;31mno\x1b[0m"), "no");
}

TEST(WrapToWidth, BreaksCjkByWidth) {
  const auto lines = WrapToWidth("算力紧缺下的规划", 6);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0], "算力紧");
}

}  // namespace
}  // namespace suanli
