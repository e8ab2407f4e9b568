// Why the layout search ranked a layout below the best, and why it found none.
#include "search/search_reasons.h"

#include <algorithm>
#include <array>
#include <utility>

namespace suanli::search_reasons {

// Names the breakdown term that grew most from `best` to `other`.
Said LostBecause(const SearchCandidate& best, const SearchCandidate& other) {
  const StepBreakdown& a = best.estimate.breakdown;
  const StepBreakdown& b = other.estimate.breakdown;
  const std::array<std::pair<const char*, double>, 10> deltas = {{
      {"compute", b.compute_s - a.compute_s},
      {"recomputation", b.recompute_s - a.recompute_s},
      {"tensor-parallel communication", b.tp_comm_s - a.tp_comm_s},
      {"context-parallel communication", b.cp_comm_s - a.cp_comm_s},
      {"expert all-to-all", b.ep_comm_s - a.ep_comm_s},
      {"data-parallel communication", b.dp_comm_s - a.dp_comm_s},
      {"pipeline sends", b.pp_comm_s - a.pp_comm_s},
      {"pipeline bubble", b.bubble_s - a.bubble_s},
      {"optimizer step", b.optimizer_s - a.optimizer_s},
      {"MoE dispatch overhead", b.moe_dispatch_s - a.moe_dispatch_s},
  }};
  const auto worst = std::max_element(deltas.begin(), deltas.end(),
                                      [](const auto& x, const auto& y) { return x.second < y.second; });
  const double slower_pct =
      100.0 * (best.estimate.tokens_per_s / std::max(1e-30, other.estimate.tokens_per_s) - 1.0);
  const double more_gib =
      (other.estimate.memory.total_bytes - best.estimate.memory.total_bytes) / (1024.0 * 1024.0 * 1024.0);
  if (slower_pct < 0.05 && more_gib >= 0.05) {
    return Say("same throughput, {:.1f} GiB more memory per device", more_gib);
  }
  if (slower_pct < 0.0005 && more_gib < 0.05) {
    return Say("same throughput and memory (ties are ranked by layout order)");
  }
  const Said slower = slower_pct < 0.05 ? Say("{:.3f}% slower", slower_pct) : Say("{:.1f}% slower", slower_pct);
  if (worst->second <= 0) return slower;
  return {fmt::format("{}: more {} (+{:.3f} s per step)", slower.english, worst->first, worst->second),
          TrFormat("{}: more {} (+{:.3f} s per step)", slower.text, Tr(worst->first), worst->second)};
}

// Returns the rule that the pinned fields of `options` break, or "" when
// they could run. A fully pinned layout (a published run) is checked as it
// is; a partly pinned one with the other fields at what allows most (1, a
// batch of whole micro-batches, one data-parallel rank per expert-parallel
// rank), so every rule named depends on pinned values only.
std::string PinnedRuleBroken(const ModelSpec& model, const SearchOptions& options, int gpus, int global_batch) {
  const int pinned_devices =
      options.tp.value_or(1) * options.pp.value_or(1) * options.cp.value_or(1) * options.dp.value_or(1);
  if (pinned_devices < 1 || gpus % pinned_devices != 0) {
    return TrFormat("the pinned tp·pp·cp·dp = {} does not divide the {} devices", pinned_devices, gpus);
  }
  const bool fully_pinned = options.tp && options.pp;
  ParallelConfig c;
  c.tp = options.tp.value_or(1);
  c.pp = options.pp.value_or(1);
  c.cp = options.cp.value_or(1);
  c.vp = options.pp ? options.vp.value_or(1) : 1;  // a pinned vp is judged against a pinned pp only
  c.micro_batch = options.micro_batch.value_or(1);
  c.ep = options.ep.value_or(1);
  c.expert_tp = options.expert_tp.value_or(0);
  c.seq_len = options.seq_len;
  c.sequence_parallel = options.sequence_parallel.value_or(SequenceSplitsOverTp(c.seq_len, c.cp, c.tp));
  if (fully_pinned) {
    c.dp = options.dp.value_or(std::max(1, gpus / (c.tp * c.pp * c.cp)));
    c.global_batch = global_batch;
  } else {
    if (global_batch % c.micro_batch != 0) {
      return TrFormat("global batch {} is not a multiple of micro-batch {}", global_batch, c.micro_batch);
    }
    c.dp = options.dp.value_or(c.ep);  // expert groups form inside the data-parallel ranks
    c.global_batch = c.micro_batch * c.dp * c.pp;
  }
  const Status valid = ValidateLayout(model, c);
  return valid.ok() ? std::string() : valid.error().message;
}

// Returns why no layout was found: no valid layout (naming the rule that
// the pinned fields break, PinnedRuleBroken), or how far the closest one
// missed the memory.
Said InfeasibleReason(const ModelSpec& model, const SearchOptions& options, int gpus, int global_batch,
                      int64_t evaluated, double usable, const ParallelConfig& closest,
                      double smallest_overflow) {
  constexpr double kGiB = 1024.0 * 1024 * 1024;
  if (evaluated > 0) {
    return Say(
        "none of {} layouts fits in {:.1f} GiB per device; the closest (tp {} pp {} dp {} cp {} "
        "zero {} recompute {}) needs {:.1f} GiB more",
        evaluated, usable / kGiB, closest.tp, closest.pp, closest.dp, closest.cp, closest.zero,
        RecomputeName(closest.recompute), smallest_overflow / kGiB);
  }
  Said reason = Say("no valid layout of {} on {} devices with global batch {} (heads {}, layers {})", model.id, gpus,
                    global_batch, model.heads, model.layers);
  const std::string rule = PinnedRuleBroken(model, options, gpus, global_batch);
  if (!rule.empty()) {
    reason.english += ": " + rule;
    reason.text = TrFormat("{}: {}", reason.text, rule);
  }
  return reason;
}

}  // namespace suanli::search_reasons
