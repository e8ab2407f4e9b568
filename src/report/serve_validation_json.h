// The JSON of a serving validation (`suanli validate` / `serve --validate` on a
// serving-runs CSV): every row and the median error per metric family.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "report/serve_report.h"

namespace suanli {

// Returns {"rows": [...], "bad_rows": [{where, message}], "families": {family: {rows,
// median_abs_error_pct}}, "not_predicted": n}; bad rows are in no statistic.
nlohmann::json ServingValidationJson(const std::vector<ServingCheck>& checks,
                                     const std::vector<BadRow>& bad_rows = {});

}  // namespace suanli
