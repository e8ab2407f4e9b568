// Serving validation for `validate` and `serve --validate`; see serving_validate.h.
#include "cli/serving_validate.h"

#include <fmt/format.h>

#include "cli/commands.h"
#include "core/i18n.h"
#include "core/text_file.h"
#include "report/html_page.h"
#include "report/serve_html.h"
#include "report/serve_report.h"
#include "report/serve_validation_json.h"
#include "serve/engine.h"
#include "serve/serving_runs.h"

namespace suanli::cli {

Result<bool> IsServingRunsFile(const std::string& path) {
  SUANLI_ASSIGN_OR_RETURN(const std::string text, ReadTextFile(path));
  const std::string_view first_line = std::string_view(text).substr(0, text.find('\n'));
  const size_t comma = first_line.find(',');
  if (comma == std::string_view::npos) return false;
  const std::string_view second = first_line.substr(comma + 1, first_line.find(',', comma + 1) - comma - 1);
  return second == "run_id";
}

Result<int> ValidateServingRuns(std::string_view command, const std::string& path, const Catalog& catalog,
                                const CommonOptions& common, const std::string& report_path) {
  SUANLI_ASSIGN_OR_RETURN(const std::string text, ReadTextFile(path));
  SUANLI_ASSIGN_OR_RETURN(const std::vector<EngineSpec> engines, LoadEmbeddedEngines());
  SUANLI_ASSIGN_OR_RETURN(const ServingDatasets datasets, LoadEmbeddedServingDatasets());
  SUANLI_ASSIGN_OR_RETURN(const ServingRunsFile file, ParseServingRuns(text, path, catalog, engines, datasets));
  std::vector<ServingCheck> checks;
  for (const ServingRunRow& row : file.rows) {
    ServingCheck check;
    check.row = row;
    Result<ServingPrediction> prediction = PredictServingRun(row, catalog, engines);
    check.predicted = prediction.ok();
    if (prediction.ok()) {
      check.prediction = prediction->value;
      check.overloaded = prediction->overloaded;
    } else {
      check.reason = prediction.error().message;
    }
    checks.push_back(std::move(check));
  }
  if (common.json) {
    PrintJson(ServingValidationJson(checks, file.bad_rows));
  } else if (TableOnly(common)) {
    fmt::print("{}", ServingValidationTable(checks).RenderAs(common.table_format));
  } else {
    fmt::print("{}", ServingValidationText(checks, file.bad_rows));
  }
  if (!report_path.empty()) {
    SUANLI_RETURN_IF_ERROR(WriteReport(report_path, ServingValidationPage(path, checks, file.bad_rows).Render(), common.quiet));
  }
  return FinishRuns(command, true, file.bad_rows);
}

}  // namespace suanli::cli
