// The fit report page; see fit_html.h.
#include "report/fit_html.h"

#include <fmt/format.h>

#include "core/i18n.h"
#include "report/html_page.h"
#include "report/train_html.h"

namespace suanli {

std::string FitHtml(const FitResult& r) {
  HtmlPage page(TrFormat("Memory fit: {}", FitSubjectLine(r)), FitLayoutText(r, false));
  FactList facts = {{Tr("model"), r.model}, {Tr("accelerator"), r.accelerator}};
  for (auto& [label, value] : FitFacts(r)) facts.emplace_back(label, StripColor(value));
  page.Facts(facts);
  const std::vector<std::string> reasons = FitReasons(r, CurrentLanguage());
  if (r.fits()) {
    page.Callout(reasons.front(), HtmlPage::Tone::kGood);
  } else {
    page.Callout(TrFormat("{}: {}", Tr("does not fit"), reasons.front()), HtmlPage::Tone::kWarning);
  }
  if (reasons.size() > 1) page.List({reasons.begin() + 1, reasons.end()});
  std::vector<std::pair<std::string, MemoryBreakdown>> bars = {
      {TrFormat("asked: {} devices, {}", FormatCount(r.gpus), FitLayoutText(r, false)), r.memory}};
  if (r.min.found) {
    bars.emplace_back(TrFormat("fewest: {} devices, {}", FormatCount(r.min.devices), FitLayoutText(r, true)),
                      r.min.memory);
  }
  page.Chart(Tr("Memory per device against capacity"), MemoryChart(bars, r.usable_bytes, r.capacity_bytes),
             "memory");
  page.Table(FitMemoryTable(r), Tr("Memory per device of the asked layout"));
  return page.Render();
}

}  // namespace suanli
