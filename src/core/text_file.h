// Safe reading of whole text files: only regular files, bounded size, never
// blocking on a FIFO or device; plus the UTF-8 byte-order-mark helper.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace suanli {

// Largest data file read by default: 256 MiB (the shipped data is < 1 MiB).
constexpr int64_t kMaxTextFileBytes = int64_t{256} * 1024 * 1024;

// Returns the bytes of the regular file at `path`; refuses directories,
// FIFOs, devices and sockets (without blocking) and files larger than
// `max_bytes`. Every error names the path.
Result<std::string> ReadTextFile(const std::string& path, int64_t max_bytes = kMaxTextFileBytes);

// Returns `text` without a leading UTF-8 byte-order mark (EF BB BF).
std::string_view StripUtf8Bom(std::string_view text);

}  // namespace suanli
