// The `serve --report FILE.html` page: the facts (model, accelerator, engine,
// traffic, SLOs), the answer, the latency chart (TTFT and TPOT P50/P90/P99
// against device count or load), the throughput chart, the sweep table, and
// for --validate a predicted-against-published chart. Formatting only.
#pragma once

#include <string>
#include <vector>

#include "report/html_page.h"
#include "report/serve_choice_report.h"
#include "report/serve_report.h"
#include "serve/sweep.h"

namespace suanli {

// Returns the page of one simulated layout with its sweep (charts "latency"
// and "throughput" when the sweep has points).
HtmlPage ServeRunPage(const ServeSubject& subject, const ServeRun& run, const ServeSweep& sweep);

// Returns the page of a capacity search with the best answer's device sweep
// (charts "latency" and "throughput" when feasible).
HtmlPage CapacityPage(const ServeSubject& subject, const CapacityResult& result, const ServeSweep& sweep);

// Returns the page of a costed capacity search: one accelerator's answers
// with costs and its sweep, or the ranking of several; the disaggregated
// alternative, the crossover and the cost assumptions.
HtmlPage CapacityPage(const ServeSubject& subject, const ServeChoice& choice, const ServeSweep& sweep);

// Returns the page of a serving validation (chart "validation": predicted
// against published, log axes, the ±15% band).
HtmlPage ServingValidationPage(const std::string& file, const std::vector<ServingCheck>& checks,
                              const std::vector<BadRow>& bad_rows = {});

}  // namespace suanli
