#include "core/text_file.h"

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

namespace suanli {
namespace {

namespace fs = std::filesystem;

class TextFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("suanli_text_file_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Write(const std::string& name, const std::string& bytes) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }
  fs::path dir_;
};

TEST_F(TextFileTest, ReadsRegularFile) {
  EXPECT_EQ(*ReadTextFile(Write("a.yaml", "a: 1\n")), "a: 1\n");
}

TEST_F(TextFileTest, RefusesDirectoryFifoAndDevice) {
  auto dir = ReadTextFile(dir_.string());
  ASSERT_FALSE(dir.ok());
  EXPECT_EQ(dir.error().where, dir_.string());
  EXPECT_NE(dir.error().message.find("directory"), std::string::npos);

  const std::string fifo = (dir_ / "pipe.yaml").string();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const auto start = std::chrono::steady_clock::now();
  auto read = ReadTextFile(fifo);  // no writer: must not block
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  ASSERT_FALSE(read.ok());
  EXPECT_NE(read.error().message.find("FIFO"), std::string::npos);
  EXPECT_EQ(read.error().where, fifo);

  auto device = ReadTextFile("/dev/zero");
  ASSERT_FALSE(device.ok());
  EXPECT_NE(device.error().message.find("device"), std::string::npos);
}

TEST_F(TextFileTest, MissingFileAndSizeLimit) {
  EXPECT_NE(ReadTextFile((dir_ / "none.yaml").string()).error().message.find("cannot open"),
            std::string::npos);
  const std::string path = Write("big.csv", std::string(2000, 'x'));
  auto big = ReadTextFile(path, 1024);
  ASSERT_FALSE(big.ok());
  EXPECT_NE(big.error().message.find("1.0 KiB limit"), std::string::npos);
  EXPECT_TRUE(ReadTextFile(path, 2000).ok());
  EXPECT_EQ(kMaxTextFileBytes, 256 * 1024 * 1024);
}

TEST(StripUtf8Bom, OnlyAtStart) {
  EXPECT_EQ(StripUtf8Bom("\xEF\xBB\xBFid,name"), "id,name");
  EXPECT_EQ(StripUtf8Bom("id\xEF\xBB\xBF"), "id\xEF\xBB\xBF");
  EXPECT_EQ(StripUtf8Bom(""), "");
}

}  // namespace
}  // namespace suanli
