#include "validate/notes.h"

#include <algorithm>
#include <cstddef>
#include <initializer_list>
#include <string>
#include <vector>

namespace suanli {
namespace {

// Notes are free text of any length (a row may carry a whole copied page):
// every scan here is a forward pass over the text with short fixed patterns,
// linear in its length, and nothing recurses per character.

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
// [0-9A-Za-z_], in ASCII only: UTF-8 bytes count as separators.
bool IsWordChar(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

// Reads a number of 1 to 6 digits at `pos`, advancing it; false when there is
// none or it is longer (no architecture figure has more).
bool ReadNumber(std::string_view text, size_t& pos, int& value) {
  constexpr size_t kMaxDigits = 6;
  const size_t start = pos;
  value = 0;
  while (pos < text.size() && IsDigit(text[pos])) {
    if (pos - start == kMaxDigits) return false;
    value = value * 10 + (text[pos] - '0');
    ++pos;
  }
  return pos > start;
}

// Returns true when `text` has `literal` at `pos`, advancing past it.
bool Consume(std::string_view text, size_t& pos, std::string_view literal) {
  if (text.substr(pos, literal.size()) != literal) return false;
  pos += literal.size();
  return true;
}

// Returns the numbers of the first place in `text` that reads parts[0], a
// number, parts[1], a number, ..., parts[last]; empty when none does.
std::vector<int> FindNumbersBetween(std::string_view text, std::initializer_list<std::string_view> parts) {
  const std::string_view first = *parts.begin();
  for (size_t at = text.find(first); at != std::string_view::npos; at = text.find(first, at + 1)) {
    size_t pos = at + first.size();
    std::vector<int> numbers;
    bool matched = true;
    for (auto part = parts.begin() + 1; part != parts.end() && matched; ++part) {
      int value = 0;
      matched = ReadNumber(text, pos, value) && Consume(text, pos, *part);
      numbers.push_back(value);
    }
    if (matched) return numbers;
  }
  return {};
}

}  // namespace

int ReferenceYear(std::string_view ref) {
  // A four-digit year standing alone: not part of a longer number, a hash
  // or a word ("cases_april2021.png" does not count, "2021 (SC'21)" does),
  // nor an end of a numeric range ("step 1000-2000", "2048-4096"; a date's
  // "2023-10-17" is a year), and in the years of transformer training,
  // 2015-2039: "gbs 1920" or "1999 tokens" are not dates.
  for (size_t i = 0; i + 4 <= ref.size(); ++i) {
    if (i > 0 && IsWordChar(ref[i - 1])) continue;
    if (ref[i] != '2' || ref[i + 1] != '0' || !IsDigit(ref[i + 2]) || !IsDigit(ref[i + 3])) continue;
    if (i + 4 < ref.size() && IsWordChar(ref[i + 4])) continue;
    const int year = 2000 + (ref[i + 2] - '0') * 10 + (ref[i + 3] - '0');
    if (year < 2015 || year > 2039) continue;
    if (i >= 2 && ref[i - 1] == '-' && IsDigit(ref[i - 2])) continue;  // a range's end
    const size_t after = i + 4;
    const bool dash_digits = after + 1 < ref.size() && ref[after] == '-' && IsDigit(ref[after + 1]);
    if (dash_digits) {
      size_t digits = 0;
      while (after + 1 + digits < ref.size() && IsDigit(ref[after + 1 + digits])) ++digits;
      if (digits != 2) continue;  // "2023-10" is a month; "2000-3000" a range
    }
    return year;
  }
  return 0;
}

int NotedHeadDim(std::string_view notes) {
  // "head_dim N (heads*head_dim=", not inside a longer name ("v_head_dim").
  constexpr std::string_view kStart = "head_dim ";
  for (size_t at = notes.find(kStart); at != std::string_view::npos; at = notes.find(kStart, at + 1)) {
    if (at > 0 && ((notes[at - 1] >= 'a' && notes[at - 1] <= 'z') || notes[at - 1] == '_')) continue;
    size_t pos = at + kStart.size();
    int value = 0;
    if (ReadNumber(notes, pos, value) && Consume(notes, pos, " (heads*head_dim=")) return value;
  }
  return 0;
}

int NotedSlidingWindow(std::string_view notes) {
  const std::vector<int> numbers = FindNumbersBetween(notes, {"alternating full / ", "-token sliding-window"});
  return numbers.empty() ? 0 : numbers[0];
}

std::optional<MlaSpec> NotedMla(std::string_view notes) {
  const std::vector<int> n =
      FindNumbersBetween(notes, {"MLA attention (q_lora_rank ", ", kv_lora_rank ", ", qk_nope ", " + qk_rope ",
                                 " head dim, v_head_dim ", ")"});
  if (n.empty()) return std::nullopt;
  MlaSpec mla;
  mla.q_lora_rank = n[0];
  mla.kv_lora_rank = n[1];
  mla.qk_nope_head_dim = n[2];
  mla.qk_rope_head_dim = n[3];
  mla.v_head_dim = n[4];
  return mla;
}

bool NotesDefaultedZero(std::string_view notes) {
  // Clause by clause: "not stated", then "-> zero" later in the same clause.
  size_t start = 0;
  while (start <= notes.size()) {
    const size_t end = std::min(notes.find(';', start), notes.size());
    const std::string_view clause = notes.substr(start, end - start);
    const size_t stated = clause.find("not stated");
    if (stated != std::string_view::npos && clause.find("-> zero", stated + 10) != std::string_view::npos) return true;
    start = end + 1;
  }
  return false;
}

}  // namespace suanli
