#include "core/csv.h"

#include <fmt/format.h>

#include "core/text_file.h"
#include "core/utf8.h"

namespace suanli {
namespace {

// Checks every field of every record for clean UTF-8; the error names the
// record's line and the field's column (by header name where it is clean).
Status ValidateFields(const std::vector<CsvRecord>& records, const std::string& file_name) {
  for (size_t r = 0; r < records.size(); ++r) {
    const CsvRecord& record = records[r];
    for (size_t c = 0; c < record.fields.size(); ++c) {
      std::string column = fmt::format("column {}", c + 1);
      if (r == 0) {
        column = fmt::format("header column {}", c + 1);
      } else if (c < records[0].fields.size() && !records[0].fields[c].empty()) {
        column = ExcerptForMessage(records[0].fields[c], 40);
      }
      SUANLI_RETURN_IF_ERROR(ValidateUtf8Text(
          record.fields[c], fmt::format("{}:{} {}", file_name, record.line, column)));
    }
  }
  return OkStatus();
}

}  // namespace

Result<std::vector<CsvRecord>> ParseCsv(std::string_view text, const std::string& file_name) {
  text = StripUtf8Bom(text);
  std::vector<CsvRecord> records;
  CsvRecord record;
  std::string field;
  int line = 1;
  record.line = 1;
  bool in_quotes = false;
  bool field_started = false;
  bool quote_closed = false;  // the current field's closing quote was seen
  int quote_line = 0;
  auto end_field = [&] {
    record.fields.push_back(std::move(field));
    field.clear();
    field_started = false;
    quote_closed = false;
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
          quote_closed = true;
        }
      } else {
        if (c == '\n') ++line;
        field.push_back(c);
      }
      continue;
    }
    if (quote_closed && c != ',' && c != '\n' && c != '\r') {
      return MakeError("text after the closing quote of a field", fmt::format("{}:{}", file_name, line),
                       "quote the whole field and double any quote inside it (\"\")");
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
  SUANLI_RETURN_IF_ERROR(ValidateFields(records, file_name));
  return records;
}

}  // namespace suanli
