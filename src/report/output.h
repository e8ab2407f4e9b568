// How the process writes for people: the table format (--format), colour and
// emphasis (only on a terminal, never with NO_COLOR), the width tables must
// fit, and --quiet. Set once by the CLI from its flags and the environment;
// renderers read it. Formatting only.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace suanli {

// How a command prints its tables: aligned text, JSON, CSV (RFC 4180) or Markdown.
enum class TableFormat { kTable, kJson, kCsv, kMarkdown };

// Returns the format `text` names ("table", "json", "csv", "md"/"markdown").
Result<TableFormat> ParseTableFormat(std::string_view text);

struct OutputSettings {
  TableFormat format = TableFormat::kTable;
  bool color = false;   // ANSI colour and bold on stdout
  size_t width = 100;   // columns a text table may use
  bool quiet = false;   // --quiet: no notes or progress on stderr
};

// Returns the settings of this process (defaults until SetOutputSettings).
const OutputSettings& CurrentOutput();
// Sets the settings every later renderer reads.
void SetOutputSettings(const OutputSettings& settings);

// Returns the settings the environment implies for stdout: colour when stdout
// is a terminal, NO_COLOR is unset and TERM is not "dumb"; the width from
// COLUMNS, else the terminal's, else 100 (a pipe or file).
OutputSettings SettingsFromEnvironment();

// Returns `text` in bold green when colour is on: the recommendation.
std::string Emphasis(std::string_view text);
// Returns `text` in bold red when colour is on: "does not fit", infeasible.
std::string Alarm(std::string_view text);
// Returns `text` dimmed when colour is on: runner-ups, footnotes.
std::string Dim(std::string_view text);

}  // namespace suanli
