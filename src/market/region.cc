// Region codes and their aliases. The codes are the jurisdictions the export
// rules (data/market/export_rules.yaml) and quotes name, and their neighbours
// a buyer may be in; an alias is a common English or Chinese name.
#include "market/region.h"

#include <algorithm>

#include <fmt/format.h>

#include "core/text.h"
#include "core/i18n.h"

namespace suanli {
namespace {

struct RegionEntry {
  std::string_view code;
  std::vector<std::string_view> aliases;  // compared after ToLower (ASCII) or exactly (CJK)
};

const std::vector<RegionEntry>& Regions() {
  static const std::vector<RegionEntry> regions = {
      {"CN", {"china", "prc", "mainland china", "people's republic of china", "中国", "中國", "中国大陆"}},
      {"US", {"usa", "united states", "united states of america", "america", "美国"}},
      {"HK", {"hong kong", "香港"}},
      {"MO", {"macau", "macao", "澳门"}},
      {"TW", {"taiwan", "台湾", "台灣"}},
      {"SG", {"singapore", "新加坡"}},
      {"JP", {"japan", "日本"}},
      {"KR", {"south korea", "korea", "韩国"}},
      {"IN", {"india", "印度"}},
      {"MY", {"malaysia", "马来西亚"}},
      {"VN", {"vietnam", "越南"}},
      {"AE", {"uae", "united arab emirates", "阿联酋"}},
      {"SA", {"saudi arabia", "沙特"}},
      {"RU", {"russia", "russian federation", "俄罗斯"}},
      {"GB", {"uk", "united kingdom", "britain", "great britain", "英国"}},
      {"DE", {"germany", "德国"}},
      {"FR", {"france", "法国"}},
      {"NL", {"netherlands", "荷兰"}},
      {"CA", {"canada", "加拿大"}},
      {"AU", {"australia", "澳大利亚"}},
      {"IL", {"israel", "以色列"}},
  };
  return regions;
}

std::string TrimSpaces(std::string_view text) {
  const size_t first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return "";
  const size_t last = text.find_last_not_of(" \t");
  return std::string(text.substr(first, last - first + 1));
}

}  // namespace

std::vector<std::string> RegionCodes() {
  std::vector<std::string> codes;
  for (const RegionEntry& r : Regions()) codes.emplace_back(r.code);
  std::sort(codes.begin(), codes.end());
  return codes;
}

Result<RegionCode> ParseRegion(std::string_view text, const std::string& where) {
  const std::string given = TrimSpaces(text);
  const std::string lower = ToLower(given);
  for (const RegionEntry& r : Regions()) {
    if (lower == ToLower(r.code)) return RegionCode{std::string(r.code), ""};
    for (std::string_view alias : r.aliases) {
      if (lower == alias) return RegionCode{std::string(r.code), given};
    }
  }
  std::vector<std::string> spellings = RegionCodes();
  for (const RegionEntry& r : Regions()) {
    for (std::string_view alias : r.aliases) spellings.emplace_back(alias);
  }
  const std::vector<std::string> nearest = NearestMatches(lower, spellings);
  return MakeError(TrFormat("unknown region '{}'", given), where,
                   TrFormat("{}use an ISO 3166-1 code: {}", nearest.empty() ? "" : DidYouMean(nearest) + " ",
                               Join(RegionCodes(), ", ")));
}

}  // namespace suanli
