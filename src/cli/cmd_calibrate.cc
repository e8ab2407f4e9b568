// `suanli calibrate RUNS.csv`: fit one sustained GEMM fraction per
// accelerator to measured runs (docs/calibration.md). Parses the flags, calls
// FitGemmFractions, renders (report/validate_report.h).
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/common.h"
#include "report/validate_report.h"
#include "validate/calibration.h"
#include "validate/run_checks.h"

namespace suanli::cli {
namespace {

constexpr const char* kCalibrateExamples = R"(examples:
  suanli calibrate bench/device/own-runs.csv
  suanli calibrate my-cluster-runs.csv --catalog my-cards.yaml --json
Each accelerator's fraction is moved until the mean signed error of its dense rows is zero
(MoE rows are left out: their dispatch costs are not a GEMM rate). Only rows of one software
stack are fitted: --stack's (blank stack columns read as it), else megatron, the stack the
shipped fractions stand for. To use a fitted value,
override the accelerator's entry (suanli show ID) in a YAML file with efficiency.gemm set
and pass it with --catalog.)";

struct CalibrateFlags {
  CommonOptions common;
  std::string path;
  int threads = 1;
  std::vector<std::string> assume;  // --assume NAME=VALUE
  std::string stack;                // --stack: the stack of rows whose column is blank (docs/stacks.md)
};

// Fits the fractions to the runs of --runs and prints them; bad rows go to stderr.
Result<int> CalibrateBody(const CalibrateFlags& flags) {
  SUANLI_ASSIGN_OR_RETURN(const PerfAssumptions assumptions, MakePerfAssumptions(flags.assume));
  SUANLI_ASSIGN_OR_RETURN(const Catalog catalog, LoadCatalog(flags.common));
  SUANLI_ASSIGN_OR_RETURN(RunsFile file, ReadRunsCsv(flags.path));
  RunsFile runs;
  AppendRuns(runs, std::move(file), flags.path);
  // The fractions stand for one stack: --stack's, or megatron (the shipped ones').
  SUANLI_ASSIGN_OR_RETURN(const std::string fit_stack, UseStackForBlankRuns(flags.stack, runs));
  MoveBadInputRuns(runs, catalog);  // bad input (exit 2) rather than rows left unpredicted
  const CalibrationReport report = FitGemmFractions(runs, catalog, flags.threads, assumptions, fit_stack);
  const TableFormat format = flags.common.table_format;
  if (format == TableFormat::kJson) {
    PrintJsonAssumed(CalibrationJson(report), flags.assume);
  } else if (TableOnly(flags.common)) {
    fmt::print("{}", CalibrationTable(report).RenderAs(format));
  } else {
    fmt::print("{}{}", AssumedText(flags.assume), CalibrationText(report));
  }
  return FinishRuns("calibrate", !report.fits.empty(), report.bad_rows);
}

}  // namespace

int RunCalibrate(int argc, char** argv) {
  CLI::App app{Tr("Fit the sustained GEMM fraction (efficiency.gemm) of each accelerator to measured "
                  "training runs (same CSV schema as validate); dense rows only."),
               "suanli calibrate"};
  CalibrateFlags flags;
  AddCommonOptions(app, flags.common);
  app.add_option("runs", flags.path, Tr("runs CSV file (schema: docs/validation.md)"))->required();
  app.add_option("--threads", flags.threads, Tr("search threads for rows with blank layout fields"))
      ->check(CLI::Range(1, 256));
  AddAssumeOption(app, flags.assume);
  AddStackOption(app, flags.stack, StackDefault::kMegatron);
  app.footer(Tr(kCalibrateExamples));
  if (auto code = ParseArgs(app, argc, argv)) return *code;
  return ExitCode("calibrate", CalibrateBody(flags));
}

}  // namespace suanli::cli
