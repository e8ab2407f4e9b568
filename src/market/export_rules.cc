// Export-control rules by date and the export check of a SKU for a buyer.
#include <algorithm>

#include <fmt/format.h>

#include "core/text.h"
#include "core/units.h"
#include "core/yaml_reader.h"
#include "market/market.h"
#include "market/region.h"
#include "core/i18n.h"

namespace suanli {
namespace {

bool Contains(const std::vector<std::string>& list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

// Parses a rule's `criteria:` mapping (3A090 thresholds with their source).
Result<ExportCriteria> ParseCriteria(const YamlMap& item) {
  SUANLI_ASSIGN_OR_RETURN(const YamlMap map, item.Map("criteria"));
  SUANLI_RETURN_IF_ERROR(map.CheckKeys({"tpp_at_least", "io_at_least", "density", "vendors", "source"}));
  ExportCriteria c;
  SUANLI_ASSIGN_OR_RETURN(c.tpp_at_least, map.NumberOr("tpp_at_least", 0, 0, 1e9));
  if (map.Has("io_at_least")) {
    SUANLI_ASSIGN_OR_RETURN(const double io_Bps, map.QuantityInRange("io_at_least", Dimension::kBytesPerSecond, 1, 1e15));
    c.io_at_least_GBps = io_Bps / 1e9;
  }
  if (map.Has("density")) {
    SUANLI_ASSIGN_OR_RETURN(const YamlMap density, map.Map("density"));
    SUANLI_RETURN_IF_ERROR(density.CheckKeys({"tpp_at_least", "performance_density_at_least"}));
    SUANLI_ASSIGN_OR_RETURN(c.density_tpp_at_least, density.Number("tpp_at_least", 0, 1e9));
    SUANLI_ASSIGN_OR_RETURN(c.density_at_least, density.Number("performance_density_at_least", 0, 1e9));
  }
  if (map.Has("vendors")) {
    SUANLI_ASSIGN_OR_RETURN(c.vendors, map.StringList("vendors"));
  }
  SUANLI_ASSIGN_OR_RETURN(c.source, map.String("source"));
  if (!c.Any()) {
    return MakeError(Tr("criteria need a TPP threshold"), map.Where(),
                     Tr("write tpp_at_least: 4800 (3A090.a) and/or density: {tpp_at_least: 1600, "
                        "performance_density_at_least: 5.92}"));
  }
  return c;
}

// Adds `id` to `skus` unless it is there.
void AddSku(std::vector<std::string>& skus, const std::string& id) {
  if (!Contains(skus, id)) skus.push_back(id);
}

// Returns whether `rule` applies to sku/region/channel on `date`.
bool RuleApplies(const ExportRule& rule, std::string_view sku, std::string_view region, ChannelTier channel,
                 Date date) {
  if (!Contains(rule.skus, sku) || !RuleCoversRegion(rule, region)) return false;
  if (!rule.channels.empty() && std::find(rule.channels.begin(), rule.channels.end(), channel) == rule.channels.end())
    return false;
  return rule.effective <= date && !(rule.until && date >= *rule.until);
}

}  // namespace

const std::vector<std::string>& ExportRuleKeys() {
  static const std::vector<std::string> keys = {"id",       "effective", "until",  "skus",       "criteria",
                                                "region",   "regions",   "channels", "action",   "confidence",
                                                "summary",  "source"};
  return keys;
}

Result<std::vector<ExportRule>> ParseExportRules(std::string_view text, const std::string& file_name,
                                                 const SkuResolver& resolver,
                                                 const std::vector<AcceleratorExportFacts>* facts) {
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
  return ParseExportRulesNode(root_ref["rules"], file_name, "rules", resolver, facts);
}

Result<std::vector<ExportRule>> ParseExportRulesNode(const YAML::Node& list, const std::string& file_name,
                                                     const std::string& path, const SkuResolver& resolver,
                                                     const std::vector<AcceleratorExportFacts>* facts) {
  const std::vector<AcceleratorExportFacts>& known = facts != nullptr ? *facts : EmbeddedExportFacts();
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
    if (item.Has("criteria")) {
      SUANLI_ASSIGN_OR_RETURN(rule.criteria, ParseCriteria(item));
    }
    std::vector<std::string> skus;
    if (item.Has("skus") || !rule.criteria.Any()) {
      SUANLI_ASSIGN_OR_RETURN(skus, item.StringList("skus"));
    }
    if (skus.empty() && !rule.criteria.Any())
      return MakeError(Tr("a rule needs at least one sku"), item.Where("skus"),
                       Tr("name the SKUs, or state the rule's thresholds as criteria: {tpp_at_least: 4800, source: ...}"));
    for (const auto& sku : skus) {
      // A name covers its family in the catalog ("H200": SXM and NVL), with a note
      // listing them; an exact catalog id covers that card alone.
      std::vector<std::string> family = SkuFamily(sku, known);
      if (!resolver) {
        if (family.empty()) family.push_back(sku);
      } else {
        auto id = resolver(sku);
        if (!id.ok()) return MakeError(id.error().message, item.Where("skus"), id.error().hint);
        if (!Contains(family, *id)) family.insert(family.begin(), *id);
      }
      if (family.size() > 1)
        rule.sku_notes.push_back(TrFormat("{} covers {}", sku, Join(family, ", ")));
      for (const std::string& id : family) AddSku(rule.skus, id);
    }
    for (const AcceleratorExportFacts& f : known)
      if (MeetsCriteria(rule.criteria, f)) AddSku(rule.skus, f.id);
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
    if (item.Has("confidence")) {
      SUANLI_ASSIGN_OR_RETURN(const std::string confidence, item.String("confidence"));
      if (ToLower(confidence) != "reported" && ToLower(confidence) != "official") {
        return MakeError(TrFormat("unknown confidence '{}'", confidence), item.Where("confidence"),
                         Tr("write confidence: official (a rule in force) or reported (press reports only: it "
                            "never decides, it adds a note)"));
      }
      rule.reported = ToLower(confidence) == "reported";
    }
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
    if (rule.action == ExportAction::kLicenceRequired && !rule.reported) licensable.push_back(rule.id);
  for (const std::string& id : ids) {
    const auto rule = std::find_if(rules.begin(), rules.end(),
                                   [&](const ExportRule& r) { return ToLower(r.id) == ToLower(id); });
    if (rule == rules.end()) {
      std::string hint = DidYouMean(NearestMatches(id, licensable));
      if (hint.empty()) hint = TrFormat("licence-required rules: {}", Join(licensable, ", "));
      return MakeError(TrFormat("unknown export rule '{}' in the licences", id), where,
                       TrFormat("{} `suanli market rules` lists every rule", hint));
    }
    if (rule->reported) {
      return MakeError(TrFormat("'{}' is a press report (confidence: reported), not a licence rule: a licence "
                                "cannot be held under it",
                                rule->id),
                       where,
                       TrFormat("name the licence-required rule the licence was granted under ({})",
                                Join(licensable, ", ")));
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
    if (rule.reported || !RuleApplies(rule, sku, region, channel, date)) continue;
    // Latest effective date decides; on a tie the later rule in the file wins.
    if (best == nullptr || rule.effective >= best->effective) best = &rule;
  }
  return best;
}

namespace {

// Returns the rules of the unbroken run of `decider`'s action that ends at
// `decider`, earliest first: the rules in force for sku/region/channel on
// `date`, walked back from the decider until one of another action.
std::vector<const ExportRule*> BlockingRun(const std::vector<ExportRule>& rules, const ExportRule& decider,
                                           std::string_view sku, std::string_view region, ChannelTier channel,
                                           Date date) {
  std::vector<const ExportRule*> in_force;
  for (const auto& rule : rules)
    if (!rule.reported && RuleApplies(rule, sku, region, channel, date)) in_force.push_back(&rule);
  std::stable_sort(in_force.begin(), in_force.end(),
                   [](const ExportRule* a, const ExportRule* b) { return a->effective < b->effective; });
  auto end = std::find(in_force.begin(), in_force.end(), &decider);
  std::vector<const ExportRule*> run;
  for (auto it = end; it != in_force.begin();) {
    --it;
    if ((*it)->action != decider.action) break;
    run.insert(run.begin(), *it);
  }
  run.push_back(&decider);
  return run;
}

// Returns the reported rules in effect for sku/region/channel on `date`, as "id: summary".
std::vector<const ExportRule*> ReportedRules(const std::vector<ExportRule>& rules, std::string_view sku,
                                             std::string_view region, ChannelTier channel, Date date) {
  std::vector<const ExportRule*> out;
  for (const auto& rule : rules)
    if (rule.reported && RuleApplies(rule, sku, region, channel, date)) out.push_back(&rule);
  return out;
}

}  // namespace

Availability CheckExport(const std::vector<ExportRule>& rules, std::string_view sku, std::string_view region,
                         ChannelTier channel, Date date, bool allow_grey_market,
                         const std::vector<std::string>& licences) {
  Availability out;
  const ExportRule* decider = FindDecidingRule(rules, sku, region, channel, date);
  // A press report never decides; it is surfaced as a note on the verdict.
  const auto add_reports = [&] {
    for (const ExportRule* report : ReportedRules(rules, sku, region, channel, date)) {
      out.reason += fmt::format("; press report, not a rule (not applied): {}", report->id);
      out.reason_text += TrFormat("; press report, not a rule (not applied): {}", report->id);
    }
  };
  if (decider == nullptr) {
    add_reports();
    if (!out.reason.empty()) {
      out.reason = fmt::format("{}: no rule in force for {} buyers", sku, region) + out.reason;
      out.reason_text = TrFormat("{}: no rule in force for {} buyers", sku, region) + out.reason_text;
    }
    return out;
  }
  out.action = decider->action;
  out.rule_id = decider->id;
  // Sets the reason in English and in the current language from one format.
  const auto say = [&out](std::string_view english, const auto&... args) {
    out.reason = fmt::format(fmt::runtime(english), args...);
    out.reason_text = TrFormat(english, args...);
  };
  if (decider->action == ExportAction::kAllow) {
    say("{}: allowed for {} buyers from {} ({}: {})", sku, region, FormatDate(decider->effective), decider->id,
        decider->summary);
    add_reports();
    return out;
  }
  // The reason is the rule that first blocked the card, still in force.
  const std::vector<const ExportRule*> run = BlockingRun(rules, *decider, sku, region, channel, date);
  const ExportRule* rule = run.front();
  out.rule_id = rule->id;
  const std::string effective = FormatDate(rule->effective);
  const auto licence_for = [&](const ExportRule* r) {
    return std::any_of(licences.begin(), licences.end(),
                       [&](const std::string& id) { return ToLower(id) == ToLower(r->id); });
  };
  const auto held = std::find_if(run.begin(), run.end(), licence_for);
  if (decider->action == ExportAction::kLicenceRequired && held != run.end()) {
    out.rule_id = (*held)->id;
    say("{}: export licence required for {} buyers from {}; buyer holds one ({})", sku, region, effective,
        (*held)->id);
    out.flagged = true;
    add_reports();
    return out;
  }
  const bool ban = decider->action == ExportAction::kBan;
  if (channel == ChannelTier::kGreyMarket && allow_grey_market) {
    out.flagged = true;
    say(ban ? "{}: not sold to {} buyers after {} ({}: {}); grey-market supply accepted by buyer policy — legal "
              "and supply risk"
            : "{}: export licence required for {} buyers from {} ({}: {}); grey-market supply accepted by buyer "
              "policy — legal and supply risk",
        sku, region, effective, rule->id, rule->summary);
    add_reports();
    return out;
  }
  out.allowed = false;
  say(ban ? "{}: not sold to {} buyers after {} ({}: {})" : "{}: export licence required for {} buyers from {} ({}: {})",
      sku, region, effective, rule->id, rule->summary);
  add_reports();
  return out;
}

}  // namespace suanli
