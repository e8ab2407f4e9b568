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
#include "core/yaml_reader.h"
#include "market/quote_filter.h"  // kDefaultMaxQuoteAgeDays
#include "serve/capacity.h"        // kDefaultRequestsPerCheck
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
  std::vector<std::string> licences;  // ids of licence-required export rules whose licence the buyer holds
  std::string licences_where;         // file:line:col of buyer.licences (checked against the rules on load)
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
  std::string stack = "auto";              // training software stack id, or auto: each card's own (data/stacks.yaml, docs/stacks.md)
  bool optimizer_offload = false;          // train.offload: optimizer; the optimizer states and step on the host
};

// A serving workload (`workloads[i].serve`, docs/scenario.md): a model at a
// request rate within latency SLOs, needed by a date, paid for over a period.
struct ScenarioServe {
  std::string name;              // display name (default: "<model> at <rate> req/s")
  std::string model;             // preset id or path (relative paths resolved against the file)
  std::string model_where;       // file:line:col of the model field
  std::string where;             // file:line:col of the serve block
  double rate_rps = 0;           // mean request rate of the whole service, requests/s
  std::string input_dist = "fixed", output_dist = "fixed";  // fixed | uniform | lognormal
  double input_tokens = 0;       // mean prompt length, tokens
  double output_tokens = 0;      // mean output length, tokens
  double spread = 0.5;           // uniform: half-width / mean; lognormal: sigma of log
  double ttft_ms = 0;            // time-to-first-token target, ms (0 = none)
  double tpot_ms = 0;            // time-per-output-token target, ms (0 = none)
  double percentile = 90;        // percentile the targets hold at
  std::string engine = "auto";   // engine id (data/engines.yaml) or auto (MindIE on Huawei, vLLM elsewhere)
  std::string engine_where;
  std::string weights;           // pinned weight format (bf16|fp8|int8|int4); empty = searched
  std::string kv;                // pinned KV-cache format; empty = searched
  bool has_needed_by = false;    // the service must start by needed_by
  Date needed_by;
  double period_months = 12;     // months the service runs (priced), from its start
  double utilisation = 1;        // mean load / the sized rate over the period (output tokens sold)
  int requests_per_check = kDefaultRequestsPerCheck;  // requests simulated per replica and check of the capacity search (middle half measured)
};

struct ScenarioMarket {
  bool use_seed = true;               // include the embedded seed quotes
  std::string store;                  // SQLite quote store path; empty = none
  std::string store_where;
  YAML::Node quotes;                  // inline quotes (market quote schema), may be null
  std::string quotes_path;            // field path "market.quotes" for messages
  YAML::Node export_rules;            // export rules added over the shipped ones (rule schema), may be null
  std::string export_rules_path;      // field path "market.export_rules" for messages
  int max_quote_age_days = kDefaultMaxQuoteAgeDays;  // quotes without valid_until older than this are stale
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
  std::vector<ScenarioServe> serving;  // serving workloads, in file order
  Objective objective = Objective::kEarliestFinish;
  PlanConstraints constraints;
  std::string budget_currency;  // currency the budget was written in
  std::string budget_where;
  std::string accelerators_where;  // file:line:col of constraints.accelerators
  std::string vendors_where;       // file:line:col of constraints.vendors
  ScenarioMarket market;
  ScenarioCosts costs;
  PlanOptions options;
  YAML::Node root;  // keeps the document alive for market.quotes
};

// Parses a scenario document. `file_name` is used in messages and to resolve
// relative model and store paths.
Result<Scenario> ParseScenario(std::string_view text, const std::string& file_name);

// One key a scenario's `costs:` accepts and its range (inclusive, in the key's unit).
struct ScenarioCostKey {
  std::string key;
  double min = 0, max = 0;
};
// Returns every key `costs:` accepts: the market cost keys (market/costs.h),
// then the reliability and model-error keys.
std::vector<ScenarioCostKey> ScenarioCostKeys();
// Returns `path` resolved against the folder of `file_name` when it exists
// there, else unchanged (absolute paths and preset ids stay as written).
std::string ResolvePath(const std::string& file_name, const std::string& path);
// Parses the `serve:` block of a workload item (its `name` beside it);
// `buyer_date` bounds needed_by. Errors name file:line:col and the field.
Result<ScenarioServe> ParseServeWorkload(const YamlMap& item, Date buyer_date);
// Reads and parses a scenario file.
Result<Scenario> LoadScenario(const std::string& path);
// Applies the overrides to `costs`.
void ApplyCostOverrides(const ScenarioCosts& overrides, PlanCosts& costs);
// Parses "50e6 CNY", "3.2M usd", "6000万", "1.5 亿元" or a plain number into
// amount and currency: multipliers k/K (1e3), M (1e6), B (1e9), 万 (1e4), 亿
// (1e8); the currency code in any case (returned in capitals), 元 = CNY,
// 美元 = USD, RMB (any case) = CNY (NormalizeCurrency); empty when none was written.
Result<std::pair<double, std::string>> ParseMoney(std::string_view text);

}  // namespace suanli
