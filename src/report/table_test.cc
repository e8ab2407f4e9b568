// Text tables fitted to a width, CSV, Markdown and JSON renderings, colour-aware widths.
#include "report/table.h"

#include <cmath>

#include <gtest/gtest.h>

#include "report/json_util.h"

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

TEST(CsvContract, JsonRowsFlattenWithStableKeysPlainNumbersAndEmptyMissing) {
  const std::vector<nlohmann::json> rows = {
      {{"model", "m"}, {"fits", false}, {"config", {{"tp", 8}}}, {"usable_bytes", 84825604096}, {"mfu", 0.4375},
       {"min", nullptr}, {"reasons", {"a", "b, c"}}, {"mix", {{{"cards", 1}}}}},
      {{"model", "n"}, {"fits", true}, {"config", {{"tp", 4}, {"pp", 2}}}, {"days", 1290.312}}};
  const TextTable table = JsonRowsTable(rows);
  EXPECT_EQ(table.RenderCsv(),
            "config.tp,fits,mfu,min,model,reasons,usable_bytes,config.pp,days\r\n"
            "8,false,0.4375,,m,\"a; b, c\",84825604096,,\r\n"
            "4,true,,,n,,,2,1290.312\r\n");
  // The record's identity first, whatever the alphabet says.
  EXPECT_EQ(JsonRowsTable(rows, {"model", "fits", "absent"}).Header().front(), "model");
  EXPECT_EQ(JsonRowsTable(rows, {"model", "fits", "absent"}).Header()[1], "fits");
}

TEST(CsvContract, NumbersArePlain) {
  EXPECT_EQ(CsvNumber(71873593344.0), "71873593344");
  EXPECT_EQ(CsvNumber(1290.3), "1290.3");
  EXPECT_EQ(CsvNumber(-0.5), "-0.5");
  EXPECT_EQ(CsvNumber(std::nan("")), "");
}

TEST(JsonNumbers, WholeNumbersStayExactAndPrintAsIntegers) {
  // 71,873,593,344 parameters: 10 significant digits used to make it 71873593340.
  EXPECT_EQ(RoundSig(71873593344.0), 71873593344.0);
  EXPECT_EQ(JsonNumber(71873593344.0).dump(), "71873593344");
  EXPECT_EQ(JsonNumber(0.0).dump(), "0");
  EXPECT_EQ(RoundSig(1.23456789012345), 1.23456789);
  EXPECT_TRUE(JsonNumber(0.5).is_number_float());
}

}  // namespace
}  // namespace suanli
