// Test fixture for the quote store tests: a fresh temporary directory per
// test and the embedded seed market.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <gtest/gtest.h>

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

  std::filesystem::path dir_;
  Market seed_;
};

}  // namespace suanli
