// FX rates by date: nearest earlier observation of a pair or its inverse.
#include <algorithm>
#include <set>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "core/yaml_reader.h"
#include "market/market.h"
#include "core/i18n.h"

namespace suanli {
namespace {

bool RateLess(const FxRate& a, const FxRate& b) {
  return std::tie(a.from, a.to, a.date) < std::tie(b.from, b.to, b.date);
}

// Returns the rate of from->to on the nearest date <= `date` (first rate when
// `date` precedes them all; latest when `date` is nullopt), or nullptr.
const FxRate* FindPair(const std::vector<FxRate>& rates, std::string_view from, std::string_view to,
                       std::optional<Date> date) {
  const FxRate* first = nullptr;
  const FxRate* best = nullptr;
  for (const auto& rate : rates) {
    if (rate.from != from || rate.to != to) continue;
    if (first == nullptr) first = &rate;
    if (!date || rate.date <= *date) best = &rate;  // sorted by date within the pair
  }
  return best != nullptr ? best : first;
}

// Returns true when `rates` hold a from->to or to->from rate.
bool HasPair(const std::vector<FxRate>& rates, std::string_view from, std::string_view to) {
  return std::any_of(rates.begin(), rates.end(), [&](const FxRate& r) {
    return (r.from == from && r.to == to) || (r.from == to && r.to == from);
  });
}

}  // namespace

bool IsCurrencyCode(std::string_view code) {
  return code.size() == 3 && std::all_of(code.begin(), code.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

std::string NormalizeCurrency(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  std::string out(text);
  for (char& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  // The one table of names a buyer writes for a code (RMB is the renminbi's
  // everyday name; 元 and 人民币 as --lang zh prints amounts).
  constexpr std::pair<std::string_view, std::string_view> kAliases[] = {
      {"RMB", "CNY"}, {"人民币", "CNY"}, {"元", "CNY"}, {"美元", "USD"}};
  for (const auto& [alias, code] : kAliases) {
    if (out == alias) return std::string(code);
  }
  // Anything else stays as written, so that its error quotes the user.
  return IsCurrencyCode(out) ? out : std::string(text);
}

Status ValidateFxRate(const FxRate& rate, const std::function<std::string(std::string_view)>& where) {
  for (const auto& [field, code] : {std::pair<std::string_view, const std::string&>{"from", rate.from},
                                    std::pair<std::string_view, const std::string&>{"to", rate.to}}) {
    if (!IsCurrencyCode(code)) {
      return MakeError(TrFormat("'{}' is not a currency code", code), where(field),
                       Tr("use a 3-letter ISO 4217 code in capitals, e.g. USD, CNY"));
    }
  }
  if (rate.from == rate.to) return MakeError(Tr("from and to are the same currency"), where("to"));
  if (!(rate.rate > 0 && rate.rate <= 1e9)) {
    return MakeError(TrFormat("rate {} is not a positive number up to 1e9", rate.rate), where("rate"),
                     Tr("give units of 'to' per unit of 'from', e.g. 7.25 for USD -> CNY"));
  }
  if (rate.source.empty()) return MakeError(Tr("every rate needs a source"), where("source"));
  return OkStatus();
}

FxTable::FxTable(std::vector<FxRate> rates) : rates_(std::move(rates)) {
  std::stable_sort(rates_.begin(), rates_.end(), RateLess);
}

void FxTable::Add(FxRate rate) {
  rates_.insert(std::upper_bound(rates_.begin(), rates_.end(), rate, RateLess), std::move(rate));
}

Result<FxRate> FxTable::RateOn(std::string_view from, std::string_view to, std::optional<Date> date) const {
  if (from == to) return FxRate{date.value_or(Date{}), std::string(from), std::string(to), 1.0, "identity"};
  const FxRate* direct = FindPair(rates_, from, to, date);
  const FxRate* inverse = FindPair(rates_, to, from, date);
  // Prefer the observation closest to (and not after) the date.
  auto usable = [&](const FxRate* r) { return r != nullptr && (!date || r->date <= *date); };
  const FxRate* chosen = nullptr;
  bool inverted = false;
  if (usable(direct) && usable(inverse)) {
    inverted = inverse->date > direct->date;
    chosen = inverted ? inverse : direct;
  } else if (usable(direct) || usable(inverse)) {
    inverted = !usable(direct);
    chosen = inverted ? inverse : direct;
  } else if (direct != nullptr || inverse != nullptr) {
    inverted = direct == nullptr;
    chosen = inverted ? inverse : direct;
  }
  if (chosen == nullptr) {
    // No pair: through one currency both sides have a rate with (a EUR->CNY
    // rate also gives EUR->USD via CNY), each leg on the same date.
    for (const std::string& via : Currencies()) {
      if (via == from || via == to) continue;
      if (!HasPair(rates_, from, via) || !HasPair(rates_, via, to)) continue;
      auto first_leg = RateOn(from, via, date);
      auto second_leg = RateOn(via, to, date);
      if (!first_leg.ok() || !second_leg.ok()) continue;
      return FxRate{std::max(first_leg->date, second_leg->date), std::string(from), std::string(to),
                    first_leg->rate * second_leg->rate,
                    fmt::format("{} via {} ({}; {})", from, via, first_leg->source, second_leg->source)};
    }
    return MakeError(TrFormat("currency without an FX rate: no {}->{} rate", from, to), "",
                     TrFormat("add a rate for {}/{} to the FX table, or quote in one of: {}", from, to,
                                 fmt::join(Currencies(), ", ")));
  }
  if (!inverted) return *chosen;
  return FxRate{chosen->date, std::string(from), std::string(to), 1.0 / chosen->rate, chosen->source};
}

Result<double> FxTable::Convert(double amount, std::string_view from, std::string_view to,
                                std::optional<Date> date) const {
  if (from == to) return amount;
  SUANLI_ASSIGN_OR_RETURN(FxRate rate, RateOn(from, to, date));
  return amount * rate.rate;
}

std::vector<std::string> FxTable::Currencies() const {
  std::set<std::string> names;
  for (const auto& rate : rates_) {
    names.insert(rate.from);
    names.insert(rate.to);
  }
  return {names.begin(), names.end()};
}

Result<FxTable> ParseFx(std::string_view text, const std::string& file_name) {
  SUANLI_ASSIGN_OR_RETURN(YAML::Node root, ParseYaml(text, file_name));
  YamlMap top(root, file_name, "");
  SUANLI_RETURN_IF_ERROR(top.CheckKeys({"rates"}));
  SUANLI_ASSIGN_OR_RETURN(std::vector<YamlMap> items, top.MapList("rates"));
  std::vector<FxRate> rates;
  for (const auto& item : items) {
    SUANLI_RETURN_IF_ERROR(item.CheckKeys({"date", "from", "to", "rate", "source"}));
    FxRate rate;
    SUANLI_ASSIGN_OR_RETURN(std::string date_text, item.String("date"));
    auto date = ParseMarketDate(date_text);
    if (!date.ok()) return MakeError(date.error().message, item.Where("date"), date.error().hint);
    rate.date = *date;
    SUANLI_ASSIGN_OR_RETURN(rate.from, item.String("from"));
    SUANLI_ASSIGN_OR_RETURN(rate.to, item.String("to"));
    SUANLI_ASSIGN_OR_RETURN(rate.rate, item.Number("rate", 1e-9, 1e9));
    SUANLI_ASSIGN_OR_RETURN(rate.source, item.String("source"));
    SUANLI_RETURN_IF_ERROR(ValidateFxRate(rate, [&](std::string_view field) { return item.Where(std::string(field)); }));
    rates.push_back(std::move(rate));
  }
  return FxTable(std::move(rates));
}

}  // namespace suanli
