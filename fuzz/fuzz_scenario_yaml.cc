// Fuzz target: a scenario YAML document through ParseScenario, its inline quotes and cost overrides.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "market/market.h"
#include "plan/scenario.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto scenario = suanli::ParseScenario(text, "fuzz-scenario.yaml");
  if (!scenario.ok()) return 0;
  if (scenario->market.quotes) {
    (void)suanli::ParseQuotesNode(scenario->market.quotes, "fuzz-scenario.yaml",
                                  scenario->market.quotes_path, nullptr);
  }
  suanli::PlanCosts costs;
  suanli::ApplyCostOverrides(scenario->costs, costs);
  return 0;
}
