#include "core/text.h"

#include <algorithm>
#include <cctype>
#include <numeric>

#include "core/i18n.h"

namespace suanli {

std::string ToLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string NormalizeId(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == ' ' || c == '-' || c == '_' || c == '.') continue;
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out;
}

int EditDistance(std::string_view a, std::string_view b) {
  std::vector<int> previous(b.size() + 1), current(b.size() + 1);
  std::iota(previous.begin(), previous.end(), 0);
  for (size_t i = 1; i <= a.size(); ++i) {
    current[0] = static_cast<int>(i);
    for (size_t j = 1; j <= b.size(); ++j) {
      const int substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitution});
    }
    std::swap(previous, current);
  }
  return previous[b.size()];
}

std::vector<std::string> NearestMatches(std::string_view query,
                                        const std::vector<std::string>& candidates,
                                        size_t limit) {
  const std::string normalized_query = NormalizeId(query);
  struct Scored {
    int score;
    size_t index;
  };
  std::vector<Scored> scored;
  for (size_t i = 0; i < candidates.size(); ++i) {
    const std::string candidate = NormalizeId(candidates[i]);
    int score = EditDistance(normalized_query, candidate);
    // Ids extend a family name ("a800" -> "a800-sxm-80gb"): also score the
    // query against the candidate's prefix of the same length.
    const int prefix_score =
        EditDistance(normalized_query, candidate.substr(0, normalized_query.size())) + 1;
    score = std::min(score, prefix_score);
    // A candidate that starts with (or contains) the query is a strong hint.
    if (!normalized_query.empty() && candidate.rfind(normalized_query, 0) == 0) {
      score = std::min(score, 1);
    } else if (!normalized_query.empty() && candidate.find(normalized_query) != std::string::npos) {
      score = std::min(score, 2);
    }
    scored.push_back({score, i});
  }
  std::stable_sort(scored.begin(), scored.end(),
                   [](const Scored& x, const Scored& y) { return x.score < y.score; });
  // Suggest only plausible neighbours: within half the query length.
  const int threshold = std::max<int>(3, static_cast<int>(normalized_query.size()) / 2 + 1);
  std::vector<std::string> out;
  for (const Scored& s : scored) {
    if (out.size() >= limit || s.score > threshold) break;
    if (std::find(out.begin(), out.end(), candidates[s.index]) == out.end()) {
      out.push_back(candidates[s.index]);
    }
  }
  return out;
}

std::string DidYouMean(const std::vector<std::string>& suggestions) {
  if (suggestions.empty()) return "";
  std::string list = suggestions[0];
  for (size_t i = 1; i < suggestions.size(); ++i) {
    list = (i + 1 == suggestions.size()) ? TrFormat("{} or {}", list, suggestions[i])
                                         : TrFormat("{}, {}", list, suggestions[i]);
  }
  return TrFormat("did you mean {}?", list);
}

std::string Join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += separator;
    out += items[i];
  }
  return out;
}

}  // namespace suanli
