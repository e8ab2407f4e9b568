#include "core/output_guard.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

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

// Returns the text of `path`.
std::string ReadAll(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Runs `body` with stdout sent to `path` through BeginOutputFile and ended by
// FinishOutputFile(keep); the test's own stdout is restored after.
Status WriteThroughOutput(const std::string& path, const char* text, bool keep) {
  std::fflush(stdout);
  const int saved = dup(STDOUT_FILENO);
  Status status = BeginOutputFile(path);
  if (status.ok()) {
    std::fputs(text, stdout);
    status = FinishOutputFile(keep);
  }
  std::fflush(stdout);
  dup2(saved, STDOUT_FILENO);
  close(saved);
  return status;
}

TEST_F(OutputGuardTest, AnAnswerReplacesTheFileAndBadInputLeavesItAsItWas) {
  const std::filesystem::path out = dir_ / "plan.json";
  ASSERT_TRUE(WriteThroughOutput(out.string(), "{\"good\": 1}\n", true).ok());
  EXPECT_EQ(ReadAll(out), "{\"good\": 1}\n");
  // A run that fails (exit 2) after printing part of its output: the old file stays, whole.
  ASSERT_TRUE(WriteThroughOutput(out.string(), "{\"bad", false).ok());
  EXPECT_EQ(ReadAll(out), "{\"good\": 1}\n");
  // No temporary file is left behind either way.
  size_t files = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir_)) ++files;
  EXPECT_EQ(files, 2u);  // runs.csv and plan.json
}

TEST_F(OutputGuardTest, AnOutputInAMissingFolderIsAnErrorAtOutput) {
  const Status status = WriteThroughOutput((dir_ / "no-such-folder" / "out.json").string(), "x", true);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().where, "--output");
}

TEST(OutputGuard, FinishingWithoutABeginDoesNothing) { EXPECT_TRUE(FinishOutputFile(true).ok()); }

}  // namespace
}  // namespace suanli
