#include "core/csv.h"

#include <fmt/format.h>

namespace suanli {

Result<std::vector<CsvRecord>> ParseCsv(std::string_view text, const std::string& file_name) {
  std::vector<CsvRecord> records;
  CsvRecord record;
  std::string field;
  int line = 1;
  record.line = 1;
  bool in_quotes = false;
  bool field_started = false;
  int quote_line = 0;
  auto end_field = [&] {
    record.fields.push_back(std::move(field));
    field.clear();
    field_started = false;
  };
  auto end_record = [&] {
    end_field();
    const bool blank = record.fields.size() == 1 && record.fields[0].empty();
    if (!blank) records.push_back(std::move(record));
    record = CsvRecord{};
    record.line = line;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field.push_back('"');
          ++i;
        } else {
          in_quotes = false;
        }
      } else {
        if (c == '\n') ++line;
        field.push_back(c);
      }
      continue;
    }
    if (c == '"' && !field_started) {
      in_quotes = true;
      field_started = true;
      quote_line = line;
    } else if (c == ',') {
      end_field();
    } else if (c == '\n') {
      ++line;
      end_record();
    } else if (c == '\r') {
      continue;
    } else {
      field.push_back(c);
      field_started = true;
    }
  }
  if (in_quotes) {
    return MakeError("unterminated quoted field", fmt::format("{}:{}", file_name, quote_line),
                     "close the quote with \"");
  }
  if (field_started || !field.empty() || !record.fields.empty()) end_record();
  return records;
}

}  // namespace suanli
