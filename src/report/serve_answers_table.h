// The table a single-accelerator capacity search prints with --format csv|md:
// every aggregated answer and the xPyD answer, each row with its mode and
// pool, the chosen answer first and marked. Formatting only.
#pragma once

#include <string>

#include "report/serve_report.h"
#include "report/table.h"
#include "serve/fleet_choice.h"

namespace suanli {

// Returns the answers of `o` as one table: "#", mode (aggregated / xPyD),
// pool ("-" for an aggregated fleet; fleet, prefill, KV transfer and decode
// rows for xPyD, all with the answer's number), devices, replicas, tp, pp
// (dp-attention and ep when an answer uses them), formats, TTFT and TPOT at
// the SLO percentile (ms), output tok/s per device, rent and buy per million
// output tokens in `currency` (on the fleet rows), and "chosen" (yes/no). The
// chosen answer is #1; the other mode's answers follow in their order.
TextTable ServeAnswersTable(const ServeSubject& subject, const AcceleratorOption& o, const std::string& currency);

}  // namespace suanli
