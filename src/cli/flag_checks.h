// Checks every command applies to its flags the same way: floating-point
// options refuse NaN and infinities, the buyer's tier and region are known
// values, a list of accelerators names each card once, --assume sets each
// name once. Header-only (the commands include it through cli/common.h).
#pragma once

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "catalog/catalog.h"
#include "cli/common.h"
#include "core/i18n.h"
#include "core/result.h"
#include "market/market.h"
#include "market/region.h"
#include "report/output.h"

namespace suanli::cli {

// Returns the error text for a floating-point option's value `text` that
// reads as NaN or an infinity ("nan", "inf", "1e999"), "" for any other.
inline std::string NonFiniteNumberError(const std::string& text) {
  const char* begin = text.c_str();
  char* end = nullptr;
  errno = 0;
  const double value = std::strtod(begin, &end);
  if (end == begin || std::isfinite(value)) return "";
  return TrFormat("'{}' is not a finite number: NaN and infinities are refused (give a number in the option's range)",
                  text);
}

// Adds the NonFiniteNumberError check to every floating-point option (CLI11
// type FLOAT) of `app` and its subcommands, so no command reads NaN past
// its range checks (a NaN compares false with both ends of a range).
// ParseArgs calls it before parsing.
inline void RefuseNonFiniteNumbers(CLI::App& app) {
  const CLI::Validator finite([](std::string& text) { return NonFiniteNumberError(text); }, "", "FINITE");
  for (CLI::Option* option : app.get_options()) {
    if (option->get_type_name().find("FLOAT") != std::string::npos) option->check(finite);
  }
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) RefuseNonFiniteNumbers(*sub);
}

// A CLI11 transform for --tier: the canonical buyer tier (ParseBuyerTier:
// startup, enterprise, hyperscaler or an alias); an unknown tier is bad input
// (exit 2) naming the tiers, as a plan's buyer.tier and `market add --buyers`.
inline CLI::Validator BuyerTierCheck() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        Result<std::string> tier = ParseBuyerTier(text, "");
        if (!tier.ok()) return tier.error().ToString();
        text = *tier;
        return "";
      },
      "", "TIER");
}

// A CLI11 transform for --region: the ISO code ParseRegion reads (an alias
// such as "China" becomes CN, said on stderr unless --quiet); an unknown
// region is bad input (exit 2) listing the codes, in every command and mode.
inline CLI::Validator RegionCheck() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        Result<RegionCode> region = ParseRegion(text, "");
        if (!region.ok()) return region.error().ToString();
        if (!region->alias.empty() && !CurrentOutput().quiet) {
          fmt::print(stderr, "{}\n", TrFormat("note: {} '{}' read as {}", "--region", region->alias, region->code));
        }
        text = region->code;
        return "";
      },
      "", "REGION");
}

// A CLI11 check for --tokens (train, compare): a token count ParseTokensFlag
// reads; an empty value is bad input (exit 2) like --tokens 0, not "no campaign".
inline CLI::Validator TokenCountCheck() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        if (text.empty()) return Tr("an empty value is not a token count (write e.g. 2T, 300B or 1.5e12)");
        Result<double> tokens = ParseTokensFlag(text);
        return tokens.ok() ? "" : tokens.error().ToString();
      },
      "", "TOKENS");
}

// Returns the accelerator `name` gives (an id or a spelling): the error names
// `flag` and suggests the nearest ids; a bare family name that several
// variants share (`a100`) is noted on stderr with the variant used and the
// others (Catalog::AmbiguousAcceleratorNote).
inline Result<const Accelerator*> AcceleratorFlag(const Catalog& catalog, const std::string& name,
                                                  std::string_view flag) {
  Result<const Accelerator*> found = catalog.FindAccelerator(name);
  if (!found.ok()) return MakeError(found.error().message, std::string(flag), found.error().hint);
  if (const std::string note = catalog.AmbiguousAcceleratorNote(name); !note.empty()) PrintNote(note);
  return found;
}

// Returns the accelerators `names` give (ids or spellings, in order), each
// card once: a card named twice (an alias and its id) is kept at its first
// place and noted on stderr. The error names `flag` and suggests the nearest id.
inline Result<std::vector<const Accelerator*>> AcceleratorsFlag(const Catalog& catalog,
                                                                 const std::vector<std::string>& names,
                                                                 std::string_view flag) {
  std::vector<const Accelerator*> out;
  std::map<std::string, std::string> first_name;  // card id -> the name that first gave it
  for (const std::string& name : names) {
    SUANLI_ASSIGN_OR_RETURN(const Accelerator* card, AcceleratorFlag(catalog, name, flag));
    const Result<const Accelerator*> found = card;
    if (const auto [it, fresh] = first_name.emplace((*found)->id, name); !fresh) {
      if (!CurrentOutput().quiet) {
        fmt::print(stderr, "{}\n",
                   TrFormat("note: {} names {} more than once ('{}' and '{}' are the same card); it is compared once",
                            flag, (*found)->id, it->second, name));
      }
      continue;
    }
    out.push_back(*found);
  }
  return out;
}

// Returns the ids of AcceleratorsFlag: `compare --candidates` (each card once).
inline Result<std::vector<std::string>> AcceleratorIdsFlag(const Catalog& catalog,
                                                           const std::vector<std::string>& names,
                                                           std::string_view flag) {
  SUANLI_ASSIGN_OR_RETURN(const std::vector<const Accelerator*> found, AcceleratorsFlag(catalog, names, flag));
  std::vector<std::string> ids;
  for (const Accelerator* a : found) ids.push_back(a->id);
  return ids;
}

// Returns an error at --assume when two of `assignments` (NAME=VALUE) set
// the same NAME: as any other option given twice, the user keeps one.
inline Status CheckAssumeOnce(const std::vector<std::string>& assignments) {
  std::set<std::string> names;
  for (const std::string& assignment : assignments) {
    // SetPerfAssumption's reading of NAME: spaces around it dropped, "perf." implied.
    std::string name = assignment.substr(0, assignment.find('='));
    name.erase(0, name.find_first_not_of(" \t"));
    name.erase(name.find_last_not_of(" \t") + 1);
    if (name.rfind("perf.", 0) != 0) name = "perf." + name;
    if (!names.insert(name).second) {
      return MakeError(TrFormat("{} was given more than once; it takes one value (keep one)", name), "--assume",
                       Tr("give each assumption once"));
    }
  }
  return OkStatus();
}

}  // namespace suanli::cli
