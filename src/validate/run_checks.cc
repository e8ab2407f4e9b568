#include "validate/run_checks.h"

#include <string>
#include <vector>

#include <fmt/format.h>

#include "core/i18n.h"
#include "core/text.h"
#include "model/cluster.h"
#include "validate/predict.h"

namespace suanli {
namespace {

// Returns an error located at `column` of `run`.
Error RowError(const PublishedRun& run, const char* column, const std::string& message, const std::string& hint) {
  return MakeError(message, RunsCsvWhere(run, column), hint);
}

// Returns the precisions `accelerator` has a dense peak for, comma-separated.
std::string SupportedPrecisions(const Accelerator& accelerator) {
  std::vector<std::string> names;
  for (Precision p : AllPrecisions()) {
    if (accelerator.PeakFlops(p) > 0) names.emplace_back(PrecisionName(p));
  }
  return Join(names, ", ");
}

// Returns ok when the pinned layout fields can make `run.gpus` devices.
Status CheckPinnedLayout(const PublishedRun& run) {
  if (run.gpus <= 0) return OkStatus();  // a blank count is the published product
  std::vector<std::string> names;
  int product = 1;
  const std::pair<const char*, int> fields[] = {{"tp", run.tp}, {"pp", run.pp}, {"cp", run.cp}, {"dp", run.dp}};
  for (const auto& [name, value] : fields) {
    if (value <= 0) continue;
    names.emplace_back(name);
    product *= value;
  }
  if (names.empty()) return OkStatus();
  const std::string what = Join(names, "·");
  const char* last = names.back() == "dp" ? "dp" : names.back() == "cp" ? "cp" : names.back() == "pp" ? "pp" : "tp";
  if (run.gpus % product != 0) {
    return RowError(run, last,
                    TrFormat("the pinned {} = {} does not divide gpus {}", what, product, run.gpus),
                    TrFormat("each of the {} devices holds one rank of every parallel dimension: fix the "
                             "layout or gpus so that {} divides gpus",
                             run.gpus, what));
  }
  // With tp, pp and dp published, the layout is the whole cluster (cp blank = 1).
  if (run.tp > 0 && run.pp > 0 && run.dp > 0 && product != run.gpus) {
    const int cp = run.cp > 0 ? run.cp : 1;
    return RowError(run, "dp",
                    TrFormat("the pinned {} = {} is not gpus {}: with tp {}, pp {} and cp {}, dp is {}", what,
                             product, run.gpus, run.tp, run.pp, cp, run.gpus / (run.tp * run.pp * cp)),
                    TrFormat("write dp {} (gpus / (tp·pp·cp)), or correct gpus to {}",
                             run.gpus / (run.tp * run.pp * cp), product));
  }
  return OkStatus();
}

}  // namespace

Status CheckRunInput(const PublishedRun& run, const Catalog& catalog) {
  auto hardware = FindRunHardware(catalog, run.accelerator_id);
  if (!hardware.ok()) {
    return RowError(run, "accelerator", TrFormat("accelerator: unknown accelerator or system '{}'", run.accelerator_id),
                    hardware.error().hint + Tr(" (suanli catalog accelerators, suanli catalog systems)"));
  }
  const Accelerator& accelerator = *hardware->accelerator;
  if (accelerator.PeakFlops(run.precision) <= 0) {
    return RowError(run, "precision",
                    TrFormat("precision: {} has no {} peak", accelerator.id, PrecisionName(run.precision)),
                    TrFormat("use one of the precisions it has: {}", SupportedPrecisions(accelerator)));
  }
  const ClusterSpec cluster = MakeCluster(accelerator, hardware->system);
  const std::string system_id = hardware->system != nullptr ? hardware->system->id : accelerator.id;
  if (run.gpus_per_node > cluster.scale_up_domain) {
    return RowError(run, "gpus_per_node",
                    TrFormat("gpus_per_node {} is more than the {} devices of {}'s scale-up domain", run.gpus_per_node,
                             cluster.scale_up_domain, system_id),
                    TrFormat("write at most {} (or leave it blank); a larger domain is another system: name it in "
                             "the accelerator column (suanli catalog systems)",
                             cluster.scale_up_domain));
  }
  return CheckPinnedLayout(run);
}

int MoveBadInputRuns(RunsFile& runs, const Catalog& catalog) {
  std::vector<PublishedRun> kept;
  kept.reserve(runs.runs.size());
  int moved = 0;
  for (PublishedRun& run : runs.runs) {
    const Status status = CheckRunInput(run, catalog);
    if (status.ok()) {
      kept.push_back(std::move(run));
      continue;
    }
    runs.bad_rows.push_back({status.error().where, status.error().message + "; " + status.error().hint});
    ++moved;
  }
  runs.runs = std::move(kept);
  return moved;
}

}  // namespace suanli
