// Where a catalog number comes from: every number shown by `suanli show`
// carries its value as written (with unit), its source and a confidence.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace suanli {

// One sourced field of a catalog entry.
struct FieldRecord {
  std::string path;        // dotted field path, e.g. "peak.bf16"
  std::string text;        // the value as written in the data file, with its unit
  std::string source;      // document and date
  std::string confidence;  // high | medium | low | measured | estimate
  // text and source in the language of the run where this program wrote them
  // (defaults, model assumptions) and that language is not English; empty
  // otherwise. JSON writes text and source; people read ShownText/ShownSource.
  std::string shown_text = {};
  std::string shown_source = {};
};

using Provenance = std::vector<FieldRecord>;

// Returns the record for `path`, or nullptr.
const FieldRecord* FindField(const Provenance& provenance, const std::string& path);

// Returns the record's value text as people read it: in the language of the
// run where this program wrote it, a data file's as written (JSON: text).
const std::string& ShownText(const FieldRecord& record);
// Returns the record's source as people read it, likewise (JSON: source); the
// confidence stays the English word (Tr it where shown).
const std::string& ShownSource(const FieldRecord& record);

// Returns `english` in the language of the run (Tr), for a producer's
// shown_text and shown_source, or "" when that language is English.
std::string InRunLanguage(std::string_view english);

}  // namespace suanli
