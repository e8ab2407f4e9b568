// Fuzz target: argument vectors for the read-only CLI commands (catalog, show, fit, train, compare).
//
// The input is one argument per line; the first line names the command. Arguments
// that could reach outside fuzz/files/ (a '/', ".", "..", "-") are refused, and the
// process works in fuzz/files/, so a command can only read the small files kept there.
// Standard output goes to /dev/null; errors stay on stderr (-close_fd_mask=2 hides them).
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "cli/commands.h"

namespace {

constexpr std::size_t kMaxInputBytes = 4096;
constexpr std::size_t kMaxArguments = 64;

struct Entry {
  std::string_view name;
  suanli::cli::CommandFn run;
};

constexpr Entry kCommands[] = {
    {"catalog", suanli::cli::RunCatalog}, {"show", suanli::cli::RunShow},
    {"fit", suanli::cli::RunFit},         {"train", suanli::cli::RunTrain},
    {"compare", suanli::cli::RunCompare},
};

// Returns false for an argument that could name a file outside the working folder.
bool SafeArgument(std::string_view arg) {
  if (arg == "." || arg == ".." || arg == "-") return false;
  return arg.find('/') == std::string_view::npos && arg.find('\0') == std::string_view::npos;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  if (chdir(SUANLI_FUZZ_FILES_DIR) != 0) {
    std::perror("fuzz_cli_args: chdir " SUANLI_FUZZ_FILES_DIR);
    std::abort();
  }
  if (std::freopen("/dev/null", "w", stdout) == nullptr) std::abort();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > kMaxInputBytes) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> args;
  std::size_t start = 0;
  while (start <= text.size() && args.size() <= kMaxArguments) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view arg = text.substr(start, end - start);
    if (!args.empty() && !SafeArgument(arg)) return 0;
    args.emplace_back(arg);
    start = end + 1;
  }
  if (args.size() > kMaxArguments) return 0;
  if (!args.empty() && args.back().empty()) args.pop_back();  // a final newline ends the last argument
  if (args.empty()) return 0;
  for (const Entry& command : kCommands) {
    if (command.name != args[0]) continue;
    args[0] = "suanli " + args[0];
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    const int code = command.run(static_cast<int>(args.size()), argv.data());
    if (code < 0 || code > suanli::cli::kExitBadInput) {
      std::fprintf(stderr, "fuzz_cli_args: exit code %d outside 0..2\n", code);
      std::abort();
    }
    std::fflush(stdout);
  }
  return 0;
}
