// The MoE layout flags' checks; see moe_flags.h.
#include "cli/moe_flags.h"

#include "core/i18n.h"

namespace suanli::cli {

Status CheckMoeFlags(const CLI::App& app, const ParallelFlags& flags, const ModelSpec& model, bool search, int gpus) {
  const bool expert_tp_given = app.count("--expert-tp") > 0;
  const bool overlap_on = app.count("--ep-overlap") > 0 && flags.ep_overlap == "on";
  if (!model.IsMoe()) {
    if (expert_tp_given) {
      return MakeError(TrFormat("--expert-tp does not apply to {}: it has no experts", model.id), "--expert-tp",
                       Tr("leave --expert-tp out for a dense model"));
    }
    if (overlap_on) {
      return MakeError(TrFormat("--ep-overlap on does not apply to {}: it has no experts, so no expert all-to-all "
                                "to hide",
                                model.id),
                       "--ep-overlap", Tr("leave --ep-overlap out for a dense model"));
    }
    return OkStatus();
  }
  const bool ep_pinned = app.count("--ep") > 0 || !search;
  if (overlap_on && ep_pinned && flags.ep <= 1) {
    return MakeError(Tr("--ep-overlap on needs expert parallelism: with ep 1 there is no expert all-to-all to hide"),
                     "--ep-overlap", search ? Tr("give --ep 2 or more, or leave --ep out for the search to choose")
                                            : Tr("give --ep 2 or more, or leave --ep-overlap out"));
  }
  if (search) return OkStatus();
  auto config = MakeParallelConfig(flags, model, gpus);
  if (!config.ok()) return OkStatus();  // the layout's own checks report it
  if (overlap_on && config->MicroBatches() <= 1) {
    PrintNote(Tr("--ep-overlap on changes nothing here: with one micro-batch per step there is no other "
                 "micro-batch's compute to hide the expert all-to-all behind (raise --global-batch, or lower "
                 "--micro-batch)"));
  }
  if (expert_tp_given && config->tp <= 1) {
    PrintNote(Tr("--expert-tp changes nothing with tp 1: the experts are whole on a rank either way"));
  }
  return OkStatus();
}

}  // namespace suanli::cli
