// Fuzz target: a quote YAML file through ParseQuotesReport; the accepted quotes must survive a YAML round trip.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "market/market.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const suanli::QuoteParseReport report = suanli::ParseQuotesReport(text, "fuzz-quotes.yaml", nullptr);
  if (report.quotes.empty()) return 0;
  const std::string again = suanli::QuotesToYaml(report.quotes);
  const suanli::QuoteParseReport reread = suanli::ParseQuotesReport(again, "round-trip.yaml", nullptr);
  if (reread.quotes.size() != report.quotes.size()) {
    std::fprintf(stderr, "quote YAML round trip: %zu quotes accepted, %zu after QuotesToYaml; first error: %s\n",
                 report.quotes.size(), reread.quotes.size(),
                 reread.rejected.empty() ? "-" : reread.rejected.front().ToString().c_str());
    std::abort();
  }
  return 0;
}
