// Refusing to write a command's output over one of its own inputs.
#pragma once

#include <string>
#include <string_view>
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

// --output FILE, written safely: sends stdout to a new temporary file in
// FILE's folder (so the final rename stays on one file system); FILE itself
// is not touched yet. The error names --output and the reason (no such
// folder, no permission).
Status BeginOutputFile(const std::string& path);

// --output FILE where FILE exists and is a symlink or not a regular file
// (/dev/stdout, a FIFO, /dev/full) is written in place, never replaced by a rename, and its
// write errors are reported as a regular file's are.

// Ends what BeginOutputFile began, if anything: flushes stdout, then with
// `keep` renames the temporary file over FILE in one step (a reader sees the
// old file or the new one, never a partial or empty one); without `keep`
// (bad input, exit 2) removes it and leaves FILE as it was. Returns an error
// naming --output when the output could not be written in full or renamed.
Status FinishOutputFile(bool keep);

// Flushes stdout (C stdio and std::cout); returns "cannot write stdout:
// <reason>" (No space left on device, Bad file descriptor, ...) when any of
// what the command printed could not be written: main makes it exit 2, so a
// script testing $? never reads a truncated answer as success.
Status CheckStdoutWritten();

// Writes `text` to the file `path` (created or truncated), checking the
// write, the flush and the close: the error names `option` (--report,
// --write-model-error, --output, or the path itself when "") and says
// "cannot write PATH: <reason>" with the system's reason, so a full disk is
// never reported as written.
Status WriteFileChecked(const std::string& path, std::string_view text, const std::string& option);

}  // namespace suanli
