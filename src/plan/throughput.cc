#include "plan/throughput.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <mutex>

#include <fmt/format.h>

#include "core/i18n.h"

#include "model/memory.h"
#include "search/search.h"
#include "workload/stack.h"

namespace suanli {

int EffectiveSeqLen(const ModelSpec& model, const TrainSettings& settings) {
  if (settings.seq_len > 0) return settings.seq_len;
  if (model.max_seq_len > 0 && model.max_seq_len < 4096) return static_cast<int>(model.max_seq_len);
  return 4096;
}

Precision TrainingPrecisionOn(const Accelerator& accelerator, Precision wanted) {
  if (accelerator.PeakFlops(wanted) > 0) return wanted;
  for (const Precision fallback : {Precision::kBf16, Precision::kFp16}) {
    if (accelerator.PeakFlops(fallback) > 0) return fallback;
  }
  return wanted;
}

int GlobalBatchFor(double target_tokens, int seq_len, int gpus) {
  // Default target: ~4M tokens per step, at least 1k tokens per card (the
  // layout search's own default).
  const double tokens = target_tokens > 0 ? target_tokens
                                          : std::max(4.0 * 1024 * 1024, 1024.0 * gpus);
  const double sequences = std::max(1.0, tokens / std::max(1, seq_len));
  // A multiple of the cluster size lets every data-parallel degree divide it
  // (100 cards: 1000 sequences, not 1024).
  if (sequences >= gpus / 2.0) {
    return static_cast<int>(std::max(1.0, std::round(sequences / gpus)) * gpus);
  }
  // When that would more than double the target: the odd part of the cluster
  // size times the power of two nearest the target (as search.cc's default
  // batch, which takes the one at or below it). Its data-parallel degree can
  // reach min(batch, cards) with tp × pp a power of two, so adding cards never
  // forces an odd tp or pp: 2,432 cards (19 × 128) get 1,216 sequences, not
  // 1,024, which only dp <= 128 divides.
  int odd = std::max(1, gpus);
  while (odd % 2 == 0) odd /= 2;
  double best = odd;
  for (double batch = odd; batch <= 4 * sequences; batch *= 2) {
    if (std::abs(std::log(batch / sequences)) < std::abs(std::log(best / sequences)) - 1e-12) best = batch;
  }
  return static_cast<int>(best);
}

const SoftwareStack& SettingsStackOn(const TrainSettings& settings, const Accelerator& accelerator) {
  if (IsAutoStack(settings.stack)) return PlatformStack(accelerator.vendor);
  auto stack = FindStack(settings.stack);
  return stack.ok() ? **stack : PlatformStack("");
}

Status SettingsStackRuns(const TrainSettings& settings, const Accelerator& accelerator) {
  const SoftwareStack& stack = SettingsStackOn(settings, accelerator);
  SUANLI_RETURN_IF_ERROR(StackRunsOn(stack, accelerator.vendor, accelerator.id));
  if (settings.optimizer_offload && !stack.optimizer_offload) {
    return MakeError(TrFormat("the {} stack on {} keeps its optimizer states on the device: it has no optimizer "
                              "offload",
                              stack.id, accelerator.id),
                     "--offload", Tr("leave --offload out, or use --stack with a stack that offloads (suanli show STACK)"));
  }
  return OkStatus();
}

void UseSettingsStack(const TrainSettings& settings, const Accelerator& accelerator, SearchOptions& options) {
  const SoftwareStack& stack = SettingsStackOn(settings, accelerator);
  if (stack.id != kDefaultStackId || settings.optimizer_offload) UseStack(stack, options);
  if (settings.optimizer_offload && stack.optimizer_offload) {
    // As fit's and train's --offload optimizer (cli UseOffloadFlag): states
    // and the Adam step on the host, from ZeRO 1 on.
    options.memory.optimizer_offload = true;
    options.assumptions.optimizer_offload = true;
  }
}

ThroughputFn MakeSearchThroughput(const Catalog& catalog, const ModelSpec& model,
                                  const TrainSettings& settings) {
  struct State {
    const Catalog* catalog;
    ModelSpec model;
    TrainSettings settings;
    std::map<std::pair<std::string, int>, Throughput> cache;
    std::mutex mutex;
  };
  auto state = std::make_shared<State>();
  state->catalog = &catalog;
  state->model = model;
  state->settings = settings;
  return [state](const std::string& accelerator_id, int gpus) -> Throughput {
    const auto key = std::make_pair(accelerator_id, gpus);
    {
      std::lock_guard<std::mutex> lock(state->mutex);
      auto it = state->cache.find(key);
      if (it != state->cache.end()) return it->second;
    }
    Throughput t;
    t.precision = state->settings.precision;
    auto accel = state->catalog->FindAccelerator(accelerator_id);
    if (!accel.ok()) {
      t.reason = accel.error().message;
    } else if ((*accel)->PeakFlops(state->settings.precision) <= 0 &&
               (*accel)->PeakFlops(Precision::kBf16) <= 0 &&
               (*accel)->PeakFlops(Precision::kFp16) <= 0 &&
               (*accel)->PeakFlops(Precision::kFp32) <= 0) {
      // The performance model falls back from the training precision to
      // bf16, fp16 and fp32 units; nothing to fall back to here.
      t.reason = fmt::format("{} has no {} (or bf16/fp16/fp32) peak", (*accel)->id,
                             PrecisionName(state->settings.precision));
    } else if (Status runs = SettingsStackRuns(state->settings, **accel); !runs.ok()) {
      // A stack named for every card that does not run on this one (or
      // lacks the offload asked): no option here, with the reason.
      t.reason = runs.error().message;
    } else if (Status links = CheckClusterLinks(MakeCluster(**accel, state->catalog->DefaultSystemFor((*accel)->id)),
                                                gpus);
               !links.ok()) {
      // A part without the link a cluster of this size needs (a user entry
      // without scale_out) is no option at this size, with the entry named.
      t.reason = fmt::format("{}: {}", links.error().where, links.error().message);
    } else {
      const Accelerator& a = **accel;
      const ClusterSpec cluster = MakeCluster(a, state->catalog->DefaultSystemFor(a.id));
      SearchOptions options;
      options.gpus = gpus;
      options.seq_len = EffectiveSeqLen(state->model, state->settings);
      // A part without the workload's precision (fp8 on an A800, bf16 on a
      // V100) trains at the best one it has; the layout says which.
      options.precision = TrainingPrecisionOn(a, state->settings.precision);
      t.precision = options.precision;
      options.top_k = 1;
      options.threads = state->settings.threads;
      options.assumptions = state->settings.assumptions;
      // The planner needs only the best layout of each option: sequence
      // parallelism and DP overlap switched off, and EP overlap left off, are
      // never faster in the step model (they only add memory or exposed
      // communication), and uneven
      // interleaving rarely beats the nearest even one, so the planner skips
      // them (a third of the time); `suanli train --search` still shows them.
      options.sequence_parallel = true;
      options.dp_overlap = true;
      options.ep_overlap = true;
      options.even_vp_only = true;
      UseSettingsStack(state->settings, a, options);
      options.nearest_global_batch = state->settings.nearest_global_batch;
      if (state->settings.global_batch > 0) {
        options.global_batch = state->settings.global_batch;
      } else {
        options.global_batch = GlobalBatchFor(state->settings.global_batch_tokens, options.seq_len, gpus);
      }
      const SearchResult result = SearchLayouts(state->model, cluster, options);
      t.capacity_bytes = UsableBytes(a.memory_bytes);
      if (result.status == SearchStatus::kFeasible && !result.top.empty()) {
        const SearchCandidate& best = result.top.front();
        const StepEstimate& e = best.estimate;
        const StepBreakdown& b = e.breakdown;
        t.fits = true;
        t.tokens_per_s = e.tokens_per_s;
        t.ramp_tokens_per_s = RampTokensPerS(state->model, cluster, best.config, e, DefaultCampaignAssumptions(),
                                             options.assumptions, options.memory);
        t.step_time_s = e.step_time_s;
        t.compute_s = b.compute_s + b.recompute_s + b.optimizer_s + b.moe_dispatch_s;
        t.comm_s = b.tp_comm_s + b.cp_comm_s + b.ep_comm_s + b.dp_comm_s + b.pp_comm_s + b.bubble_s;
        t.memory_bytes = e.memory.total_bytes;
        t.layout = best.config;
        const std::vector<std::string>& names = StepTermNames();
        const double seconds[] = {b.compute_s, b.recompute_s, b.optimizer_s, b.moe_dispatch_s, b.tp_comm_s,
                                  b.cp_comm_s, b.ep_comm_s, b.dp_comm_s, b.pp_comm_s, b.bubble_s};
        for (size_t i = 0; i < names.size(); ++i) t.step_terms.push_back(StepTerm{names[i], seconds[i]});
      } else {
        t.reason = result.infeasible_reason.empty() ? "no layout fits in memory"
                                                    : result.infeasible_reason;
      }
    }
    std::lock_guard<std::mutex> lock(state->mutex);
    state->cache.emplace(key, t);
    return t;
  };
}

}  // namespace suanli
