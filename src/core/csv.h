// RFC 4180 CSV reading: quoted fields, doubled quotes, embedded commas and
// newlines; each record remembers the line it starts on for messages.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace suanli {

struct CsvRecord {
  int line = 0;                     // 1-based line where the record starts
  std::vector<std::string> fields;
};

// Parses `text` into records (the header is the first record); a leading
// UTF-8 BOM is skipped. Errors name file:line (and the column): an
// unterminated quote, text after a closing quote, and any field that is not
// clean UTF-8 (invalid bytes, NUL, control characters; see ValidateUtf8Text).
Result<std::vector<CsvRecord>> ParseCsv(std::string_view text, const std::string& file_name);

}  // namespace suanli
