// Resolving --stack against the accelerator: `auto` (the default) is each
// accelerator's own platform stack (docs/stacks.md §Platforms).
#pragma once

#include <string>

#include "catalog/catalog.h"
#include "cli/common.h"
#include "workload/stack.h"

namespace suanli::cli {

// Returns the stack --stack names on `accelerator`, with UseStackFlag's
// defaults applied to `flags`: `auto` or no --stack gives the platform's
// own stack (noted on stderr when it is not megatron); a named stack that
// does not run there is an error at --stack (exit 2) naming `auto` and
// the stacks that do. Used by fit (and, once moved after the accelerator
// lookup, by train).
Result<const SoftwareStack*> UseStackFlagOn(const std::string& stack, const Accelerator& accelerator,
                                            const CLI::App& app, ParallelFlags& flags);

}  // namespace suanli::cli
