#include "validate/notes.h"

#include <regex>

namespace suanli {

bool NamesFlash2ClassKernel(const std::string& notes) {
  static const std::regex kFlash2(
      R"((flash[- _]?attention[- _]?(v|version )?2|flash[- _]?attn(?![- _]?(v|version )?3)|\bFA-?2\b|triton attention|flash/triton|xformers))",
      std::regex::icase);
  return std::regex_search(notes, kFlash2);
}

int ReferenceYear(const std::string& ref) {
  // A four-digit year standing alone: not part of a longer number, a hash
  // or a word ("cases_april2021.png" does not count, "2021 (SC'21)" does).
  static const std::regex kYear(R"((?:^|[^0-9A-Za-z_])((?:19|20)[0-9]{2})(?![0-9A-Za-z_]))");
  std::smatch match;
  if (!std::regex_search(ref, match, kYear)) return 0;
  return std::stoi(match[1].str());
}

int NotedHeadDim(const std::string& notes) {
  static const std::regex kHeadDim(R"((?:^|[^a-z_])head_dim (\d+) \(heads\*head_dim=)");
  std::smatch match;
  return std::regex_search(notes, match, kHeadDim) ? std::stoi(match[1].str()) : 0;
}

int NotedSlidingWindow(const std::string& notes) {
  static const std::regex kWindow(R"(alternating full / (\d+)-token sliding-window)");
  std::smatch match;
  return std::regex_search(notes, match, kWindow) ? std::stoi(match[1].str()) : 0;
}

std::optional<MlaSpec> NotedMla(const std::string& notes) {
  static const std::regex kMla(
      R"(MLA attention \(q_lora_rank (\d+), kv_lora_rank (\d+), qk_nope (\d+) \+ qk_rope (\d+) head dim, v_head_dim (\d+)\))");
  std::smatch match;
  if (!std::regex_search(notes, match, kMla)) return std::nullopt;
  MlaSpec mla;
  mla.q_lora_rank = std::stoi(match[1].str());
  mla.kv_lora_rank = std::stoi(match[2].str());
  mla.qk_nope_head_dim = std::stoi(match[3].str());
  mla.qk_rope_head_dim = std::stoi(match[4].str());
  mla.v_head_dim = std::stoi(match[5].str());
  return mla;
}

bool NotesDefaultedZero(const std::string& notes) {
  static const std::regex kDefaultedZero(R"(not stated[^;]*-> zero)");
  return std::regex_search(notes, kDefaultedZero);
}

bool NamesTorchtitanSelective(const std::string& notes) {
  static const std::regex kTorchtitanSelective(R"(selective[ _]'?(op|layer)\b)", std::regex::icase);
  return std::regex_search(notes, kTorchtitanSelective);
}

}  // namespace suanli
