#include "core/result.h"

namespace suanli {

std::string Error::ToString() const {
  std::string text;
  if (!where.empty()) text = where + ": ";
  text += message;
  if (!hint.empty()) text += " (" + hint + ")";
  return text;
}

Error MakeError(std::string message, std::string where, std::string hint) {
  return Error{std::move(message), std::move(where), std::move(hint)};
}

}  // namespace suanli
