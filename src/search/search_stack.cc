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
  return StackRunsLayout(stack, pinned);
}

}  // namespace suanli
