// `suanli market rules`: the export-control rules, filtered by SKU, region and
// date; with --sku and --date, the deciding rule per channel.
#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/commands.h"
#include "core/i18n.h"
#include "cli/market_verbs.h"
#include "core/text.h"
#include "report/market_json.h"
#include "report/market_text.h"
#include "report/output.h"

namespace suanli::cli {
namespace {

// Prints to stderr which catalog cards each SKU name of `rules` covers
// ("H200 covers h200-sxm-141gb, h200-nvl-141gb"), when one names several.
void PrintSkuNotes(const std::vector<const ExportRule*>& rules) {
  if (CurrentOutput().quiet) return;
  for (const ExportRule* rule : rules)
    for (const std::string& note : rule->sku_notes) fmt::print(stderr, "{}\n", TrFormat("note: rule {}: {}", rule->id, note));
}

struct RulesFlags {
  std::string sku, region, date, channel;  // region "": every region (a per-channel check: CN)
  std::string rules_file;                  // --rules FILE: extra rules on top of the shipped ones
  std::vector<std::string> licences;       // --licence RULE_ID (a per-channel check)
  bool allow_grey_market = false;
};

// Prints the deciding rule for `sku` per channel (or only --channel) on `date`.
Result<int> ChannelChecks(const MarketOptions& options, const std::vector<ExportRule>& rules,
                          const RulesFlags& flags, const std::string& sku, const Date& date) {
  std::vector<ChannelTier> channels = AllChannelTiers();
  if (!flags.channel.empty()) {
    auto channel = ParseChannelTier(flags.channel);
    if (!channel.ok()) return AtFlag(channel.error(), "--channel");
    channels = {*channel};
  }
  SUANLI_ASSIGN_OR_RETURN(const std::vector<std::string> licences, LicenceArgs(rules, flags.licences));
  std::vector<ChannelCheck> checks;
  for (ChannelTier channel : channels) {
    checks.emplace_back(channel,
                        CheckExport(rules, sku, flags.region, channel, date, flags.allow_grey_market, licences));
  }
  if (options.common.json) {
    PrintJson(ChannelChecksJson(sku, flags.region, date, checks));
  } else if (TableOnly(options.common)) {
    fmt::print("{}", ChannelChecksTable(checks).RenderAs(options.common.table_format));
  } else {
    fmt::print("{}", ChannelChecksText(sku, flags.region, date, checks));
  }
  std::vector<const ExportRule*> deciding;
  for (const ExportRule& rule : rules)
    if (std::any_of(checks.begin(), checks.end(), [&](const ChannelCheck& c) { return c.second.rule_id == rule.id; }))
      deciding.push_back(&rule);
  PrintSkuNotes(deciding);
  return kExitOk;
}

// Returns the rules that name `sku` (when given), apply to `region` (when
// given) and are in effect on `date` (when given).
std::vector<const ExportRule*> ShownRules(const std::vector<ExportRule>& rules, const std::string& sku,
                                          const std::string& region, const std::optional<Date>& date) {
  std::vector<const ExportRule*> shown;
  for (const ExportRule& rule : rules) {
    if (!sku.empty() && std::find(rule.skus.begin(), rule.skus.end(), sku) == rule.skus.end()) continue;
    if (!region.empty() && !RuleCoversRegion(rule, region)) continue;
    if (date.has_value() && (rule.effective > *date || (rule.until && *date >= *rule.until))) continue;
    shown.push_back(&rule);
  }
  return shown;
}

// Prints the rules, or with --sku and --date the deciding rule per channel.
Result<int> RulesBody(const MarketOptions& options, RulesFlags flags) {
  if (!flags.region.empty()) {
    SUANLI_ASSIGN_OR_RETURN(flags.region, RegionFlag(flags.region, "--region"));
  }
  SUANLI_ASSIGN_OR_RETURN(const MarketSession session, OpenMarketSession(options, /*open_store=*/false));
  SUANLI_ASSIGN_OR_RETURN(const std::optional<Date> date, DateArg(flags.date, "--date"));
  std::string sku;
  if (!flags.sku.empty()) {
    SUANLI_ASSIGN_OR_RETURN(sku, ResolveSku(session.catalog, flags.sku, "--sku"));
  }
  SUANLI_ASSIGN_OR_RETURN(const std::vector<ExportRule> rules, RulesWith(session, flags.rules_file));
  if (!sku.empty() && date.has_value()) {
    if (flags.region.empty()) flags.region = "CN";  // a check needs a buyer: the default one of every command
    return ChannelChecks(options, rules, flags, sku, *date);
  }
  const std::vector<const ExportRule*> shown = ShownRules(rules, sku, flags.region, date);
  const RulesScope scope{sku, flags.region, date, rules.size()};
  if (options.common.json) {
    PrintJson(RulesJson(shown, scope));
  } else if (TableOnly(options.common)) {
    fmt::print("{}", RulesTable(shown).RenderAs(options.common.table_format));
  } else {
    fmt::print("{}", RulesText(shown, scope));
  }
  PrintSkuNotes(shown);
  return kExitOk;
}

}  // namespace

MarketRun SetupRules(CLI::App& verb) {
  auto flags = std::make_shared<RulesFlags>();
  verb.add_option("--sku", flags->sku, Tr("accelerator id or name"));
  verb.add_option("--region", flags->region,
                  Tr("buyer region: only the rules that cover it (default: every region; CN for a check with --sku "
                     "and --date)"));
  verb.add_option("--date", flags->date, Tr("YYYY-MM-DD: rules in effect on that date"));
  verb.add_option("--channel", flags->channel, Tr("only this channel (with --sku and --date)"));
  verb.add_flag("--allow-grey-market", flags->allow_grey_market, Tr("buyer accepts grey-market supply"));
  verb.add_option("--licence,--license", flags->licences,
                  Tr("RULE_ID of a licence-required rule the buyer holds a licence under (repeatable; with --sku "
                     "and --date)"));
  verb.add_option("--rules", flags->rules_file,
                  Tr("YAML file of extra export rules (a rules: list as data/market/export_rules.yaml), applied "
                     "on top of the shipped ones"));
  return [flags](const MarketOptions& options) { return ExitCode("market rules", RulesBody(options, *flags)); };
}

}  // namespace suanli::cli
