// The scenario file (docs/scenario.md, docs/scenario.schema.json): who buys,
// what to train, the objective and constraints, which market, cost overrides
// and planner options. Parsed strictly; every error names file:line:col.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "core/result.h"
#include "core/date.h"
#include "core/precision.h"
#include "plan/plan.h"

namespace suanli {

struct ScenarioBuyer {
  std::string region = "CN";      // ISO 3166-1 code the export rules use (market/region.h)
  std::string region_alias;       // the name written when it was an alias ("China"); empty otherwise
  std::string tier = "startup";   // startup | enterprise | hyperscaler
  Date date;                      // decision date
  std::string date_text;          // as written
  std::string currency = "CNY";   // CNY | USD
  bool allow_grey_market = false;
};

struct ScenarioWorkload {
  std::string name;           // display name (default: "<model> on <tokens>")
  std::string model;          // preset id or path (relative paths resolved against the file)
  std::string model_where;    // file:line:col of the model field
  double tokens = 0;          // training tokens
  int seq_len = 0;            // tokens per sequence; 0 = model default (<= 4096)
  double global_batch_tokens = 0;  // tokens per step; 0 = unset
  int global_batch = 0;       // sequences per step; 0 = unset
  Precision precision = Precision::kBf16;  // GEMM precision of training
  std::string stack = "megatron";          // training software stack id (data/stacks.yaml, docs/stacks.md)
};

struct ScenarioMarket {
  bool use_seed = true;               // include the embedded seed quotes
  std::string store;                  // SQLite quote store path; empty = none
  std::string store_where;
  YAML::Node quotes;                  // inline quotes (market quote schema), may be null
  std::string quotes_path;            // field path "market.quotes" for messages
  int max_quote_age_days = 92;        // quotes without valid_until older than this are stale
};

// Cost overrides: the keys the file sets and their values.
struct ScenarioCosts {
  PlanCosts values;               // only the keys in `keys` are meaningful
  std::vector<std::string> keys;  // keys written under `costs:`, in file order
};

struct Scenario {
  std::string file_name;
  std::vector<std::string> catalog_files;  // catalog extensions (paths resolved against the file)
  ScenarioBuyer buyer;
  std::vector<ScenarioWorkload> workloads;
  Objective objective = Objective::kEarliestFinish;
  PlanConstraints constraints;
  std::string budget_currency;  // currency the budget was written in
  std::string budget_where;
  std::string accelerators_where;  // file:line:col of constraints.accelerators
  ScenarioMarket market;
  ScenarioCosts costs;
  PlanOptions options;
  YAML::Node root;  // keeps the document alive for market.quotes
};

// Parses a scenario document. `file_name` is used in messages and to resolve
// relative model and store paths.
Result<Scenario> ParseScenario(std::string_view text, const std::string& file_name);
// Reads and parses a scenario file.
Result<Scenario> LoadScenario(const std::string& path);
// Applies the overrides to `costs`.
void ApplyCostOverrides(const ScenarioCosts& overrides, PlanCosts& costs);
// Parses "50e6 CNY", "3.2M USD" or a plain number into amount and currency
// (empty when none was written).
Result<std::pair<double, std::string>> ParseMoney(std::string_view text);

}  // namespace suanli
