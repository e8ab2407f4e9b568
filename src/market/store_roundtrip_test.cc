// Export -> import round trips through the quote store: exact numbers and
// text, a whole-store export into a new store, clean UTF-8 at the door.
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "market/store.h"
#include "market/store_test_fixture.h"

namespace suanli {
namespace {

namespace fs = std::filesystem;

class StoreRoundTripTest : public StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    options_.seed = &seed_;
  }
  // Returns a quote whose numbers need 17 digits and whose text has padding.
  Quote Awkward(const std::string& id) {
    Quote q = seed_.quotes.front();
    q.id = id;
    q.where.clear();
    q.unit_price = 87654.32109876543;
    q.lead_weeks_min = 1.0 / 3;
    q.lead_weeks_likely = 2.0 / 3;
    q.lead_weeks_max = 0.1 + 0.2 + 1;
    q.payment.deposit_fraction = 0.30000000000000004;
    q.supplier = "  Beijing, \"north\" yard  ";
    q.notes = " leading and trailing\t";
    q.includes_network = true;  // schema v3 column
    q.source = "line one\nline two";
    return q;
  }

  StoreOptions options_;
};

TEST_F(StoreRoundTripTest, WholeStoreExportReimportsExactlyIntoANewStore) {
  std::vector<Quote> before;
  {
    auto store = QuoteStore::Open((dir_ / "a.db").string(), options_);
    ASSERT_TRUE(store.ok());
    Status added = store->Add(Awkward("awkward-1"));
    ASSERT_TRUE(added.ok()) << added.error().ToString();
    before = *store->AllQuotes();
  }
  for (const std::string name : {"export.csv", "export.yaml"}) {
    const std::string text = name == "export.csv" ? QuotesToCsv(before) : QuotesToYaml(before);
    auto store = QuoteStore::Open((dir_ / (name + ".db")).string(), options_);
    ASSERT_TRUE(store.ok());
    auto report = store->ImportFile(Write(name, text), nullptr);
    ASSERT_TRUE(report.ok()) << report.error().ToString();
    ASSERT_TRUE(report->rejected.empty()) << report->rejected.front().ToString();
    EXPECT_EQ(report->skipped, static_cast<int>(seed_.quotes.size())) << name;
    EXPECT_EQ(report->imported, 1) << name;
    const std::vector<Quote> after = *store->AllQuotes();
    ASSERT_EQ(after.size(), before.size());
    for (size_t i = 0; i < after.size(); ++i)
      EXPECT_EQ(FirstDifferentQuoteField(before[i], after[i]), "") << name << " " << before[i].id;
  }
}

TEST_F(StoreRoundTripTest, ChangedSeedRowIsAnErrorNamingTheId) {
  auto store = QuoteStore::Open((dir_ / "a.db").string(), options_);
  ASSERT_TRUE(store.ok());
  std::vector<Quote> quotes = *store->AllQuotes();
  quotes.front().unit_price += 1;
  auto report = store->ImportFile(Write("changed.csv", QuotesToCsv(quotes)), nullptr);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->imported, 0);
  ASSERT_EQ(report->rejected.size(), 1u);
  EXPECT_NE(report->rejected[0].message.find("'" + quotes.front().id + "'"), std::string::npos);
  EXPECT_NE(report->rejected[0].message.find("unit_price"), std::string::npos) << report->rejected[0].ToString();
  EXPECT_EQ(report->rejected[0].where, dir_.string() + "/changed.csv:2");
}

TEST_F(StoreRoundTripTest, HandTypedCsvCellsAreTrimmedQuotedOnesKept) {
  const std::string csv =
      "id, supplier, channel, sku, unit_price, currency, observed, source, notes\n"
      "h-1,  Shop A , reseller, a800-sxm-80gb, 90000 , CNY, 2024-01-01, test,\" kept \"\n";
  auto store = QuoteStore::Open((dir_ / "a.db").string(), options_);
  ASSERT_TRUE(store.ok());
  auto report = store->ImportFile(Write("hand.csv", csv), nullptr);
  ASSERT_TRUE(report.ok());
  ASSERT_TRUE(report->rejected.empty()) << report->rejected.front().ToString();
  const std::vector<Quote> quotes = *store->AllQuotes();
  for (const auto& q : quotes) {
    if (q.id != "h-1") continue;
    EXPECT_EQ(q.supplier, "Shop A");
    EXPECT_EQ(q.notes, " kept ");
    EXPECT_EQ(q.unit_price, 90000);
  }
}

TEST_F(StoreRoundTripTest, Latin1AndNulBytesRejectedAtImportWithFileLineField) {
  auto store = QuoteStore::Open((dir_ / "a.db").string(), options_);
  ASSERT_TRUE(store.ok());
  const std::string header = "id,supplier,channel,sku,unit_price,currency,observed,source\n";
  const std::string latin1 = header + "l-1,ok,reseller,a800-sxm-80gb,1,CNY,2024-01-01,t\n" +
                             "l-2,Caf\xE9,reseller,a800-sxm-80gb,1,CNY,2024-01-01,t\n";
  auto report = store->ImportFile(Write("latin1.csv", latin1), nullptr);
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(report->rejected.size(), 1u);
  EXPECT_NE(report->rejected[0].where.find("latin1.csv:3 supplier"), std::string::npos)
      << report->rejected[0].ToString();
  EXPECT_EQ(report->imported, 0);
  const std::string nul = header + "n-1,a" + std::string(1, '\0') + "b,reseller,a800-sxm-80gb,1,CNY,2024-01-01,t\n";
  auto nul_report = store->ImportFile(Write("nul.csv", nul), nullptr);
  ASSERT_TRUE(nul_report.ok());
  ASSERT_EQ(nul_report->rejected.size(), 1u);
  EXPECT_NE(nul_report->rejected[0].where.find("nul.csv:2 supplier"), std::string::npos);
  // Text from `market add` is checked too.
  Quote added = seed_.quotes.front();
  added.id = "bad-notes";
  added.where.clear();
  added.notes = "caf\xE9";
  EXPECT_FALSE(store->Add(added).ok());
  EXPECT_EQ(store->AllQuotes()->size(), seed_.quotes.size());
}

TEST_F(StoreRoundTripTest, BadBytesWrittenByHandNameTheRowOnRead) {
  const std::string path = (dir_ / "a.db").string();
  ASSERT_TRUE(QuoteStore::Open(path, options_).ok());
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  const std::string id = seed_.quotes.front().id;
  ASSERT_EQ(sqlite3_exec(db, ("UPDATE quotes SET notes = CAST(X'436166E9' AS TEXT) WHERE id = '" + id + "';").c_str(),
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  auto quotes = QuoteStore::Open(path, options_)->AllQuotes();
  ASSERT_FALSE(quotes.ok());
  EXPECT_NE(quotes.error().where.find("quote " + id + " notes"), std::string::npos) << quotes.error().ToString();
}

}  // namespace
}  // namespace suanli
