#include "core/csv.h"

#include <fmt/format.h>

#include "core/text_file.h"
#include "core/utf8.h"
#include "core/i18n.h"

namespace suanli {

CsvReader::CsvReader(std::string_view text, std::string file_name)
    : text_(StripUtf8Bom(text)), file_name_(std::move(file_name)) {}

// Checks every field of a record for clean UTF-8; the error names the
// record's line and the field's column (by header name where it is clean).
Status CsvReader::Validate(const CsvRecord& record) const {
  for (size_t c = 0; c < record.fields.size(); ++c) {
    if (!FindUtf8Problem(record.fields[c])) continue;  // the column is named only on failure
    std::string column = fmt::format("column {}", c + 1);
    if (!have_header_) {
      column = fmt::format("header column {}", c + 1);
    } else if (c < header_.size() && !header_[c].empty()) {
      column = ExcerptForMessage(header_[c], 40);
    }
    SUANLI_RETURN_IF_ERROR(ValidateUtf8Text(record.fields[c], fmt::format("{}:{} {}", file_name_, record.line, column)));
  }
  return OkStatus();
}

Result<bool> CsvReader::Next(CsvRecord& record) {
  const std::string_view text = text_;
  can_continue_ = false;
  while (pos_ < text.size()) {
    record = CsvRecord{};
    record.line = line_;
    std::string field;
    bool in_quotes = false;
    bool field_started = false;
    bool quote_closed = false;  // the current field's closing quote was seen
    bool field_quoted = false;
    int quote_line = 0;
    auto end_field = [&] {
      record.fields.push_back(std::move(field));
      record.quoted.push_back(field_quoted);
      field.clear();
      field_started = false;
      quote_closed = false;
      field_quoted = false;
    };
    bool record_ended = false;
    while (pos_ < text.size() && !record_ended) {
      const char c = text[pos_++];
      if (in_quotes) {
        if (c == '"') {
          if (pos_ < text.size() && text[pos_] == '"') {
            field.push_back('"');
            ++pos_;
          } else {
            in_quotes = false;
            quote_closed = true;
          }
        } else {
          if (c == '\n') ++line_;
          field.push_back(c);
        }
        continue;
      }
      if (quote_closed && c != ',' && c != '\n' && c != '\r') {
        return MakeError(Tr("text after the closing quote of a field"), fmt::format("{}:{}", file_name_, line_),
                         Tr("quote the whole field and double any quote inside it (\"\")"));
      }
      if (c == '"' && !field_started) {
        in_quotes = true;
        field_started = true;
        field_quoted = true;
        quote_line = line_;
      } else if (c == ',') {
        end_field();
      } else if (c == '\n') {
        ++line_;
        record_ended = true;
      } else if (c != '\r') {
        field.push_back(c);
        field_started = true;
      }
    }
    if (in_quotes) {
      return MakeError(Tr("unterminated quoted field"), fmt::format("{}:{}", file_name_, quote_line),
                       Tr("close the quote with \""));
    }
    if (!record_ended && !field_started && field.empty() && record.fields.empty()) break;  // trailing nothing
    end_field();
    const bool blank = record.fields.size() == 1 && record.fields[0].empty();
    if (blank) continue;
    if (Status valid = Validate(record); !valid.ok()) {
      can_continue_ = have_header_;  // a bad header names no columns: the text ends
      return valid.error();
    }
    if (!have_header_) {
      header_ = record.fields;
      have_header_ = true;
    }
    return true;
  }
  return false;
}

Result<std::vector<CsvRecord>> ParseCsv(std::string_view text, const std::string& file_name) {
  CsvReader reader(text, file_name);
  std::vector<CsvRecord> records;
  CsvRecord record;
  while (true) {
    SUANLI_ASSIGN_OR_RETURN(bool more, reader.Next(record));
    if (!more) break;
    records.push_back(std::move(record));
  }
  return records;
}

}  // namespace suanli
