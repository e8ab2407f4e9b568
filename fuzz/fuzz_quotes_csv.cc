// Fuzz target: a quote CSV file through ParseQuotesCsvReport; the accepted quotes must survive a CSV round trip.
#include <cstddef>
#include <cstdint>

#include "quote_round_trip.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return suanli::fuzz::CheckQuoteRoundTrip(data, size, suanli::ParseQuotesCsvReport, suanli::QuotesToCsv, "csv");
}
