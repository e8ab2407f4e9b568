// The quote store shared between processes: two `market import`s at once, and
// a reader while another process imports (forked children, as two suanli runs).
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <vector>
#include <fstream>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "market/store.h"
#include "market/store_test_fixture.h"

namespace suanli {
namespace {

// What a child process reports about its import (exit code of the child).
enum ChildOutcome : int { kImported = 0, kBusy = 10, kOtherError = 20, kPartial = 30 };

class StoreConcurrencyTest : public StoreFixture {
 protected:
  // Forks a process that opens the store at `path` and imports `file` (`rows` rows); it writes
  // its error and the seconds the import took to `report`, and exits with a ChildOutcome.
  pid_t ForkImport(const std::string& path, const std::string& file, int rows, const std::string& report) {
    const pid_t pid = ::fork();
    if (pid != 0) return pid;
    ChildOutcome outcome = kOtherError;
    std::string message;
    const auto start = std::chrono::steady_clock::now();
    auto store = QuoteStore::Open(path, Options());
    if (!store.ok()) {
      message = store.error().ToString();
    } else {
      auto imported = store->ImportFile(file, nullptr);
      if (!imported.ok()) {
        message = imported.error().ToString();
        outcome = message.find("locked") != std::string::npos ? kBusy : kOtherError;
      } else {
        outcome = imported->imported == rows && imported->rejected.empty() ? kImported : kPartial;
        message = fmt::format("{} of {} rows", imported->imported, rows);
      }
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::ofstream(report) << seconds << "\n" << message << "\n";
    std::_Exit(outcome);
  }

  // Waits for `pid`; returns its exit code, or -1 when it did not exit normally.
  static int Wait(pid_t pid) {
    int status = 0;
    if (::waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) return -1;
    return WEXITSTATUS(status);
  }
};

// Two processes import at once. Each either lands whole or fails with the
// "locked" error after waiting out the 2 s busy timeout; at least one lands,
// and a failed one leaves none of its rows.
TEST_F(StoreConcurrencyTest, TwoProcessesImportingAtOnceBothLandOrOneIsBusy) {
  const std::string path = Path("q.db");
  ASSERT_TRUE(QuoteStore::Open(path, Options()).ok());
  constexpr int kRows = 20000;
  const std::string a = Write("a.csv", QuoteCsv("a", kRows)), b = Write("b.csv", QuoteCsv("b", kRows));
  const pid_t first = ForkImport(path, a, kRows, Path("a.txt"));
  const pid_t second = ForkImport(path, b, kRows, Path("b.txt"));
  ASSERT_GT(first, 0);
  ASSERT_GT(second, 0);
  const int outcomes[2] = {Wait(first), Wait(second)};
  const std::string reports[2] = {ReadBytes(Path("a.txt")), ReadBytes(Path("b.txt"))};
  const char* prefixes[2] = {"a", "b"};
  int landed = 0;
  for (int i = 0; i < 2; ++i) {
    SCOPED_TRACE(fmt::format("import {}: exit {}, report {}", prefixes[i], outcomes[i], reports[i]));
    ASSERT_TRUE(outcomes[i] == kImported || outcomes[i] == kBusy);
    if (outcomes[i] == kImported) {
      ++landed;
      EXPECT_EQ(CountIds(path, prefixes[i]), kRows);
    } else {
      EXPECT_EQ(CountIds(path, prefixes[i]), 0);
      EXPECT_GE(std::stod(reports[i]), 1.9);  // waited for the other writer first
    }
  }
  EXPECT_GE(landed, 1);
  // The store is whole and writable afterwards.
  auto store = QuoteStore::Open(path, Options());
  ASSERT_TRUE(store.ok()) << store.error().ToString();
  EXPECT_TRUE(store->CheckWritable().ok());
}

// A reader in another process sees the store before or after an import,
// never part of it.
TEST_F(StoreConcurrencyTest, ReaderProcessNeverSeesAPartialImport) {
  const std::string path = Path("q.db");
  ASSERT_TRUE(QuoteStore::Open(path, Options()).ok());
  constexpr int kRows = 50000;
  const pid_t writer = ForkImport(path, Write("w.csv", QuoteCsv("w", kRows)), kRows, Path("w.txt"));
  ASSERT_GT(writer, 0);
  int reads = 0, status = 0;
  while (::waitpid(writer, &status, WNOHANG) == 0) {
    const int seen = CountIds(path, "w");
    ASSERT_TRUE(seen == 0 || seen == kRows) << seen << " of " << kRows << " rows visible during the import";
    ++reads;
  }
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), kImported) << ReadBytes(Path("w.txt"));
  EXPECT_GT(reads, 0);
  auto after = QuoteStore::Open(path, Options());
  ASSERT_TRUE(after.ok()) << after.error().ToString();
  auto quotes = after->AllQuotes();
  ASSERT_TRUE(quotes.ok()) << quotes.error().ToString();
  EXPECT_EQ(CountIds(path, "w"), kRows);
}

// Several processes create the same new store at once (six `market add`s on a
// missing --db): each waits at a gate, then opens and adds its own quote. All
// succeed, the store holds the seed once and every added quote, and no
// temporary file is left beside it. Before, a process that found the file the
// first one was still seeding refused it as an empty (truncated) store.
TEST_F(StoreConcurrencyTest, ProcessesCreatingTheSameNewStoreAllSucceed) {
  constexpr int kProcesses = 6;
  const std::string path = Path("new.db"), gate = Path("gate");
  std::vector<pid_t> children;
  for (int i = 0; i < kProcesses; ++i) {
    const pid_t pid = ::fork();
    if (pid == 0) {
      while (!std::filesystem::exists(gate)) ::usleep(200);
      std::string message;
      auto store = QuoteStore::Open(path, Options());
      if (store.ok()) {
        Quote q = seed_.quotes.front();
        q.id = fmt::format("z{}", i);
        q.where.clear();
        const Status added = store->Add(q);
        if (!added.ok()) message = added.error().ToString();
      } else {
        message = store.error().ToString();
      }
      std::ofstream(Path(fmt::format("z{}.txt", i))) << message;
      std::_Exit(message.empty() ? 0 : 1);
    }
    ASSERT_GT(pid, 0);
    children.push_back(pid);
  }
  std::ofstream(gate) << "go";
  for (int i = 0; i < kProcesses; ++i)
    EXPECT_EQ(Wait(children[static_cast<size_t>(i)]), 0) << ReadBytes(Path(fmt::format("z{}.txt", i)));
  auto store = QuoteStore::Open(path, Options());
  ASSERT_TRUE(store.ok()) << store.error().ToString();
  auto quotes = store->AllQuotes();
  ASSERT_TRUE(quotes.ok()) << quotes.error().ToString();
  EXPECT_EQ(quotes->size(), seed_.quotes.size() + kProcesses);
  for (const auto& entry : std::filesystem::directory_iterator(dir_))
    EXPECT_EQ(entry.path().filename().string().find(".new-"), std::string::npos) << entry.path();
}

// A 0-byte file that is not being created is still a truncated store.
TEST_F(StoreConcurrencyTest, EmptyFileIsStillRefusedAsTruncated) {
  const std::string path = Write("empty.db", "");
  auto store = QuoteStore::Open(path, Options());
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().message.find("empty (0-byte)"), std::string::npos) << store.error().message;
  EXPECT_EQ(ReadBytes(path), "");
}

}  // namespace
}  // namespace suanli
