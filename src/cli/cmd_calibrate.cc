// `suanli calibrate RUNS.csv`: fit one sustained GEMM fraction per
// accelerator to measured runs (docs/calibration.md).
#include <cmath>
#include <string>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/common.h"
#include "report/json_util.h"
#include "report/table.h"
#include "validate/calibration.h"

namespace suanli::cli {

int RunCalibrate(int argc, char** argv) {
  CLI::App app{"Fit the sustained GEMM fraction (efficiency.gemm) of each accelerator to measured "
               "training runs (same CSV schema as validate); dense rows only.",
               "suanli calibrate"};
  CommonOptions common;
  std::string path;
  int threads = 1;
  AddCommonOptions(app, common);
  app.add_option("runs", path, "runs CSV file (schema: shared/validation/README.md)")->required();
  app.add_option("--threads", threads, "search threads for rows with blank layout fields")
      ->check(CLI::Range(1, 256));
  std::vector<std::string> assume;
  AddAssumeOption(app, assume);
  app.footer(R"(examples:
  suanli calibrate bench/device/own-runs.csv
  suanli calibrate my-cluster-runs.csv --catalog my-cards.yaml --json
Each accelerator's fraction is moved until the mean signed error of its dense rows is zero
(MoE rows are left out: their dispatch costs are not a GEMM rate). To use a fitted value,
override the accelerator's entry (suanli show ID) in a YAML file with efficiency.gemm set
and pass it with --catalog.)");
  if (auto code = ParseArgs(app, argc, argv)) return *code;
  auto assumptions = MakePerfAssumptions(assume);
  if (!assumptions.ok()) return ReportError("calibrate", assumptions.error());

  auto catalog = LoadCatalog(common);
  if (!catalog.ok()) return ReportError("calibrate", catalog.error());
  auto runs = ReadRunsCsv(path);
  if (!runs.ok()) return ReportError("calibrate", runs.error());
  const CalibrationReport report = FitGemmFractions(*runs, *catalog, threads, *assumptions);

  if (common.json) {
    nlohmann::json fits = nlohmann::json::array();
    for (const GemmFit& f : report.fits) {
      fits.push_back({{"accelerator", f.accelerator_id},
                      {"rows", f.rows},
                      {"catalog_gemm", RoundSig(f.catalog_fraction, 4)},
                      {"fitted_gemm", RoundSig(f.fitted_fraction, 4)},
                      {"mean_signed_error_before_pct", RoundSig(f.mean_signed_before_pct, 4)},
                      {"mean_signed_error_after_pct", RoundSig(f.mean_signed_after_pct, 4)},
                      {"mean_abs_error_after_pct", RoundSig(f.mean_abs_after_pct, 4)},
                      {"converged", f.converged}});
    }
    nlohmann::json out = {{"fits", fits},
                          {"moe_rows_skipped", report.moe_rows_skipped},
                          {"unpredicted_rows", report.unpredicted_rows}};
    if (!assume.empty()) out["assumed"] = assume;
    PrintJson(out);
  } else {
    fmt::print("{}", AssumedText(assume));
    auto percent = [](double value, int decimals) {
      return fmt::format("{:+.{}f}%", std::fabs(value) < 0.5 * std::pow(10.0, -decimals) ? 0.0 : value, decimals);
    };
    TextTable table({"accelerator", "rows", "catalog gemm", "fitted gemm", "mean error before", "after",
                     "mean |error| after"});
    for (size_t c = 1; c <= 6; ++c) table.AlignColumn(c, TextTable::Align::kRight);
    for (const GemmFit& f : report.fits) {
      table.AddRow({f.accelerator_id, fmt::format("{}", f.rows), fmt::format("{:.3f}", f.catalog_fraction),
                    fmt::format("{:.3f}{}", f.fitted_fraction, f.converged ? "" : " (not converged)"),
                    percent(f.mean_signed_before_pct, 1), percent(f.mean_signed_after_pct, 2),
                    fmt::format("{:.1f}%", f.mean_abs_after_pct)});
    }
    if (report.fits.empty()) {
      fmt::print("nothing to fit: no dense row could be predicted\n");
    } else {
      fmt::print("{}", table.Render());
    }
    fmt::print("{} MoE rows left out; {} dense rows could not be predicted\n", report.moe_rows_skipped,
               report.unpredicted_rows);
  }
  for (const BadRow& bad : report.bad_rows) {
    fmt::print(stderr, "suanli calibrate: bad row: {}: {}\n", bad.where, bad.message);
  }
  if (report.fits.empty()) return report.bad_rows.empty() ? kExitInfeasible : kExitBadInput;
  return report.bad_rows.empty() ? kExitOk : kExitBadInput;
}

}  // namespace suanli::cli
