#include "validate/layout_ratio.h"

#include <vector>

#include "validate/predict.h"
#include "validate/statistics.h"

namespace suanli {

PublishedRun WithLayoutUnpublished(const PublishedRun& run) {
  PublishedRun blank = run;
  blank.tp = blank.pp = blank.dp = blank.cp = blank.ep = blank.vp = blank.micro_batch = 0;
  blank.zero = -1;
  blank.recompute.clear();
  blank.recompute_layer_share = 0;
  return blank;
}

SearchedLayoutMeasurement MeasureSearchedLayoutRatio(const RunsFile& runs, const Catalog& catalog, int threads) {
  std::vector<double> dense, moe;
  for (const PublishedRun& run : runs.runs) {
    if (run.metric == "gpu_hours" || run.tp <= 0 || run.pp <= 0) continue;
    const RunPrediction published = PredictRun(run, catalog, threads, {});
    if (!published.ok) continue;
    const RunPrediction best = PredictRun(WithLayoutUnpublished(run), catalog, threads, {});
    if (!best.ok) continue;
    const double ratio = published.estimate.tokens_per_s_per_gpu / best.estimate.tokens_per_s_per_gpu;
    (run.model.IsMoe() ? moe : dense).push_back(ratio);
  }
  SearchedLayoutMeasurement m;
  m.dense_rows = static_cast<int>(dense.size());
  m.moe_rows = static_cast<int>(moe.size());
  m.ratio.dense = FitModelError(dense).median;
  m.ratio.moe = FitModelError(moe).median;
  return m;
}

}  // namespace suanli
