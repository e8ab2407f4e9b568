#include "validate/statistics.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "workload/stack.h"

namespace suanli {

double MedianOfSorted(const std::vector<double>& sorted) {
  const size_t n = sorted.size();
  return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
}

ModelError FitModelError(std::vector<double> ratios) {
  // A ratio that is not finite and positive has no log: it is left out.
  ratios.erase(std::remove_if(ratios.begin(), ratios.end(), [](double r) { return !std::isfinite(r) || r <= 0; }),
               ratios.end());
  if (ratios.empty()) return {};
  std::sort(ratios.begin(), ratios.end());
  const size_t n = ratios.size();
  ModelError e;
  e.median = MedianOfSorted(ratios);
  double mean_log = 0;
  for (double r : ratios) mean_log += std::log(r) / n;
  double var = 0;
  for (double r : ratios) var += (std::log(r) - mean_log) * (std::log(r) - mean_log) / n;
  e.log_sd = std::sqrt(var);
  return e;
}

ModelErrorTable MeasuredModelError(const ValidationSummary& summary, std::vector<RunsFileRows> runs,
                                   std::string date) {
  ModelErrorTable table;
  table.date = std::move(date);
  table.runs = std::move(runs);
  table.dense = {summary.dense_error, summary.dense_step_rows, ModelErrorSource(table, summary.dense_step_rows, "dense")};
  table.moe = {summary.moe_error, summary.moe_step_rows, ModelErrorSource(table, summary.moe_step_rows, "MoE")};
  return table;
}

std::vector<StackErrors> SummariseByStack(const std::vector<PublishedRun>& runs,
                                          const std::vector<RunPrediction>& rows) {
  std::map<std::string, std::vector<double>> errors;
  std::map<std::string, int> counts;
  for (size_t i = 0; i < rows.size() && i < runs.size(); ++i) {
    const std::string& id = runs[i].stack.empty() ? std::string(kDefaultStackId) : runs[i].stack;
    ++counts[id];
    if (rows[i].ok && std::isfinite(rows[i].error_pct)) errors[id].push_back(std::fabs(rows[i].error_pct));
  }
  std::vector<StackErrors> out;
  for (const auto& [id, count] : counts) {
    StackErrors e;
    e.stack = id;
    e.rows = count;
    std::vector<double>& apes = errors[id];
    e.n = static_cast<int>(apes.size());
    if (e.n > 0) {
      std::sort(apes.begin(), apes.end());
      e.median_ape_pct = MedianOfSorted(apes);
      e.within_15pct = 100.0 * std::count_if(apes.begin(), apes.end(), [](double a) { return a <= 15.0; }) / e.n;
    }
    out.push_back(e);
  }
  return out;
}

bool InsideP10P90(double published_over_predicted, const ModelError& error) {
  const ThroughputBand band = P10P90Band(error);
  return published_over_predicted >= band.p10 && published_over_predicted <= band.p90;
}

P10P90Coverage CoverageOf(const std::vector<PublishedRun>& runs, const std::vector<RunPrediction>& rows,
                          const ModelErrorTable& table) {
  P10P90Coverage c;
  for (size_t i = 0; i < rows.size() && i < runs.size(); ++i) {
    const RunPrediction& row = rows[i];
    if (!row.ok || runs[i].metric == "gpu_hours") continue;
    const double ratio = row.published / row.predicted;
    if (!std::isfinite(ratio) || ratio <= 0) continue;
    const bool moe = runs[i].model.IsMoe();
    const int inside = InsideP10P90(ratio, moe ? table.moe.error : table.dense.error) ? 1 : 0;
    for (BandCoverage* b : {moe ? &c.moe : &c.dense, &c.total}) {
      ++b->rows;
      b->inside += inside;
    }
  }
  return c;
}

ValidationSummary Summarise(const std::vector<PublishedRun>& runs, const std::vector<RunPrediction>& rows) {
  std::vector<double> errors, dense_ratios, moe_ratios;
  ValidationSummary s;
  for (size_t i = 0; i < rows.size(); ++i) {
    const RunPrediction& row = rows[i];
    if (!row.ok || !std::isfinite(row.error_pct)) continue;
    const double ape = std::fabs(row.error_pct);
    errors.push_back(ape);
    if (row.confidence == "high" && ape > 30.0) ++s.high_confidence_beyond_30pct;
    const double ratio = row.published / row.predicted;
    if (runs[i].metric != "gpu_hours" && std::isfinite(ratio) && ratio > 0) {
      (runs[i].model.IsMoe() ? moe_ratios : dense_ratios).push_back(ratio);
    }
  }
  s.dense_step_rows = static_cast<int>(dense_ratios.size());
  s.dense_error = FitModelError(dense_ratios);
  s.moe_step_rows = static_cast<int>(moe_ratios.size());
  s.moe_error = FitModelError(moe_ratios);
  s.stacks = SummariseByStack(runs, rows);
  s.coverage = CoverageOf(runs, rows, ShippedModelError());
  s.n = static_cast<int>(errors.size());
  if (s.n > 0) {
    std::sort(errors.begin(), errors.end());
    double sum = 0;
    int within10 = 0, within15 = 0;
    for (double e : errors) {
      sum += e;
      within10 += e <= 10.0 ? 1 : 0;
      within15 += e <= 15.0 ? 1 : 0;
    }
    s.mape_pct = sum / s.n;
    s.median_ape_pct = MedianOfSorted(errors);
    s.max_ape_pct = errors.back();
    s.within_10pct = 100.0 * within10 / s.n;
    s.within_15pct = 100.0 * within15 / s.n;
  }
  return s;
}

}  // namespace suanli
