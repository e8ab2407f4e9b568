// The HTML report of `suanli compare --report FILE.html`: the reference
// cluster, the candidates table, the cards each candidate needs to match the
// reference (chart "cards"), their cost ("cost") and per-card throughput
// ("per-card"), the reasons, the `suanli train` command behind each layout
// and the quotes behind every price. Formatting only.
#pragma once

#include <string>
#include <vector>

#include "plan/compare.h"
#include "report/compare_report.h"

namespace suanli {

// Where a price came from: one market quote.
struct CompareQuoteSource {
  std::string quote_id;
  std::string supplier;
  std::string observed;  // YYYY-MM-DD the price was seen
  std::string source;    // citation: URL, article, "estimate: ..."
  std::string notes;     // the quote's own notes (warranty, payment, ...)
};

// What the page shows besides the result: the buyer and the what-if values.
struct CompareHtmlInput {
  const CompareResult* result = nullptr;
  std::string date;    // buyer's date YYYY-MM-DD, or empty
  std::string region;  // buyer's region code
  std::string tier;    // buyer tier
  std::vector<std::string> assumed;          // --assume NAME=VALUE
  std::vector<CompareQuoteSource> quotes;    // the quotes of the prices shown
  CompareRerun rerun;                        // --model as given, for the train commands of each layout
};

// Returns the whole HTML page in the current language.
std::string CompareReportHtml(const CompareHtmlInput& input);

}  // namespace suanli
