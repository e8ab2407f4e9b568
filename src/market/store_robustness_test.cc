// The quote store under abuse: killed imports, concurrent writers and
// readers, truncated, foreign and damaged files, exact round trips.
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "market/store.h"
#include "market/store_check.h"
#include "market/store_test_fixture.h"

namespace suanli {
namespace {

namespace fs = std::filesystem;

class StoreRobustnessTest : public StoreFixture {
 protected:
  // Returns the number of stored quotes whose id starts with `prefix`.
  static int CountPrefix(const std::vector<Quote>& quotes, const std::string& prefix) {
    int n = 0;
    for (const auto& q : quotes) n += q.id.rfind(prefix, 0) == 0 ? 1 : 0;
    return n;
  }
  Quote OneQuote(const std::string& id) {
    Quote q = seed_.quotes.front();
    q.id = id;
    q.where.clear();
    return q;
  }

};

TEST_F(StoreRobustnessTest, ZeroLengthFileIsAnErrorNotReseeded) {
  const std::string path = Write("q.db", "");
  auto store = QuoteStore::Open(path, Options());
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().message.find("empty (0-byte)"), std::string::npos) << store.error().ToString();
  EXPECT_EQ(store.error().where, path);
  EXPECT_NE(store.error().hint.find("market repair --db " + path + " --from"), std::string::npos);
  EXPECT_EQ(fs::file_size(path), 0u);  // left as found
  auto check = CheckStore(path);
  ASSERT_TRUE(check.ok());
  EXPECT_FALSE(check->ok);
  StoreOptions fresh = Options();
  fresh.fresh = true;  // an explicit --fresh may start over
  EXPECT_TRUE(QuoteStore::Open(path, fresh).ok());
}

// adversary report items 6 and 11: a mistyped --db must not create a new
// seeded store (nor its folders), and odd paths are named for what they are.
TEST_F(StoreRobustnessTest, MissingStoreIsRefusedWhenNotToBeCreated) {
  StoreOptions options = Options();
  options.create_missing = false;
  const std::string path = Path("mybok.db");
  auto store = QuoteStore::Open(path, options);
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().message.find("quote store " + path + " not found; create it with `suanli market --db " +
                                       path + " init`"),
            std::string::npos)
      << store.error().ToString();
  EXPECT_FALSE(fs::exists(path));
  StoreOptions no_dirs = Options();
  no_dirs.create_directories = false;
  const std::string nested = Path("no/such/dir/q.db");
  auto in_missing_folder = QuoteStore::Open(nested, no_dirs);
  ASSERT_FALSE(in_missing_folder.ok());
  EXPECT_NE(in_missing_folder.error().message.find("does not exist"), std::string::npos);
  EXPECT_FALSE(fs::exists(Path("no")));
}

TEST_F(StoreRobustnessTest, DirectoriesMemoryAndProcFilesAreNamedForWhatTheyAre) {
  auto dir = ClassifyStoreFile(Path(""));
  ASSERT_FALSE(dir.ok());
  EXPECT_NE(dir.error().message.find("a directory"), std::string::npos) << dir.error().ToString();
  auto memory = CheckStore(":memory:");
  ASSERT_FALSE(memory.ok());
  EXPECT_NE(memory.error().message.find("in-memory"), std::string::npos) << memory.error().ToString();
  if (fs::exists("/proc/version")) {  // reports 0 bytes, yet holds text: not an empty store
    auto proc = ClassifyStoreFile("/proc/version");
    ASSERT_FALSE(proc.ok());
    EXPECT_NE(proc.error().message.find("not a SQLite database"), std::string::npos) << proc.error().ToString();
  }
  if (fs::exists("/dev/null")) {
    auto device = ClassifyStoreFile("/dev/null");
    ASSERT_FALSE(device.ok());
    EXPECT_NE(device.error().message.find("not a regular file"), std::string::npos);
  }
}

TEST_F(StoreRobustnessTest, ForeignFilesAreNamedAndLeftAlone) {
  const std::string notes = Write("notes.db", "my notes, not a database\n");
  auto opened = QuoteStore::Open(notes, Options());
  ASSERT_FALSE(opened.ok());
  EXPECT_NE(opened.error().message.find("not a SQLite database"), std::string::npos);
  EXPECT_EQ(opened.error().where, notes);
  EXPECT_FALSE(CheckStore(notes).ok());
  EXPECT_FALSE(RepairStore(notes, Write("e.csv", QuoteCsv("e", 1))).ok());
  std::ifstream in(notes);
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), "my notes, not a database\n");
}

TEST_F(StoreRobustnessTest, CorruptPageRefusesWritesAndRepairRebuilds) {
  const std::string path = Path("q.db");
  const std::string export_file = Path("export.csv");
  size_t stored = 0;
  {
    auto store = QuoteStore::Open(path, Options());
    ASSERT_TRUE(store.ok());
    auto imported = store->ImportFile(Write("in.csv", QuoteCsv("c", 3000)), nullptr);
    ASSERT_TRUE(imported.ok() && imported->rejected.empty());
    ASSERT_TRUE(store->AddFx(FxRate{*ParseMarketDate("2031-01-01"), "USD", "CNY", 7.25, "test"}).ok());
    auto quotes = store->AllQuotes();
    stored = quotes->size();
    std::ofstream(export_file) << QuotesToCsv(*quotes);
  }
  {
    // Garbage over a page in the middle of the file.
    const auto size = fs::file_size(path);
    std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(static_cast<std::streamoff>((size / 4096 / 2) * 4096));
    file << std::string(4096, '\xA5');
  }
  auto store = QuoteStore::Open(path, Options());
  ASSERT_TRUE(store.ok()) << store.error().ToString();
  Status added = store->Add(OneQuote("after-damage"));
  ASSERT_FALSE(added.ok());
  EXPECT_NE(added.error().message.find("damaged"), std::string::npos) << added.error().ToString();
  // The commands of the hint act on the store given (--db), not the default one.
  EXPECT_NE(added.error().hint.find("suanli market check --db " + path), std::string::npos);
  EXPECT_NE(added.error().hint.find("suanli market repair --db " + path + " --from"), std::string::npos);
  auto import = store->ImportFile(Write("more.csv", QuoteCsv("m", 2)), nullptr);
  ASSERT_FALSE(import.ok());
  store = MakeError("closed", "");
  auto check = CheckStore(path);
  ASSERT_TRUE(check.ok()) << check.error().ToString();
  EXPECT_FALSE(check->ok);
  EXPECT_FALSE(check->problems.empty());

  RepairOptions repair_options;
  repair_options.seed = &seed_;
  auto repaired = RepairStore(path, export_file, repair_options);
  ASSERT_TRUE(repaired.ok()) << repaired.error().ToString();
  EXPECT_EQ(repaired->seed_skipped, static_cast<int>(seed_.quotes.size()));
  EXPECT_EQ(repaired->quotes_imported, 3000);
  EXPECT_TRUE(fs::exists(repaired->backup_path));
  auto after = CheckStore(path);
  ASSERT_TRUE(after.ok());
  EXPECT_TRUE(after->ok) << (after->problems.empty() ? "" : after->problems.front());
  auto reopened = QuoteStore::Open(path, Options());
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(reopened->AllQuotes()->size(), stored);
  EXPECT_TRUE(reopened->Add(OneQuote("after-repair")).ok());
}

// A writer killed in rollback-journal mode (stores made before WAL) leaves a
// hot journal; the next open rolls it back instead of failing read-only.
TEST_F(StoreRobustnessTest, HotJournalOfAKilledWriterIsRolledBack) {
  const std::string path = Path("q.db");
  ASSERT_TRUE(QuoteStore::Open(path, Options()).ok());
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "PRAGMA journal_mode=DELETE;", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
  }
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    sqlite3_exec(db, "PRAGMA cache_size=4; BEGIN;", nullptr, nullptr, nullptr);
    for (int i = 0; i < 3000; ++i)
      sqlite3_exec(db, fmt::format("INSERT INTO import_log (imported_at, file, rows, imported) "
                                   "VALUES ('x', '{}', 1, 1);", std::string(200, 'k')).c_str(),
                   nullptr, nullptr, nullptr);
    raise(SIGKILL);
  }
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status));
  ASSERT_TRUE(fs::exists(path + "-journal"));
  auto store = QuoteStore::Open(path, Options());
  ASSERT_TRUE(store.ok()) << store.error().ToString();
  EXPECT_EQ(*store->ImportLogCount(), 0);
  EXPECT_EQ(store->AllQuotes()->size(), seed_.quotes.size());
  EXPECT_TRUE(store->Add(OneQuote("after-kill")).ok());
}

// SIGKILL at 20 random points of a 200k-row import: the import is all or
// nothing, earlier imports stay, the next command works.
TEST_F(StoreRobustnessTest, KillNineDuringImportLosesNothingCommitted) {
  const std::string path = Path("q.db");
  constexpr int kRows = 200000;
  auto started = std::chrono::steady_clock::now();
  {
    auto store = QuoteStore::Open(path, Options());
    ASSERT_TRUE(store.ok());
    auto base = store->ImportFile(Write("base.csv", QuoteCsv("base", kRows)), nullptr);
    ASSERT_TRUE(base.ok() && base->imported == kRows);
  }
  const auto import_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
  std::mt19937 random(20260101);
  // Kill points spread over the import (the child also opens and reads first).
  std::uniform_int_distribution<int> delay_ms(0, static_cast<int>(import_ms));
  int committed_batches = 0;
  std::string prefix, file;
  for (int round = 0; round < 20; ++round) {
    // A killed import leaves its ids free: the file is reused until one commits.
    if (prefix != fmt::format("k{}", committed_batches)) {
      prefix = fmt::format("k{}", committed_batches);
      file = Write(prefix + ".csv", QuoteCsv(prefix, kRows));
    }
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      auto store = QuoteStore::Open(path, Options());
      const bool ok = store.ok() && store->ImportFile(file, nullptr).ok();
      _exit(ok ? 0 : 1);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(random)));
    kill(child, SIGKILL);
    int status = 0;
    waitpid(child, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status) || WEXITSTATUS(status) == 0) << "round " << round;
    auto store = QuoteStore::Open(path, Options());  // the next command opens and works
    ASSERT_TRUE(store.ok()) << "round " << round << ": " << store.error().ToString();
    EXPECT_EQ(CountIds(path, "base"), kRows);
    const int batch = CountIds(path, prefix);
    EXPECT_TRUE(batch == 0 || batch == kRows) << "round " << round << ": partial import of " << batch;
    committed_batches += batch == kRows ? 1 : 0;
    EXPECT_EQ(*store->ImportLogCount(), 1 + committed_batches);
  }
  auto store = QuoteStore::Open(path, Options());
  ASSERT_TRUE(store.ok());
  EXPECT_TRUE(store->Add(OneQuote("after-kills")).ok());
  auto quotes = store->AllQuotes();
  ASSERT_TRUE(quotes.ok()) << quotes.error().ToString();
  EXPECT_EQ(quotes->size(), seed_.quotes.size() + static_cast<size_t>(kRows) * (1 + committed_batches) + 1);
  auto check = CheckStore(path);
  ASSERT_TRUE(check.ok());
  EXPECT_TRUE(check->ok);
}

TEST_F(StoreRobustnessTest, ReadersSeeTheLastCommitDuringAWrite) {
  const std::string path = Path("q.db");
  ASSERT_TRUE(QuoteStore::Open(path, Options()).ok());
  auto writer = QuoteStore::Open(path, Options());
  ASSERT_TRUE(writer.ok());
  std::atomic<bool> importing{true};
  std::thread import_thread([&] {
    auto report = writer->ImportFile(Write("big.csv", QuoteCsv("w", 50000)), nullptr);
    EXPECT_TRUE(report.ok() && report->imported == 50000);
    importing = false;
  });
  int reads = 0;
  while (importing) {
    auto reader = QuoteStore::Open(path, Options());
    ASSERT_TRUE(reader.ok()) << reader.error().ToString();
    auto quotes = reader->AllQuotes();
    ASSERT_TRUE(quotes.ok()) << quotes.error().ToString();
    const int seen = CountPrefix(*quotes, "w-");
    EXPECT_TRUE(seen == 0 || seen == 50000) << seen;
    ++reads;
  }
  import_thread.join();
  EXPECT_GT(reads, 0);
  EXPECT_EQ(CountPrefix(*QuoteStore::Open(path, Options())->AllQuotes(), "w-"), 50000);
}

TEST_F(StoreRobustnessTest, TwoWritersWaitForEachOther) {
  const std::string path = Path("q.db");
  ASSERT_TRUE(QuoteStore::Open(path, Options()).ok());
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE;", nullptr, nullptr, nullptr), SQLITE_OK);
  StoreOptions impatient = Options();
  impatient.busy_timeout_ms = 50;
  auto quick = QuoteStore::Open(path, impatient);
  ASSERT_TRUE(quick.ok());
  Status refused = quick->Add(OneQuote("impatient"));
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("locked"), std::string::npos) << refused.error().ToString();
  // The default 2 s timeout outlasts a writer that finishes in 300 ms.
  std::thread release([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    sqlite3_exec(other, "COMMIT;", nullptr, nullptr, nullptr);
  });
  auto patient = QuoteStore::Open(path, Options());
  ASSERT_TRUE(patient.ok());
  Status waited = patient->Add(OneQuote("patient"));
  release.join();
  sqlite3_close(other);
  EXPECT_TRUE(waited.ok()) << waited.error().ToString();
  // Two imports at once: both land, one after the other. Each is kept small
  // enough to finish well inside the other's 2 s busy timeout, also under
  // the sanitizer build; a longer import makes the second writer fail with
  // "locked" (tested above), never interleave.
  auto first = QuoteStore::Open(path, Options());
  auto second = QuoteStore::Open(path, Options());
  const std::string a = Write("a.csv", QuoteCsv("a", 2000)), b = Write("b.csv", QuoteCsv("b", 2000));
  Result<ImportReport> first_report = MakeError("not run", "");
  std::thread other_import([&] { first_report = first->ImportFile(a, nullptr); });
  const Result<ImportReport> second_report = second->ImportFile(b, nullptr);
  other_import.join();
  ASSERT_TRUE(first_report.ok()) << first_report.error().ToString();
  ASSERT_TRUE(second_report.ok()) << second_report.error().ToString();
  EXPECT_TRUE(first_report->rejected.empty());
  EXPECT_TRUE(second_report->rejected.empty());
  auto quotes = QuoteStore::Open(path, Options())->AllQuotes();
  ASSERT_TRUE(quotes.ok());
  EXPECT_EQ(CountPrefix(*quotes, "a-"), 2000);
  EXPECT_EQ(CountPrefix(*quotes, "b-"), 2000);
}

}  // namespace
}  // namespace suanli

namespace suanli {
namespace {

// Manual measurement (peak memory, time): imports $SUANLI_IMPORT_FILE into a
// new store at $SUANLI_IMPORT_DB. Run with --gtest_also_run_disabled_tests
// under /usr/bin/time -v.
TEST(StoreImportMeasure, DISABLED_ImportFileFromEnvironment) {
  const char* file = std::getenv("SUANLI_IMPORT_FILE");
  const char* db = std::getenv("SUANLI_IMPORT_DB");
  ASSERT_TRUE(file != nullptr && db != nullptr) << "set SUANLI_IMPORT_FILE and SUANLI_IMPORT_DB";
  StoreOptions options;
  options.fresh = true;
  auto store = QuoteStore::Open(db, options);
  ASSERT_TRUE(store.ok()) << store.error().ToString();
  const auto start = std::chrono::steady_clock::now();
  auto report = store->ImportFile(file, nullptr);
  ASSERT_TRUE(report.ok()) << report.error().ToString();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  fmt::print("imported {} of {} rows ({} rejected) in {:.2f} s\n", report->imported, report->rows,
             report->rejected.size(), seconds);
}

}  // namespace
}  // namespace suanli
