// Money amounts as a scenario writes them: "50M CNY", "5000万 cny", "0.5亿元".
#include <algorithm>
#include <string>
#include <string_view>
#include <utility>

#include "core/i18n.h"
#include "core/number.h"
#include "market/market.h"
#include "plan/scenario.h"

namespace suanli {

namespace {

// Returns `text` without ASCII spaces and tabs at either end.
std::string_view TrimSpaces(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// Removes `suffix` from the end of `text` when it is there; returns whether it was.
bool EatSuffix(std::string_view& text, std::string_view suffix) {
  if (text.size() < suffix.size() || text.substr(text.size() - suffix.size()) != suffix) return false;
  text.remove_suffix(suffix.size());
  text = TrimSpaces(text);
  return true;
}

}  // namespace

Result<std::pair<double, std::string>> ParseMoney(std::string_view text) {
  std::string_view s = TrimSpaces(text);
  std::string currency;
  // The currency: a trailing word after a space, in any case ("50M cny"), or
  // the Chinese unit FormatMoney writes ("8.75 万元", "1.25 亿美元").
  if (EatSuffix(s, "美元")) {
    currency = "USD";
  } else if (EatSuffix(s, "人民币") || EatSuffix(s, "元")) {
    currency = "CNY";
  } else if (const size_t space = s.find_last_of(" \t"); space != std::string_view::npos) {
    // The last word, unless it is a multiplier ("6000 万", "60 M").
    const std::string_view word = s.substr(space + 1);
    const bool letters = std::all_of(word.begin(), word.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    });
    if (letters && word.size() >= 2) {
      currency = NormalizeCurrency(word);
      s = TrimSpaces(s.substr(0, space));
    }
  }
  // The multiplier: k/K, M, B, or 万 (1e4) and 亿 (1e8), as --lang zh prints amounts.
  double scale = 1;
  constexpr std::pair<std::string_view, double> kScales[] = {{"万", 1e4}, {"亿", 1e8}, {"k", 1e3},
                                                             {"K", 1e3},  {"M", 1e6},  {"B", 1e9}};
  for (const auto& [suffix, factor] : kScales) {
    if (EatSuffix(s, suffix)) {
      scale = factor;
      break;
    }
  }
  auto value = ParseNumber(s);
  if (!value.ok() || (!currency.empty() && !IsCurrencyCode(currency))) {
    return MakeError(TrFormat("'{}' is not an amount of money", text), "",
                     Tr("write e.g. 50000000 CNY, 50M CNY, 5000万 CNY, 0.5亿元 or 7.5e6 USD"));
  }
  return std::make_pair(*value * scale, currency);
}

}  // namespace suanli
