// Data test: every shipped seed quote passes every check that `market add`
// and `market import` apply to a new row (the catalog's release years, the
// FX table, today), and a fresh store's export imports back into a fresh
// store exactly, with those checks on, as `market import` runs them.
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "catalog/catalog_test_support.h"
#include "market/store.h"
#include "market/store_sql.h"
#include "plan/catalog_quotes.h"

namespace suanli {
namespace {

TEST(SeedQuotesTest, EverySeedQuotePassesTheNewRowChecks) {
  auto seed = LoadSeedMarket(CatalogSkuResolver(EmbeddedCatalog()));
  ASSERT_TRUE(seed.ok()) << seed.error().ToString();
  NewQuoteContext checks = CatalogNewQuoteChecks(EmbeddedCatalog(), TodayUtc());
  checks.fx = &seed->fx;
  ASSERT_FALSE(seed->quotes.empty());
  for (const Quote& q : seed->quotes) {
    const std::string where = "seed quote " + q.id;
    for (const Status& status : {ValidateQuote(q, where), ValidateQuoteText(q, where), CheckNewQuote(q, checks, where)})
      EXPECT_TRUE(status.ok()) << status.error().ToString();
  }
}

TEST(SeedQuotesTest, FreshStoreExportImportsIntoAFreshStoreExactly) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("suanli_seed_quotes_test_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto seed = LoadSeedMarket(CatalogSkuResolver(EmbeddedCatalog()));
  ASSERT_TRUE(seed.ok()) << seed.error().ToString();
  StoreOptions options;
  options.seed = &*seed;
  std::vector<Quote> before;
  {
    auto store = QuoteStore::Open((dir / "f1.db").string(), options);
    ASSERT_TRUE(store.ok()) << store.error().ToString();
    before = *store->AllQuotes();
  }
  for (const std::string name : {"fresh.csv", "fresh.yaml"}) {
    const std::string file = (dir / name).string();
    std::ofstream(file, std::ios::binary) << (name == "fresh.csv" ? QuotesToCsv(before) : QuotesToYaml(before));
    auto store = QuoteStore::Open((dir / (name + ".db")).string(), options);
    ASSERT_TRUE(store.ok()) << store.error().ToString();
    ASSERT_TRUE(store->CheckNewQuotes(CatalogNewQuoteChecks(EmbeddedCatalog(), TodayUtc())).ok());
    auto report = store->ImportFile(file, CatalogSkuResolver(EmbeddedCatalog()));
    ASSERT_TRUE(report.ok()) << report.error().ToString();
    for (const Error& error : report->rejected) ADD_FAILURE() << name << ": " << error.ToString();
    EXPECT_EQ(report->skipped, static_cast<int>(before.size())) << name;
    EXPECT_EQ(report->imported, 0) << name;
    const std::vector<Quote> after = *store->AllQuotes();
    ASSERT_EQ(after.size(), before.size());
    for (size_t i = 0; i < after.size(); ++i)
      EXPECT_EQ(FirstDifferentQuoteField(before[i], after[i]), "") << name << " " << before[i].id;
    EXPECT_EQ(QuotesToCsv(after), QuotesToCsv(before)) << name;
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace suanli
