#include "validate/validation.h"

#include "core/i18n.h"
#include "core/progress.h"
#include "model/campaign.h"

namespace suanli {

ValidationReport ValidateRuns(const RunsFile& runs, const Catalog& catalog, int threads,
                              const PerfAssumptions& assumptions) {
  ValidationReport report;
  report.bad_rows = runs.bad_rows;
  report.rows.reserve(runs.runs.size());
  Progress progress(Tr("predicting published runs"), static_cast<double>(runs.runs.size()));
  for (const PublishedRun& run : runs.runs) {
    report.rows.push_back(PredictRun(run, catalog, threads, assumptions));
    progress.Add(1);
  }
  SetRowBands(runs.runs, report.rows, ShippedModelError(), ShippedCampaignExtraError());
  report.summary = Summarise(runs.runs, report.rows);
  report.summary.rows_in_files = static_cast<int>(runs.runs.size() + runs.bad_rows.size());
  return report;
}

}  // namespace suanli
