// Where a catalog number comes from: every number shown by `suanli show`
// carries its value as written (with unit), its source and a confidence.
#pragma once

#include <string>
#include <vector>

namespace suanli {

// One sourced field of a catalog entry.
struct FieldRecord {
  std::string path;        // dotted field path, e.g. "peak.bf16"
  std::string text;        // the value as written in the data file, with its unit
  std::string source;      // document and date
  std::string confidence;  // high | medium | low | estimate
};

using Provenance = std::vector<FieldRecord>;

// Returns the record for `path`, or nullptr.
const FieldRecord* FindField(const Provenance& provenance, const std::string& path);

}  // namespace suanli
