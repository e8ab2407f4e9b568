#include "core/i18n.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <map>
#include <mutex>
#include <set>
#include <unordered_map>

#include "core/embedded.h"
#include "core/text.h"
#include "core/yaml_reader.h"

namespace suanli {
namespace {

constexpr std::string_view kChineseTablePrefix = "i18n/zh/";

std::atomic<Language> current_language{Language::kEnglish};

std::mutex& MissingMutex() {
  static std::mutex mutex;
  return mutex;
}

std::set<std::string>& MissingSet() {
  static std::set<std::string> missing;
  return missing;
}

// Returns every well-formed entry of the embedded Chinese tables and appends
// each problem to `problems`: a file that does not parse is skipped, a bad
// entry is skipped, a repeated key keeps its first translation. So one broken
// entry never turns the whole run English; core/i18n_test.cc fails on any problem.
std::vector<std::pair<std::string, std::string>> ReadChineseEntries(std::vector<Error>& problems) {
  std::vector<std::pair<std::string, std::string>> entries;
  std::map<std::string, std::string> origin;  // English → "file:line" of its first entry
  for (const EmbeddedFile& file : EmbeddedFiles()) {
    if (file.name.substr(0, kChineseTablePrefix.size()) != kChineseTablePrefix) continue;
    const std::string name = "data/" + std::string(file.name);
    auto root = ParseYaml(file.content, name);
    if (!root.ok()) {
      problems.push_back(root.error());
      continue;
    }
    if (root->IsNull()) continue;
    if (!root->IsMap()) {
      problems.push_back(MakeError("a translation table is a mapping of English to Chinese", name));
      continue;
    }
    for (const auto& entry : *root) {
      const std::string where = name + ":" + std::to_string(entry.first.Mark().line + 1);
      if (!entry.second.IsScalar() || entry.second.Scalar().empty()) {
        problems.push_back(
            MakeError("the translation of '" + entry.first.Scalar() + "' is not a non-empty string", where));
        continue;
      }
      auto [it, inserted] = origin.emplace(entry.first.Scalar(), where);
      if (!inserted) {
        problems.push_back(MakeError("'" + entry.first.Scalar() + "' is translated twice", where,
                                     "keep the one entry at " + it->second));
        continue;
      }
      entries.emplace_back(entry.first.Scalar(), entry.second.Scalar());
    }
  }
  return entries;
}

// English → Chinese, built once from the embedded tables (problems skipped).
const std::unordered_map<std::string, std::string>& ChineseTable() {
  static const std::unordered_map<std::string, std::string> table = [] {
    std::vector<Error> problems;
    std::unordered_map<std::string, std::string> entries;
    for (auto& [english, chinese] : ReadChineseEntries(problems)) {
      entries.emplace(std::move(english), std::move(chinese));
    }
    return entries;
  }();
  return table;
}

// Returns the interned copy of `english` (Tr returns references that outlive the call).
const std::string& Interned(std::string_view english) {
  static std::mutex mutex;
  static std::set<std::string, std::less<>> strings;
  std::lock_guard<std::mutex> lock(mutex);
  auto found = strings.find(english);
  if (found == strings.end()) found = strings.emplace(english).first;
  return *found;
}

std::string Grouped(long long whole) {
  const std::string digits = std::to_string(whole < 0 ? -whole : whole);
  std::string grouped = whole < 0 ? "-" : "";
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) grouped += ',';
    grouped += digits[i];
  }
  return grouped;
}

// Returns the Chinese name of a currency's unit ("元", "美元"), or the code.
std::string ChineseCurrency(const std::string& currency) {
  static const std::map<std::string, std::string> names = {
      {"CNY", "元"}, {"USD", "美元"}, {"EUR", "欧元"}, {"JPY", "日元"}, {"HKD", "港元"},
      {"GBP", "英镑"}, {"KRW", "韩元"}, {"SGD", "新加坡元"}, {"TWD", "新台币"}};
  auto found = names.find(currency);
  return found == names.end() ? " " + currency : found->second;
}

}  // namespace

Result<Language> ParseLanguage(std::string_view text) {
  const std::string lower = ToLower(text);
  if (lower.rfind("zh", 0) == 0) return Language::kChinese;
  if (lower.rfind("en", 0) == 0 || lower == "c" || lower == "posix" || lower.rfind("c.", 0) == 0) {
    return Language::kEnglish;
  }
  return MakeError("unknown language '" + std::string(text) + "'", "--lang",
                   "use zh (中文) or en (English)");
}

Language LanguageFromEnvironment() {
  for (const char* variable : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
    const char* value = std::getenv(variable);
    if (value == nullptr || *value == '\0') continue;
    return ToLower(value).rfind("zh", 0) == 0 ? Language::kChinese : Language::kEnglish;
  }
  return Language::kEnglish;
}

void SetLanguage(Language language) { current_language.store(language); }

Language CurrentLanguage() { return current_language.load(); }

std::string_view LanguageCode(Language language) {
  return language == Language::kChinese ? "zh" : "en";
}

const std::string& TrIn(Language language, std::string_view english) {
  if (language == Language::kChinese) {
    const auto& table = ChineseTable();
    auto found = table.find(std::string(english));
    if (found != table.end()) return found->second;
  }
  return Interned(english);
}

const std::string& Tr(std::string_view english) {
  const Language language = CurrentLanguage();
  if (language == Language::kChinese && !ChineseTable().count(std::string(english))) {
    std::lock_guard<std::mutex> lock(MissingMutex());
    MissingSet().emplace(english);
  }
  return TrIn(language, english);
}

std::vector<std::string> MissingTranslations() {
  std::lock_guard<std::mutex> lock(MissingMutex());
  return {MissingSet().begin(), MissingSet().end()};
}

Result<std::vector<std::pair<std::string, std::string>>> ChineseEntries() {
  std::vector<Error> problems;
  auto entries = ReadChineseEntries(problems);
  if (!problems.empty()) return problems.front();
  return entries;
}

std::string FormatCount(double value) {
  if (!std::isfinite(value)) return "n/a";
  return Grouped(std::llround(value));
}

std::string FormatAmount(double value) {
  if (!std::isfinite(value)) return "n/a";
  if (std::fabs(value) >= 100.0 || value == 0.0) return Grouped(std::llround(value));
  return fmt::format("{:.3g}", value);
}

std::string FormatMoney(double amount, const std::string& currency) {
  if (!std::isfinite(amount)) return "n/a";
  const double a = std::fabs(amount);
  const char* sign = amount < 0 ? "-" : "";
  if (CurrentLanguage() == Language::kChinese) {
    const std::string unit = ChineseCurrency(currency);
    // 亿 to 4 decimals (0.0001 亿 = 10,000, as English's 0.01 M), so that
    // amounts a report adds up or compares do not collapse.
    if (a >= 1e8) return fmt::format("{}{:.4f} 亿{}", sign, a / 1e8, unit);
    if (a >= 1e4) return fmt::format("{}{:.2f} 万{}", sign, a / 1e4, unit);
    const std::string small_unit = unit.front() == ' ' ? unit.substr(1) : unit;
    return fmt::format("{}{} {}", sign, Grouped(std::llround(a)), small_unit);
  }
  return FormatMoneyAmount(amount) + " " + currency;
}

std::string FormatMoneyAmount(double amount) {
  if (!std::isfinite(amount)) return "n/a";
  const double a = std::fabs(amount);
  const char* sign = amount < 0 ? "-" : "";
  // Millions to 0.01 M whatever the size ("1,181.03 M", not "1.18 B"), so
  // that amounts a report adds up or compares do not collapse.
  if (a >= 1e6) {
    const long long hundredths = std::llround(a / 1e4);
    return fmt::format("{}{}.{:02d} M", sign, Grouped(hundredths / 100), hundredths % 100);
  }
  return fmt::format("{}{}", sign, Grouped(std::llround(a)));
}

std::string FormatRatio(double value, double reference) {
  if (!(reference > 0) || !std::isfinite(value)) return "n/a";
  const double ratio = value / reference;
  return ratio >= 10 ? fmt::format("{:.1f}×", ratio) : fmt::format("{:.2f}×", ratio);
}

}  // namespace suanli
