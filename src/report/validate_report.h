// Renderers of `validate` and `calibrate` (JSON objects and text): the
// prediction of each published run with the error summary, and the fitted
// GEMM fraction of each accelerator. They format result structs only.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "validate/calibration.h"
#include "validate/validation.h"

namespace suanli {

// Returns the validation report as {rows, bad_rows, summary} (docs/validation.md).
nlohmann::json ValidationJson(const ValidationReport& report);

// Returns the validation report as a table plus a summary.
std::string ValidationText(const ValidationReport& report);

// Returns the calibration as {fits, moe_rows_skipped, unpredicted_rows}.
nlohmann::json CalibrationJson(const CalibrationReport& report);

// Returns the fitted fractions as a table plus the rows left out.
std::string CalibrationText(const CalibrationReport& report);

}  // namespace suanli
