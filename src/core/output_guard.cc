#include "core/output_guard.h"

#include <cerrno>
#include <cstdlib>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <filesystem>
#include <string_view>
#include <system_error>
#include <utility>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/i18n.h"

namespace suanli {
namespace {

// One argument that names a file: the option it belongs to ("" for a
// positional one) and the path.
struct FileArgument {
  std::string option;
  std::string path;
};

// Returns the arguments that name a file: every value after "--" and every
// "--opt=value" value; a bare "--opt" is followed by its value.
std::vector<FileArgument> FileArguments(const std::vector<std::string>& args) {
  std::vector<FileArgument> files;
  std::string pending_option;
  for (const std::string& arg : args) {
    if (arg.rfind("--", 0) == 0 && arg.size() > 2) {
      const size_t equals = arg.find('=');
      if (equals != std::string::npos) {
        files.push_back({arg.substr(0, equals), arg.substr(equals + 1)});
        pending_option.clear();
      } else {
        pending_option = arg;
      }
      continue;
    }
    files.push_back({pending_option, arg});
    pending_option.clear();
  }
  return files;
}

bool SameExistingFile(const std::string& a, const std::string& b) {
  std::error_code error;
  return std::filesystem::is_regular_file(a, error) && std::filesystem::is_regular_file(b, error) &&
         std::filesystem::equivalent(a, b, error) && !error;
}

}  // namespace

bool IsOutputFileOption(const std::string& option) {
  return option == "--output" || option == "--report" || option == "--write-model-error";
}

Status CheckOutputsAreNotInputs(const std::vector<std::string>& args) {
  const std::vector<FileArgument> files = FileArguments(args);
  for (const FileArgument& output : files) {
    if (!IsOutputFileOption(output.option)) continue;
    for (const FileArgument& input : files) {
      if (IsOutputFileOption(input.option) || !SameExistingFile(output.path, input.path)) continue;
      const std::string named_by = input.option.empty() ? Tr("an input file") : input.option;
      return MakeError(TrFormat("{} is also {} of this command; writing it would destroy it", output.path, named_by),
                       output.option, Tr("write the output to another file"));
    }
  }
  return OkStatus();
}

namespace {

// The --output file being written: its final path and the temporary file
// stdout goes to ("" when FILE is not a regular file and is written in place).
struct PendingOutput {
  std::string path;
  std::string temp;
  bool in_place = false;
};

// Returns the reason of the last failed write: the system's text for
// `error` (an errno), else a generic one.
std::string WriteFailure(int error) {
  return error != 0 ? std::strerror(error) : Tr("the output was not written in full");
}

PendingOutput& Pending() {
  static PendingOutput pending;
  return pending;
}

}  // namespace

Status BeginOutputFile(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code kind_error;
  const fs::file_status kind = fs::status(path, kind_error);
  // A symlink (/dev/stdout -> /proc/self/fd/1) is written through, never renamed over.
  const bool link = fs::is_symlink(fs::symlink_status(path, kind_error));
  if (fs::exists(kind) && (link || !fs::is_regular_file(kind))) {
    // A device or FIFO: no temporary beside it (and never a rename over /dev/...).
    std::fflush(stdout);
    if (fs::is_directory(kind) || std::freopen(path.c_str(), "w", stdout) == nullptr) {
      const std::string reason = fs::is_directory(kind) ? std::strerror(EISDIR) : std::strerror(errno);
      return MakeError(TrFormat("cannot write {}: {}", path, reason), "--output",
                       Tr("give a file in a folder that exists and that you may write to"));
    }
    // Fully buffered, so a failed write surfaces at FinishOutputFile's flush
    // with its errno (a line-buffered device would fail, and lose it, earlier).
    std::setvbuf(stdout, nullptr, _IOFBF, BUFSIZ);
    Pending() = {path, "", true};
    return OkStatus();
  }
  const fs::path target(path);
  const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::string temp = (folder / ("." + target.filename().string() + ".suanli-XXXXXX")).string();
  const int fd = mkstemp(temp.data());
  if (fd < 0) {
    return MakeError(TrFormat("cannot write {}: {}", path, std::strerror(errno)), "--output",
                     Tr("give a file in a folder that exists and that you may write to"));
  }
  // mkstemp makes the file private (0600); the output gets a new file's usual mode.
  const mode_t mask = umask(0);
  umask(mask);
  fchmod(fd, 0666 & ~mask);
  close(fd);
  std::fflush(stdout);
  if (std::freopen(temp.c_str(), "w", stdout) == nullptr) {
    const std::string reason = std::strerror(errno);
    std::remove(temp.c_str());
    return MakeError(TrFormat("cannot write {}: {}", path, reason), "--output",
                     Tr("give a file in a folder that exists and that you may write to"));
  }
  Pending() = {path, temp, false};
  return OkStatus();
}

Status FinishOutputFile(bool keep) {
  PendingOutput pending = Pending();
  if (pending.temp.empty() && !pending.in_place) return OkStatus();
  Pending() = {};
  // std::cout shares stdout's buffer: its flush may be the write that fails, so
  // the errno of either flush names the failure.
  errno = 0;
  std::cout.flush();
  const int cout_error = errno;
  const bool flushed = std::fflush(stdout) == 0 && !std::ferror(stdout) && std::cout.good();
  const std::string reason = WriteFailure(errno != 0 ? errno : cout_error);
  if (pending.in_place) {
    if (keep && !flushed) {
      return MakeError(TrFormat("cannot write {}: {}", pending.path, reason), "--output",
                       Tr("check the free space of its folder"));
    }
    return OkStatus();
  }
  if (!keep || !flushed) {
    std::remove(pending.temp.c_str());
    if (keep) return MakeError(TrFormat("cannot write {}: {}", pending.path, reason), "--output",
                               Tr("check the free space of its folder"));
    return OkStatus();
  }
  std::error_code error;
  std::filesystem::rename(pending.temp, pending.path, error);
  if (error) {
    std::remove(pending.temp.c_str());
    return MakeError(TrFormat("cannot write {}: {}", pending.path, error.message()), "--output",
                     Tr("give a file in a folder that exists and that you may write to"));
  }
  return OkStatus();
}

Status CheckStdoutWritten() {
  errno = 0;
  std::cout.flush();
  const int cout_error = errno;
  const bool flushed = std::fflush(stdout) == 0 && !std::ferror(stdout) && std::cout.good();
  if (flushed) return OkStatus();
  return MakeError(TrFormat("cannot write {}: {}", "stdout", WriteFailure(errno != 0 ? errno : cout_error)), "",
                   Tr("check the free space where stdout goes, or give --output FILE"));
}

Status WriteFileChecked(const std::string& path, std::string_view text, const std::string& option) {
  const std::string where = option.empty() ? path : option;
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) {
    return MakeError(TrFormat("cannot write {}: {}", path, std::strerror(errno)), where,
                     Tr("give a file in a folder that exists and that you may write to"));
  }
  errno = 0;
  bool ok = std::fwrite(text.data(), 1, text.size(), file) == text.size();
  int error = errno;
  if (std::fflush(file) != 0 && ok) ok = false, error = errno;
  if (std::ferror(file) != 0) ok = false;
  if (std::fclose(file) != 0 && ok) ok = false, error = errno;
  if (ok) return OkStatus();
  return MakeError(TrFormat("cannot write {}: {}", path, WriteFailure(error)), where,
                   Tr("check the free space of its folder"));
}

}  // namespace suanli
