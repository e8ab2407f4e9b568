// Test fixture for the quote store tests: a fresh temporary directory per
// test and the embedded seed market.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "market/store.h"

namespace suanli {

class StoreFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("suanli_store_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto market = LoadSeedMarket();
    ASSERT_TRUE(market.ok()) << market.error().ToString();
    seed_ = std::move(*market);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  // Returns the path of `name` in the test's directory.
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }
  // Returns store options that seed a new store with the seed market.
  StoreOptions Options() {
    StoreOptions options;
    options.seed = &seed_;
    return options;
  }
  // Writes `text` to `name` in the test's directory; returns its path.
  std::string Write(const std::string& name, const std::string& text) const {
    std::ofstream(Path(name), std::ios::binary) << text;
    return Path(name);
  }
  // Returns the bytes of the file at `path`.
  static std::string ReadBytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
  }

  // Returns a CSV quote file of `rows` rows with ids "<prefix>-<n>".
  static std::string QuoteCsv(const std::string& prefix, int rows) {
    std::string out = "id,supplier,channel,sku,unit_price,currency,observed,lead_weeks_likely,source,notes\n";
    out.reserve(static_cast<size_t>(rows) * 120);
    for (int i = 0; i < rows; ++i)
      out += fmt::format("{}-{},supplier {},reseller,a800-sxm-80gb,{},CNY,2024-03-{:02},{},test,row {}\n", prefix, i,
                         i % 97, 80000 + i * 0.125, 1 + i % 28, i % 9, i);
    return out;
  }
  // Returns the number of stored quotes with ids "<prefix>-..." (a primary-key range, read in
  // one statement: one snapshot), or -1 when the store cannot be read.
  static int CountIds(const std::string& path, const std::string& prefix) {
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
      sqlite3_close(db);
      return -1;
    }
    sqlite3_busy_timeout(db, 2000);
    sqlite3_stmt* stmt = nullptr;
    sqlite3_prepare_v2(db, "SELECT count(*) FROM quotes WHERE id >= ? AND id < ?;", -1, &stmt, nullptr);
    const std::string low = prefix + "-", high = prefix + ".";
    sqlite3_bind_text(stmt, 1, low.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt, 2, high.c_str(), -1, SQLITE_TRANSIENT);
    const int count = sqlite3_step(stmt) == SQLITE_ROW ? sqlite3_column_int(stmt, 0) : -1;
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return count;
  }

  std::filesystem::path dir_;
  Market seed_;
};

}  // namespace suanli
