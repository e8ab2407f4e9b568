// Fuzz target: a quote YAML file through ParseQuotesReport; the accepted quotes must survive a YAML round trip.
#include <cstddef>
#include <cstdint>

#include "quote_round_trip.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return suanli::fuzz::CheckQuoteRoundTrip(data, size, suanli::ParseQuotesReport, suanli::QuotesToYaml, "yaml");
}
