// Text of `serve --validate`: published against predicted serving numbers
// (declared in report/serve_report.h). Formatting only.
#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "core/i18n.h"
#include "core/units.h"
#include "report/serve_report.h"
#include "report/table.h"

namespace suanli {
namespace {

// Returns a measured or predicted value: whole with thousands separators from
// 1,000 up, else four significant digits.
std::string Value(double value) { return value >= 1000 ? FormatCount(value) : fmt::format("{:.4g}", value); }

}  // namespace

namespace {

// What a row's prediction filled in: the dataset whose lengths filled a blank
// input_len/output_len, "*" for a searched layout (tp or pp blank), the
// clients of a blank concurrency; "-" when the row stated everything. "!"
// marks a rate over the modelled capacity.
std::string AssumedCell(const ServingCheck& check) {
  const ServingRunRow& row = check.row;
  std::string cell = row.lengths_assumed;
  const auto add = [&cell](const std::string& part) { cell += (cell.empty() ? "" : " ") + part; };
  if (row.layout_searched) add("*");
  if (!row.concurrency_assumed.empty()) add(TrFormat("{} clients", row.concurrency));
  if (check.overloaded) add("!");
  return cell.empty() ? "-" : cell;
}

}  // namespace

TextTable ServingValidationTable(const std::vector<ServingCheck>& checks) {
  TextTable table({Tr("row"), Tr("metric"), Tr("published"), Tr("predicted"), Tr("rel. error"), Tr("assumed")});
  for (size_t c : {2, 3, 4}) table.AlignColumn(c, TextTable::Align::kRight);
  for (const ServingCheck& c : checks) {
    const std::string lengths = AssumedCell(c);
    if (!c.predicted) {
      table.AddRow({c.row.id, c.row.metric, Value(c.row.value), "-", c.reason, lengths});
      continue;
    }
    table.AddRow({c.row.id, c.row.metric, Value(c.row.value), Value(c.prediction),
                  fmt::format("{:+.0f}%", 100 * c.RelativeError()), lengths});
  }
  return table;
}

std::map<std::string, std::vector<double>> ServingErrorsByFamily(const std::vector<ServingCheck>& checks,
                                                                 LengthsFilter filter) {
  std::map<std::string, std::vector<double>> errors;
  for (const ServingCheck& c : checks) {
    const bool assumed = !c.row.lengths_assumed.empty();
    if (filter == LengthsFilter::kStated && assumed) continue;
    if (filter == LengthsFilter::kAssumed && !assumed) continue;
    if (c.predicted) errors[MetricFamily(c.row.metric)].push_back(std::fabs(c.RelativeError()));
  }
  return errors;
}

std::string ServingValidationText(const std::vector<ServingCheck>& checks, const std::vector<BadRow>& bad_rows) {
  const int skipped = static_cast<int>(
      std::count_if(checks.begin(), checks.end(), [](const ServingCheck& c) { return !c.predicted; }));
  const int assumed = static_cast<int>(std::count_if(
      checks.begin(), checks.end(), [](const ServingCheck& c) { return c.predicted && !c.row.lengths_assumed.empty(); }));
  std::string text = ServingValidationTable(checks).Render();
  if (std::any_of(checks.begin(), checks.end(), [](const ServingCheck& c) { return c.row.layout_searched; })) {
    text += Tr("* layout searched (tp or pp blank): the layout with the most output tokens/s per GPU") + "\n";
  }
  if (std::any_of(checks.begin(), checks.end(), [](const ServingCheck& c) { return c.overloaded; })) {
    text += Tr("! the row's rate exceeds the modelled capacity: the simulated queue grows, so its latency grows "
               "with the run's length (docs/serving.md, Overload)") + "\n";
  }
  for (const BadRow& b : bad_rows) text += TrFormat("bad row: {}: {}", b.where, b.message) + "\n";
  text += '\n';
  text += TrFormat("median |error| by metric family ({} rows not predicted; {} predicted from assumed lengths):",
                   skipped, assumed) + "\n";
  auto stated = ServingErrorsByFamily(checks, LengthsFilter::kStated);
  auto on_assumed = ServingErrorsByFamily(checks, LengthsFilter::kAssumed);
  for (auto& [family, values] : ServingErrorsByFamily(checks)) {
    text += fmt::format("  {:<10} {:>5.0f}%  ", family, 100 * InterpolatedPercentile(values, 50)) +
            TrFormat("({} rows)", values.size());
    if (std::vector<double> some = stated[family]; !some.empty()) {
      text += "  " + TrFormat("stated lengths {:.0f}% ({} rows)", 100 * InterpolatedPercentile(some, 50), some.size());
    }
    if (std::vector<double> some = on_assumed[family]; !some.empty()) {
      text += "  " + TrFormat("assumed lengths {:.0f}% ({} rows)", 100 * InterpolatedPercentile(some, 50), some.size());
    }
    text += "\n";
  }
  const int within = static_cast<int>(std::count_if(checks.begin(), checks.end(), [](const ServingCheck& c) {
    return c.predicted && std::fabs(c.RelativeError()) <= 0.2;
  }));
  text += TrFormat("rows within 20% of the published value: {} of {} ({:.0f}%)", within, checks.size(),
                   checks.empty() ? 0.0 : 100.0 * within / checks.size()) + "\n";
  return text;
}

}  // namespace suanli
