// `suanli validate RUNS.csv`: predict every published run and report errors.
// Parses the flags, calls ValidateRuns, renders (report/validate_report.h).
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/serving_validate.h"
#include "core/date.h"
#include "core/output_guard.h"
#include "report/html_page.h"
#include "report/validate_html.h"
#include "report/validate_report.h"
#include "validate/run_checks.h"
#include "validate/validation.h"

namespace suanli::cli {
namespace {

constexpr const char* kValidateExamples = R"(examples:
  suanli validate data/validation/holdout-training-runs.csv
  suanli validate runs.csv --json | jq .summary
  suanli validate data/validation/holdout-training-runs.csv --report validation.html
  suanli validate serving-runs.csv      # a serving-runs file (SERVING.md schema, second column run_id)
  suanli validate runs.csv --format csv > rows.csv
  suanli validate runs.csv data/validation/holdout-training-runs.csv
  suanli validate runs.csv data/validation/holdout-training-runs.csv \
      --write-model-error data/validation/model-error.yaml
Rows whose layout fields are blank are predicted with the best searched layout and flagged '*'.
A row whose reference is dated before 2023 runs attention without flash attention; GPU-hour
rows include interruption and checkpoint losses (docs/validation.md says how rows are read).
A bad row is reported with its line and column; the other rows still run.)";

struct ValidateFlags {
  CommonOptions common;
  std::vector<std::string> paths;
  int threads = 1;
  std::string model_error_path;     // --write-model-error FILE
  std::vector<std::string> assume;  // --assume NAME=VALUE
  std::string stack;  // --stack: the stack of rows whose column is blank (docs/stacks.md)
  std::string report_path;          // --report FILE.html
};

// The runs of every file, read together, and how many rows each file gave.
struct ReadRuns {
  RunsFile runs;
  std::vector<RunsFileRows> sources;
};

// Returns the runs of every path in order.
Result<ReadRuns> ReadAllRuns(const std::vector<std::string>& paths) {
  ReadRuns all;
  for (const std::string& path : paths) {
    SUANLI_ASSIGN_OR_RETURN(RunsFile file, ReadRunsCsv(path));
    const size_t before = all.runs.runs.size();
    AppendRuns(all.runs, std::move(file), path);
    all.sources.push_back({std::filesystem::path(path).filename().string(),
                           static_cast<int>(all.runs.runs.size() - before)});
  }
  return all;
}

// Writes the measured model error of `report` to `path` as YAML.
Status WriteModelError(const ValidationReport& report, const std::vector<RunsFileRows>& sources,
                       const std::string& path) {
  if (!report.bad_rows.empty()) {
    return MakeError(Tr("not writing the model error: some rows could not be read"), report.bad_rows.front().where,
                     Tr("fix or remove the bad rows first"));
  }
  SUANLI_RETURN_IF_ERROR(CheckModelErrorRows(report.summary));
  return WriteFileChecked(path, ModelErrorYaml(MeasuredModelError(report.summary, sources, FormatDate(TodayUtc()))),
                          "--write-model-error");
}

// Writes the HTML report to flags.report_path and says so on stderr.
Status WriteValidateReport(const ValidateFlags& flags, const ValidationReport& report, const ReadRuns& read) {
  ValidateHtmlInput input;
  input.report = &report;
  input.runs = &read.runs.runs;
  for (const RunsFileRows& source : read.sources) input.files.push_back(source.file);
  input.assumed = flags.assume;
  return WriteReport(flags.report_path, ValidationReportHtml(input), flags.common.quiet);
}

// Prints the report as --json / --format asks.
void PrintValidation(const ValidateFlags& flags, const ValidationReport& report, const ReadRuns& read) {
  const TableFormat format = flags.common.table_format;
  if (format == TableFormat::kJson) {
    PrintJsonAssumed(ValidationJson(report), flags.assume);
  } else if (TableOnly(flags.common)) {
    fmt::print("{}", ValidationRowsTable(report, &read.runs.runs, true, false).RenderAs(format));
  } else {
    fmt::print("{}{}", AssumedText(flags.assume), ValidationText(report));
  }
}

// Predicts every row of serving-runs files (SERVING.md schema), one file after another.
Result<int> ValidateServingFiles(const ValidateFlags& flags, const Catalog& catalog) {
  if (!flags.model_error_path.empty()) {
    return MakeError(Tr("--write-model-error needs training runs files, not serving runs"), "--write-model-error",
                     Tr("give the training runs CSV files (docs/validation.md)"));
  }
  for (const std::string& path : flags.paths) {
    SUANLI_ASSIGN_OR_RETURN(const bool serving, IsServingRunsFile(path));
    if (!serving) {
      return MakeError(Tr("training and serving runs files cannot be validated together"), path,
                       Tr("run suanli validate once per schema"));
    }
  }
  int exit_code = kExitOk;
  for (const std::string& path : flags.paths) {
    SUANLI_ASSIGN_OR_RETURN(const int code, ValidateServingRuns("validate", path, catalog, flags.common, flags.report_path));
    exit_code = std::max(exit_code, code);
  }
  return exit_code;
}

// Predicts every run of the files, writes the model error when asked, prints the report.
Result<int> ValidateBody(const ValidateFlags& flags) {
  SUANLI_ASSIGN_OR_RETURN(const PerfAssumptions assumptions, MakePerfAssumptions(flags.assume));
  SUANLI_ASSIGN_OR_RETURN(const Catalog catalog, LoadCatalog(flags.common));
  if (!flags.paths.empty()) {
    SUANLI_ASSIGN_OR_RETURN(const bool serving, IsServingRunsFile(flags.paths.front()));
    if (serving) return ValidateServingFiles(flags, catalog);
  }
  SUANLI_ASSIGN_OR_RETURN(ReadRuns read, ReadAllRuns(flags.paths));
  SUANLI_RETURN_IF_ERROR(UseStackForBlankRuns(flags.stack, read.runs));
  // A row whose inputs the catalog refutes (unknown accelerator, a layout
  // that cannot make its gpus, ...) is bad input (exit 2), not a miss of the model.
  MoveBadInputRuns(read.runs, catalog);
  const ValidationReport report = ValidateRuns(read.runs, catalog, flags.threads, assumptions);
  if (!flags.model_error_path.empty()) {
    SUANLI_RETURN_IF_ERROR(WriteModelError(report, read.sources, flags.model_error_path));
  }
  if (!flags.report_path.empty()) SUANLI_RETURN_IF_ERROR(WriteValidateReport(flags, report, read));
  PrintValidation(flags, report, read);
  return FinishRuns("validate", report.summary.n > 0, report.bad_rows);
}

}  // namespace

int RunValidate(int argc, char** argv) {
  CLI::App app{Tr("Predict every published training run (or serving run) of a CSV file (schemas: "
                  "docs/validation.md) and report the errors."),
               "suanli validate"};
  ValidateFlags flags;
  AddCommonOptions(app, flags.common);
  app.add_option("runs", flags.paths, Tr("runs CSV file(s), predicted together"))->required();
  app.add_option("--threads", flags.threads, Tr("search threads for rows with blank layout fields (1-256)"))
      ->check(CLI::Range(1, 256));
  app.add_option("--write-model-error", flags.model_error_path,
                 Tr("write the dense and MoE model error of the step-rate rows, with its source, to this "
                    "YAML file (the format of data/validation/model-error.yaml)"));
  app.add_option("--report", flags.report_path,
                 Tr("write the validation as an HTML page (scatter, error histogram, every row; works offline) "
                    "to FILE.html"));
  AddAssumeOption(app, flags.assume);
  AddStackOption(app, flags.stack, StackDefault::kMegatron);
  app.footer(Tr(kValidateExamples));
  if (auto code = ParseArgs(app, argc, argv)) return *code;
  return ExitCode("validate", ValidateBody(flags));
}

}  // namespace suanli::cli
