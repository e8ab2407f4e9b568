#include "core/utf8.h"

#include <algorithm>
#include "core/i18n.h"

#include <cstdint>

#include <fmt/format.h>

namespace suanli {
namespace {


// Returns the code point of the valid sequence of `length` bytes at `i`.
char32_t DecodeAt(std::string_view text, size_t i, size_t length) {
  constexpr unsigned char kLeadMask[] = {0, 0x7F, 0x1F, 0x0F, 0x07};
  char32_t code = static_cast<unsigned char>(text[i]) & kLeadMask[length];
  for (size_t k = 1; k < length; ++k) code = (code << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
  return code;
}

// Returns true for characters that print as nothing or break a line: C1
// controls, zero-width and bidi marks, line/paragraph separators, the BOM.
bool IsInvisible(char32_t code) {
  return (code >= 0x80 && code <= 0x9F) || (code >= 0x200B && code <= 0x200F) ||
         (code >= 0x2028 && code <= 0x202E) || (code >= 0x2060 && code <= 0x2064) ||
         (code >= 0x2066 && code <= 0x2069) || code == 0xFEFF;
}

bool IsAllowedControl(unsigned char c) { return c == '\t' || c == '\n' || c == '\r'; }

}  // namespace

// Returns the length of the valid UTF-8 sequence starting at `i` (1 to 4),
// or 0 when the bytes there are not valid UTF-8 (RFC 3629, table 3-7 of the
// Unicode standard: no overlongs, no surrogates, nothing above U+10FFFF).
size_t Utf8SequenceLength(std::string_view text, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  if (lead < 0x80) return 1;
  size_t length = 0;
  unsigned char low = 0x80, high = 0xBF;  // allowed range of the second byte
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;   // overlong
    if (lead == 0xED) high = 0x9F;  // surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;   // overlong
    if (lead == 0xF4) high = 0x8F;  // above U+10FFFF
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  if (byte(i + 1) < low || byte(i + 1) > high) return 0;
  for (size_t k = 2; k < length; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  }
  return length;
}

std::optional<Utf8Problem> FindUtf8Problem(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == 0) return Utf8Problem{i, Tr("NUL byte")};
    if (c < 0x20 && !IsAllowedControl(c)) {
      return Utf8Problem{i, TrFormat("control character U+{:04X}", c)};
    }
    const size_t length = Utf8SequenceLength(text, i);
    if (length == 0) {
      return Utf8Problem{i, TrFormat("invalid UTF-8 byte 0x{:02X}", c)};
    }
    i += length;
  }
  return std::nullopt;
}

bool LooksLikeGb18030(std::string_view text, size_t offset) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  const size_t end = std::min(text.size(), offset + 256);
  int chinese_pairs = 0;  // two-byte characters with both bytes in the GB2312 range
  for (size_t i = offset; i < end;) {
    const unsigned char c = byte(i);
    if (c < 0x80) {
      ++i;
      continue;
    }
    if (c < 0x81 || c > 0xFE || i + 1 >= text.size()) return false;
    const unsigned char d = byte(i + 1);
    if (d >= 0x30 && d <= 0x39) {  // four-byte GB18030 sequence
      if (i + 3 >= text.size() || byte(i + 2) < 0x81 || byte(i + 2) > 0xFE || byte(i + 3) < 0x30 || byte(i + 3) > 0x39)
        return false;
      i += 4;
      continue;
    }
    if (d < 0x40 || d == 0x7F || d > 0xFE) return false;
    if (c >= 0xA1 && d >= 0xA1) ++chinese_pairs;
    i += 2;
  }
  return chinese_pairs > 0;
}

std::string NotUtf8Hint(std::string_view text, size_t offset) {
  if (LooksLikeGb18030(text, offset)) {
    return Tr("the text looks like GBK/GB18030, Excel's default for CSV on Chinese Windows: save it as UTF-8 "
              "(Excel: Save As > 'CSV UTF-8 (Comma delimited)'; WPS or Notepad: encoding UTF-8), or convert it "
              "with `iconv -f GB18030 -t UTF-8 FILE > FILE.utf8`");
  }
  return Tr("save the file as UTF-8 text (not Latin-1, UTF-16 or binary)");
}

Status ValidateUtf8Text(std::string_view text, std::string_view where) {
  const auto problem = FindUtf8Problem(text);
  if (!problem) return OkStatus();
  return MakeError(TrFormat("{} at byte {} of the text", problem->reason, problem->offset + 1),
                   std::string(where), NotUtf8Hint(text, problem->offset));
}

std::string ExcerptForMessage(std::string_view text, size_t max_chars) {
  std::string out;
  size_t i = 0;
  while (i < text.size() && out.size() < max_chars) {
    const auto c = static_cast<unsigned char>(text[i]);
    const size_t length = Utf8SequenceLength(text, i);
    if (c < 0x20 || c == 0x7F || length == 0) {
      out += fmt::format("\\x{:02X}", c);
      ++i;
      continue;
    }
    const char32_t code = DecodeAt(text, i, length);
    if (IsInvisible(code)) {
      out += fmt::format("\\u{{{:04X}}}", static_cast<uint32_t>(code));
    } else {
      out.append(text.substr(i, length));
    }
    i += length;
  }
  if (i < text.size()) out += "...";
  return out;
}

}  // namespace suanli
