// Small text utilities: case folding, id normalisation, nearest-match
// suggestions for unknown ids and keys.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace suanli {

// Returns `text` in ASCII lower case (other bytes unchanged).
std::string ToLower(std::string_view text);
// Returns `text` lower-cased with spaces, '-', '_' and '.' removed, so
// "A800 80GB" and "a800-80gb" compare equal.
std::string NormalizeId(std::string_view text);
// Returns the Levenshtein edit distance between two byte strings.
int EditDistance(std::string_view a, std::string_view b);
// Returns up to `limit` candidates closest to `query` (edit distance on
// normalised text, prefix matches first), in a stable order.
std::vector<std::string> NearestMatches(std::string_view query,
                                        const std::vector<std::string>& candidates,
                                        size_t limit = 3);
// Returns "did you mean a, b or c?" or "" when there is no candidate.
std::string DidYouMean(const std::vector<std::string>& suggestions);
// Returns the items joined by `separator`.
std::string Join(const std::vector<std::string>& items, std::string_view separator);

// Returns the value among `values` whose `name_of(value)` equals `text`,
// ignoring ASCII case, or nullopt: the lookup behind each enum's Parse.
template <class E, class Values, class NameOf>
std::optional<E> FindByName(std::string_view text, const Values& values, NameOf name_of) {
  const std::string lower = ToLower(text);
  for (E value : values) {
    if (lower == name_of(value)) return value;
  }
  return std::nullopt;
}

}  // namespace suanli
