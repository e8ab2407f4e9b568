#include "plan/scenario.h"

#include "workload/layout_defaults.h"

#include "market/region.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>

#include <fmt/format.h>

#include "core/text.h"
#include "core/units.h"
#include "core/yaml_reader.h"
#include "core/i18n.h"
#include "workload/stack.h"

namespace suanli {
namespace {

constexpr std::string_view kTiers[] = {"startup", "enterprise", "hyperscaler"};

Result<Date> DateField(const YamlMap& map, std::string_view key) {
  SUANLI_ASSIGN_OR_RETURN(const std::string text, map.String(key));
  auto date = ParseDate(text);
  if (!date.ok()) return MakeError(date.error().message, map.Where(key), date.error().hint);
  return *date;
}

Status ParseBuyer(const YamlMap& map, ScenarioBuyer& buyer) {
  SUANLI_RETURN_IF_ERROR(map.CheckKeys({"region", "tier", "date", "currency", "allow_grey_market", "licences"}));
  SUANLI_ASSIGN_OR_RETURN(const std::string region_text, map.String("region"));
  SUANLI_ASSIGN_OR_RETURN(const RegionCode region, ParseRegion(region_text, map.Where("region")));
  buyer.region = region.code;
  buyer.region_alias = region.alias;
  SUANLI_ASSIGN_OR_RETURN(buyer.tier, map.String("tier"));
  buyer.tier = ToLower(buyer.tier);
  bool known_tier = false;
  for (std::string_view t : kTiers) known_tier = known_tier || t == buyer.tier;
  if (!known_tier) {
    return MakeError(TrFormat("unknown buyer tier '{}'", buyer.tier), map.Where("tier"),
                     Tr("use startup, enterprise or hyperscaler"));
  }
  SUANLI_ASSIGN_OR_RETURN(buyer.date, DateField(map, "date"));
  SUANLI_ASSIGN_OR_RETURN(buyer.date_text, map.String("date"));
  SUANLI_ASSIGN_OR_RETURN(buyer.currency, map.String("currency"));
  buyer.currency = NormalizeCurrency(buyer.currency);
  if (buyer.currency != "CNY" && buyer.currency != "USD") {
    return MakeError(TrFormat("unsupported buyer currency '{}'", buyer.currency),
                     map.Where("currency"), Tr("use CNY or USD"));
  }
  SUANLI_ASSIGN_OR_RETURN(buyer.allow_grey_market, map.BoolOr("allow_grey_market", false));
  // Rule ids; checked against the shipped and the scenario's rules when the
  // market is loaded (plan/market_adapter.cc).
  SUANLI_ASSIGN_OR_RETURN(buyer.licences, map.StringList("licences"));
  buyer.licences_where = map.Where("licences");
  return OkStatus();
}

Result<ScenarioWorkload> ParseWorkload(const YamlMap& item) {
  SUANLI_RETURN_IF_ERROR(item.CheckKeys({"name", "train", "serve"}));
  SUANLI_ASSIGN_OR_RETURN(const YamlMap train, item.Map("train"));
  SUANLI_RETURN_IF_ERROR(train.CheckKeys(
      {"model", "tokens", "seq_len", "global_batch_tokens", "global_batch", "precision", "stack", "offload"}));
  ScenarioWorkload w;
  SUANLI_ASSIGN_OR_RETURN(w.model, train.String("model"));
  w.model = ResolvePath(item.file_name(), w.model);
  w.model_where = train.Where("model");
  SUANLI_ASSIGN_OR_RETURN(w.tokens, train.QuantityInRange("tokens", Dimension::kTokens, kMinTrainingTokens,
                                                           kMaxTrainingTokens));
  SUANLI_ASSIGN_OR_RETURN(const int64_t seq_len, train.IntOr("seq_len", 0, 1, 1 << 20));
  w.seq_len = static_cast<int>(seq_len);
  if (train.Has("global_batch_tokens") && train.Has("global_batch")) {
    return MakeError(Tr("give global_batch_tokens or global_batch, not both"),
                     train.Where("global_batch"), Tr("remove one of them"));
  }
  SUANLI_ASSIGN_OR_RETURN(w.global_batch_tokens,
                          train.QuantityInRangeOr("global_batch_tokens", Dimension::kTokens, 0.0, 1e3, 1e10));
  SUANLI_ASSIGN_OR_RETURN(const int64_t gb, train.IntOr("global_batch", 0, 1, 1 << 24));
  w.global_batch = static_cast<int>(gb);
  // Parsed here, once: a precision that does not parse is an error naming
  // the field, never a silent bf16.
  const std::string precision = ToLower(train.StringOr("precision", "bf16"));
  auto parsed = ParsePrecision(precision);
  if (!parsed.ok() || (*parsed != Precision::kBf16 && *parsed != Precision::kFp16 && *parsed != Precision::kFp8)) {
    return MakeError(TrFormat("unsupported training precision '{}'", precision), train.Where("precision"),
                     Tr("use bf16, fp16 or fp8"));
  }
  w.precision = *parsed;
  // `auto` (the default): each accelerator's own platform stack (docs/stacks.md §Platforms).
  auto stack = StackSettingId(train.StringOr("stack", std::string(kAutoStackId)));
  if (!stack.ok()) return MakeError(stack.error().message, train.Where("stack"), stack.error().hint);
  w.stack = *stack;
  const std::string offload = ToLower(train.StringOr("offload", "none"));
  if (offload != "none" && offload != "optimizer") {
    return MakeError(TrFormat("unknown offload '{}'", offload), train.Where("offload"),
                     Tr("use none or optimizer (the optimizer states and step on the host, docs/stacks.md)"));
  }
  w.optimizer_offload = offload == "optimizer";
  w.name = item.StringOr("name", "");
  return w;
}

// Larger than any compute budget on record by orders of magnitude: a typo or a unit error.
constexpr double kMaxBudget = 1e13;

Status ParseConstraints(const YamlMap& map, Scenario& s) {
  SUANLI_RETURN_IF_ERROR(
      map.CheckKeys({"max_devices", "budget", "deadline", "deadline_percentile", "max_stop_risk", "vendors",
                     "accelerators"}));
  SUANLI_ASSIGN_OR_RETURN(const int64_t max_devices, map.IntOr("max_devices", 16384, 1, 1 << 20));
  s.constraints.max_devices = static_cast<int>(max_devices);
  if (map.Has("budget")) {
    SUANLI_ASSIGN_OR_RETURN(const std::string text, map.String("budget"));
    auto money = ParseMoney(text);
    if (!money.ok()) return MakeError(money.error().message, map.Where("budget"), money.error().hint);
    if (money->first <= 0) {
      return MakeError(Tr("budget must be greater than zero"), map.Where("budget"),
                       Tr("write a positive amount, e.g. 50M CNY"));
    }
    if (money->first > kMaxBudget) {
      return MakeError(TrFormat("budget {:g} is over {:g} (ten trillion)", money->first, kMaxBudget),
                       map.Where("budget"), Tr("write the amount in the currency's unit, e.g. 50M CNY"));
    }
    s.constraints.budget = money->first;
    s.budget_currency = money->second.empty() ? s.buyer.currency : money->second;
    s.budget_where = map.Where("budget");
  }
  if (map.Has("deadline")) {
    SUANLI_ASSIGN_OR_RETURN(s.constraints.deadline, DateField(map, "deadline"));
    s.constraints.has_deadline = true;
    if (s.constraints.deadline <= s.buyer.date) {
      return MakeError(TrFormat("deadline {} is not after the buyer's date {}", FormatDate(s.constraints.deadline),
                                FormatDate(s.buyer.date)),
                       map.Where("deadline"), Tr("give a deadline after buyer.date"));
    }
  }
  if (map.Has("deadline_percentile")) {
    SUANLI_ASSIGN_OR_RETURN(const std::string p, map.String("deadline_percentile"));
    if (p != "p50" && p != "p90") {
      return MakeError(TrFormat("unknown deadline_percentile '{}'", p), map.Where("deadline_percentile"),
                       Tr("use p50 or p90"));
    }
    s.constraints.deadline_percentile = p == "p50" ? 50 : 90;
  }
  // The probability that an export rule stops a delivery which an option may
  // carry and still rank with the options no rule stops (RankOptions).
  SUANLI_ASSIGN_OR_RETURN(s.constraints.max_stop_risk, map.NumberOr("max_stop_risk", 0, 0, 1));
  SUANLI_ASSIGN_OR_RETURN(s.constraints.vendors, map.StringList("vendors"));
  s.vendors_where = map.Where("vendors");
  SUANLI_ASSIGN_OR_RETURN(s.constraints.accelerators, map.StringList("accelerators"));
  s.accelerators_where = map.Where("accelerators");
  return OkStatus();
}

Status ParseMarket(const YamlMap& map, ScenarioMarket& market) {
  SUANLI_RETURN_IF_ERROR(map.CheckKeys({"use_seed", "store", "quotes", "export_rules", "max_quote_age_days", "fx"}));
  SUANLI_ASSIGN_OR_RETURN(market.use_seed, map.BoolOr("use_seed", true));
  SUANLI_ASSIGN_OR_RETURN(const int64_t age, map.IntOr("max_quote_age_days", kDefaultMaxQuoteAgeDays, 1, 36500));
  market.max_quote_age_days = static_cast<int>(age);
  if (map.Has("store")) {
    SUANLI_ASSIGN_OR_RETURN(market.store, map.String("store"));
    market.store = ResolvePath(map.file_name(), market.store);
    market.store_where = map.Where("store");
  }
  if (map.Has("quotes")) {
    if (!map.Node("quotes").IsSequence()) {
      return MakeError(Tr("must be a list of quotes"), map.Where("quotes"),
                       Tr("write one '- id: ...' item per quote"));
    }
    market.quotes.reset(map.Node("quotes"));
    market.quotes_path = map.path().empty() ? "quotes" : map.path() + ".quotes";
  }
  if (map.Has("export_rules")) {
    if (!map.Node("export_rules").IsSequence()) {
      return MakeError(Tr("must be a list of export rules"), map.Where("export_rules"),
                       Tr("write one '- id: ...' item per rule, with the keys of data/market/export_rules.yaml"));
    }
    market.export_rules.reset(map.Node("export_rules"));
    market.export_rules_path = map.path().empty() ? "export_rules" : map.path() + ".export_rules";
  }
  return OkStatus();
}

// A scenario cost key that is not a market cost setting: the model's
// reliability and model-error figures.
struct ReliabilityKey {
  std::string_view key;
  double min, max;
  double& (*field)(PlanCosts&);
};

const std::vector<ReliabilityKey>& ReliabilityKeys() {
  static const std::vector<ReliabilityKey> keys = {
      {"checkpoint_write_s", 0, kSecondsPerDay, [](PlanCosts& c) -> double& { return c.checkpoint_write_s; }},
      {"restart_s", 0, kSecondsPerDay, [](PlanCosts& c) -> double& { return c.restart_s; }},
      {"throughput_ratio_median", 0.05, 20, [](PlanCosts& c) -> double& { return c.dense_error.median; }},
      {"throughput_ratio_log_sd", 0, 2, [](PlanCosts& c) -> double& { return c.dense_error.log_sd; }},
      {"moe_throughput_ratio_median", 0.05, 20, [](PlanCosts& c) -> double& { return c.moe_error.median; }},
      {"moe_throughput_ratio_log_sd", 0, 2, [](PlanCosts& c) -> double& { return c.moe_error.log_sd; }},
      {"campaign_throughput_ratio_median", 0.05, 20,
       [](PlanCosts& c) -> double& { return c.campaign.extra_error.median; }},
      {"campaign_throughput_ratio_log_sd", 0, 2,
       [](PlanCosts& c) -> double& { return c.campaign.extra_error.log_sd; }},
      {"searched_layout_ratio", 0.05, 20, [](PlanCosts& c) -> double& { return c.campaign.searched_layout.dense; }},
      {"moe_searched_layout_ratio", 0.05, 20,
       [](PlanCosts& c) -> double& { return c.campaign.searched_layout.moe; }},
  };
  return keys;
}

const ReliabilityKey* FindReliabilityKey(std::string_view key) {
  for (const ReliabilityKey& k : ReliabilityKeys())
    if (k.key == key) return &k;
  return nullptr;
}

}  // namespace

std::vector<ScenarioCostKey> ScenarioCostKeys() {
  std::vector<ScenarioCostKey> keys;
  for (const CostField& field : CostFields())
    if (field.overridable) keys.push_back({std::string(field.key), field.min, field.max});
  for (const ReliabilityKey& k : ReliabilityKeys()) keys.push_back({std::string(k.key), k.min, k.max});
  return keys;
}

namespace {

// Parses `costs:`: market cost keys (market/costs.h) and reliability keys.
Status ParseCosts(const YamlMap& map, ScenarioCosts& c) {
  std::vector<std::string> known;
  for (const CostField& field : CostFields())
    if (field.overridable) known.emplace_back(field.key);
  for (const ReliabilityKey& k : ReliabilityKeys()) known.emplace_back(k.key);
  SUANLI_RETURN_IF_ERROR(CheckKnownKeys(map, known));
  for (const std::string& key : known) {
    if (!map.Has(key)) continue;
    if (const ReliabilityKey* k = FindReliabilityKey(key)) {
      SUANLI_ASSIGN_OR_RETURN(k->field(c.values), map.Number(key, k->min, k->max));
    } else {
      SUANLI_RETURN_IF_ERROR(ReadCostOverride(map, key, c.values));
    }
    c.keys.push_back(key);
  }
  return OkStatus();
}

Status ParseOptions(const YamlMap& map, PlanOptions& o) {
  SUANLI_RETURN_IF_ERROR(map.CheckKeys(
      {"cluster_sizes", "allow_staged_start", "monte_carlo_samples", "seed", "top", "horizon_days"}));
  if (map.Has("cluster_sizes")) {
    const YAML::Node node = map.Node("cluster_sizes");
    if (node.IsScalar()) {
      if (node.Scalar() != "auto") {
        return MakeError(TrFormat("cluster_sizes '{}' is not 'auto' or a list", node.Scalar()),
                         map.Where("cluster_sizes"), Tr("write auto or a list such as [64, 128, 256]"));
      }
    } else if (node.IsSequence()) {
      for (size_t i = 0; i < node.size(); ++i) {
        const YAML::Node item = node[i];
        auto value = item.IsScalar() ? ParseNumber(item.Scalar()) : Result<double>(MakeError("x"));
        if (!value.ok() || *value < 1 || *value > 16384 || std::floor(*value) != *value) {
          return MakeError(TrFormat("cluster_sizes[{}] must be a whole number 1-16384", i),
                           map.Where("cluster_sizes"), Tr("e.g. [64, 128, 256]"));
        }
        o.cluster_sizes.push_back(static_cast<int>(*value));
      }
    } else {
      return MakeError(Tr("cluster_sizes must be auto or a list"), map.Where("cluster_sizes"));
    }
  }
  SUANLI_ASSIGN_OR_RETURN(o.allow_staged_start, map.BoolOr("allow_staged_start", true));
  SUANLI_ASSIGN_OR_RETURN(const int64_t samples, map.IntOr("monte_carlo_samples", 1000, 1, 100000));
  o.monte_carlo_samples = static_cast<int>(samples);
  SUANLI_ASSIGN_OR_RETURN(const int64_t seed, map.IntOr("seed", 42, 0, int64_t{1} << 53));
  o.seed = static_cast<uint64_t>(seed);
  SUANLI_ASSIGN_OR_RETURN(const int64_t top, map.IntOr("top", 10, 1, 1000));
  o.top = static_cast<int>(top);
  SUANLI_ASSIGN_OR_RETURN(o.horizon_days, map.NumberOr("horizon_days", 365, 1, 36500));
  return OkStatus();
}

}  // namespace

std::string ResolvePath(const std::string& file_name, const std::string& path) {
  namespace fs = std::filesystem;
  if (path.empty() || fs::path(path).is_absolute()) return path;
  std::error_code ec;
  const fs::path relative = fs::path(file_name).parent_path() / path;
  if (fs::exists(relative, ec)) return relative.string();
  return path;
}

Result<Scenario> ParseScenario(std::string_view text, const std::string& file_name) {
  SUANLI_ASSIGN_OR_RETURN(YAML::Node root, ParseYaml(text, file_name));
  Scenario s;
  s.file_name = file_name;
  s.root.reset(root);
  if (!root.IsMap()) {
    return MakeError(Tr("a scenario must be a mapping with buyer, workloads, objective, ..."),
                     file_name + ":1:1", Tr("see docs/scenario.md"));
  }
  const YamlMap top(root, file_name, "");
  SUANLI_RETURN_IF_ERROR(top.CheckKeys({"catalog", "buyer", "workload", "workloads", "objective",
                                        "constraints", "market", "costs", "options"}));
  SUANLI_ASSIGN_OR_RETURN(s.catalog_files, top.StringList("catalog"));
  for (std::string& path : s.catalog_files) path = ResolvePath(file_name, path);
  SUANLI_ASSIGN_OR_RETURN(const YamlMap buyer, top.Map("buyer"));
  SUANLI_RETURN_IF_ERROR(ParseBuyer(buyer, s.buyer));
  if (top.Has("workload") && top.Has("workloads")) {
    return MakeError(Tr("give workload or workloads, not both"), top.Where("workload"),
                     Tr("use a workloads: list for several models"));
  }
  // A workload item trains (`train:`) or serves (`serve:`, scenario_serve.cc).
  const auto add_workload = [&s](const YamlMap& w) -> Status {
    if (w.Has("serve")) {
      SUANLI_ASSIGN_OR_RETURN(ScenarioServe serve, ParseServeWorkload(w, s.buyer.date));
      s.serving.push_back(std::move(serve));
      return OkStatus();
    }
    SUANLI_ASSIGN_OR_RETURN(ScenarioWorkload workload, ParseWorkload(w));
    s.workloads.push_back(std::move(workload));
    return OkStatus();
  };
  if (top.Has("workload")) {
    SUANLI_ASSIGN_OR_RETURN(const YamlMap w, top.Map("workload"));
    SUANLI_RETURN_IF_ERROR(add_workload(w));
  } else {
    SUANLI_ASSIGN_OR_RETURN(const std::vector<YamlMap> list, top.MapList("workloads"));
    if (list.empty()) {
      return MakeError(Tr("workloads is empty"), top.Where("workloads"), Tr("add at least one workload"));
    }
    for (const YamlMap& w : list) SUANLI_RETURN_IF_ERROR(add_workload(w));
  }
  if (top.Has("objective")) {
    SUANLI_ASSIGN_OR_RETURN(const std::string objective, top.String("objective"));
    auto parsed = ParseObjective(objective);
    if (!parsed.ok()) {
      return MakeError(parsed.error().message, top.Where("objective"), parsed.error().hint);
    }
    s.objective = *parsed;
  }
  if (top.Has("constraints")) {
    SUANLI_ASSIGN_OR_RETURN(const YamlMap c, top.Map("constraints"));
    SUANLI_RETURN_IF_ERROR(ParseConstraints(c, s));
  }
  if (s.objective == Objective::kFastestWithinBudget && s.constraints.budget <= 0) {
    return MakeError(Tr("objective fastest_within_budget needs constraints.budget"),
                     top.Where("objective"), Tr("add constraints: {budget: 50M CNY}"));
  }
  // Serving workloads bring their own deadline (needed_by).
  bool serving_deadlines = s.workloads.empty();
  for (const ScenarioServe& serve : s.serving) serving_deadlines = serving_deadlines && serve.has_needed_by;
  if (s.objective == Objective::kCheapestByDeadline && !s.constraints.has_deadline && !serving_deadlines) {
    return MakeError(Tr("objective cheapest_by_deadline needs constraints.deadline"),
                     top.Where("objective"), Tr("add constraints: {deadline: 2023-12-31}"));
  }
  if (top.Has("market")) {
    SUANLI_ASSIGN_OR_RETURN(const YamlMap m, top.Map("market"));
    SUANLI_RETURN_IF_ERROR(ParseMarket(m, s.market));
  }
  if (top.Has("costs")) {
    SUANLI_ASSIGN_OR_RETURN(const YamlMap c, top.Map("costs"));
    SUANLI_RETURN_IF_ERROR(ParseCosts(c, s.costs));
  }
  if (top.Has("options")) {
    SUANLI_ASSIGN_OR_RETURN(const YamlMap o, top.Map("options"));
    SUANLI_RETURN_IF_ERROR(ParseOptions(o, s.options));
  }
  return s;
}

Result<Scenario> LoadScenario(const std::string& path) {
  SUANLI_ASSIGN_OR_RETURN(const std::string text, ReadTextFile(path));
  return ParseScenario(text, path);
}

void ApplyCostOverrides(const ScenarioCosts& o, PlanCosts& c) {
  PlanCosts from = o.values;
  c.overridden = o.keys;
  for (const std::string& key : o.keys) {
    if (const ReliabilityKey* k = FindReliabilityKey(key)) {
      k->field(c) = k->field(from);
      // A model error set by hand is the error of every stack.
      if (key.find("throughput_ratio") != std::string::npos && key.rfind("campaign_", 0) != 0) {
        c.stack_errors.clear();
        c.model_error_measured = false;
      }
    } else if (const CostField* field = FindCostField(key)) {
      if (field->count != nullptr) {
        c.*field->count = from.*field->count;
      } else {
        c.*field->number = from.*field->number;
      }
    }
  }
}

}  // namespace suanli
