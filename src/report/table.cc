#include "report/table.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdint>
#include <map>

#include <fmt/format.h>

namespace suanli {
namespace {

size_t LongestWordWidth(const std::string& text);

// Returns the code point at `i` and its length in bytes.
std::pair<uint32_t, size_t> DecodeAt(const std::string& text, size_t i) {
  const auto byte = static_cast<uint8_t>(text[i]);
  uint32_t code = byte;
  size_t length = 1;
  if (byte >= 0xF0) {
    length = 4;
    code = byte & 0x07;
  } else if (byte >= 0xE0) {
    length = 3;
    code = byte & 0x0F;
  } else if (byte >= 0xC0) {
    length = 2;
    code = byte & 0x1F;
  }
  for (size_t k = 1; k < length && i + k < text.size(); ++k) {
    code = (code << 6) | (static_cast<uint8_t>(text[i + k]) & 0x3F);
  }
  return {code, std::min(length, text.size() - i)};
}

// East Asian wide ranges (CJK, Hangul, fullwidth forms) take two columns.
size_t CodeWidth(uint32_t code) {
  const bool wide = (code >= 0x1100 && code <= 0x115F) || (code >= 0x2E80 && code <= 0xA4CF) ||
                    (code >= 0xAC00 && code <= 0xD7A3) || (code >= 0xF900 && code <= 0xFAFF) ||
                    (code >= 0xFF00 && code <= 0xFF60) || (code >= 0xFFE0 && code <= 0xFFE6);
  return wide ? 2 : 1;
}

// Returns the length of an ANSI escape sequence starting at `i`, or 0.
size_t EscapeLength(const std::string& text, size_t i) {
  if (text[i] != '\x1b' || i + 1 >= text.size() || text[i + 1] != '[') return 0;
  size_t end = i + 2;
  while (end < text.size() && !(text[end] >= 0x40 && text[end] <= 0x7E)) ++end;
  return end < text.size() ? end - i + 1 : text.size() - i;
}

std::string CsvField(const std::string& cell) {
  const std::string text = StripColor(cell);
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

std::string MarkdownCell(const std::string& cell) {
  std::string out;
  for (char c : StripColor(cell)) {
    if (c == '|') out += "\\|";
    else if (c == '\n') out += "<br>";
    else out += c;
  }
  return out;
}

// Returns the display width of the longest space-separated word of `text`.
size_t LongestWordWidth(const std::string& text) {
  size_t longest = 0;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    longest = std::max(longest, DisplayWidth(text.substr(start, end - start)));
    start = end + 1;
  }
  return longest;
}

}  // namespace

size_t DisplayWidth(const std::string& text) {
  size_t width = 0;
  for (size_t i = 0; i < text.size();) {
    if (size_t escape = EscapeLength(text, i)) {
      i += escape;
      continue;
    }
    auto [code, length] = DecodeAt(text, i);
    width += CodeWidth(code);
    i += length;
  }
  return width;
}

std::string StripColor(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size();) {
    if (size_t escape = EscapeLength(text, i)) {
      i += escape;
      continue;
    }
    out += text[i++];
  }
  return out;
}

std::vector<std::string> WrapToWidth(const std::string& colored, size_t width) {
  const std::string text = StripColor(colored);
  width = std::max<size_t>(width, 1);
  if (DisplayWidth(text) <= width) return {colored};
  std::vector<std::string> lines;
  std::string line;
  size_t line_width = 0;
  size_t last_space = std::string::npos;  // byte offset in `line` after the last space
  for (size_t i = 0; i < text.size();) {
    auto [code, length] = DecodeAt(text, i);
    const size_t w = CodeWidth(code);
    if (line_width + w > width) {
      if (code == ' ') {  // break at this space
        lines.push_back(line);
        line.clear();
        line_width = 0;
        last_space = std::string::npos;
        i += length;
        continue;
      }
      std::string carry;
      if (last_space != std::string::npos && last_space > 0) {
        carry = line.substr(last_space);
        line.resize(last_space);
        while (!line.empty() && line.back() == ' ') line.pop_back();
      }
      lines.push_back(line);
      line = carry;
      line_width = DisplayWidth(carry);
      last_space = std::string::npos;
    }
    line.append(text, i, length);
    line_width += w;
    if (code == ' ') last_space = line.size();
    i += length;
  }
  if (!line.empty()) lines.push_back(line);
  return lines;
}

TextTable::TextTable(std::vector<std::string> header)
    : header_(std::move(header)), align_(header_.size(), Align::kLeft) {}

TextTable& TextTable::AlignColumn(size_t index, Align align) {
  assert(index < align_.size());
  align_[index] = align;
  return *this;
}

void TextTable::AddRow(std::vector<std::string> cells) {
  assert(cells.size() <= header_.size());
  cells.resize(header_.size());
  rows_.push_back(std::move(cells));
}

std::string TextTable::Render() const { return RenderFitted(CurrentOutput().width); }

std::string TextTable::RenderFitted(size_t max_width) const {
  const size_t columns = header_.size();
  std::vector<size_t> widths(columns, 0);
  for (size_t c = 0; c < columns; ++c) widths[c] = DisplayWidth(header_[c]);
  for (const auto& row : rows_) {
    for (size_t c = 0; c < columns; ++c) widths[c] = std::max(widths[c], DisplayWidth(row[c]));
  }
  // Narrow the widest left-aligned column, one column at a time, until the
  // table fits. A column never gets narrower than its longest word, so ids,
  // dates and numbers are never broken: a table of long words may stay wider
  // than `max_width`.
  std::vector<size_t> min_widths(columns, 0);
  for (size_t c = 0; c < columns; ++c) {
    if (align_[c] != Align::kLeft) {
      min_widths[c] = widths[c];
      continue;
    }
    min_widths[c] = LongestWordWidth(header_[c]);
    for (const auto& row : rows_) min_widths[c] = std::max(min_widths[c], LongestWordWidth(row[c]));
  }
  auto total = [&] {
    size_t sum = columns > 0 ? 2 * (columns - 1) : 0;
    for (size_t w : widths) sum += w;
    return sum;
  };
  for (size_t sum = total(); sum > max_width; --sum) {
    size_t widest = columns;
    for (size_t c = 0; c < columns; ++c) {
      if (widths[c] <= min_widths[c]) continue;
      if (widest == columns || widths[c] > widths[widest]) widest = c;
    }
    if (widest == columns) break;
    --widths[widest];
  }
  auto render_row = [&](const std::vector<std::string>& row) {
    std::vector<std::vector<std::string>> cells(columns);
    size_t height = 1;
    for (size_t c = 0; c < columns; ++c) {
      cells[c] = DisplayWidth(row[c]) <= widths[c] ? std::vector<std::string>{row[c]}
                                                   : WrapToWidth(row[c], widths[c]);
      height = std::max(height, cells[c].size());
    }
    std::string out;
    for (size_t h = 0; h < height; ++h) {
      std::string line;
      for (size_t c = 0; c < columns; ++c) {
        const std::string& cell = h < cells[c].size() ? cells[c][h] : std::string();
        const size_t cell_width = DisplayWidth(cell);
        const size_t pad = widths[c] > cell_width ? widths[c] - cell_width : 0;
        const bool last = c + 1 == columns;
        if (align_[c] == Align::kRight) line.append(pad, ' ');
        line += cell;
        if (align_[c] == Align::kLeft && !last) line.append(pad, ' ');
        if (!last) line += "  ";
      }
      while (!line.empty() && line.back() == ' ') line.pop_back();
      out += line + "\n";
    }
    return out;
  };
  std::string out = render_row(header_);
  std::vector<std::string> rule;
  for (size_t w : widths) rule.push_back(std::string(w, '-'));
  out += render_row(rule);
  for (const auto& row : rows_) out += render_row(row);
  return out;
}

std::string TextTable::RenderCsv() const {
  std::string out;
  auto line = [&](const std::vector<std::string>& cells) {
    for (size_t c = 0; c < cells.size(); ++c) {
      if (c > 0) out += ',';
      out += CsvField(cells[c]);
    }
    out += "\r\n";
  };
  line(header_);
  for (const auto& row : rows_) line(row);
  return out;
}

std::string TextTable::RenderMarkdown() const {
  std::string out;
  auto line = [&](const std::vector<std::string>& cells) {
    out += "|";
    for (const std::string& cell : cells) {
      out += ' ';
      out += MarkdownCell(cell);
      out += " |";
    }
    out += "\n";
  };
  line(header_);
  out += "|";
  for (Align align : align_) out += align == Align::kRight ? " ---: |" : " --- |";
  out += "\n";
  for (const auto& row : rows_) line(row);
  return out;
}

nlohmann::json TextTable::ToJson() const {
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& row : rows_) {
    nlohmann::json object = nlohmann::json::object();
    for (size_t c = 0; c < header_.size(); ++c) object[StripColor(header_[c])] = StripColor(row[c]);
    rows.push_back(std::move(object));
  }
  return rows;
}

std::string TextTable::RenderAs(TableFormat format) const {
  switch (format) {
    case TableFormat::kTable: return Render();
    case TableFormat::kCsv: return RenderCsv();
    case TableFormat::kMarkdown: return RenderMarkdown();
    case TableFormat::kJson: return ToJson().dump(2) + "\n";
  }
  return Render();
}

TextTable PlainNumbers(const TextTable& table) {
  // A number with thousands separators: digits and commas, a comma never first or last, an optional decimal part.
  const auto plain = [](const std::string& cell) {
    const size_t dot = cell.find('.');
    const std::string whole = cell.substr(0, dot);
    if (whole.find(',') == std::string::npos || whole.front() == ',' || whole.back() == ',') return cell;
    if (whole.find_first_not_of("0123456789,") != std::string::npos) return cell;
    if (dot != std::string::npos && cell.find_first_not_of("0123456789", dot + 1) != std::string::npos) return cell;
    std::string out;
    for (char c : cell) {
      if (c != ',') out += c;
    }
    return out;
  };
  TextTable out(table.Header());
  for (size_t c = 0; c < table.Header().size(); ++c) {
    if (table.IsRightAligned(c)) out.AlignColumn(c, TextTable::Align::kRight);
  }
  for (const std::vector<std::string>& row : table.Rows()) {
    std::vector<std::string> cells;
    for (const std::string& cell : row) cells.push_back(plain(cell));
    out.AddRow(cells);
  }
  return out;
}

std::string CsvNumber(double value) {
  if (!std::isfinite(value)) return "";
  if (std::fabs(value) < 9007199254740992.0 && value == std::trunc(value)) {
    return fmt::format("{}", static_cast<int64_t>(value));
  }
  return fmt::format("{}", value);
}

namespace {

// Returns a plain value as one CSV cell (see JsonRowsTable).
std::string JsonCell(const nlohmann::json& value) {
  if (value.is_null()) return "";
  if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
  if (value.is_number_integer()) return value.dump();
  if (value.is_number()) return CsvNumber(value.get<double>());
  if (value.is_string()) return value.get<std::string>();
  if (value.is_array()) {
    std::string joined;
    for (const nlohmann::json& item : value) joined += (joined.empty() ? "" : "; ") + JsonCell(item);
    return joined;
  }
  return value.dump();
}

// Adds the flattened cells of `value` under `prefix` to `cells`, and new keys to `keys`.
void Flatten(const nlohmann::json& value, const std::string& prefix, std::map<std::string, std::string>& cells,
             std::vector<std::string>& keys) {
  if (value.is_object()) {
    for (const auto& [key, item] : value.items()) Flatten(item, prefix.empty() ? key : prefix + "." + key, cells, keys);
    return;
  }
  if (value.is_array() && std::any_of(value.begin(), value.end(), [](const auto& v) { return v.is_structured(); })) {
    return;
  }
  if (std::find(keys.begin(), keys.end(), prefix) == keys.end()) keys.push_back(prefix);
  cells[prefix] = JsonCell(value);
}

}  // namespace

TextTable JsonRowsTable(const std::vector<nlohmann::json>& rows, const std::vector<std::string>& first) {
  std::vector<std::string> met;
  std::vector<std::map<std::string, std::string>> cells(rows.size());
  for (size_t r = 0; r < rows.size(); ++r) Flatten(rows[r], "", cells[r], met);
  std::vector<std::string> keys;
  for (const std::string& key : first) {
    if (std::find(met.begin(), met.end(), key) != met.end()) keys.push_back(key);
  }
  for (const std::string& key : met) {
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(key);
  }
  TextTable table(keys);
  for (const auto& row : cells) {
    std::vector<std::string> line;
    for (const std::string& key : keys) {
      const auto found = row.find(key);
      line.push_back(found == row.end() ? std::string() : found->second);
    }
    table.AddRow(std::move(line));
  }
  return table;
}

}  // namespace suanli
