#include "validate/predict.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <vector>

#include <fmt/format.h>

#include "core/i18n.h"
#include "core/text.h"
#include "model/campaign.h"
#include "workload/stack.h"
#include "workload/stage_layout.h"

namespace suanli {
namespace {

// Returns the search options that pin every layout field `run` publishes;
// the names of the fields left to the search are appended to `searched`.
SearchOptions PinnedOptions(const PublishedRun& run, const SoftwareStack& stack, int threads,
                            const PerfAssumptions& assumptions, std::vector<std::string>& searched) {
  SearchOptions options;
  options.assumptions = assumptions;
  UseStack(stack, options);
  // A blank device count is the published layout's product when tp, pp and
  // dp are all given (cp blank = 1), else the default.
  const bool layout_given = run.tp > 0 && run.pp > 0 && run.dp > 0;
  const int layout_gpus = layout_given ? run.tp * run.pp * run.dp * std::max(1, run.cp) : 0;
  options.gpus = run.gpus > 0 ? run.gpus : layout_given ? layout_gpus : kDefaultGpusWhenBlank;
  options.seq_len = run.seq_len;
  options.precision = run.precision;
  options.global_batch = run.global_batch;
  options.top_k = 1;
  options.threads = threads;
  auto pin = [&](std::optional<int>& slot, int value, const char* name) {
    if (value > 0) {
      slot = value;
    } else {
      searched.push_back(name);
    }
  };
  pin(options.tp, run.tp, "tp");
  pin(options.pp, run.pp, "pp");
  pin(options.dp, run.dp, "dp");
  pin(options.cp, run.cp, "cp");
  pin(options.ep, run.ep, "ep");
  pin(options.vp, run.vp, "vp");
  pin(options.micro_batch, run.micro_batch, "micro_batch");
  // A blank field that cannot vary is not searched: dp (or cp) when the
  // other three of tp·pp·cp·dp are pinned and the devices are known (cp
  // blank makes 1), vp without a pipeline (pp 1), ep of a dense model.
  const bool devices_known = run.gpus > 0 || layout_given;
  const auto fixed = [&](std::string_view name) {
    if (name == "dp") return devices_known && run.tp > 0 && run.pp > 0 && run.cp > 0;
    if (name == "cp") return devices_known && run.tp > 0 && run.pp > 0 && run.dp > 0;
    if (name == "vp") return run.pp == 1;
    if (name == "ep") return !run.model.IsMoe();
    return false;
  };
  searched.erase(std::remove_if(searched.begin(), searched.end(), fixed), searched.end());
  options.max_zero = run.max_zero;
  options.attention = run.attention;
  // Megatron leaves the expert all-to-all on the critical path unless a
  // recipe turns on --overlap-moe-expert-parallel-comm; the rows do not say.
  options.ep_overlap = false;
  if (run.zero >= 0) {
    options.zero = run.zero;
  } else {
    searched.push_back("zero");
  }
  if (!run.recompute.empty()) {
    options.recompute = *ParseRecompute(run.recompute);
    options.partial_recompute = false;  // a published "full" recomputes every layer
    options.recompute_layer_share = run.recompute_layer_share;
  } else {
    searched.push_back("recompute");
  }
  if (run.gpus == 0 && layout_given) {
    searched.push_back(fmt::format("gpus ({} from tp x pp x dp x cp)", layout_gpus));
  } else if (run.gpus == 0) {
    searched.push_back(fmt::format("gpus (assumed {})", kDefaultGpusWhenBlank));
  }
  return options;
}

// A note in English (JSON) and in the current language (reports); the
// format strings' zh entries are in data/i18n/zh/validate.yaml.
struct Note {
  std::string english;
  std::string local;
  bool empty() const { return english.empty(); }
};

// Returns the note `english_format` formats with `args`, in both languages.
template <typename... Args>
Note MakeNote(std::string_view english_format, const Args&... args) {
  return {fmt::format(fmt::runtime(english_format), args...), fmt::format(fmt::runtime(Tr(english_format)), args...)};
}

// Appends `note` to the row's notes, after "; ".
void AddNote(RunPrediction& p, const Note& note) {
  if (note.empty()) return;
  p.note += (p.note.empty() ? "" : "; ") + note.english;
  p.note_text += (p.note_text.empty() ? "" : "; ") + note.local;
}

// Returns `first` and `second` joined by "; ", in both languages.
Note JoinNotes(const Note& first, const Note& second) {
  return {first.english + "; " + second.english, first.local + "; " + second.local};
}

// Returns which layout fields the row pins (with their values) and which it
// leaves to the search, for a row with no valid layout: the fields whose
// values conflict are among the pinned ones.
Note PinnedNote(const PublishedRun& run, const std::vector<std::string>& searched) {
  std::vector<std::string> pinned;
  const std::pair<const char*, int> fields[] = {{"gpus", run.gpus}, {"tp", run.tp}, {"pp", run.pp},
                                                {"dp", run.dp}, {"cp", run.cp}, {"ep", run.ep},
                                                {"vp", run.vp}, {"micro_batch", run.micro_batch},
                                                {"global_batch", run.global_batch}};
  for (const auto& [name, value] : fields) {
    if (value > 0) pinned.push_back(fmt::format("{} {}", name, value));
  }
  if (pinned.empty()) return {};
  const std::string pinned_text = Join(pinned, ", ");
  const std::string searched_text = searched.empty() ? "-" : Join(searched, ", ");
  return MakeNote("the row pins {} (searched: {}); check these against each other and the model (heads {}, "
                  "layers {}, experts {})",
                  pinned_text, searched_text, run.model.heads, run.model.layers, run.model.moe.experts);
}

// Returns `options` with full recomputation of the fewest layers per stage
// that fit, in place of a published partial recompute.
SearchOptions FewestLayersInFull(SearchOptions options) {
  options.recompute_layer_share = 0;
  options.recompute = Recompute::kFull;
  options.partial_recompute = true;
  return options;
}

// Returns the note of a fallback that made the layout fit.
Note FallbackNote(const ModelSpec& model, const SearchResult& result, bool selective) {
  const Note what = selective ? MakeNote("the published selective recompute does not fit our memory model")
                              : MakeNote("the published partial recompute does not fit our memory model");
  const ParallelConfig& fitted = result.top.front().config;
  if (fitted.recompute != Recompute::kFull) return what;
  const int stage_layers = StageLayout(model, fitted).MaxLayers();
  const Note layers = MakeNote("{} of {} layers per stage recomputed in full",
                               fitted.recompute_layers > 0 ? fitted.recompute_layers : stage_layers, stage_layers);
  return JoinNotes(what, layers);
}

// Returns the best layout under `options`, trying what a team would when the
// published layout does not fit our memory model (docs/validation.md
// §Fallbacks): a published selective recompute that does not fit recomputes
// the model's cheap modules too (`modules`, MLA and MoE models), then the
// fewest layers per stage in full; a stack that can offload its optimizer
// (DeepSpeed, Colossal-AI, MaxText) moves it and the checkpoints to host
// memory. `note` says which.
SearchResult SearchPublishedLayout(const PublishedRun& run, const SoftwareStack& stack,
                                   const ClusterSpec& cluster, const SearchOptions& options, Note& note) {
  SearchResult result = SearchLayouts(run.model, cluster, options);
  if (!result.top.empty()) return result;
  const bool selective = run.recompute == "selective" && run.recompute_layer_share == 0;
  // A stack's own partial checkpointing (torchtitan, fms-fsdp: half the layers) that does not fit: fewest layers too.
  const bool partial = selective || (run.recompute == "full" && run.recompute_layer_share > 0);
  if (selective && OffersCheckpointing(stack.checkpointing, Recompute::kModules) && HasRecomputeModules(run.model)) {
    SearchOptions modules = options;
    modules.recompute = Recompute::kModules;
    SearchResult retry = SearchLayouts(run.model, cluster, modules);
    if (!retry.top.empty()) {
      note = MakeNote("published selective recompute does not fit our memory model; recomputed modules instead");
      return retry;
    }
  }
  if (partial) {
    SearchResult retry = SearchLayouts(run.model, cluster, FewestLayersInFull(options));
    if (!retry.top.empty()) {
      note = FallbackNote(run.model, retry, selective);
      return retry;
    }
  }
  if (stack.optimizer_offload) {
    SearchOptions offload = options;
    offload.memory.optimizer_offload = true;
    offload.memory.checkpoint_offload = true;
    offload.assumptions.optimizer_offload = true;
    SearchResult retry = SearchLayouts(run.model, cluster, offload);
    // Offloaded checkpoints are those of layers recomputed in full: a
    // partial recompute that still does not fit recomputes the fewest
    // layers in full with their checkpoints on the host (MaxText's
    // host-offloading remat policies keep little more than each layer's input).
    bool more_recompute = false;
    if (retry.top.empty() && partial) {
      retry = SearchLayouts(run.model, cluster, FewestLayersInFull(offload));
      more_recompute = true;
    }
    if (!retry.top.empty()) {
      note = MakeNote("does not fit on the device; optimizer states and activation checkpoints offloaded to "
                      "host memory ({})",
                      stack.id);
      if (more_recompute) note = JoinNotes(note, FallbackNote(run.model, retry, selective));
      return retry;
    }
  }
  return result;
}

// Returns the run's metric, in its unit, for the predicted step;
// `ramp_tokens_per_s` is the step model's rate at the batch ramp (gpu_hours only); every rate is
// scaled by `rate_scale` (a searched layout's realism, model_error.h SearchedLayoutRatio).
double PredictedMetric(const PublishedRun& run, const Accelerator& accelerator, const StepEstimate& estimate,
                       const ParallelConfig& config, double ramp_tokens_per_s, double rate_scale) {
  const double tps_gpu = estimate.tokens_per_s_per_gpu * rate_scale;
  if (run.metric == "tokens_per_s_per_gpu") return tps_gpu;
  if (run.metric == "model_tflops_per_gpu") return ModelFlopsPerToken(run.model, run.seq_len) * tps_gpu / 1e12;
  if (run.metric == "hw_tflops_per_gpu") {
    // Narayanan et al.'s convention for rows that recompute every layer
    // (96·B·s·l·h²(1 + s/6h + V/16lh): the logits are not recomputed);
    // otherwise what the step executes, with the recompute it runs (a row
    // without recompute executes its model FLOPs).
    const int stage_layers = std::max(1, run.model.layers / std::max(1, config.pp));
    if (FullRecomputeShare(config, stage_layers) >= 1.0) {
      return NarayananHwFlopsPerToken(run.model, run.seq_len) * tps_gpu / 1e12;
    }
    return estimate.hw_tflops_per_gpu * rate_scale;
  }
  if (run.metric == "mfu") {
    const double peak = GemmPeakFlops(accelerator, Precision::kBf16);
    return 100.0 * ModelFlopsPerToken(run.model, run.seq_len) * tps_gpu / peak;
  }
  // gpu_hours: a whole campaign (model/campaign.h): the batch ramp at the
  // step model's rate, evaluation, rollbacks, stragglers, and the time lost to
  // interruptions, checkpoints and restarts, with the default figures on the
  // run's cluster.
  const CampaignRun campaign{run.train_tokens, estimate.tokens_per_s * rate_scale, ramp_tokens_per_s * rate_scale,
                             config.Devices(),
                             run.model.IsMoe()};
  return CampaignFor(campaign, DefaultCampaignAssumptions()).wall_gpu_hours;
}

}  // namespace

double NarayananHwFlopsPerToken(const ModelSpec& m, int seq_len) {
  const double l = m.layers, h = static_cast<double>(m.hidden), s = seq_len,
               v = static_cast<double>(m.vocab);
  return 96.0 * l * h * h * (1.0 + s / (6.0 * h) + v / (16.0 * l * h));
}

Result<RunHardware> FindRunHardware(const Catalog& catalog, std::string_view accelerator_column) {
  auto accelerator = catalog.FindAccelerator(accelerator_column);
  if (accelerator.ok()) return RunHardware{*accelerator, catalog.DefaultSystemFor((*accelerator)->id)};
  auto system = catalog.FindSystem(accelerator_column);
  if (!system.ok()) {
    // Neither: suggest the nearest of both kinds.
    return MakeError(TrFormat("unknown accelerator or system '{}'", accelerator_column), "accelerator",
                     accelerator.error().hint + "; " + system.error().hint);
  }
  auto held = catalog.FindAccelerator((*system)->accelerator_id);
  if (!held.ok()) return held.error();
  return RunHardware{*held, *system};
}

std::string RunHardwareId(const Catalog& catalog, std::string_view accelerator_column) {
  if (auto accelerator = catalog.FindAccelerator(accelerator_column); accelerator.ok()) return (*accelerator)->id;
  if (auto system = catalog.FindSystem(accelerator_column); system.ok()) return (*system)->id;
  return std::string(accelerator_column);
}

RunPrediction PredictRun(const PublishedRun& run, const Catalog& catalog, int threads,
                         const PerfAssumptions& assumptions) {
  RunPrediction p;
  p.id = run.id;
  p.confidence = run.confidence;
  p.accelerator_id = run.accelerator_id;
  p.metric = run.metric;
  p.published = run.value;
  auto hardware = FindRunHardware(catalog, run.accelerator_id);
  if (!hardware.ok()) {
    AddNote(p, {hardware.error().ToString(), hardware.error().ToString()});
    return p;
  }
  // The id the column resolved to is shown; what was written stays in a note.
  p.accelerator_id = RunHardwareId(catalog, run.accelerator_id);
  if (p.accelerator_id != run.accelerator_id) {
    AddNote(p, MakeNote("accelerator written '{}'", run.accelerator_id));
  }
  ClusterSpec cluster = MakeCluster(*hardware->accelerator, hardware->system);
  if (run.gpus_per_node > 0) cluster.scale_up_domain = run.gpus_per_node;
  if (Status links = CheckClusterLinks(cluster, run.gpus); !links.ok()) {
    AddNote(p, {links.error().ToString(), links.error().ToString()});
    return p;
  }
  auto stack = FindStack(run.stack);
  if (!stack.ok()) {
    AddNote(p, {stack.error().ToString(), stack.error().ToString()});
    return p;
  }
  std::vector<std::string> searched;
  SearchOptions options = PinnedOptions(run, **stack, threads, assumptions, searched);
  Note batch_note;
  if (run.dp > 0 && run.global_batch > 0 && run.global_batch % run.dp != 0) {
    // A global batch the published dp does not divide (a source's own
    // inconsistency): the nearest batch it does, with a note.
    options.global_batch = NearestBatchDividedBy(run.global_batch, run.dp);
    batch_note = MakeNote("global batch {} not divisible by dp {}; predicted at {}", run.global_batch, run.dp,
                          options.global_batch);
  }
  Note recompute_note;
  const SearchResult result = SearchPublishedLayout(run, **stack, cluster, options, recompute_note);
  if (result.top.empty()) {
    // The published layout does not fit our memory model even after the
    // fallbacks: no prediction, and the row says why.
    AddNote(p, batch_note);
    AddNote(p, {result.infeasible_reason, result.infeasible_reason_text});
    if (result.infeasible_reason.starts_with("no valid layout")) AddNote(p, PinnedNote(run, searched));
    return p;
  }
  p.layout_searched = !searched.empty();
  if (run.attention == AttentionKernel::kUnfused && run.reference_year > 0 &&
      (*stack)->attention != AttentionKernel::kUnfused) {
    AddNote(p, MakeNote("reference dated {}: attention without flash attention ({} before {})", run.reference_year,
                        (*stack)->id, (*stack)->unfused_attention_before_year));
  }
  if (p.layout_searched) AddNote(p, MakeNote("searched: {}", fmt::format("{}", fmt::join(searched, ", "))));
  AddNote(p, batch_note);
  AddNote(p, recompute_note);
  p.config = result.top.front().config;
  p.estimate = result.top.front().estimate;
  const double ramp_tokens_per_s =
      run.metric == "gpu_hours" ? RampTokensPerS(run.model, cluster, p.config, p.estimate, DefaultCampaignAssumptions(),
                                                 options.assumptions, options.memory)
                                : 0.0;
  // A row that does not publish how the model was cut (tp, pp) ran the
  // team's layout, not the search's best: its rate is the best's times the
  // ratio published layouts show against it (model_error.h).
  const double rate_scale =
      run.tp <= 0 || run.pp <= 0 ? ShippedSearchedLayoutRatio().For(run.model.IsMoe()) : 1.0;
  if (rate_scale != 1.0) {
    AddNote(p, MakeNote("tp/pp not published: {:g} x the best layout's rate (published layouts' median against "
                        "the search's best)",
                        rate_scale));
  }
  p.predicted = PredictedMetric(run, *hardware->accelerator, p.estimate, p.config, ramp_tokens_per_s, rate_scale);
  if (run.metric == "gpu_hours") {
    p.campaign_before =
        CampaignFor(run.train_tokens, p.estimate.tokens_per_s * rate_scale, p.config.Devices()).wall_gpu_hours;
  }
  p.error_pct = 100.0 * (p.predicted - p.published) / p.published;
  // A summary must never see NaN or infinity: a prediction that is not a
  // finite positive number, or an error that overflows (a published value
  // near zero), leaves the row unpredicted.
  if (!std::isfinite(p.predicted) || p.predicted <= 0 || !std::isfinite(p.error_pct)) {
    AddNote(p, MakeNote("no finite prediction ({:g} against {:g})", p.predicted, p.published));
    p.error_pct = 0;
    return p;
  }
  // A published rate beyond the device's dense peak at the run's precision
  // cannot be right (a whole-cluster figure in a per-device column, a wrong
  // unit); such a row is not predicted and never fitted.
  const double peak_flops = GemmPeakFlops(*hardware->accelerator, p.config.precision);
  const double published_flops =
      p.estimate.model_flops_per_token * p.estimate.tokens_per_s_per_gpu * (p.published / p.predicted);
  if (run.metric != "gpu_hours" && peak_flops > 0 && published_flops > peak_flops) {
    AddNote(p, MakeNote("the published value implies {:.0f}% of the device's {} peak, more than it can do: check "
                        "the metric (per device, not per cluster) and its unit",
                        100.0 * published_flops / peak_flops, PrecisionName(p.config.precision)));
    p.error_pct = 0;
    return p;
  }
  p.ok = true;
  return p;
}

}  // namespace suanli
