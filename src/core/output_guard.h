// Refusing to write a command's output over one of its own inputs.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"

namespace suanli {

// Options whose value is a file the command writes: --output, --report,
// --write-model-error.
bool IsOutputFileOption(const std::string& option);

// Returns an error naming the option when a file the command would write (the
// value of an output option in `args`, "--opt FILE" or "--opt=FILE") is the
// same file as any other argument that names an existing file (its inputs:
// positional files, --db, --catalog, --model, ...), so a run cannot truncate
// what it reads. Paths are compared as files (std::filesystem::equivalent),
// so "./runs.csv" and "runs.csv" are the same.
Status CheckOutputsAreNotInputs(const std::vector<std::string>& args);

}  // namespace suanli
