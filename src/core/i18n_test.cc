#include "core/i18n.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include <gtest/gtest.h>

namespace suanli {
namespace {

// Restores English after each test (the language is process-wide).
class I18nTest : public ::testing::Test {
 protected:
  void TearDown() override { SetLanguage(Language::kEnglish); }
};

// Returns the English literals passed to Tr( / TrFormat( in `code`, adjacent
// literals joined as the compiler joins them.
std::vector<std::string> TrLiterals(const std::string& code) {
  std::vector<std::string> literals;
  static const std::regex call(R"((^|[^A-Za-z0-9_])(Tr|TrFormat)\(\s*")");
  for (auto it = std::sregex_iterator(code.begin(), code.end(), call); it != std::sregex_iterator(); ++it) {
    size_t pos = static_cast<size_t>(it->position(0) + it->length(0)) - 1;  // at the opening quote
    std::string text;
    while (pos < code.size() && code[pos] == '"') {
      for (++pos; pos < code.size() && code[pos] != '"'; ++pos) {
        if (code[pos] == '\\' && pos + 1 < code.size()) {
          const char next = code[++pos];
          text += next == 'n' ? '\n' : next == 't' ? '\t' : next;
        } else {
          text += code[pos];
        }
      }
      ++pos;
      while (pos < code.size() && std::isspace(static_cast<unsigned char>(code[pos]))) ++pos;
    }
    literals.push_back(text);
  }
  return literals;
}

// Returns the replacement fields of a format string ("{}", "{:.1f}", "{1}"), "{{" skipped.
std::vector<std::string> Placeholders(const std::string& format) {
  std::vector<std::string> fields;
  for (size_t i = 0; i < format.size(); ++i) {
    if (format[i] == '{' && i + 1 < format.size() && format[i + 1] == '{') { ++i; continue; }
    if (format[i] != '{') continue;
    const size_t close = format.find('}', i);
    if (close == std::string::npos) break;
    fields.push_back(format.substr(i, close - i + 1));
    i = close;
  }
  return fields;
}

TEST_F(I18nTest, ParsesLanguageNamesAndLocales) {
  EXPECT_EQ(*ParseLanguage("zh"), Language::kChinese);
  EXPECT_EQ(*ParseLanguage("zh_CN.UTF-8"), Language::kChinese);
  EXPECT_EQ(*ParseLanguage("EN"), Language::kEnglish);
  EXPECT_EQ(*ParseLanguage("C.UTF-8"), Language::kEnglish);
  auto bad = ParseLanguage("fr");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().hint.find("zh"), std::string::npos);
}

TEST_F(I18nTest, EnglishPassesThroughAndMissingChineseIsRecorded) {
  EXPECT_EQ(Tr("a string that no table translates 7f3a"), "a string that no table translates 7f3a");
  EXPECT_TRUE(MissingTranslations().empty());
  SetLanguage(Language::kChinese);
  EXPECT_EQ(Tr("a string that no table translates 7f3a"), "a string that no table translates 7f3a");
  const auto missing = MissingTranslations();
  EXPECT_NE(std::find(missing.begin(), missing.end(), "a string that no table translates 7f3a"), missing.end());
}

TEST_F(I18nTest, MoneyInEnglishUsesSeparatorsAndInChineseWanAndYi) {
  EXPECT_EQ(FormatMoney(87500, "CNY"), "87,500 CNY");
  EXPECT_EQ(FormatMoney(12340000, "CNY"), "12.34 M CNY");
  EXPECT_EQ(FormatMoney(-1.25e9, "USD"), "-1,250.00 M USD");
  // Two amounts 1.3191 and 1.3178 B apart by 1.3 M stay apart.
  EXPECT_EQ(FormatMoney(1.3191e9, "CNY"), "1,319.10 M CNY");
  EXPECT_EQ(FormatMoneyAmount(1.3191e9), "1,319.10 M");
  EXPECT_EQ(FormatMoneyAmount(-87500), "-87,500");
  EXPECT_EQ(FormatMoney(999'999'999, "CNY"), "1,000.00 M CNY");
  SetLanguage(Language::kChinese);
  EXPECT_EQ(FormatMoney(87500, "CNY"), "8.75 万元");
  EXPECT_EQ(FormatMoney(1.25e8, "USD"), "1.2500 亿美元");
  EXPECT_EQ(FormatMoney(9500, "CNY"), "9,500 元");
  EXPECT_EQ(FormatMoney(20000, "XYZ"), "2.00 万 XYZ");
}

// 亿 keeps English's precision (0.01 M = 0.0001 亿): amounts a report compares
// or adds up do not collapse into one 0.01 亿 step.
TEST_F(I18nTest, ChineseYiKeepsTheEnglishPrecision) {
  SetLanguage(Language::kChinese);
  EXPECT_EQ(FormatMoney(131.91e6, "CNY"), "1.3191 亿元");
  EXPECT_EQ(FormatMoney(131.78e6, "CNY"), "1.3178 亿元");
  EXPECT_EQ(FormatMoney(1.3634e8, "CNY"), "1.3634 亿元");
  // A breakdown that must add up: purchase + the rest = total, each printed.
  const double purchase = 118103000, rest = 43140900;
  EXPECT_EQ(FormatMoney(purchase, "CNY"), "1.1810 亿元");
  EXPECT_EQ(FormatMoney(rest, "CNY"), "4314.09 万元");
  EXPECT_EQ(FormatMoney(purchase + rest, "CNY"), "1.6124 亿元");  // 1.1810 + 0.4314 = 1.6124
  SetLanguage(Language::kEnglish);
  EXPECT_EQ(FormatMoney(purchase, "CNY"), "118.10 M CNY");
  EXPECT_EQ(FormatMoney(purchase + rest, "CNY"), "161.24 M CNY");
}

TEST_F(I18nTest, CountsAndRatios) {
  EXPECT_EQ(FormatCount(1234567), "1,234,567");
  EXPECT_EQ(FormatCount(-999), "-999");
  EXPECT_EQ(FormatRatio(6206.8, 100), "62.1×");
  EXPECT_EQ(FormatRatio(106, 100), "1.06×");
  EXPECT_EQ(FormatRatio(5, 0), "n/a");
}

TEST_F(I18nTest, TablesAreWellFormedWithMatchingPlaceholders) {
  auto entries = ChineseEntries();
  ASSERT_TRUE(entries.ok()) << entries.error().ToString();
  for (const auto& [english, chinese] : *entries) {
    const auto english_fields = Placeholders(english);
    const auto chinese_fields = Placeholders(chinese);
    EXPECT_EQ(english_fields.size(), chinese_fields.size()) << "placeholders differ: '" << english << "' → '" << chinese << "'";
    // Each Chinese field formats the argument of the English field it stands
    // for, with the same spec: "{1:.1f}" stands for English field 1, an
    // unnumbered field for the next one in order (a reordered translation
    // without indices would apply ":.1f" to a string and throw at run time).
    size_t next = 0;
    for (const std::string& field : chinese_fields) {
      const std::string body = field.substr(1, field.size() - 2);
      size_t digits = 0;
      while (digits < body.size() && std::isdigit(static_cast<unsigned char>(body[digits]))) ++digits;
      const size_t index = digits > 0 ? std::stoul(body.substr(0, digits)) : next++;
      if (index >= english_fields.size()) {
        ADD_FAILURE() << "field " << field << " has no English field: '" << chinese << "'";
        continue;
      }
      const std::string& english_field = english_fields[index];
      EXPECT_EQ(body.substr(digits), english_field.substr(1, english_field.size() - 2))
          << "field " << field << " formats English field " << index << " differently: '" << english << "' → '"
          << chinese << "'";
    }
  }
}

// Every Tr / TrFormat literal in src/ has a Chinese entry: the check that
// `--lang zh` output is complete for every string the code marks.
TEST_F(I18nTest, EveryMarkedStringInTheSourceHasAChineseTranslation) {
  auto entries = ChineseEntries();
  ASSERT_TRUE(entries.ok()) << entries.error().ToString();
  std::map<std::string, std::string> table(entries->begin(), entries->end());
  std::vector<std::string> untranslated;
  size_t marked = 0;
  for (const auto& file : std::filesystem::recursive_directory_iterator(SUANLI_SOURCE_DIR)) {
    const std::string path = file.path().string();
    if (!file.is_regular_file() || path.find("_test.cc") != std::string::npos) continue;
    if (file.path().extension() != ".cc" && file.path().extension() != ".h") continue;
    std::ifstream in(file.path());
    std::stringstream code;
    code << in.rdbuf();
    for (const std::string& literal : TrLiterals(code.str())) {
      ++marked;
      if (!table.count(literal)) {
        untranslated.push_back(file.path().filename().string() + ": \"" + literal + "\"");
      }
    }
  }
  EXPECT_GT(marked, 0u);
  EXPECT_TRUE(untranslated.empty()) << untranslated.size() << " marked strings have no entry in data/i18n/zh/:\n"
                                    << [&] { std::string all; for (auto& u : untranslated) all += u + "\n"; return all; }();
}

TEST(I18nScanner, JoinsAdjacentLiteralsAndUnescapes) {
  const auto found = TrLiterals("x = Tr(\"a \\\"b\\\" \"\n   \"c\"); y = TrFormat(\"{} d\", 1); z = MyTr(\"no\");");
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0], "a \"b\" c");
  EXPECT_EQ(found[1], "{} d");
}

}  // namespace
}  // namespace suanli
