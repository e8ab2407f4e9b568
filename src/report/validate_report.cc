// Renderers of `validate` and `calibrate`: the prediction of each published
// run with the error summary, and the fitted GEMM fractions; see validate_report.h.
#include "report/validate_report.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "core/i18n.h"
#include "core/text.h"
#include "report/json_util.h"
#include "report/layout_text.h"
#include "report/table.h"
#include "report/train_report.h"
#include "validate/campaign_summary.h"

namespace suanli {

namespace {

// Returns `value` rounded to 4 significant digits, or null when `has` is
// false: a statistic of no rows is not a number (zeros would read as a perfect model).
nlohmann::json StatOrNull(bool has, double value) {
  return has ? nlohmann::json(RoundSig(value, 4)) : nlohmann::json();
}

// Returns one family's coverage as {rows, inside, pct} (pct null without rows).
nlohmann::json BandJson(const BandCoverage& b) {
  return {{"rows", b.rows}, {"inside", b.inside}, {"pct", StatOrNull(b.rows > 0, b.Pct())}};
}

// Returns one family's model error as {step_rows, throughput_ratio_median,
// throughput_ratio_log_sd}: the median null without rows, the spread without two.
nlohmann::json FamilyErrorJson(int step_rows, const ModelError& e) {
  return {{"step_rows", step_rows},
          {"throughput_ratio_median", StatOrNull(step_rows > 0, e.median)},
          {"throughput_ratio_log_sd", StatOrNull(step_rows > 1, e.log_sd)}};
}

// Returns a coverage as "82% of 109", or "-" without rows.
std::string BandText(const BandCoverage& b) {
  return b.rows > 0 ? TrFormat("{:.0f}% of {}", b.Pct(), b.rows) : "-";
}

// Returns the per-stack errors as a JSON array.
nlohmann::json StacksJson(const std::vector<StackErrors>& stacks) {
  nlohmann::json out = nlohmann::json::array();
  for (const StackErrors& e : stacks) {
    out.push_back({{"stack", e.stack},
                   {"rows", e.rows},
                   {"n", e.n},
                   {"median_ape_pct", StatOrNull(e.n > 0, e.median_ape_pct)},
                   {"within_15pct", StatOrNull(e.n > 0, e.within_15pct)},
                   {"coverage_p10_p90", BandJson(e.coverage)}});
  }
  return out;
}

// Returns `note` wrapped to the terminal width, continuation lines indented by two spaces.
std::string WrappedNote(const std::string& note) {
  const size_t width = std::max<size_t>(CurrentOutput().width, 40);
  std::string out;
  for (const std::string& line : WrapToWidth(note, width - 2)) out += (out.empty() ? "" : "  ") + line + "\n";
  return out;
}

// Returns summary.campaigns: the gpu_hours rows' errors now and before the campaign model.
nlohmann::json CampaignsJson(const CampaignErrors& c, const BandCoverage& coverage) {
  const bool any = c.n > 0;
  return {{"rows", c.n},
          {"coverage_p10_p90", BandJson(coverage)},
          {"median_ape_pct", StatOrNull(any, c.median_ape_pct)},
          {"mean_signed_pct", StatOrNull(any, c.mean_signed_pct)},
          {"before_median_ape_pct", StatOrNull(any, c.before_median_ape_pct)},
          {"before_mean_signed_pct", StatOrNull(any, c.before_mean_signed_pct)},
          {"predicted_over_published_median", StatOrNull(any, c.predicted_over_published.median)},
          {"predicted_over_published_log_sd", StatOrNull(any, c.predicted_over_published.log_sd)}};
}

// Returns the P10–P90 coverage per family and in total.
nlohmann::json CoverageJson(const P10P90Coverage& c) {
  return {{"dense", BandJson(c.dense)}, {"moe", BandJson(c.moe)}, {"total", BandJson(c.total)}};
}

// Returns the coverage line (published values inside the predicted P10–P90), or "" without step rows.
std::string CoverageLine(const ValidationSummary& s) {
  const P10P90Coverage& c = s.coverage;
  if (c.total.rows == 0) return "";
  return TrFormat("published inside the predicted P10–P90 (shipped model error, data/validation/"
                  "model-error.yaml): {:.0f}% of {} step-rate rows (dense {}, MoE {})",
                  c.total.Pct(), c.total.rows, BandText(c.dense), BandText(c.moe));
}

}  // namespace

nlohmann::json ValidationJson(const ValidationReport& report) {
  nlohmann::json rows = nlohmann::json::array();
  for (const RunPrediction& r : report.rows) {
    nlohmann::json row = {{"id", r.id},
                          {"accelerator", r.accelerator_id},
                          {"confidence", r.confidence},
                          {"metric", r.metric},
                          {"published", r.published},
                          {"predicted", r.ok ? nlohmann::json(RoundSig(r.predicted)) : nlohmann::json()},
                          {"error_pct", r.ok ? nlohmann::json(RoundSig(r.error_pct, 3)) : nlohmann::json()},
                          {"predicted_p10", r.ok ? nlohmann::json(RoundSig(r.predicted_p10)) : nlohmann::json()},
                          {"predicted_p90", r.ok ? nlohmann::json(RoundSig(r.predicted_p90)) : nlohmann::json()},
                          {"inside_p10_p90", r.ok ? nlohmann::json(r.inside_p10_p90) : nlohmann::json()},
                          {"layout_searched", r.layout_searched}};
    if (r.ok) {
      row["config"] = ConfigJson(r.config);
      // Where the predicted step goes, so that a row's error can be read
      // against its parts (compute, exposed communication, bubble, ...).
      row["step_time_s"] = RoundSig(r.estimate.step_time_s);
      row["breakdown"] = BreakdownJson(r.estimate.breakdown);
    }
    if (!r.note.empty()) row["note"] = r.note;
    rows.push_back(row);
  }
  nlohmann::json bad = nlohmann::json::array();
  for (const BadRow& b : report.bad_rows) bad.push_back({{"where", b.where}, {"message", b.message}});
  const ValidationSummary& s = report.summary;
  // Statistics of no rows are null, not zeros that read as a perfect model.
  const auto stat = [&](double value) { return s.n > 0 ? nlohmann::json(RoundSig(value, 4)) : nlohmann::json(); };
  return {{"rows", rows},
          {"bad_rows", bad},
          {"summary",
           {{"rows_in_files", s.rows_in_files},
            {"n", s.n},
            {"mape_pct", stat(s.mape_pct)},
            {"median_ape_pct", stat(s.median_ape_pct)},
            {"max_ape_pct", stat(s.max_ape_pct)},
            {"within_10pct", stat(s.within_10pct)},
            {"within_15pct", stat(s.within_15pct)},
            {"high_confidence_beyond_30pct", s.high_confidence_beyond_30pct},
            {"model_error",
             {{"dense", FamilyErrorJson(s.dense_step_rows, s.dense_error)},
              {"moe", FamilyErrorJson(s.moe_step_rows, s.moe_error)}}},
            {"coverage_p10_p90", CoverageJson(s.coverage)},
            {"stacks", StacksJson(s.stacks)},
            {"campaigns", CampaignsJson(s.campaigns, s.campaign_coverage)}}}};
}

std::string MetricLabel(const std::string& metric) {
  if (metric == "tokens_per_s_per_gpu") return "tok/s/gpu";
  if (metric == "model_tflops_per_gpu") return "TFLOPS";
  if (metric == "hw_tflops_per_gpu") return "hw TFLOPS";
  if (metric == "mfu") return "MFU %";
  if (metric == "gpu_hours") return "GPU-h";
  return metric;
}

std::string MetricValue(double value) {
  if (std::fabs(value) >= 1e6) return fmt::format("{:.4g} M", value / 1e6);
  return std::fabs(value) >= 1000 ? FormatCount(value) : fmt::format("{:.4g}", value);
}

TextTable ValidationRowsTable(const ValidationReport& report, const std::vector<PublishedRun>* runs, bool detailed,
                              bool mark) {
  std::vector<std::string> header = {"id", Tr("accelerator id"), Tr("measure"), Tr("reported"), Tr("modelled"),
                                     detailed ? Tr("off by (%)") : Tr("off by"), Tr("layout predicted")};
  if (detailed) {
    header.insert(header.begin() + 6, {Tr("modelled P10"), Tr("modelled P90"), Tr("inside P10–P90")});
    header.insert(header.end(), {Tr("source confidence"), Tr("software stack"), Tr("prediction note")});
  }
  TextTable table(header);
  for (size_t c = 3; c <= 5; ++c) table.AlignColumn(c, TextTable::Align::kRight);
  if (detailed) {
    for (size_t c = 6; c <= 7; ++c) table.AlignColumn(c, TextTable::Align::kRight);
  }
  for (size_t i = 0; i < report.rows.size(); ++i) {
    const RunPrediction& r = report.rows[i];
    std::string error = r.ok ? fmt::format("{:+.1f}{}", r.error_pct, detailed ? "" : "%") : "-";
    if (mark && r.ok && std::fabs(r.error_pct) > 30) error = Alarm(error);
    auto value = [detailed](double v) { return detailed ? fmt::format("{:.6g}", v) : MetricValue(v); };
    std::vector<std::string> row = {
        r.id, r.accelerator_id, detailed ? r.metric : MetricLabel(r.metric), value(r.published),
        r.ok ? value(r.predicted) : "-", error,
        r.ok ? (detailed ? ConfigText(r.config) + (r.layout_searched ? " *" : "")
                            : LayoutText(r.config) + (r.layout_searched ? "*" : "")) : "-"};
    if (detailed) {
      row.insert(row.begin() + 6, {r.ok ? value(r.predicted_p10) : "-", r.ok ? value(r.predicted_p90) : "-",
                                   r.ok ? (r.inside_p10_p90 ? Tr("yes") : Tr("no")) : "-"});
      const std::string stack = runs && i < runs->size() && !(*runs)[i].stack.empty() ? (*runs)[i].stack : "megatron";
      row.insert(row.end(), {r.confidence, stack, r.note_text});
    }
    table.AddRow(std::move(row));
  }
  return table;
}

TextTable ValidationStacksTable(const std::vector<StackErrors>& stacks) {
  TextTable table({Tr("software stack"), Tr("rows in files"), Tr("rows predicted"), Tr("median |error|"),
                   Tr("within 15%"), Tr("inside P10–P90")});
  for (size_t c = 1; c <= 5; ++c) table.AlignColumn(c, TextTable::Align::kRight);
  for (const StackErrors& e : stacks) {
    table.AddRow({e.stack, FormatCount(e.rows), FormatCount(e.n),
                  e.n > 0 ? fmt::format("{:.1f}%", e.median_ape_pct) : "-",
                  e.n > 0 ? fmt::format("{:.0f}%", e.within_15pct) : "-",
                  e.coverage.rows > 0 ? TrFormat("{:.0f}% of {}", e.coverage.Pct(), e.coverage.rows) : "-"});
  }
  return table;
}

// Returns the campaign rows' line of the text summary, or "" without any.
std::string CampaignLine(const CampaignErrors& c, const BandCoverage& coverage) {
  if (c.n == 0) return "";
  return TrFormat("campaign rows (gpu_hours, {} predicted; model/campaign.h): median |error| {:.1f}% (with "
                  "interruptions only, before the campaign model: {:.1f}%), mean signed {:+.1f}% (before: {:+.1f}%); "
                  "predicted / published median {:.3f}, log sd {:.3f}; published inside the campaign P10–P90 "
                  "(step and campaign error): {:.0f}% of {}",
                  c.n, c.median_ape_pct, c.before_median_ape_pct, c.mean_signed_pct, c.before_mean_signed_pct,
                  c.predicted_over_published.median, c.predicted_over_published.log_sd, coverage.Pct(),
                  coverage.rows);
}

std::string ValidationSummaryLine(const ValidationSummary& s) {
  // No row predicted: no statistics (zeros would read as a perfect model).
  const int rows = std::max(s.rows_in_files, s.n);  // rows_in_files is 0 for a summary made without ValidateRuns
  if (s.n == 0) return TrFormat("0 of {} rows predicted: no error statistics", rows);
  return TrFormat("{} of {} rows predicted: mean |error| {:.1f}%, median {:.1f}%, max {:.1f}%, within 10% {:.0f}%, "
                  "within 15% {:.0f}%, high-confidence rows beyond 30%: {}",
                  s.n, rows, s.mape_pct, s.median_ape_pct, s.max_ape_pct, s.within_10pct, s.within_15pct,
                  s.high_confidence_beyond_30pct);
}

std::string ModelErrorLine(const ValidationSummary& s) {
  if (s.dense_step_rows + s.moe_step_rows == 0) return "";
  // A family without rows has no median, and one without two rows no
  // spread: "-", not 1.000 and 0.000.
  const auto stat = [](bool has, double value) { return has ? fmt::format("{:.3f}", value) : std::string("-"); };
  return TrFormat("published / predicted throughput (the planner's model error, docs/scenario.md): "
                  "{} dense step-rate rows median {}, log sd {}; {} MoE rows median {}, log sd {}",
                  s.dense_step_rows, stat(s.dense_step_rows > 0, s.dense_error.median),
                  stat(s.dense_step_rows > 1, s.dense_error.log_sd), s.moe_step_rows,
                  stat(s.moe_step_rows > 0, s.moe_error.median), stat(s.moe_step_rows > 1, s.moe_error.log_sd));
}

std::string ValidationText(const ValidationReport& report) {
  std::string out = ValidationRowsTable(report, nullptr, false, true).Render();
  const bool any_searched = std::any_of(report.rows.begin(), report.rows.end(),
                                        [](const RunPrediction& r) { return r.ok && r.layout_searched; });
  if (any_searched) {
    out += Tr("* some layout fields were not published and were searched (--format csv shows the whole "
              "layout)") +
           "\n";
  }
  for (const RunPrediction& r : report.rows) {
    if (!r.ok) out += WrappedNote(TrFormat("not predicted: {}: {}", r.id, r.note_text));
  }
  for (const BadRow& b : report.bad_rows) out += WrappedNote(TrFormat("bad row: {}: {}", b.where, b.message));
  const ValidationSummary& s = report.summary;
  const std::string model_error = ModelErrorLine(s);
  if (!model_error.empty()) out += "\n" + model_error;
  const std::string coverage = CoverageLine(s);
  if (!coverage.empty()) out += "\n" + coverage;
  const std::string campaigns = CampaignLine(s.campaigns, s.campaign_coverage);
  if (!campaigns.empty()) out += "\n" + campaigns;
  if (!s.stacks.empty()) {
    out += "\n" + Tr("by software stack (docs/stacks.md):") + "\n" + ValidationStacksTable(s.stacks).Render();
  }
  out += '\n';
  out += ValidationSummaryLine(s) + "\n";
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
          {"stack", report.stack},
          {"moe_rows_skipped", report.moe_rows_skipped},
          {"other_stack_rows_skipped", report.other_stack_rows_skipped},
          {"other_stacks", report.other_stacks},
          {"stack_dense_rows", report.stack_dense_rows},
          {"unpredicted_rows", report.unpredicted_rows}};
}

namespace {

// Returns a signed percentage with `decimals` decimals; what rounds to zero prints +0.
std::string SignedPercent(double value, int decimals) {
  return fmt::format("{:+.{}f}%", std::fabs(value) < 0.5 * std::pow(10.0, -decimals) ? 0.0 : value, decimals);
}

}  // namespace

TextTable CalibrationTable(const CalibrationReport& report) {
  TextTable table({Tr("accelerator id"), Tr("dense rows"), Tr("catalog gemm"), Tr("fitted gemm"),
                   Tr("mean error before"), Tr("mean error after"), Tr("mean |error| after")});
  for (size_t c = 1; c <= 6; ++c) table.AlignColumn(c, TextTable::Align::kRight);
  for (const GemmFit& f : report.fits) {
    table.AddRow({f.accelerator_id, FormatCount(f.rows), fmt::format("{:.3f}", f.catalog_fraction),
                  fmt::format("{:.3f}{}", f.fitted_fraction, f.converged ? "" : " " + Tr("(not converged)")),
                  SignedPercent(f.mean_signed_before_pct, 1), SignedPercent(f.mean_signed_after_pct, 2),
                  fmt::format("{:.1f}%", f.mean_abs_after_pct)});
  }
  return table;
}

namespace {

// Returns why nothing was fitted, the real reason first: no dense row of the
// fitted stack (other stacks' rows, or only MoE rows), or none predicted.
std::string NothingToFit(const CalibrationReport& report) {
  if (report.stack_dense_rows == 0 && report.other_stack_rows_skipped > 0) {
    return TrFormat("nothing to fit: the {} dense rows are of another stack ({}), and the fractions stand for {}; "
                    "fit them with --stack {}",
                    report.other_stack_rows_skipped, Join(report.other_stacks, ", "), report.stack,
                    report.other_stacks.empty() ? std::string("ID") : report.other_stacks.front());
  }
  if (report.stack_dense_rows == 0 && report.moe_rows_skipped > 0) {
    return TrFormat("nothing to fit: all {} rows are MoE, and calibrate fits dense rows only",
                    report.moe_rows_skipped);
  }
  if (report.stack_dense_rows == 0) return Tr("nothing to fit: the file has no rows that could be read");
  return TrFormat("nothing to fit: none of the {} dense rows of {} could be predicted", report.stack_dense_rows,
                  report.stack);
}

}  // namespace

std::string CalibrationText(const CalibrationReport& report) {
  const bool nothing = report.fits.empty();
  std::string out = nothing ? NothingToFit(report) + "\n" : CalibrationTable(report).Render();
  // Only the counts that are not zero, each once: the leading reason already
  // says what a file with no row of the stack holds.
  const bool no_stack_rows = nothing && report.stack_dense_rows == 0;
  if (report.moe_rows_skipped > 0 && !(no_stack_rows && report.other_stack_rows_skipped == 0)) {
    out += TrFormat("{} MoE rows left out (calibrate fits dense rows only)", report.moe_rows_skipped) + "\n";
  }
  if (report.unpredicted_rows > 0) {
    out += TrFormat("{} of {} dense rows could not be predicted:", report.unpredicted_rows, report.stack_dense_rows) +
           "\n";
    for (const std::string& why : report.unpredicted_why) out += "  " + why + "\n";
  }
  if (report.other_stack_rows_skipped > 0 && !no_stack_rows) {
    out += TrFormat("{} dense rows of other stacks ({}) left out: the fractions stand for {} (--stack fits another)",
                    report.other_stack_rows_skipped, Join(report.other_stacks, ", "), report.stack) +
           "\n";
  }
  return out;
}

}  // namespace suanli
