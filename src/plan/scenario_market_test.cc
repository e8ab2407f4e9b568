// A scenario's own export rules and licences, every bad inline quote in one
// report, and one classification of quotes for `plan` and `market list`.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "catalog/catalog_test_support.h"
#include "core/json_reader.h"
#include "core/text_file.h"
#include "market/store.h"
#include "plan/catalog_quotes.h"
#include "plan/market_adapter.h"
#include "plan/scenario.h"

namespace suanli {
namespace {

Result<PlanMarket> Load(const std::string& text) {
  auto scenario = ParseScenario(text, "s.yaml");
  if (!scenario.ok()) return scenario.error();
  return LoadPlanMarket(*scenario, EmbeddedCatalog());
}

const PlanQuote* Find(const PlanMarket& market, const std::string& id) {
  for (const PlanQuote& q : market.quotes)
    if (q.id == id) return &q;
  return nullptr;
}

// An H20 card quoted to a CN enterprise in 2025-09, after the H20 licence rule.
std::string H20Scenario(const std::string& buyer_extra, const std::string& market_extra) {
  return "buyer: {region: CN, tier: enterprise, date: 2025-09-15, currency: CNY" + buyer_extra +
         "}\n"
         "workload:\n  train: {model: aquila-7b, tokens: 1T}\n"
         "market:\n  use_seed: false\n" + market_extra +
         "  quotes:\n"
         "    - {id: h20-q, supplier: S, channel: national-distributor, sku: h20-96gb, unit: card,\n"
         "       unit_price: 100000, currency: CNY, observed: 2025-09-10, lead_weeks_min: 1,\n"
         "       lead_weeks_likely: 2, lead_weeks_max: 3, regions: [CN], source: test}\n";
}

TEST(ScenarioRulesTest, ALicenceTheBuyerHoldsLiftsItsRule) {
  auto without = Load(H20Scenario("", ""));
  ASSERT_TRUE(without.ok()) << without.error().ToString();
  ASSERT_NE(Find(*without, "h20-q"), nullptr);
  EXPECT_FALSE(Find(*without, "h20-q")->allowed);
  EXPECT_EQ(Find(*without, "h20-q")->blocked_category, "rule");

  auto with = Load(H20Scenario(", licences: [usg-h20-licences-2025-08]", ""));
  ASSERT_TRUE(with.ok()) << with.error().ToString();
  const PlanQuote* q = Find(*with, "h20-q");
  ASSERT_NE(q, nullptr);
  EXPECT_TRUE(q->allowed);
  EXPECT_NE(q->warning.find("buyer holds one"), std::string::npos) << q->warning;
}

TEST(ScenarioRulesTest, AnUnknownLicenceIsBadInputWithTheNearestIds) {
  auto market = Load(H20Scenario(", licences: [usg-h20-licence-2025-08]", ""));
  ASSERT_FALSE(market.ok());
  EXPECT_EQ(market.error().where.substr(0, 7), "s.yaml:") << market.error().ToString();
  EXPECT_NE(market.error().where.find("buyer.licences"), std::string::npos) << market.error().ToString();
  EXPECT_NE(market.error().hint.find("usg-h20-licences-2025-08"), std::string::npos) << market.error().ToString();
  // A ban is not lifted by a licence.
  auto ban = Load(H20Scenario(", licences: [bis-2022-10-07]", ""));
  ASSERT_FALSE(ban.ok());
  EXPECT_NE(ban.error().message.find("ban"), std::string::npos) << ban.error().ToString();
}

TEST(ScenarioRulesTest, AScenarioRuleAtDeliveryBlocksTheQuote) {
  // What if H20 sales to China were banned from 2025-09-20, inside the lead time?
  const std::string rule =
      "  export_rules:\n"
      "    - {id: what-if-h20-ban, effective: 2025-09-20, skus: [H20], regions: [CN, HK, MO], action: ban,\n"
      "       summary: what-if ban, source: scenario assumption}\n";
  auto market = Load(H20Scenario(", licences: [usg-h20-licences-2025-08]", rule));
  ASSERT_TRUE(market.ok()) << market.error().ToString();
  const PlanQuote* q = Find(*market, "h20-q");
  ASSERT_NE(q, nullptr);
  EXPECT_FALSE(q->allowed);  // the likely delivery 2025-09-29 falls under the new ban
  EXPECT_EQ(q->blocked_category, "rule");
  EXPECT_NE(q->blocked_reason.find("what-if-h20-ban"), std::string::npos) << q->blocked_reason;
  EXPECT_TRUE(std::any_of(market->notes.begin(), market->notes.end(), [](const std::string& n) {
    return n.find("what-if-h20-ban") != std::string::npos;
  }));
  // A rule without a source is bad input at its line.
  auto unsourced = Load(H20Scenario("", "  export_rules:\n    - {id: x, effective: 2025-09-20, skus: [h20], "
                                        "region: CN, action: ban, summary: s}\n"));
  ASSERT_FALSE(unsourced.ok());
  EXPECT_NE(unsourced.error().where.find("market.export_rules[0]"), std::string::npos)
      << unsourced.error().ToString();
  // An unknown SKU names the rule's skus field.
  auto sku = Load(H20Scenario("", "  export_rules:\n    - {id: x, effective: 2025-09-20, skus: [h2000], "
                                  "region: CN, action: ban, summary: s, source: t}\n"));
  ASSERT_FALSE(sku.ok());
  EXPECT_NE(sku.error().where.find("market.export_rules[0].skus"), std::string::npos) << sku.error().ToString();
}

TEST(ScenarioQuotesTest, EveryProblemOfEveryBadQuoteIsListed) {
  const std::string text =
      "buyer: {region: CN, tier: startup, date: 2026-12-10, currency: CNY}\n"
      "workload:\n  train: {model: aquila-7b, tokens: 1T}\n"
      "market:\n  use_seed: false\n  quotes:\n"
      "    - {id: a, supplier: S, channel: reseller, sku: a800, unit_price: 1, currency: CNY, observed: 2026-12-01,"
      " lead_weeks_min: 5, lead_weeks_likely: 2, lead_weeks_max: 6, source: t}\n"
      "    - {id: b, supplier: S, channel: reseller, sku: ascend-910cc, unit_price: 1, currency: CNY,"
      " observed: 2026-12-01, source: t}\n"
      "    - {id: c, supplier: S, channel: reseller, sku: a800, unit_price: -1, currency: CNY,"
      " observed: 2026-02-30, source: t}\n"
      "    - {id: d, supplier: S, channel: reseller, sku: a800, unit_price: 1, currency: CNY,"
      " observed: 2026-12-01, source: t}\n";
  auto market = Load(text);
  ASSERT_FALSE(market.ok());
  const Error& e = market.error();
  EXPECT_NE(e.message.find("3 of 4 quotes are bad, 4 problems"), std::string::npos) << e.ToString();
  ASSERT_EQ(e.more.size(), 4u);
  std::set<std::string> fields;
  for (const Error& problem : e.more) {
    EXPECT_EQ(problem.where.substr(0, 7), "s.yaml:") << problem.ToString();
    fields.insert(problem.where.substr(problem.where.find(' ') + 1));
  }
  EXPECT_EQ(fields, (std::set<std::string>{"market.quotes[0].lead_weeks_min", "market.quotes[1].sku",
                                           "market.quotes[2].unit_price", "market.quotes[2].observed"}));
}

TEST(ScenarioMoneyTest, CurrencyInAnyCaseAndChineseMultipliers) {
  EXPECT_EQ(*ParseMoney("60M cny"), std::make_pair(60e6, std::string("CNY")));
  EXPECT_EQ(*ParseMoney("6000万"), std::make_pair(6e7, std::string("")));
  EXPECT_EQ(*ParseMoney("6000 万 CNY"), std::make_pair(6e7, std::string("CNY")));
  EXPECT_EQ(*ParseMoney("0.6亿元"), std::make_pair(6e7, std::string("CNY")));
  EXPECT_EQ(*ParseMoney("1.25 亿美元"), std::make_pair(1.25e8, std::string("USD")));
  EXPECT_EQ(*ParseMoney("500k Usd"), std::make_pair(5e5, std::string("USD")));
  // RMB is the renminbi's everyday name: CNY in any case, as 人民币 and 元.
  EXPECT_EQ(*ParseMoney("150M RMB"), std::make_pair(150e6, std::string("CNY")));
  EXPECT_EQ(*ParseMoney("150M rmb"), std::make_pair(150e6, std::string("CNY")));
  EXPECT_EQ(*ParseMoney("1.5亿人民币"), std::make_pair(1.5e8, std::string("CNY")));
  EXPECT_FALSE(ParseMoney("6000千").ok());
  EXPECT_FALSE(ParseMoney("60M dollars").ok());
  const std::string text =
      "buyer: {region: CN, tier: startup, date: 2026-12-10, currency: cny}\n"
      "workload:\n  train: {model: aquila-7b, tokens: 1T}\n"
      "constraints: {budget: 60M usd}\n";
  auto scenario = ParseScenario(text, "s.yaml");
  ASSERT_TRUE(scenario.ok()) << scenario.error().ToString();
  EXPECT_EQ(scenario->buyer.currency, "CNY");
  EXPECT_EQ(scenario->budget_currency, "USD");
}

// The quotes `market list --buyer CN --as-of D --tier enterprise` lists as
// excluded and the planner's on the same day get the same category.
TEST(OneClassificationTest, PlanAndMarketListAgreeOnEverySeedQuote) {
  auto seed = LoadSeedMarket(CatalogSkuResolver(EmbeddedCatalog()));
  ASSERT_TRUE(seed.ok()) << seed.error().ToString();
  for (const char* date : {"2026-12-01", "2024-06-01", "2023-11-20"}) {
    const std::string text = std::string("buyer: {region: CN, tier: enterprise, date: ") + date +
                             ", currency: CNY}\nworkload:\n  train: {model: aquila-7b, tokens: 1T}\n";
    auto plan = Load(text);
    ASSERT_TRUE(plan.ok()) << plan.error().ToString();
    QuoteFilter filter;
    filter.as_of = *ParseDate(date);
    filter.region = "CN";
    filter.buyer.tier = "enterprise";
    const QuoteListing listing = FilterQuotes(seed->quotes, seed->rules, filter);
    std::map<std::string, std::string> listed;  // id -> category
    for (const ListedQuote& l : listing.quotes) listed[l.quote.id] = std::string(QuoteCategoryName(l.category));
    for (const ListedQuote& l : listing.excluded) listed[l.quote.id] = std::string(QuoteCategoryName(l.category));
    for (const auto& [id, category] : listed) {
      const PlanQuote* q = Find(*plan, id);
      if (category == "future" || category == "expired" || category == "stale" || category == "superseded") {
        EXPECT_EQ(q, nullptr) << date << " " << id << ": list says " << category << ", the plan kept it";
        continue;
      }
      ASSERT_NE(q, nullptr) << date << " " << id << ": list says " << category << ", the plan dropped it";
      if (category == "ok" || category == "flagged") {
        // Only a rule in force at the likely delivery (which the list does not know) may block it.
        if (!q->allowed) {
          EXPECT_EQ(q->blocked_category, "rule") << date << " " << id;
          EXPECT_NE(q->blocked_reason.find("likely delivery"), std::string::npos) << date << " " << id;
        }
        continue;
      }
      EXPECT_FALSE(q->allowed) << date << " " << id;
      EXPECT_EQ(q->blocked_category, category) << date << " " << id << ": " << q->blocked_reason;
    }
    EXPECT_EQ(static_cast<std::ptrdiff_t>(plan->quotes.size()), std::count_if(listed.begin(), listed.end(), [](const auto& entry) {
                                         return entry.second != "future" && entry.second != "expired" &&
                                                entry.second != "stale" && entry.second != "superseded";
                                       })) << date;
  }
}

// docs/scenario.schema.json is written by hand: its buyer and export-rule
// keys must be the parser's.
TEST(ScenarioSchemaTest, ListsTheExportRuleKeysAndLicences) {
  const std::string path = std::string(SUANLI_DOCS_DIR) + "/scenario.schema.json";
  auto text = ReadTextFile(path);
  ASSERT_TRUE(text.ok()) << text.error().ToString();
  auto schema = ParseJson(*text, path);
  ASSERT_TRUE(schema.ok()) << schema.error().ToString();
  const JsonValue* properties = schema->Find("properties");
  ASSERT_NE(properties, nullptr);
  const JsonValue* buyer = properties->Find("buyer");
  ASSERT_NE(buyer, nullptr);
  EXPECT_NE(buyer->Find("properties")->Find("licences"), nullptr);
  const JsonValue* market = properties->Find("market")->Find("properties");
  const JsonValue* rules = market->Find("export_rules");
  ASSERT_NE(rules, nullptr);
  std::set<std::string> schema_keys;
  for (const JsonValue::Member& member : rules->Find("items")->Find("properties")->members)
    schema_keys.insert(member.key);
  const std::set<std::string> parser_keys(ExportRuleKeys().begin(), ExportRuleKeys().end());
  EXPECT_EQ(schema_keys, parser_keys);
}

}  // namespace
}  // namespace suanli
