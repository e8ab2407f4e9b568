// The HTML report of `suanli validate --report FILE.html`: predicted against
// published values on one scatter (chart "validation": y = x and the ±15%
// band, points coloured by accelerator, the run on hover), the error
// histogram ("errors"), the errors per software stack ("stacks"), the summary
// statistics and every row. Formatting only.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "validate/validation.h"

namespace suanli {

// What the page shows besides the report: the runs behind its rows and the files.
struct ValidateHtmlInput {
  const ValidationReport* report = nullptr;
  const std::vector<PublishedRun>* runs = nullptr;  // the runs, in the order of report->rows
  std::vector<std::string> files;                    // the runs CSV files read
  std::vector<std::string> assumed;                  // --assume NAME=VALUE
};

// Returns the Vega-Lite spec of the "validation" scatter (exposed for tests).
nlohmann::json ValidationScatterSpec(const ValidateHtmlInput& input);

// Returns the whole HTML page in the current language.
std::string ValidationReportHtml(const ValidateHtmlInput& input);

}  // namespace suanli
