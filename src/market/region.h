// The closed vocabulary of buyer and supplier regions: ISO 3166-1 alpha-2
// codes that export rules and quotes use, with documented aliases.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace suanli {

// A region as read: its code and, when the text was an alias, the alias.
struct RegionCode {
  std::string code;   // e.g. "CN"
  std::string alias;  // the text given when it was not the code itself ("China"); empty otherwise
};

// Returns the region `text` names: a known code in any case ("cn"), or an
// alias ("China", "中国", "PRC" -> CN). Errors name `where` and list the codes.
Result<RegionCode> ParseRegion(std::string_view text, const std::string& where);

// Returns every known region code, sorted.
std::vector<std::string> RegionCodes();

}  // namespace suanli
