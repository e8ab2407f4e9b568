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

const std::vector<std::string>& ExportRuleKeys() {
  static const std::vector<std::string> keys = {"id",       "effective", "until",  "skus",    "region",
                                                "regions",  "channels",  "action", "summary", "source"};
  return keys;
}

Result<std::vector<ExportRule>> ParseExportRules(std::string_view text, const std::string& file_name,
                                                 const SkuResolver& resolver) {
  SUANLI_ASSIGN_OR_RETURN(YAML::Node root, ParseYaml(text, file_name));
  // A bare list (or anything but a mapping) names the key it lacks, not an empty field.
  if (!root.IsMap()) {
    return MakeError(Tr("an export-rules file must be a mapping with a `rules:` list"),
                     YamlMap(root, file_name, "rules").Where(),
                     Tr("put the rules under a top-level `rules:` key, one '- id: ...' item per rule, as "
                        "data/market/export_rules.yaml"));
  }
  YamlMap top(root, file_name, "");
  SUANLI_RETURN_IF_ERROR(top.CheckKeys({"rules"}));
  SUANLI_ASSIGN_OR_RETURN(std::vector<YamlMap> items, top.MapList("rules"));
  (void)items;  // checked as a list of mappings; parsed below
  const YAML::Node& root_ref = root;
  return ParseExportRulesNode(root_ref["rules"], file_name, "rules", resolver);
}

Result<std::vector<ExportRule>> ParseExportRulesNode(const YAML::Node& list, const std::string& file_name,
                                                     const std::string& path, const SkuResolver& resolver) {
  const YamlMap holder(list, file_name, path);
  if (!list.IsSequence()) {
    return MakeError(Tr("must be a list of export rules"), holder.Where(),
                     Tr("write one '- id: ...' item per rule, with the keys of data/market/export_rules.yaml"));
  }
  std::vector<ExportRule> rules;
  for (size_t i = 0; i < list.size(); ++i) {
    const YamlMap item(list[i], file_name, fmt::format("{}[{}]", path, i));
    if (!list[i].IsMap()) {
      return MakeError(Tr("an export rule must be a mapping (key: value lines)"), item.Where(),
                       Tr("write id, effective, skus, regions, action, summary and source"));
    }
    SUANLI_RETURN_IF_ERROR(item.CheckKeys(ExportRuleKeys()));
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
    if (std::any_of(rules.begin(), rules.end(), [&](const ExportRule& r) { return r.id == rule.id; })) {
      return MakeError(TrFormat("duplicate rule id '{}'", rule.id), item.Where("id"),
                       Tr("give every rule a unique id"));
    }
    rules.push_back(std::move(rule));
  }
  return rules;
}

std::vector<ExportRule> AddExportRules(std::vector<ExportRule> base, const std::vector<ExportRule>& extra) {
  for (const ExportRule& rule : extra) {
    base.erase(std::remove_if(base.begin(), base.end(), [&](const ExportRule& r) { return r.id == rule.id; }),
               base.end());
  }
  base.insert(base.end(), extra.begin(), extra.end());
  return base;
}

Result<std::vector<std::string>> CheckLicences(const std::vector<ExportRule>& rules,
                                               const std::vector<std::string>& ids, const std::string& where) {
  std::vector<std::string> out;
  std::vector<std::string> licensable;
  for (const ExportRule& rule : rules)
    if (rule.action == ExportAction::kLicenceRequired) licensable.push_back(rule.id);
  for (const std::string& id : ids) {
    const auto rule = std::find_if(rules.begin(), rules.end(),
                                   [&](const ExportRule& r) { return ToLower(r.id) == ToLower(id); });
    if (rule == rules.end()) {
      std::string hint = DidYouMean(NearestMatches(id, licensable));
      if (hint.empty()) hint = TrFormat("licence-required rules: {}", Join(licensable, ", "));
      return MakeError(TrFormat("unknown export rule '{}' in the licences", id), where,
                       TrFormat("{} `suanli market rules` lists every rule", hint));
    }
    if (rule->action != ExportAction::kLicenceRequired) {
      return MakeError(TrFormat("rule '{}' is a {} rule: a licence does not lift it", rule->id,
                                ExportActionName(rule->action)),
                       where, Tr("name a licence-required rule (`suanli market rules` lists each rule's action)"));
    }
    if (std::find(out.begin(), out.end(), rule->id) == out.end()) out.push_back(rule->id);
  }
  return out;
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
                         ChannelTier channel, Date date, bool allow_grey_market,
                         const std::vector<std::string>& licences) {
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
  const bool licensed = std::any_of(licences.begin(), licences.end(),
                                    [&](const std::string& id) { return ToLower(id) == ToLower(rule->id); });
  if (rule->action == ExportAction::kLicenceRequired && licensed) {
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
