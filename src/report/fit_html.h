// The HTML report of `suanli fit --report FILE.html`: the facts, the memory
// table and reasons the terminal prints, and a "memory" chart of the bytes
// per device of the asked layout and of the fewest devices that fit, against
// the usable memory and the capacity (report/html_page.h). Formatting only.
#pragma once

#include <string>

#include "report/fit_report.h"

namespace suanli {

// Returns the whole HTML document of `result`.
std::string FitHtml(const FitResult& result);

}  // namespace suanli
