// Renderers of `validate` and `calibrate`: the prediction of each published
// run with the error summary, and the fitted GEMM fractions; see validate_report.h.
#include "report/validate_report.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "report/json_util.h"
#include "report/table.h"
#include "report/train_report.h"

namespace suanli {

nlohmann::json ValidationJson(const ValidationReport& report) {
  nlohmann::json rows = nlohmann::json::array();
  for (const RunPrediction& r : report.rows) {
    nlohmann::json row = {{"id", r.id},
                          {"accelerator", r.accelerator_id},
                          {"confidence", r.confidence},
                          {"metric", r.metric},
                          {"published", r.published},
                          {"predicted", r.ok ? nlohmann::json(RoundSig(r.predicted, 4)) : nlohmann::json()},
                          {"error_pct", r.ok ? nlohmann::json(RoundSig(r.error_pct, 3)) : nlohmann::json()},
                          {"layout_searched", r.layout_searched}};
    if (r.ok) row["config"] = ConfigJson(r.config);
    if (!r.note.empty()) row["note"] = r.note;
    rows.push_back(row);
  }
  nlohmann::json bad = nlohmann::json::array();
  for (const BadRow& b : report.bad_rows) bad.push_back({{"where", b.where}, {"message", b.message}});
  const ValidationSummary& s = report.summary;
  return {{"rows", rows},
          {"bad_rows", bad},
          {"summary",
           {{"n", s.n},
            {"mape_pct", RoundSig(s.mape_pct, 4)},
            {"median_ape_pct", RoundSig(s.median_ape_pct, 4)},
            {"max_ape_pct", RoundSig(s.max_ape_pct, 4)},
            {"within_10pct", RoundSig(s.within_10pct, 4)},
            {"within_15pct", RoundSig(s.within_15pct, 4)},
            {"high_confidence_beyond_30pct", s.high_confidence_beyond_30pct},
            {"model_error",
             {{"dense", {{"step_rows", s.dense_step_rows},
                         {"throughput_ratio_median", RoundSig(s.dense_error.median, 4)},
                         {"throughput_ratio_log_sd", RoundSig(s.dense_error.log_sd, 4)}}},
              {"moe", {{"step_rows", s.moe_step_rows},
                       {"throughput_ratio_median", RoundSig(s.moe_error.median, 4)},
                       {"throughput_ratio_log_sd", RoundSig(s.moe_error.log_sd, 4)}}}}}}}};
}

std::string ValidationText(const ValidationReport& report) {
  TextTable table({"id", "accel", "conf", "metric", "published", "predicted", "error", "layout"});
  for (size_t c = 4; c <= 6; ++c) table.AlignColumn(c, TextTable::Align::kRight);
  for (const RunPrediction& r : report.rows) {
    table.AddRow({r.id, r.accelerator_id, r.confidence, r.metric, fmt::format("{:g}", r.published),
                  r.ok ? fmt::format("{:.4g}", r.predicted) : "-",
                  r.ok ? fmt::format("{:+.1f}%", r.error_pct) : "-",
                  r.ok ? ConfigText(r.config) + (r.layout_searched ? " *" : "") : r.note});
  }
  std::string out = table.Render();
  const bool any_searched = std::any_of(report.rows.begin(), report.rows.end(),
                                        [](const RunPrediction& r) { return r.ok && r.layout_searched; });
  if (any_searched) out += "* some layout fields were not published and were searched\n";
  for (const BadRow& b : report.bad_rows) out += fmt::format("bad row: {}: {}\n", b.where, b.message);
  const ValidationSummary& s = report.summary;
  if (s.dense_step_rows + s.moe_step_rows > 0) {
    out += fmt::format("\npublished / predicted throughput (the planner's model error, docs/scenario.md): "
                       "{} dense step-rate rows median {:.3f}, log sd {:.3f}; {} MoE rows median {:.3f}, "
                       "log sd {:.3f}",
                       s.dense_step_rows, s.dense_error.median, s.dense_error.log_sd, s.moe_step_rows,
                       s.moe_error.median, s.moe_error.log_sd);
  }
  out += fmt::format(
      "\n{} rows predicted: mean |error| {:.1f}%, median {:.1f}%, max {:.1f}%, within 10% {:.0f}%, "
      "within 15% {:.0f}%, high-confidence rows beyond 30%: {}\n",
      s.n, s.mape_pct, s.median_ape_pct, s.max_ape_pct, s.within_10pct, s.within_15pct,
      s.high_confidence_beyond_30pct);
  return out;
}

nlohmann::json CalibrationJson(const CalibrationReport& report) {
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
  return {{"fits", fits},
          {"moe_rows_skipped", report.moe_rows_skipped},
          {"unpredicted_rows", report.unpredicted_rows}};
}

namespace {

// Returns a signed percentage with `decimals` decimals; what rounds to zero prints +0.
std::string SignedPercent(double value, int decimals) {
  return fmt::format("{:+.{}f}%", std::fabs(value) < 0.5 * std::pow(10.0, -decimals) ? 0.0 : value, decimals);
}

}  // namespace

std::string CalibrationText(const CalibrationReport& report) {
  TextTable table({"accelerator", "rows", "catalog gemm", "fitted gemm", "mean error before", "after",
                   "mean |error| after"});
  for (size_t c = 1; c <= 6; ++c) table.AlignColumn(c, TextTable::Align::kRight);
  for (const GemmFit& f : report.fits) {
    table.AddRow({f.accelerator_id, fmt::format("{}", f.rows), fmt::format("{:.3f}", f.catalog_fraction),
                  fmt::format("{:.3f}{}", f.fitted_fraction, f.converged ? "" : " (not converged)"),
                  SignedPercent(f.mean_signed_before_pct, 1), SignedPercent(f.mean_signed_after_pct, 2),
                  fmt::format("{:.1f}%", f.mean_abs_after_pct)});
  }
  std::string out = report.fits.empty() ? "nothing to fit: no dense row could be predicted\n" : table.Render();
  out += fmt::format("{} MoE rows left out; {} dense rows could not be predicted\n", report.moe_rows_skipped,
                     report.unpredicted_rows);
  return out;
}

}  // namespace suanli
