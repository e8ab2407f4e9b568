#include "report/output.h"

#include <cstdlib>
#include <sys/ioctl.h>
#include <unistd.h>

#include "core/number.h"
#include "core/text.h"

namespace suanli {
namespace {

OutputSettings& Settings() {
  static OutputSettings settings;
  return settings;
}

std::string Styled(std::string_view code, std::string_view text) {
  if (!CurrentOutput().color) return std::string(text);
  return "\x1b[" + std::string(code) + "m" + std::string(text) + "\x1b[0m";
}

}  // namespace

Result<TableFormat> ParseTableFormat(std::string_view text) {
  const std::string lower = ToLower(text);
  if (lower == "table" || lower == "text") return TableFormat::kTable;
  if (lower == "json") return TableFormat::kJson;
  if (lower == "csv") return TableFormat::kCsv;
  if (lower == "md" || lower == "markdown") return TableFormat::kMarkdown;
  return MakeError("unknown format '" + std::string(text) + "'", "--format", "use table, json, csv or md");
}

const OutputSettings& CurrentOutput() { return Settings(); }

void SetOutputSettings(const OutputSettings& settings) { Settings() = settings; }

OutputSettings SettingsFromEnvironment() {
  OutputSettings settings;
  const bool tty = isatty(STDOUT_FILENO) != 0;
  const char* no_color = std::getenv("NO_COLOR");
  const char* term = std::getenv("TERM");
  settings.color = tty && (no_color == nullptr || *no_color == '\0') &&
                   !(term != nullptr && std::string_view(term) == "dumb");
  constexpr size_t kMinWidth = 40, kMaxWidth = 1000;
  if (const char* columns = std::getenv("COLUMNS")) {
    char* end = nullptr;
    const long value = std::strtol(columns, &end, 10);
    if (end != columns && *end == '\0' && value >= static_cast<long>(kMinWidth) &&
        value <= static_cast<long>(kMaxWidth)) {
      settings.width = static_cast<size_t>(value);
      return settings;
    }
  }
  winsize size{};
  if (tty && ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col >= kMinWidth) {
    settings.width = size.ws_col;
  }
  return settings;
}

std::string Emphasis(std::string_view text) { return Styled("1;32", text); }
std::string Alarm(std::string_view text) { return Styled("1;31", text); }
std::string Dim(std::string_view text) { return Styled("2", text); }

}  // namespace suanli
