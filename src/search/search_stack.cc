// Setting a software stack on the layout search and checking pins against
// what the stack can run; see search.h.
#include "search/search.h"

namespace suanli {

void UseStack(const SoftwareStack& stack, SearchOptions& options) {
  options.memory = StackMemoryOptions(stack);
  options.assumptions = StackAssumptions(stack, options.assumptions);
  options.attention = StackAttention(stack, 0);
  UseStackLayouts(stack, options);
  if (!stack.dp_overlap) options.dp_overlap = false;
}

void UseStackLayouts(const SoftwareStack& stack, SearchOptions& options) {
  options.stack = &stack;
  options.stack_layouts = stack.layouts;
  options.stack_checkpointing = stack.checkpointing;
}

Status CheckPinsAgainstStack(const SoftwareStack& stack, const SearchOptions& options) {
  ParallelConfig pinned;
  pinned.tp = options.tp.value_or(1);
  pinned.pp = options.pp.value_or(1);
  pinned.cp = options.cp.value_or(1);
  pinned.ep = options.ep.value_or(1);
  pinned.vp = options.vp.value_or(1);
  // An unpinned ZeRO stage or data-parallel size is the search's to choose:
  // check the stage only when both it and more than one rank are given.
  pinned.dp = options.zero && options.dp.value_or(2) > 1 ? 2 : 1;
  pinned.zero = options.zero.value_or(0);
  pinned.recompute = options.recompute.value_or(
      stack.checkpointing.empty() ? Recompute::kNone : stack.checkpointing.front());
  // The MoE layout rules bind when every value they name is pinned: SP off
  // with pinned ep > 1 and tp > 1; EP overlap on (with a pinned ep > 1, or
  // none) with a pinned full recompute, or with pinned pp > 1 and vp 1. An
  // unpinned value is one the search may choose so that the rule holds.
  pinned.sequence_parallel = options.sequence_parallel.value_or(true);
  SUANLI_RETURN_IF_ERROR(StackRunsLayout(stack, pinned));
  if (!options.ep_overlap.value_or(false) || options.ep.value_or(2) <= 1) return OkStatus();
  ParallelConfig overlap = pinned;
  overlap.ep_overlap = true;
  overlap.recompute = options.recompute.value_or(Recompute::kSelective);
  if (!options.vp) overlap.pp = 1;
  return StackRunsLayout(stack, overlap);
}

}  // namespace suanli
