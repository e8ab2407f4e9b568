// Renderers of `suanli compare`: text for people, JSON for machines.
// Formatting only; every number is computed by src/plan/compare.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "plan/compare.h"

namespace suanli {

// Returns the JSON document of `suanli compare --json`.
nlohmann::json CompareReportJson(const CompareResult& result);
// Returns the text report of `suanli compare`.
std::string CompareReportText(const CompareResult& result);

}  // namespace suanli
