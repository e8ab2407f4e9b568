// Languages of user-facing text (--lang zh|en): a string is written in English
// in the code, wrapped in Tr() or TrFormat(), and looked up in the embedded
// translation tables data/i18n/zh/*.yaml (English → Chinese). English is the
// key and the fallback, so a missing translation still prints, in English,
// and is recorded: tests/i18n runs every command with SUANLI_I18N_CHECK=1 and
// fails on any; core/i18n_test.cc fails on any Tr literal in src/ without a
// Chinese entry. Money and counts are formatted here too, in the language's
// way: 12.34 M CNY / 1,234.6 万元.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "core/result.h"

namespace suanli {

enum class Language { kEnglish, kChinese };

// Returns the language `text` names: "en", "zh" (also "zh_CN.UTF-8", "zh-TW",
// "C", "en_US.UTF-8"); the error lists the accepted names.
Result<Language> ParseLanguage(std::string_view text);
// Returns the language of the environment: LC_ALL, else LC_MESSAGES, else LANG
// (a value starting with "zh" is Chinese); English otherwise.
Language LanguageFromEnvironment();
// Sets the language every later Tr() answers in (the CLI sets it once from --lang).
void SetLanguage(Language language);
// Returns the language set by SetLanguage (English until then).
Language CurrentLanguage();
// Returns "en" or "zh" (the HTML lang attribute uses "zh-CN").
std::string_view LanguageCode(Language language);

// Returns `english` in the current language: the Chinese entry of the tables,
// or `english` itself when there is none (recorded for MissingTranslations).
const std::string& Tr(std::string_view english);
// Returns `english` translated into `language` (no recording).
const std::string& TrIn(Language language, std::string_view english);

// Returns fmt::format of the translated format string; placeholders may be
// reordered in a translation with positional indices ({1} ... {0}).
template <typename... Args>
std::string TrFormat(std::string_view english_format, Args&&... args) {
  return fmt::format(fmt::runtime(Tr(english_format)), std::forward<Args>(args)...);
}

// Returns the English strings Tr() was asked for that had no translation in
// the current language, sorted, without repeats (empty in English).
std::vector<std::string> MissingTranslations();

// Returns every (English, Chinese) entry of the embedded tables; errors name
// the file and line of a malformed entry or of a key given two translations.
Result<std::vector<std::pair<std::string, std::string>>> ChineseEntries();

// Formats money for people in the current language: "87,500 CNY",
// "12.34 M CNY", "1,250.00 M USD"; in Chinese "8.75 万元", "1.2500 亿美元" (亿 to
// 4 decimals: the resolution of English's 0.01 M).
std::string FormatMoney(double amount, const std::string& currency);
// Returns FormatMoney's English amount without the currency ("61.74 M",
// "87,500"), for a column whose header names the currency.
std::string FormatMoneyAmount(double amount);
// Formats a whole number with thousands separators: "1,234,567".
std::string FormatCount(double value);
// Formats a non-negative amount for people: whole and grouped from 100 up
// ("1,234"), three significant digits below ("12.5", "0.417").
std::string FormatAmount(double value);
// Formats how many times larger `value` is than `reference`: "61.1×"
// ("1.06×"); "n/a" when the reference is not positive.
std::string FormatRatio(double value, double reference);

}  // namespace suanli
