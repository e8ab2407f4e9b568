// Serving validation shared by `suanli validate` and `suanli serve --validate`:
// a serving-runs CSV (SERVING.md schema) predicted row by row (cli-internal).
#pragma once

#include <string>
#include <string_view>

#include "catalog/catalog.h"
#include "cli/common.h"
#include "core/result.h"

namespace suanli::cli {

// Returns whether the CSV at `path` has the serving-runs header (its second
// column is `run_id`; the training runs file's is `source`).
Result<bool> IsServingRunsFile(const std::string& path);

// Predicts every row of the serving-runs CSV `path`, prints the errors as
// `common` asks (text, csv/md table or JSON) and writes the HTML page to
// `report_path` when it is not empty; returns the exit code: 2 (after one
// "suanli COMMAND: bad row: ..." line on stderr for each) when a row could not
// be read, the other rows still predicted; else 0.
Result<int> ValidateServingRuns(std::string_view command, const std::string& path, const Catalog& catalog,
                                const CommonOptions& common, const std::string& report_path);

}  // namespace suanli::cli
