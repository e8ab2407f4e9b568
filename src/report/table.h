// A plain-text table printer for terminal output (no computation here).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "report/output.h"

namespace suanli {

class TextTable {
 public:
  enum class Align { kLeft, kRight };

  // Sets the header row; columns default to left alignment.
  explicit TextTable(std::vector<std::string> header);
  // Sets the alignment of column `index`.
  TextTable& AlignColumn(size_t index, Align align);
  // Appends a row; missing cells print empty, extra cells are an error (asserted).
  void AddRow(std::vector<std::string> cells);
  // Returns the table with a header underline, columns padded to their widest
  // cell (UTF-8 aware, colour codes take no room), two spaces between columns
  // and a trailing newline, fitted to CurrentOutput().width: when too wide,
  // the widest left-aligned columns wrap at spaces onto further lines
  // (right-aligned numbers never wrap).
  std::string Render() const;
  // As Render(), fitted to `max_width` columns.
  std::string RenderFitted(size_t max_width) const;
  // Returns RFC 4180 CSV: the header, then one line per row.
  std::string RenderCsv() const;
  // Returns a GitHub-flavoured Markdown table.
  std::string RenderMarkdown() const;
  // Returns an array with one object per row keyed by the header.
  nlohmann::json ToJson() const;
  // Returns the table in `format` (JSON as indented text with a newline).
  std::string RenderAs(TableFormat format) const;
  // Returns the header cells.
  const std::vector<std::string>& Header() const { return header_; }
  // Returns the rows, each as wide as the header.
  const std::vector<std::vector<std::string>>& Rows() const { return rows_; }
  // Returns whether column `index` is right-aligned (numbers, money, dates).
  bool IsRightAligned(size_t index) const { return align_[index] == Align::kRight; }
  // Returns the number of rows added.
  size_t RowCount() const { return rows_.size(); }

 private:
  std::vector<std::string> header_;
  std::vector<Align> align_;
  std::vector<std::vector<std::string>> rows_;
};

// Returns the number of terminal columns `text` occupies (CJK counts 2, ANSI
// colour sequences 0).
size_t DisplayWidth(const std::string& text);
// Returns `text` (colour codes removed) broken into lines of at most `width`
// display columns, at spaces where possible.
std::vector<std::string> WrapToWidth(const std::string& text, size_t width);
// Returns `text` without ANSI colour sequences.
std::string StripColor(const std::string& text);
// Returns `table` with the thousands separators taken out of its numbers
// ("1,350" -> "1350", "12,345.6" -> "12345.6"): machine-readable cells for CSV.
TextTable PlainNumbers(const TextTable& table);

// The CSV contract (docs/reports.md): returns `rows` (JSON objects with the
// command's stable English keys) as one table, one row per object. Nested
// objects flatten to dotted keys ("config.tp", "per_gpu_bytes.weights");
// the columns are every key met, in the order first met; a key a row lacks
// and null are empty cells; numbers are plain (CsvNumber); true/false stay
// words; an array of plain values is one cell joined with "; ", an array of
// objects is left out. The keys of `first` that occur come first, in that
// order (the record's identity: "model", "accelerator", ...).
TextTable JsonRowsTable(const std::vector<nlohmann::json>& rows, const std::vector<std::string>& first = {});
// Returns `value` as a CSV number: a whole number below 2^53 without a
// decimal point ("71873593344"), else the shortest text that reads back the
// same double ("0.4375", "1.5e-05"); "" when not finite.
std::string CsvNumber(double value);

}  // namespace suanli
