// A scenario's FX what-if: `market.fx: {USD/CNY: 7.722, source: "..."}`
// replaces the rates of each pair given for that plan (docs/market.md).
#pragma once

#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "core/date.h"
#include "core/result.h"
#include "market/market.h"

namespace suanli {

// Prefix of the source of a what-if rate (FxTable rows built by ApplyFxOverrides).
inline constexpr const char* kFxOverrideSource = "market.fx what-if";

// Parses a `market.fx` map: keys "FROM/TO" (currency codes in any case or
// their aliases, e.g. USD/CNY) with a finite rate > 0 (units of TO per FROM),
// and `source` (required: where the what-if rate comes from). The rates are
// dated `date` (the buyer's). Errors name "file:line:col path.KEY" and a fix.
Result<std::vector<FxRate>> ParseFxOverrides(const YAML::Node& node, const std::string& file_name,
                                             const std::string& path, Date date);

// Returns `fx` with every rate of each overridden pair (either direction)
// replaced by the override alone, so it converts on every date.
FxTable ApplyFxOverrides(const FxTable& fx, const std::vector<FxRate>& overrides);

}  // namespace suanli
