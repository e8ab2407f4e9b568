// How much slower published layouts run than the search's best for the same run: the measurement behind ShippedSearchedLayoutRatio.
#pragma once

#include "catalog/catalog.h"
#include "model/model_error.h"
#include "validate/runs_csv.h"

namespace suanli {

// The measured ratio per family and how many rows measured it.
struct SearchedLayoutMeasurement {
  SearchedLayoutRatio ratio;  // median predicted(published layout) / predicted(search's best) per family
  int dense_rows = 0;         // dense step-rate rows measured
  int moe_rows = 0;           // mixture-of-experts step-rate rows measured
};

// Returns `run` with every layout field blank (tp, pp, dp, cp, ep, vp,
// micro-batch, ZeRO stage, recompute), as a source that names only the
// devices, batch and sequence would publish it.
PublishedRun WithLayoutUnpublished(const PublishedRun& run);

// Returns, over the step-rate rows of `runs` that publish tp and pp and are
// predicted both ways, the median of the step model's throughput for the
// published layout over its throughput for the search's best layout
// (WithLayoutUnpublished), per family.
SearchedLayoutMeasurement MeasureSearchedLayoutRatio(const RunsFile& runs, const Catalog& catalog, int threads = 1);

}  // namespace suanli
