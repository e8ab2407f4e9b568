#include "validate/calibration.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace suanli {
namespace {

struct ErrorStats {
  int rows = 0;
  double mean_signed_pct = 0;
  double mean_abs_pct = 0;
};

constexpr int kMaxRounds = 30;
constexpr double kToleranceAbsPct = 0.01;

}  // namespace

CalibrationReport FitGemmFractions(const RunsFile& runs, const Catalog& catalog, int threads,
                                   const PerfAssumptions& assumptions, std::string_view stack) {
  CalibrationReport report;
  report.bad_rows = runs.bad_rows;
  report.stack = std::string(stack);
  RunsFile dense;
  for (const PublishedRun& run : runs.runs) {
    const std::string_view run_stack = run.stack.empty() ? kDefaultStackId : std::string_view(run.stack);
    if (run.model.IsMoe()) {
      ++report.moe_rows_skipped;
    } else if (run_stack != stack) {
      ++report.other_stack_rows_skipped;
      report.other_stacks.emplace_back(run_stack);
    } else {
      dense.runs.push_back(run);
    }
  }
  std::sort(report.other_stacks.begin(), report.other_stacks.end());
  report.other_stacks.erase(std::unique(report.other_stacks.begin(), report.other_stacks.end()),
                            report.other_stacks.end());
  report.stack_dense_rows = static_cast<int>(dense.runs.size());
  Catalog working = catalog;
  // Rows may name an accelerator by alias or the system it ran in; fits are
  // kept by accelerator id.
  auto catalog_id = [&](const std::string& name) {
    auto found = FindRunHardware(working, name);
    return found.ok() ? found->accelerator->id : name;
  };
  // Returns the error statistics of each accelerator's predicted rows.
  auto evaluate = [&](CalibrationReport* first) {
    std::map<std::string, ErrorStats> stats;
    for (const RunPrediction& row : ValidateRuns(dense, working, threads, assumptions).rows) {
      if (!row.ok) {
        if (first != nullptr) {
          ++first->unpredicted_rows;
          first->unpredicted_why.push_back(row.id + ": " + row.note_text);
        }
        continue;
      }
      ErrorStats& s = stats[catalog_id(row.accelerator_id)];
      ++s.rows;
      s.mean_signed_pct += row.error_pct;
      s.mean_abs_pct += std::fabs(row.error_pct);
    }
    for (auto& [id, s] : stats) {
      s.mean_signed_pct /= s.rows;
      s.mean_abs_pct /= s.rows;
    }
    return stats;
  };

  std::map<std::string, GemmFit> fits;
  for (const auto& [id, s] : evaluate(&report)) {
    GemmFit& fit = fits[id];
    fit.accelerator_id = id;
    fit.rows = s.rows;
    fit.catalog_fraction = (*working.FindAccelerator(id))->efficiency.gemm;
    fit.fitted_fraction = fit.catalog_fraction;
    fit.mean_signed_before_pct = fit.mean_signed_after_pct = s.mean_signed_pct;
    fit.mean_abs_after_pct = s.mean_abs_pct;
  }
  for (int round = 1; round <= kMaxRounds; ++round) {
    bool moved = false;
    for (auto& [id, fit] : fits) {
      if (std::fabs(fit.mean_signed_after_pct) < kToleranceAbsPct) continue;
      // Throughput is nearly proportional to the GEMM rate where compute
      // dominates, so the relative error is divided out of the fraction.
      // Kept within (0, 1]: 0.01 is far below any real part, and the peak
      // is the upper bound of a sustained fraction.
      fit.fitted_fraction =
          std::clamp(fit.fitted_fraction / (1.0 + fit.mean_signed_after_pct / 100.0), 0.01, 1.0);
      moved = working.SetGemmEfficiency(id, fit.fitted_fraction).ok() || moved;
    }
    if (!moved) break;
    for (const auto& [id, s] : evaluate(nullptr)) {
      auto it = fits.find(id);
      if (it == fits.end()) continue;
      it->second.mean_signed_after_pct = s.mean_signed_pct;
      it->second.mean_abs_after_pct = s.mean_abs_pct;
    }
  }
  for (auto& [id, fit] : fits) {
    fit.converged = std::fabs(fit.mean_signed_after_pct) < kToleranceAbsPct;
    report.fits.push_back(fit);
  }
  return report;
}

}  // namespace suanli
