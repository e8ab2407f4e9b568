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

// Parses `text` into records (the header is the first record). An
// unterminated quote is an error naming file:line.
Result<std::vector<CsvRecord>> ParseCsv(std::string_view text, const std::string& file_name);

}  // namespace suanli
