// The scenario's FX what-if (market.fx): parsing and applying it.
#include "market/fx_override.h"

#include <cmath>

#include <fmt/format.h>

#include "core/i18n.h"
#include "core/number.h"

namespace suanli {
namespace {

// Returns "file:line:col path.key" for `node` (1-based line and column).
std::string WhereOf(const YAML::Node& node, const std::string& file_name, const std::string& path,
                    const std::string& key) {
  const YAML::Mark mark = node.Mark();
  return fmt::format("{}:{}:{} {}{}{}", file_name, mark.line + 1, mark.column + 1, path, key.empty() ? "" : ".", key);
}

}  // namespace

Result<std::vector<FxRate>> ParseFxOverrides(const YAML::Node& node, const std::string& file_name,
                                             const std::string& path, Date date) {
  std::vector<FxRate> rates;
  if (!node.IsDefined() || node.IsNull()) return rates;
  if (!node.IsMap()) {
    return MakeError(Tr("must be a map of currency pairs to rates"), WhereOf(node, file_name, path, ""),
                     Tr("write e.g. fx: {USD/CNY: 7.722, source: \"what-if: CNY 10% weaker\"}"));
  }
  std::string source;
  for (const auto& entry : node) {
    const std::string key = entry.first.as<std::string>("");
    if (key == "source") {
      source = entry.second.IsScalar() ? entry.second.as<std::string>("") : "";
      continue;
    }
    const std::string where = WhereOf(entry.second, file_name, path, key);
    const size_t slash = key.find('/');
    const std::string from = slash == std::string::npos ? "" : NormalizeCurrency(key.substr(0, slash));
    const std::string to = slash == std::string::npos ? "" : NormalizeCurrency(key.substr(slash + 1));
    if (!IsCurrencyCode(from) || !IsCurrencyCode(to) || from == to) {
      return MakeError(TrFormat("'{}' is not a currency pair FROM/TO", key), where,
                       Tr("write two different currency codes, e.g. USD/CNY: 7.722 (CNY per USD)"));
    }
    auto rate = entry.second.IsScalar() ? ParseNumber(entry.second.as<std::string>("")) : Result<double>(Error{});
    if (!rate.ok() || !std::isfinite(*rate) || !(*rate > 0) || *rate > 1e9) {
      return MakeError(TrFormat("the rate must be a number above 0, not '{}'",
                                entry.second.IsScalar() ? entry.second.as<std::string>("") : "(not a number)"),
                       where, TrFormat("write the {} paid for 1 {}, e.g. {}/{}: 7.722", to, from, from, to));
    }
    for (const FxRate& seen : rates) {
      if ((seen.from == from && seen.to == to) || (seen.from == to && seen.to == from)) {
        return MakeError(TrFormat("the pair {}/{} is given twice", from, to), where, Tr("keep one rate per pair"));
      }
    }
    rates.push_back(FxRate{date, from, to, *rate, ""});
  }
  if (!rates.empty() && source.find_first_not_of(" \t") == std::string::npos) {
    return MakeError(Tr("an FX what-if needs a source"), WhereOf(node, file_name, path, "source"),
                     Tr("add source: \"...\" saying where the rate comes from (a forecast, a stress case)"));
  }
  if (rates.empty() && node.size() > 0) {
    return MakeError(Tr("no currency pair given"), WhereOf(node, file_name, path, ""),
                     Tr("write e.g. USD/CNY: 7.722 beside the source"));
  }
  for (FxRate& rate : rates) rate.source = fmt::format("{}: {}", kFxOverrideSource, source);
  return rates;
}

FxTable ApplyFxOverrides(const FxTable& fx, const std::vector<FxRate>& overrides) {
  if (overrides.empty()) return fx;
  std::vector<FxRate> kept;
  for (const FxRate& rate : fx.rates()) {
    bool overridden = false;
    for (const FxRate& o : overrides) {
      overridden = overridden || (rate.from == o.from && rate.to == o.to) || (rate.from == o.to && rate.to == o.from);
    }
    if (!overridden) kept.push_back(rate);
  }
  kept.insert(kept.end(), overrides.begin(), overrides.end());
  return FxTable(std::move(kept));
}

}  // namespace suanli
