// A plain-text table printer for terminal output (no computation here).
#pragma once

#include <string>
#include <vector>

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
  // cell (UTF-8 aware), two spaces between columns, and a trailing newline.
  std::string Render() const;

 private:
  std::vector<std::string> header_;
  std::vector<Align> align_;
  std::vector<std::vector<std::string>> rows_;
};

// Returns the number of terminal columns `text` occupies (CJK counts 2).
size_t DisplayWidth(const std::string& text);

}  // namespace suanli
