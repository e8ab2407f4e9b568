#include "core/utf8.h"

#include <gtest/gtest.h>

namespace suanli {
namespace {

TEST(Utf8, AcceptsCleanText) {
  EXPECT_TRUE(ValidateUtf8Text("plain ascii\twith tab\r\n", "x").ok());
  EXPECT_TRUE(ValidateUtf8Text("\xE5\x8D\x8E\xE4\xB8\xBA \xF0\x9F\x98\x80 \xC3\xA9", "x").ok());
  EXPECT_TRUE(ValidateUtf8Text("", "x").ok());
}

TEST(Utf8, RejectsBadBytesWithOffset) {
  const std::string nul("a\0b", 3);
  for (const std::string& text :
       {std::string("caf\xE9"), nul, std::string("\x01"), std::string("\xC0\xAF"),  // overlong
        std::string("\xED\xA0\x80"),                                                 // surrogate
        std::string("\xF4\x90\x80\x80"),                                             // > U+10FFFF
        std::string("\xE5\x8D"), std::string("\x80"), std::string("\xFF\xFE")}) {
    EXPECT_FALSE(ValidateUtf8Text(text, "f.csv:3 name").ok()) << ExcerptForMessage(text);
  }
  const auto error = ValidateUtf8Text("caf\xE9", "f.csv:3 name").error();
  EXPECT_EQ(error.where, "f.csv:3 name");
  EXPECT_EQ(error.message, "invalid UTF-8 byte 0xE9 at byte 4 of the text");
  EXPECT_EQ(FindUtf8Problem(nul)->reason, "NUL byte");
}

// Excel on Chinese Windows saves CSV as GBK: the hint says so and how to
// save UTF-8; Latin-1 text keeps the general hint.
TEST(Utf8, GbkTextIsNamedInTheHint) {
  const std::string gbk = "\xBB\xAA\xCE\xAA\xB7\xD6\xCF\xFA";  // 华为分销 in GBK
  EXPECT_TRUE(LooksLikeGb18030(gbk, 0));
  const auto error = ValidateUtf8Text(gbk, "f.csv:2 supplier").error();
  EXPECT_NE(error.hint.find("GBK/GB18030"), std::string::npos) << error.ToString();
  EXPECT_NE(error.hint.find("CSV UTF-8"), std::string::npos) << error.ToString();
  EXPECT_FALSE(LooksLikeGb18030("caf\xE9 M\xFCller", 3));
  EXPECT_EQ(ValidateUtf8Text("caf\xE9", "x").error().hint.find("GBK"), std::string::npos);
}

TEST(Utf8, ExcerptEscapesAndShortens) {
  EXPECT_EQ(ExcerptForMessage("a\nb\xFF"), "a\\x0Ab\\xFF");
  EXPECT_EQ(ExcerptForMessage(std::string(100, 'x'), 5), "xxxxx...");
  EXPECT_EQ(ExcerptForMessage("\xC3\xA9t\xC3\xA9"), "\xC3\xA9t\xC3\xA9");
  EXPECT_EQ(ExcerptForMessage("\xEF\xBB\xBFid"), "\\u{FEFF}id");
  EXPECT_EQ(ExcerptForMessage("a\xE2\x80\xA8" "b"), "a\\u{2028}b");
}

}  // namespace
}  // namespace suanli
