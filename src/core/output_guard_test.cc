#include "core/output_guard.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

namespace suanli {
namespace {

class OutputGuardTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("suanli-output-guard-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
    input_ = (dir_ / "runs.csv").string();
    std::ofstream(input_) << "id\n";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
  std::string input_;
};

TEST_F(OutputGuardTest, RefusesAnOutputThatIsAPositionalInput) {
  const Status status = CheckOutputsAreNotInputs({input_, "--output", input_});
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().where, "--output");
  EXPECT_NE(status.error().message.find(input_), std::string::npos);
}

TEST_F(OutputGuardTest, ComparesFilesNotSpellings) {
  const std::string other_spelling = (dir_ / "." / "runs.csv").string();
  EXPECT_FALSE(CheckOutputsAreNotInputs({"--db", input_, "export", "--output=" + other_spelling}).ok());
  EXPECT_FALSE(CheckOutputsAreNotInputs({"--report", other_spelling, "--model", input_}).ok());
}

TEST_F(OutputGuardTest, AllowsNewFilesAndOtherFiles) {
  const std::string fresh = (dir_ / "out.txt").string();
  EXPECT_TRUE(CheckOutputsAreNotInputs({input_, "--output", fresh}).ok());
  const std::string existing_other = (dir_ / "old.txt").string();
  std::ofstream(existing_other) << "x\n";
  EXPECT_TRUE(CheckOutputsAreNotInputs({input_, "--output", existing_other}).ok());  // overwriting an old output is fine
  EXPECT_TRUE(CheckOutputsAreNotInputs({input_, "--quiet"}).ok());
}

}  // namespace
}  // namespace suanli
