// A self-contained HTML report page (`--report FILE.html` of every command):
// one file that works offline, in the current language (core/i18n.h), with
// Vega-Lite charts drawn by vega, vega-lite and vega-embed inlined from
// web/node_modules at build time (web/package.json pins them). No CDN, no
// network at view time. Responsive (viewport meta, charts as wide as their
// container) and printable (charts and tables are not split across pages).
// Formatting only: each command's report builds a page from its results.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "report/table.h"

namespace suanli {

class HtmlPage {
 public:
  enum class Tone { kInfo, kGood, kWarning };

  // Starts a page titled `title` (also the <title>), with `subtitle` under it
  // (the scenario file, model and date; may be empty).
  HtmlPage(std::string title, std::string subtitle);

  // Adds a section heading.
  void Heading(const std::string& text);
  // Adds a paragraph of plain text (escaped).
  void Paragraph(const std::string& text);
  // Adds a boxed statement: the recommendation (kGood), a risk (kWarning).
  void Callout(const std::string& text, Tone tone);
  // Adds label–value pairs in two columns (the key answers at a glance).
  void Facts(const std::vector<std::pair<std::string, std::string>>& facts);
  // Adds `table` (right-aligned columns never wrap: money, dates, numbers)
  // with `caption` above it when not empty.
  void Table(const TextTable& table, const std::string& caption = {});
  // Adds a bulleted list.
  void List(const std::vector<std::string>& items);
  // Adds a chart from a Vega-Lite spec (its "data" inline) under `caption`;
  // "$schema", width "container" and the page's font are filled in. `name`
  // becomes the chart's data-chart attribute (the browser test finds
  // "frontier" by it).
  void Chart(const std::string& caption, nlohmann::json vega_lite_spec, const std::string& name = {});
  // Adds preformatted text (monospace, kept as is): a command's terminal output.
  void Preformatted(const std::string& text);

  // Returns how many charts the page has (the browser test expects each drawn).
  size_t ChartCount() const { return charts_.size(); }
  // Returns the whole HTML document.
  std::string Render() const;

 private:
  std::string title_;
  std::string subtitle_;
  std::string body_;
  std::vector<nlohmann::json> charts_;
};

// Returns `text` with &, <, >, " and ' escaped for HTML.
std::string HtmlEscape(const std::string& text);

// Writes `html` to `path` (replacing it); the error names the path.
Status WriteHtmlFile(const std::string& path, const std::string& html);
// Writes `html` to `path` (WriteHtmlFile) and, unless `quiet`, says so on stderr.
Status WriteReport(const std::string& path, const std::string& html, bool quiet);

// Returns a Vega-Lite scale for a quantitative axis over `values`: log when
// every value is positive and they span more than a factor of 30 (a linear
// axis would pile most points into a corner), linear without zero otherwise.
nlohmann::json ScaleFor(const std::vector<double>& values);

}  // namespace suanli
