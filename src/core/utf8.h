// UTF-8 checks for text read from users: invalid byte sequences, NUL and
// other control bytes are rejected at the door, and user text quoted in an
// error message is escaped and shortened so that the message stays one line.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace suanli {

// The first bad byte in a text: its offset (bytes from the start) and why.
struct Utf8Problem {
  size_t offset = 0;
  std::string reason;  // "invalid UTF-8 byte 0xE9", "NUL byte", "control character U+0007"
};

// Returns the first invalid UTF-8 sequence (overlong, surrogate, beyond
// U+10FFFF, truncated), NUL or C0 control byte other than tab, LF and CR;
// nullopt when the whole text is clean.
std::optional<Utf8Problem> FindUtf8Problem(std::string_view text);

// Returns whether the bytes of `text` from `offset` (the first bad UTF-8
// byte) read as GBK/GB18030 with at least one two-byte Chinese character:
// a CSV saved by Excel on Chinese Windows.
bool LooksLikeGb18030(std::string_view text, size_t offset);
// Returns the fix for text that is not UTF-8 at `offset`: how to save or
// convert GBK/GB18030 when it looks like that, else the general advice.
std::string NotUtf8Hint(std::string_view text, size_t offset);

// Returns OK when `text` is clean UTF-8 (see FindUtf8Problem), else an
// error at `where` naming the bad byte. Use it on every string read from a
// user file that the YAML and CSV readers did not already check.
Status ValidateUtf8Text(std::string_view text, std::string_view where);

// Returns the length in bytes (1 to 4) of the valid UTF-8 sequence starting
// at byte `i` of `text`, or 0 when the bytes there are not valid UTF-8.
size_t Utf8SequenceLength(std::string_view text, size_t i);

// Returns `text` fit to quote in a one-line message: control and invalid
// bytes as \xNN, invisible characters (BOM, zero-width, bidi, U+2028) as
// \u{XXXX}, cut after `max_chars` bytes with "..." appended.
std::string ExcerptForMessage(std::string_view text, size_t max_chars = 60);

}  // namespace suanli
