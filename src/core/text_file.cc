#include "core/text_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "core/units.h"
#include "core/i18n.h"

namespace suanli {
namespace {

// Returns what a non-regular file is, for messages ("a directory", ...).
std::string_view FileKind(mode_t mode) {
  if (S_ISDIR(mode)) return Tr("a directory");
  if (S_ISFIFO(mode)) return Tr("a FIFO (named pipe)");
  if (S_ISCHR(mode)) return Tr("a character device");
  if (S_ISBLK(mode)) return Tr("a block device");
  if (S_ISSOCK(mode)) return Tr("a socket");
  return Tr("not a regular file");
}

// Closes a file descriptor when it goes out of scope.
struct FdCloser {
  int fd;
  ~FdCloser() {
    if (fd >= 0) ::close(fd);
  }
};

Error TooLarge(const std::string& path, int64_t max_bytes) {
  return MakeError(TrFormat("file is larger than the {} limit for data files",
                            FormatBytes(static_cast<double>(max_bytes))),
                   path, Tr("split the file or check that this is the right file"));
}

}  // namespace

Result<std::string> ReadTextFile(const std::string& path, int64_t max_bytes) {
  // O_NONBLOCK: opening a FIFO for reading must not wait for a writer; the
  // type is checked on the open descriptor, so a swapped path cannot race.
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    return MakeError(TrFormat("cannot open file: {}", std::strerror(errno)), path,
                     Tr("check the path and its permissions"));
  }
  FdCloser closer{fd};
  struct stat info {};
  if (::fstat(fd, &info) != 0) {
    return MakeError(TrFormat("cannot read file: {}", std::strerror(errno)), path);
  }
  if (S_ISDIR(info.st_mode)) {
    return MakeError(Tr("is a directory, not a file"), path, Tr("give the path of a file"));
  }
  if (!S_ISREG(info.st_mode)) {
    return MakeError(TrFormat("is {}, not a regular file", FileKind(info.st_mode)), path,
                     Tr("give the path of a regular file"));
  }
  if (info.st_size > max_bytes) return TooLarge(path, max_bytes);
  const int flags = ::fcntl(fd, F_GETFL);
  if (flags >= 0) ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
  std::string out;
  out.reserve(static_cast<size_t>(info.st_size));
  char buffer[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      return MakeError(TrFormat("read error: {}", std::strerror(errno)), path,
                       Tr("check the file and its permissions"));
    }
    // The file may grow while it is read: the limit holds for what is read.
    if (static_cast<int64_t>(out.size()) + n > max_bytes) return TooLarge(path, max_bytes);
    out.append(buffer, static_cast<size_t>(n));
  }
  return out;
}

std::string_view StripUtf8Bom(std::string_view text) {
  constexpr std::string_view kBom = "\xEF\xBB\xBF";
  if (text.substr(0, kBom.size()) == kBom) text.remove_prefix(kBom.size());
  return text;
}

}  // namespace suanli
