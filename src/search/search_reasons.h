// Why the layout search ranked a layout below the best, and why it found
// none: sentences in English (JSON) and the current language (internal to
// search/).
#pragma once

#include <string>
#include <string_view>

#include <fmt/format.h>

#include "core/i18n.h"
#include "search/search.h"

namespace suanli::search_reasons {

// A sentence in English (JSON) and in the current language (text and HTML).
struct Said {
  std::string english;
  std::string text;
};

// Returns `english_format` formatted with `args` in both languages (its
// Chinese in data/i18n/zh/, train.yaml and search.yaml).
template <typename... Args>
Said Say(std::string_view english_format, const Args&... args) {
  return {fmt::format(fmt::runtime(english_format), args...), TrFormat(english_format, args...)};
}

// Names the breakdown term that grew most from `best` to `other`.
Said LostBecause(const SearchCandidate& best, const SearchCandidate& other);

// Returns the rule that the pinned fields of `options` break, or "" when
// they could run (fully pinned: as they are; partly pinned: with the other
// fields at what allows most).
std::string PinnedRuleBroken(const ModelSpec& model, const SearchOptions& options, int gpus, int global_batch);

// Returns why no layout was found: no valid layout (naming the rule that the
// pinned fields break), or, when `evaluated` layouts were timed but none
// fitted in `usable` bytes, how far `closest` missed (`smallest_overflow` bytes).
Said InfeasibleReason(const ModelSpec& model, const SearchOptions& options, int gpus, int global_batch,
                      int64_t evaluated, double usable, const ParallelConfig& closest, double smallest_overflow);

}  // namespace suanli::search_reasons
