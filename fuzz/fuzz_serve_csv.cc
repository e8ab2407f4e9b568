// Fuzz target: the two CSV files `suanli serve` reads, each input through both parsers:
// ParseServingRuns (`serve --validate`, serving-runs.csv) and ParseTraceCsv (`serve --trace`).
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>

#include "serve/serving_runs.h"
#include "serve/traffic.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  // The catalog each row's accelerator is checked against, loaded once.
  static const suanli::Catalog catalog = std::move(suanli::Catalog::LoadEmbedded()).value();
  (void)suanli::ParseServingRuns(text, "fuzz-serving-runs.csv", catalog);
  (void)suanli::ParseTraceCsv(text, "fuzz-trace.csv");
  return 0;
}
