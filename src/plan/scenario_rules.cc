// A scenario's own export rules and its buyer's licences (plan/scenario_rules.h).
#include "plan/scenario_rules.h"

#include <algorithm>

#include "core/i18n.h"
#include "core/text.h"

namespace suanli {

Status AddScenarioRules(const Scenario& scenario, const SkuResolver& resolver, Market& market,
                        std::vector<std::string>& notes) {
  const ScenarioMarket& m = scenario.market;
  if (m.export_rules.IsDefined() && !m.export_rules.IsNull()) {
    SUANLI_ASSIGN_OR_RETURN(const std::vector<ExportRule> extra,
                            ParseExportRulesNode(m.export_rules, scenario.file_name, m.export_rules_path, resolver));
    for (const ExportRule& rule : extra) {
      const bool replaces = std::any_of(market.rules.begin(), market.rules.end(),
                                        [&](const ExportRule& r) { return r.id == rule.id; });
      notes.push_back(TrFormat("export rule from the scenario{}: {} ({}, from {}{}; {})",
                               replaces ? Tr(", replacing the shipped one") : "", rule.id,
                               ExportActionName(rule.action), FormatDate(rule.effective),
                               rule.until ? TrFormat(" until {}", FormatDate(*rule.until)) : "", rule.source));
    }
    market.rules = AddExportRules(std::move(market.rules), extra);
  }
  if (!scenario.buyer.licences.empty()) {
    SUANLI_ASSIGN_OR_RETURN(const std::vector<std::string> held,
                            CheckLicences(market.rules, scenario.buyer.licences, scenario.buyer.licences_where));
    notes.push_back(TrFormat("the buyer holds export licences under: {} (buyer.licences)", Join(held, ", ")));
  }
  return OkStatus();
}

}  // namespace suanli
