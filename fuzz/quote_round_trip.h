// Shared body of the quote fuzz targets: parse, print the accepted quotes, parse again, compare counts.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "market/market.h"

namespace suanli::fuzz {

using QuoteParser = QuoteParseReport (*)(std::string_view, const std::string&, const SkuResolver&);
using QuotePrinter = std::string (*)(const std::vector<Quote>&);

// Parses `data` with `parse`; aborts (a finding) when the quotes it accepted do not all parse
// again after `print`. Returns 0, as libFuzzer expects.
inline int CheckQuoteRoundTrip(const std::uint8_t* data, std::size_t size, QuoteParser parse,
                               QuotePrinter print, const char* format) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const QuoteParseReport report = parse(text, std::string("fuzz-quotes.") + format, nullptr);
  if (report.quotes.empty()) return 0;
  const QuoteParseReport reread = parse(print(report.quotes), std::string("round-trip.") + format, nullptr);
  if (reread.quotes.size() != report.quotes.size()) {
    std::fprintf(stderr, "quote %s round trip: %zu quotes accepted, %zu after printing; first error: %s\n",
                 format, report.quotes.size(), reread.quotes.size(),
                 reread.rejected.empty() ? "-" : reread.rejected.front().ToString().c_str());
    std::abort();
  }
  return 0;
}

}  // namespace suanli::fuzz
