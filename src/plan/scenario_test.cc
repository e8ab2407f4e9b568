#include "plan/scenario.h"

#include <filesystem>
#include <map>
#include <set>

#include <gtest/gtest.h>

#include "catalog/catalog.h"
#include "core/bad_inputs_check.h"
#include "core/json_reader.h"
#include "core/text_file.h"
#include "market/market.h"
#include "workload/hf_config.h"
#include "workload/model_yaml.h"
#include "workload/stack.h"

namespace suanli {
namespace {

constexpr char kScenario[] = R"(buyer:
  region: cn
  tier: startup
  date: 2023-06-15
  currency: CNY
workloads:
  - name: aquila
    train: {model: aquila-7b, tokens: 1T, seq_len: 2048, global_batch_tokens: 4M}
  - train: {model: llama-2-70b, tokens: 2.0e12}
objective: cheapest_by_deadline
constraints:
  max_devices: 512
  budget: 50M CNY
  deadline: 2023-12-31
  vendors: [NVIDIA]
market:
  use_seed: false
  quotes:
    - {id: q1}
costs: {pue: 1.2, setup_days: 3, node_size: 8}
options: {cluster_sizes: [64, 128], allow_staged_start: false, monte_carlo_samples: 200, seed: 7}
)";

TEST(ScenarioTest, ParsesEverySection) {
  auto s = ParseScenario(kScenario, "s.yaml");
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  EXPECT_EQ(s->buyer.region, "CN");
  EXPECT_EQ(FormatDate(s->buyer.date), "2023-06-15");
  ASSERT_EQ(s->workloads.size(), 2u);
  EXPECT_EQ(s->workloads[0].name, "aquila");
  EXPECT_DOUBLE_EQ(s->workloads[0].tokens, 1e12);
  EXPECT_DOUBLE_EQ(s->workloads[0].global_batch_tokens, 4e6);
  EXPECT_EQ(s->workloads[0].seq_len, 2048);
  EXPECT_DOUBLE_EQ(s->workloads[1].tokens, 2e12);
  EXPECT_EQ(s->objective, Objective::kCheapestByDeadline);
  EXPECT_EQ(s->constraints.max_devices, 512);
  EXPECT_DOUBLE_EQ(s->constraints.budget, 50e6);
  EXPECT_EQ(s->budget_currency, "CNY");
  EXPECT_TRUE(s->constraints.has_deadline);
  EXPECT_FALSE(s->market.use_seed);
  EXPECT_EQ(s->market.quotes.size(), 1u);
  EXPECT_EQ(s->options.cluster_sizes, (std::vector<int>{64, 128}));
  EXPECT_FALSE(s->options.allow_staged_start);
  EXPECT_EQ(s->options.seed, 7u);
  PlanCosts costs;
  ApplyCostOverrides(s->costs, costs);
  EXPECT_DOUBLE_EQ(costs.pue, 1.2);
  EXPECT_DOUBLE_EQ(costs.setup_days, 3);
}

TEST(ScenarioTest, CampaignErrorIsItsOwnKnob) {
  // The campaign spread can be switched off without touching the per-stack
  // step errors (which a step-error key would replace).
  std::string text = kScenario;
  text.replace(text.find("costs: {pue: 1.2"), 16,
               "costs: {campaign_throughput_ratio_median: 1, campaign_throughput_ratio_log_sd: 0, pue: 1.2");
  auto s = ParseScenario(text, "s.yaml");
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  PlanCosts costs;
  ASSERT_NE(costs.campaign.extra_error.median, 1.0);
  const size_t stacks = costs.stack_errors.size();
  ApplyCostOverrides(s->costs, costs);
  EXPECT_DOUBLE_EQ(costs.campaign.extra_error.median, 1.0);
  EXPECT_DOUBLE_EQ(costs.campaign.extra_error.log_sd, 0.0);
  EXPECT_EQ(costs.stack_errors.size(), stacks);
  EXPECT_TRUE(costs.model_error_measured);
}

struct BadCase {
  const char* text;
  const char* where;    // expected in Error::where
  const char* message;  // expected in Error::message
};

TEST(ScenarioTest, BadInputNamesLineAndField) {
  const std::string buyer =
      "buyer: {region: CN, tier: startup, date: 2023-06-15, currency: CNY}\n";
  const std::string work = "workloads:\n  - train: {model: aquila-7b, tokens: 1T}\n";
  const BadCase cases[] = {
      {"buyer: {region: CN, tier: startup, date: 2023-13-01, currency: CNY}\n", "s.yaml:1:",
       "month 13"},
      {"buyer: {region: CN, tier: student, date: 2023-06-01, currency: CNY}\n", "buyer.tier",
       "unknown buyer tier"},
      {"buyer: {region: CN, tier: startup, date: 2023-06-01, currency: EUR}\n", "buyer.currency",
       "unsupported buyer currency"},
      {"", "", ""},  // placeholder replaced below
  };
  for (const BadCase& c : cases) {
    if (std::string(c.text).empty()) continue;
    auto s = ParseScenario(std::string(c.text) + work, "s.yaml");
    ASSERT_FALSE(s.ok()) << c.text;
    EXPECT_NE(s.error().where.find(c.where), std::string::npos) << s.error().ToString();
    EXPECT_NE(s.error().message.find(c.message), std::string::npos) << s.error().ToString();
  }
  auto s = ParseScenario(buyer + work + "objective: fastest\n", "s.yaml");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().where, "s.yaml:4:12 objective");
  s = ParseScenario(buyer + work + "objective: fastest_within_budget\n", "s.yaml");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("needs constraints.budget"), std::string::npos);
  s = ParseScenario(buyer + "workloads:\n  - train: {model: x, tokens: many}\n", "s.yaml");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().where.find("workloads[0].train.tokens"), std::string::npos);
  s = ParseScenario(buyer + work + "optoins: {}\n", "s.yaml");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().hint.find("options"), std::string::npos);
  s = ParseScenario(buyer + work + "constraints: {budget: lots}\n", "s.yaml");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().where.find("constraints.budget"), std::string::npos);
  // A precision that does not parse is an error naming the field, not a silent bf16.
  s = ParseScenario(buyer + "workloads:\n  - train: {model: x, tokens: 1T, precision: bf61}\n", "s.yaml");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().where.find("precision"), std::string::npos) << s.error().where;
  EXPECT_NE(s.error().message.find("bf61"), std::string::npos);
  s = ParseScenario(buyer + "workloads:\n  - train: {model: x, tokens: 1T, precision: FP8}\n", "s.yaml");
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  EXPECT_EQ(s->workloads[0].precision, Precision::kFp8);
  s = ParseScenario(buyer + work + "options: {cluster_sizes: [64, 0]}\n", "s.yaml");
  ASSERT_FALSE(s.ok());
}

TEST(ScenarioTest, WorkloadStackDefaultsToAutoAndUnknownIdsListTheKnownOnes) {
  const std::string buyer = "buyer: {region: CN, tier: startup, date: 2023-06-15, currency: CNY}\n";
  auto s = ParseScenario(buyer + "workloads:\n  - train: {model: x, tokens: 1T}\n"
                                 "  - train: {model: y, tokens: 1T, stack: DeepSpeed}\n",
                         "s.yaml");
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  EXPECT_EQ(s->workloads[0].stack, "auto");  // each card's own platform stack (docs/stacks.md §Platforms)
  EXPECT_EQ(s->workloads[1].stack, "deepspeed");
  s = ParseScenario(buyer + "workloads:\n  - train: {model: x, tokens: 1T, stack: jax}\n", "s.yaml");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().where, "s.yaml:3:42 workloads[0].train.stack");
  EXPECT_NE(s.error().message.find("'jax'"), std::string::npos);
  EXPECT_NE(s.error().hint.find("megatron, nemo, torchtitan, fsdp"), std::string::npos) << s.error().hint;
}

// Collects the `enum` of every "stack" property in a JSON schema.
void CollectStackEnums(const JsonValue& value, std::vector<std::set<std::string>>& out) {
  for (const JsonValue::Member& member : value.members) {
    if (member.key == "stack") {
      if (const JsonValue* values = member.value.Find("enum")) {
        std::set<std::string> ids;
        for (const JsonValue& item : values->items) ids.insert(item.text);
        out.push_back(ids);
      }
    }
    CollectStackEnums(member.value, out);
  }
  for (const JsonValue& item : value.items) CollectStackEnums(item, out);
}

TEST(ScenarioTest, TheSchemaListsEveryStackTheCatalogHas) {
  // docs/scenario.schema.json is written by hand; it must offer exactly the
  // stacks of data/stacks.yaml (it had fallen two behind).
  const std::string path = std::string(SUANLI_DOCS_DIR) + "/scenario.schema.json";
  auto text = ReadTextFile(path);
  ASSERT_TRUE(text.ok()) << text.error().ToString();
  auto schema = ParseJson(*text, path);
  ASSERT_TRUE(schema.ok()) << schema.error().ToString();
  std::vector<std::set<std::string>> enums;
  CollectStackEnums(*schema, enums);
  std::set<std::string> stacks;
  for (const SoftwareStack& stack : BuiltinStacks()) stacks.insert(stack.id);
  ASSERT_EQ(enums.size(), 2u);  // `workload` (one) and `workloads` (a list)
  for (const std::set<std::string>& ids : enums) EXPECT_EQ(ids, stacks);
}

TEST(ScenarioTest, TheSchemaListsEveryCostKeyTheParserAccepts) {
  // docs/scenario.schema.json is written by hand; its `costs` must accept
  // exactly the keys the parser does, with the parser's ranges where it states
  // one (it had lacked the model-error keys, so documented files failed it).
  const std::string path = std::string(SUANLI_DOCS_DIR) + "/scenario.schema.json";
  auto text = ReadTextFile(path);
  ASSERT_TRUE(text.ok()) << text.error().ToString();
  auto schema = ParseJson(*text, path);
  ASSERT_TRUE(schema.ok()) << schema.error().ToString();
  const JsonValue* properties = schema->Find("properties");
  ASSERT_NE(properties, nullptr);
  const JsonValue* costs = properties->Find("costs");
  ASSERT_NE(costs, nullptr);
  const JsonValue* keys = costs->Find("properties");
  ASSERT_NE(keys, nullptr);
  std::set<std::string> parser;
  for (const ScenarioCostKey& key : ScenarioCostKeys()) {
    parser.insert(key.key);
    const JsonValue* entry = keys->Find(key.key);
    EXPECT_NE(entry, nullptr) << "costs." << key.key << " is accepted by the parser but missing from the schema";
    if (entry == nullptr) continue;
    if (const JsonValue* min = entry->Find("minimum")) {
      EXPECT_DOUBLE_EQ(min->number, key.min) << key.key;
    }
    if (const JsonValue* max = entry->Find("maximum")) {
      EXPECT_DOUBLE_EQ(max->number, key.max) << key.key;
    }
  }
  for (const JsonValue::Member& member : keys->members) {
    EXPECT_TRUE(parser.count(member.key)) << "costs." << member.key << " is in the schema but the parser rejects it";
  }
}

TEST(ScenarioTest, ParsesMoney) {
  EXPECT_DOUBLE_EQ(ParseMoney("50M CNY")->first, 50e6);
  EXPECT_EQ(ParseMoney("7.5e6 USD")->second, "USD");
  EXPECT_EQ(ParseMoney("1000")->second, "");
  EXPECT_FALSE(ParseMoney("a lot").ok());
}


// The semantic bad-input corpus (tests/bad_inputs/semantic/): files that are
// valid YAML, CSV or JSON but say something impossible (1e20 tokens, a zero
// price, a lead time of 20 years, a card of 1e-300 TFLOPS, 0 hidden size).
// Each must be rejected by its real parser with one line that names the file,
// the line and the field, carries a fix (hint), and contains the text that
// semantic/expected.txt gives for it. The prefix names the parser.
namespace semantic {

namespace fs = std::filesystem;

// Returns the outcome of the parser the file name's prefix names.
Status ParseByPrefix(const fs::path& path) {
  SUANLI_ASSIGN_OR_RETURN(const std::string text, ReadTextFile(path.string()));
  const std::string name = path.filename().string();
  const auto starts = [&](std::string_view prefix) { return name.rfind(prefix, 0) == 0; };
  const SkuResolver resolver = MakeListResolver({"h100-sxm", "h800-sxm", "a800-sxm", "910b"});
  Status status = OkStatus();
  const auto keep = [&status](const auto& result) {
    if (!result.ok()) status = result.error();
  };
  if (starts("scenario-")) keep(ParseScenario(text, name));
  else if (starts("quotes-") && path.extension() == ".csv") keep(ParseQuotesCsv(text, name, resolver));
  else if (starts("quotes-")) keep(ParseQuotes(text, name, resolver));
  else if (starts("accelerators-")) keep(ParseAccelerators(text, name));
  else if (starts("systems-")) keep(ParseSystems(text, name));
  else if (starts("model-") && path.extension() == ".json") keep(ImportHfConfig(text, name));
  else if (starts("model-")) keep(ParseModelList(text, name));
  else return MakeError("no parser for this file name prefix", name);
  return status;
}

TEST(SemanticBadInputs, EveryFileIsRejectedNamingFileLineFieldAndFix) {
  const fs::path dir = fs::path(SUANLI_EXAMPLES_DIR) / ".." / "tests" / "bad_inputs" / "semantic";
  const std::map<std::string, std::string> expected = bad_inputs::ReadExpected(dir);
  std::set<std::string> seen;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name == "expected.txt" || name == "README.md") continue;
    seen.insert(name);
    const Status status = ParseByPrefix(entry.path());
    bad_inputs::ExpectRejected(name, status, expected);
    if (status.ok()) continue;
    const Error& error = status.error();
    EXPECT_EQ(error.where.rfind(name + ":", 0), 0u) << "file and line not named: " << error.ToString();
    EXPECT_NE(error.where.find(' '), std::string::npos) << "field not named: " << error.ToString();
    EXPECT_FALSE(error.hint.empty()) << "no fix given: " << error.ToString();
  }
  bad_inputs::ExpectAllSeen(seen, expected, 30);
}

}  // namespace semantic

}  // namespace
}  // namespace suanli
