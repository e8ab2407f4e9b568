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
  std::vector<bool> quoted;         // per field: written in double quotes (kept verbatim by callers)
};

// Reads the records of a CSV text one at a time (memory: one record), for
// large files; the text must outlive the reader. A leading UTF-8 BOM is
// skipped; blank lines are skipped. The first record is taken as the header
// to name columns in UTF-8 errors.
class CsvReader {
 public:
  CsvReader(std::string_view text, std::string file_name);
  // Returns true with the next record in `record`, false at the end of the
  // text; errors as for ParseCsv (syntax or UTF-8, naming file:line).
  Result<bool> Next(CsvRecord& record);
  // Returns whether the last error of Next left the reader at the next
  // record (a whole record that is not clean UTF-8), so reading may go on;
  // false after a syntax error, which ends the text.
  bool CanContinue() const { return can_continue_; }

 private:
  Status Validate(const CsvRecord& record) const;

  std::string_view text_;
  std::string file_name_;
  size_t pos_ = 0;
  int line_ = 1;
  bool have_header_ = false;
  bool can_continue_ = false;
  std::vector<std::string> header_;
};

// Parses `text` into records (the header is the first record); a leading
// UTF-8 BOM is skipped. Errors name file:line (and the column): an
// unterminated quote, text after a closing quote, and any field that is not
// clean UTF-8 (invalid bytes, NUL, control characters; see ValidateUtf8Text).
Result<std::vector<CsvRecord>> ParseCsv(std::string_view text, const std::string& file_name);

}  // namespace suanli
