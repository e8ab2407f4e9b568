// Renderers of `validate` and `calibrate` (JSON objects and text): the
// prediction of each published run with the error summary, and the fitted
// GEMM fraction of each accelerator. They format result structs only.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "report/table.h"
#include "validate/calibration.h"
#include "validate/validation.h"

namespace suanli {

// Returns the validation report as {rows, bad_rows, summary} (docs/validation.md).
nlohmann::json ValidationJson(const ValidationReport& report);

// Returns a metric's short label with its unit: "tok/s/gpu", "TFLOPS", "MFU %", "GPU-h".
std::string MetricLabel(const std::string& metric);

// Returns a published or predicted value for people: 4 significant digits,
// thousands separators from 1,000.
std::string MetricValue(double value);

// Returns the rows table: id, accelerator, metric, published, predicted,
// error, layout ("*" = searched). `detailed` (CSV, Markdown, the page) gives
// plain numbers, metric ids and the full layout, and adds confidence, stack
// and note columns; `runs` (the runs in the rows' order) gives the stack and
// may be null. With `mark`, errors beyond 30% are alarms (TTY only).
TextTable ValidationRowsTable(const ValidationReport& report, const std::vector<PublishedRun>* runs, bool detailed,
                              bool mark);

// Returns the per-stack table (docs/stacks.md).
TextTable ValidationStacksTable(const std::vector<StackErrors>& stacks);

// Returns the summary line: rows predicted, mean, median and max |error|, within 10% and 15%.
std::string ValidationSummaryLine(const ValidationSummary& summary);

// Returns the model-error line (published / predicted throughput per family), or "" without step rows.
std::string ModelErrorLine(const ValidationSummary& summary);

// Returns the validation report as a table plus a summary.
std::string ValidationText(const ValidationReport& report);

// Returns the calibration as {fits, stack, moe_rows_skipped, other_stack_rows_skipped, unpredicted_rows}.
nlohmann::json CalibrationJson(const CalibrationReport& report);

// Returns the table of fitted fractions, one row per accelerator.
TextTable CalibrationTable(const CalibrationReport& report);

// Returns the fitted fractions as a table plus the rows left out.
std::string CalibrationText(const CalibrationReport& report);

}  // namespace suanli
