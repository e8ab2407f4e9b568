// The stack and model notes of fit and train: a stack on a device's
// platform, what its checkpointing runs as, a sequence beyond the model's
// trained context, --offload and the advice for a layout that does not fit
// (declared in cli/common.h).
#include <fmt/format.h>

#include "cli/common.h"
#include "cli/stack_auto.h"
#include "search/min_fit.h"
#include "workload/layout_defaults.h"
#include "workload/stage_layout.h"
#include "workload/stack.h"

namespace suanli::cli {

Result<const SoftwareStack*> UseStackFlagOn(const std::string& stack, const Accelerator& accelerator,
                                            const CLI::App& app, ParallelFlags& flags) {
  SUANLI_ASSIGN_OR_RETURN(const SoftwareStack* on, StackOn(stack, accelerator.vendor, accelerator.id));
  if ((stack.empty() || IsAutoStack(stack)) && on->id != kDefaultStackId) {
    PrintNote(TrFormat("stack auto: {} runs {}, the platform's own stack (--stack NAME for another; docs/stacks.md "
                       "§Platforms)",
                       accelerator.id, on->id));
  }
  return UseStackFlag(on->id, app, flags);
}

Status UseStackOn(const SoftwareStack& stack, const Accelerator& accelerator, const CLI::App& app,
                  ParallelFlags& flags, PerfAssumptions* assumptions) {
  SUANLI_RETURN_IF_ERROR(StackRunsOn(stack, accelerator.vendor, accelerator.id));
  if (!StackEfficiencyFittedOn(stack, accelerator.vendor)) {
    PrintNote(TrFormat("{}'s efficiency {:g} was fitted on {} devices and is applied on {} ({}) too: held-out rows "
                       "on other platforms agree with it better than without it (docs/stacks.md §Platforms)",
                       stack.id, stack.efficiency, stack.fitted_platform, accelerator.id, accelerator.vendor));
  }
  SUANLI_ASSIGN_OR_RETURN(const AttentionKernel asked, ParseAttentionKernel(flags.attention));
  const AttentionKernel runs = PlatformAttention(asked, accelerator.vendor);
  if (runs != asked) {
    flags.attention = std::string(AttentionKernelName(runs));
    if (app.count("--attention") > 0) {
      PrintNote(TrFormat("--attention {}: {} ({}) has no such kernel; its own fused attention is used",
                         AttentionKernelName(asked), accelerator.id, accelerator.vendor));
    }
  }
  if (assumptions != nullptr) {
    *assumptions = StackAssumptions(stack, *assumptions);
  }
  return OkStatus();
}

void UseStackRecompute(const SoftwareStack& stack, const ModelSpec& model, ParallelConfig& config) {
  const Recompute asked = config.recompute;
  if (!ApplyStackRecompute(stack, model, config)) return;
  const int stage_layers = StageLayout(model, config).MaxLayers();
  PrintNote(TrFormat("{}'s '{}' checkpointing recomputes about half of the forward: modelled as full recompute of "
                     "{} of the {} layers on each pipeline stage (docs/stacks.md)",
                     stack.id, RecomputeName(asked), config.recompute_layers > 0 ? config.recompute_layers : stage_layers,
                     stage_layers));
}

void NoteStackSelective(const SoftwareStack& stack, std::optional<Recompute> asked) {
  if (asked && *asked != Recompute::kSelective) return;
  if (StackRecomputeOf(stack, Recompute::kSelective).mode == Recompute::kSelective) return;
  if (!OffersCheckpointing(stack.checkpointing, Recompute::kSelective)) return;
  PrintNote(TrFormat("{}'s 'selective' checkpointing recomputes about half of the forward: its layouts show it as "
                     "full recompute of half of each stage's layers (docs/stacks.md)",
                     stack.id));
}

void NoteBeyondContext(const ModelSpec& model, int64_t tokens, std::string_view flag) {
  const int64_t usable = model.UsableContext();
  if (usable <= 0 || tokens <= usable) return;
  if (usable > model.max_seq_len) {
    PrintNote(TrFormat("{} {} is longer than the {} tokens {}'s RoPE {} scaling reaches ({} trained × {:g}): positions "
                       "beyond them were never trained (estimated anyway)",
                       flag, tokens, usable, model.id, model.rope_scaling, model.rope_original_context,
                       model.rope_factor));
    return;
  }
  if (model.learned_positions) {
    PrintNote(TrFormat("{} {} is longer than {}'s {} learned positions: the position table has no rows beyond "
                       "them (estimated anyway)",
                       flag, tokens, model.id, model.max_seq_len));
    return;
  }
  PrintNote(TrFormat("{} {} is longer than the {} tokens {} was trained on: positions beyond them were never "
                     "trained (RoPE needs a context extension such as YaRN or long-context training to use them; "
                     "estimated anyway)",
                     flag, tokens, model.max_seq_len, model.id));
}

void NoteLargeGlobalBatch(const ModelSpec& model, const ParallelFlags& flags) {
  if (!flags.global_batch) return;
  const int seq_len = flags.seq_len > 0 ? flags.seq_len : DefaultSeqLen(model);
  const std::string note = LargeGlobalBatchNote(*flags.global_batch, seq_len, "--global-batch");
  if (!note.empty()) PrintNote(note);
}

Status UseOffloadFlag(const ParallelFlags& flags, const SoftwareStack& stack, MemoryOptions& memory,
                      PerfAssumptions* assumptions) {
  if (flags.offload != "optimizer") return OkStatus();
  if (!stack.optimizer_offload) {
    std::vector<std::string> with;
    for (const SoftwareStack& s : BuiltinStacks()) {
      if (s.optimizer_offload) with.push_back(s.id);
    }
    return MakeError(TrFormat("the {} stack keeps its optimizer states on the device: it has no optimizer offload",
                              stack.id),
                     "--offload", TrFormat("leave --offload out, or use a stack that offloads: --stack {}",
                                           fmt::join(with, "|")));
  }
  if (flags.zero < 1) {
    return MakeError(Tr("--offload optimizer needs ZeRO stage 1 or more: offloading is a ZeRO option that moves each "
                        "rank's optimizer partition to the host"),
                     "--offload", Tr("add --zero 1, 2 or 3"));
  }
  memory.optimizer_offload = true;
  if (assumptions != nullptr) assumptions->optimizer_offload = true;
  return OkStatus();
}

std::string NoFitAdvice(const SoftwareStack& stack, const ModelSpec& model, const ParallelConfig& config,
                        const MemoryBreakdown& memory, const MemoryOptions& memory_options, double usable_bytes,
                        bool search) {
  const bool offload = memory_options.optimizer_offload;
  std::vector<std::string> items;
  if (search) items.emplace_back("--search");
  // Routed experts are most of a MoE model's parameters: expert parallelism shards them.
  if (stack.layouts.expert) {
    std::string ep = ExpertParallelHint(model, config, memory_options, usable_bytes);
    if (!ep.empty()) items.push_back(std::move(ep));
  }
  const double states = memory.weights_bytes + memory.gradients_bytes + memory.optimizer_bytes;
  const bool states_dominate = states >= memory.activations_bytes;
  if (stack.optimizer_offload && !offload && states_dominate) {
    items.push_back(config.zero >= 1 ? std::string("--offload optimizer")
                                     : std::string("--zero 1 --offload optimizer"));
  }
  // ZeRO shards over the data-parallel ranks: with one it frees nothing.
  if (config.zero < 3 && config.dp * config.cp > 1 && OffersZeroStage(stack.layouts, 3, config.pp)) {
    items.emplace_back("--zero 3");
  }
  if (config.recompute != Recompute::kFull && OffersCheckpointing(stack.checkpointing, Recompute::kFull)) {
    items.emplace_back("--recompute full");
  }
  if (!states_dominate) {
    if (config.micro_batch > 1) items.emplace_back("--micro-batch 1");
    items.push_back(Tr("a shorter --seq-len"));
  }
  items.push_back(Tr("more --pp/--tp"));
  std::string list = items.front();
  for (size_t i = 1; i + 1 < items.size(); ++i) list += ", " + items[i];
  if (items.size() > 1) list = TrFormat("{} or {}", list, items.back());
  return TrFormat("try {}", list);
}

}  // namespace suanli::cli
