// Export-control rules by date and the export check of a SKU for a buyer.
#include <algorithm>

#include <fmt/format.h>

#include "core/text.h"
#include "core/yaml_reader.h"
#include "market/market.h"
#include "market/region.h"
#include "core/i18n.h"

namespace suanli {
namespace {

bool Contains(const std::vector<std::string>& list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

}  // namespace

Result<std::vector<ExportRule>> ParseExportRules(std::string_view text, const std::string& file_name,
                                                 const SkuResolver& resolver) {
  SUANLI_ASSIGN_OR_RETURN(YAML::Node root, ParseYaml(text, file_name));
  YamlMap top(root, file_name, "");
  SUANLI_RETURN_IF_ERROR(top.CheckKeys({"rules"}));
  SUANLI_ASSIGN_OR_RETURN(std::vector<YamlMap> items, top.MapList("rules"));
  std::vector<ExportRule> rules;
  for (const auto& item : items) {
    SUANLI_RETURN_IF_ERROR(
        item.CheckKeys({"id", "effective", "until", "skus", "region", "regions", "channels", "action", "summary",
                        "source"}));
    ExportRule rule;
    SUANLI_ASSIGN_OR_RETURN(rule.id, item.String("id"));
    for (const char* key : {"effective", "until"}) {
      if (std::string_view(key) == "until" && !item.Has(key)) continue;
      SUANLI_ASSIGN_OR_RETURN(std::string date_text, item.String(key));
      auto date = ParseMarketDate(date_text);
      if (!date.ok()) return MakeError(date.error().message, item.Where(key), date.error().hint);
      if (std::string_view(key) == "effective") {
        rule.effective = *date;
      } else {
        rule.until = *date;
      }
    }
    SUANLI_ASSIGN_OR_RETURN(std::vector<std::string> skus, item.StringList("skus"));
    if (skus.empty()) return MakeError(Tr("a rule needs at least one sku"), item.Where("skus"));
    for (const auto& sku : skus) {
      if (!resolver) {
        rule.skus.push_back(sku);
        continue;
      }
      auto id = resolver(sku);
      if (!id.ok()) return MakeError(id.error().message, item.Where("skus"), id.error().hint);
      rule.skus.push_back(*id);
    }
    // One `region:` or a `regions:` list (China incl. Hong Kong and Macau is
    // three codes), never both.
    if (item.Has("region") == item.Has("regions")) {
      return MakeError(Tr("a rule needs either 'region' or 'regions'"), item.Where(item.Has("region") ? "region" : "id"),
                       Tr("list the buyer regions it covers, e.g. regions: [CN, HK, MO]"));
    }
    const char* region_key = item.Has("region") ? "region" : "regions";
    std::vector<std::string> region_texts;
    if (item.Has("region")) {
      SUANLI_ASSIGN_OR_RETURN(std::string one, item.String("region"));
      region_texts.push_back(std::move(one));
    } else {
      SUANLI_ASSIGN_OR_RETURN(region_texts, item.StringList("regions"));
    }
    if (region_texts.empty()) return MakeError(Tr("a rule needs at least one region"), item.Where(region_key));
    for (const std::string& text : region_texts) {
      SUANLI_ASSIGN_OR_RETURN(const RegionCode region, ParseRegion(text, item.Where(region_key)));
      if (!Contains(rule.regions, region.code)) rule.regions.push_back(region.code);
    }
    SUANLI_ASSIGN_OR_RETURN(std::vector<std::string> channels, item.StringList("channels"));
    for (const auto& name : channels) {
      auto channel = ParseChannelTier(name);
      if (!channel.ok()) return MakeError(channel.error().message, item.Where("channels"), channel.error().hint);
      rule.channels.push_back(*channel);
    }
    SUANLI_ASSIGN_OR_RETURN(std::string action, item.String("action"));
    auto parsed = ParseExportAction(action);
    if (!parsed.ok()) return MakeError(parsed.error().message, item.Where("action"), parsed.error().hint);
    rule.action = *parsed;
    SUANLI_ASSIGN_OR_RETURN(rule.summary, item.String("summary"));
    SUANLI_ASSIGN_OR_RETURN(rule.source, item.String("source"));
    if (rule.until && *rule.until <= rule.effective)
      return MakeError(Tr("'until' must be after 'effective'"), item.Where("until"));
    rules.push_back(std::move(rule));
  }
  return rules;
}

bool RuleCoversRegion(const ExportRule& rule, std::string_view region) {
  const std::string key = ToLower(region);
  return std::any_of(rule.regions.begin(), rule.regions.end(),
                     [&](const std::string& r) { return ToLower(r) == key; });
}

const ExportRule* FindDecidingRule(const std::vector<ExportRule>& rules, std::string_view sku,
                                   std::string_view region, ChannelTier channel, Date date) {
  const ExportRule* best = nullptr;
  for (const auto& rule : rules) {
    if (!Contains(rule.skus, sku) || !RuleCoversRegion(rule, region)) continue;
    if (!rule.channels.empty() &&
        std::find(rule.channels.begin(), rule.channels.end(), channel) == rule.channels.end())
      continue;
    if (rule.effective > date) continue;
    if (rule.until && date >= *rule.until) continue;
    // Latest effective date decides; on a tie the later rule in the file wins.
    if (best == nullptr || rule.effective >= best->effective) best = &rule;
  }
  return best;
}

Availability CheckExport(const std::vector<ExportRule>& rules, std::string_view sku, std::string_view region,
                         ChannelTier channel, Date date, bool allow_grey_market, bool has_licence) {
  Availability out;
  const ExportRule* rule = FindDecidingRule(rules, sku, region, channel, date);
  if (rule == nullptr) return out;
  out.action = rule->action;
  out.rule_id = rule->id;
  // Sets the reason in English and in the current language from one format.
  const auto say = [&out](std::string_view english, const auto&... args) {
    out.reason = fmt::format(fmt::runtime(english), args...);
    out.reason_text = TrFormat(english, args...);
  };
  const std::string effective = FormatDate(rule->effective);
  if (rule->action == ExportAction::kAllow) {
    say("{}: allowed for {} buyers from {} ({}: {})", sku, region, effective, rule->id, rule->summary);
    return out;
  }
  if (rule->action == ExportAction::kLicenceRequired && has_licence) {
    say("{}: export licence required for {} buyers from {}; buyer holds one ({})", sku, region, effective, rule->id);
    out.flagged = true;
    return out;
  }
  const bool ban = rule->action == ExportAction::kBan;
  if (channel == ChannelTier::kGreyMarket && allow_grey_market) {
    out.flagged = true;
    say(ban ? "{}: not sold to {} buyers after {} ({}: {}); grey-market supply accepted by buyer policy — legal "
              "and supply risk"
            : "{}: export licence required for {} buyers from {} ({}: {}); grey-market supply accepted by buyer "
              "policy — legal and supply risk",
        sku, region, effective, rule->id, rule->summary);
    return out;
  }
  out.allowed = false;
  say(ban ? "{}: not sold to {} buyers after {} ({}: {})" : "{}: export licence required for {} buyers from {} ({}: {})",
      sku, region, effective, rule->id, rule->summary);
  return out;
}

}  // namespace suanli
