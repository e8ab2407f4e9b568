#include "core/result.h"

#include "core/i18n.h"

namespace suanli {

std::string Error::ToString() const {
  std::string text;
  if (!where.empty()) text = where + ": ";
  text += message;
  // Chinese text takes full-width brackets around the hint.
  const bool chinese = CurrentLanguage() == Language::kChinese;
  if (!hint.empty()) text += chinese ? "（" + hint + "）" : " (" + hint + ")";
  // One line on any terminal: control bytes that slipped into a message are escaped.
  std::string line;
  line.reserve(text.size());
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte != 0x7F) {
      line.push_back(c);
      continue;
    }
    constexpr char kHex[] = "0123456789ABCDEF";
    line += "\\x";
    line.push_back(kHex[byte >> 4]);
    line.push_back(kHex[byte & 0xF]);
  }
  return line;
}

Error MakeError(std::string message, std::string where, std::string hint) {
  return Error{std::move(message), std::move(where), std::move(hint), {}};
}

}  // namespace suanli
