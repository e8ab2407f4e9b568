// `suanli validate RUNS.csv`: predict every published run and report errors.
#include <ctime>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/common.h"
#include "report/train_report.h"
#include "validate/validation.h"

namespace suanli::cli {
namespace {

// Returns today's date in UTC as YYYY-MM-DD.
std::string TodayUtc() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[16];
  std::strftime(text, sizeof(text), "%Y-%m-%d", &utc);
  return text;
}

}  // namespace

int RunValidate(int argc, char** argv) {
  CLI::App app{"Predict every published training run of a CSV file (schema: "
               "shared/validation/README.md) and report the errors.",
               "suanli validate"};
  CommonOptions common;
  std::vector<std::string> paths;
  int threads = 1;
  AddCommonOptions(app, common);
  app.add_option("runs", paths, "runs CSV file(s), predicted together")->required();
  std::string model_error_path;
  app.add_option("--threads", threads, "search threads for rows with blank layout fields (1-256)")
      ->check(CLI::Range(1, 256));
  app.add_option("--write-model-error", model_error_path,
                 "write the dense and MoE model error of the step-rate rows, with its source, to this "
                 "YAML file (the format of data/validation/model-error.yaml)");
  std::vector<std::string> assume;
  AddAssumeOption(app, assume);
  app.footer(R"(examples:
  suanli validate ../shared/validation/training-runs.csv
  suanli validate runs.csv --json | jq .summary
  suanli validate ../shared/validation/training-runs.csv data/validation/holdout-training-runs.csv
  suanli validate ../shared/validation/training-runs.csv data/validation/holdout-training-runs.csv \
      --write-model-error data/validation/model-error.yaml
Rows whose layout fields are blank are predicted with the best searched layout and flagged '*'.
A row whose reference is dated before 2023 runs attention without flash attention; GPU-hour
rows include interruption and checkpoint losses (docs/validation.md says how rows are read).
A bad row is reported with its line and column; the other rows still run.)");
  if (auto code = ParseArgs(app, argc, argv)) return *code;
  auto assumptions = MakePerfAssumptions(assume);
  if (!assumptions.ok()) return ReportError("validate", assumptions.error());

  auto catalog = LoadCatalog(common);
  if (!catalog.ok()) return ReportError("validate", catalog.error());
  RunsFile runs;
  std::vector<RunsFileRows> sources;
  for (const std::string& path : paths) {
    auto file = ReadRunsCsv(path);
    if (!file.ok()) return ReportError("validate", file.error());
    runs.runs.insert(runs.runs.end(), file->runs.begin(), file->runs.end());
    runs.bad_rows.insert(runs.bad_rows.end(), file->bad_rows.begin(), file->bad_rows.end());
    sources.push_back({std::filesystem::path(path).filename().string(), static_cast<int>(file->runs.size())});
  }
  const ValidationReport report = ValidateRuns(runs, *catalog, threads, *assumptions);
  if (!model_error_path.empty()) {
    if (!report.bad_rows.empty()) {
      return ReportError("validate", MakeError("not writing the model error: some rows could not be read",
                                               report.bad_rows.front().where, "fix or remove the bad rows first"));
    }
    std::ofstream out(model_error_path, std::ios::binary);
    out << ModelErrorYaml(MeasuredModelError(report.summary, sources, TodayUtc()));
    if (!out) {
      return ReportError("validate", MakeError("cannot write the model error", model_error_path,
                                               "check the directory exists and is writable"));
    }
  }
  if (common.json) {
    nlohmann::json out = ValidationJson(report);
    if (!assume.empty()) out["assumed"] = assume;
    PrintJson(out);
  } else {
    fmt::print("{}{}", AssumedText(assume), ValidationText(report));
  }
  for (const BadRow& bad : report.bad_rows) {
    fmt::print(stderr, "suanli validate: bad row: {}: {}\n", bad.where, bad.message);
  }
  if (report.summary.n == 0) return report.bad_rows.empty() ? kExitInfeasible : kExitBadInput;
  return report.bad_rows.empty() ? kExitOk : kExitBadInput;
}

}  // namespace suanli::cli
