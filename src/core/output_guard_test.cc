#include "core/output_guard.h"

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <stdio_ext.h>
#include <sys/resource.h>
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
  __fpurge(stdout);  // what a failed write left buffered must not reach the test's own stdout
  clearerr(stdout);
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

// Lowers the file-size limit to `bytes` while alive (SIGXFSZ ignored), so a
// write past it fails with EFBIG as a full disk fails with ENOSPC.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    getrlimit(RLIMIT_FSIZE, &saved_);
    old_handler_ = std::signal(SIGXFSZ, SIG_IGN);
    rlimit lower = saved_;
    lower.rlim_cur = bytes;
    setrlimit(RLIMIT_FSIZE, &lower);
  }
  ~FileSizeLimit() {
    setrlimit(RLIMIT_FSIZE, &saved_);
    std::signal(SIGXFSZ, old_handler_);
  }

 private:
  rlimit saved_{};
  void (*old_handler_)(int) = SIG_DFL;
};

const std::string kBig(100000, 'x');

TEST_F(OutputGuardTest, AFileThatCannotBeWrittenInFullIsAnErrorWithTheReason) {
  const std::string path = (dir_ / "model-error.yaml").string();
  Status status = OkStatus();
  {
    const FileSizeLimit limit(1000);
    status = WriteFileChecked(path, kBig, "--write-model-error");
  }
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().where, "--write-model-error");
  EXPECT_NE(status.error().message.find("cannot write " + path + ": File too large"), std::string::npos)
      << status.error().message;
  // A small write fails at the flush, not the fwrite: still an error.
  {
    const FileSizeLimit limit(0);
    status = WriteFileChecked(path, "ok\n", "--report");
  }
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().where, "--report");
  EXPECT_TRUE(WriteFileChecked(path, "ok\n", "--report").ok());
  EXPECT_EQ(ReadAll(path), "ok\n");
  EXPECT_FALSE(WriteFileChecked((dir_ / "missing" / "x").string(), "ok", "").ok());
}

TEST_F(OutputGuardTest, DevFullIsNoSpaceLeftOnDevice) {
  std::error_code error;
  if (!std::filesystem::is_character_file("/dev/full", error)) GTEST_SKIP() << "/dev/full is not a device here";
  const Status status = WriteFileChecked("/dev/full", "answer\n", "--output");
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message.find("No space left on device"), std::string::npos) << status.error().message;
  // --output /dev/full: written in place (never replaced by a rename), the failure reported.
  const Status output = WriteThroughOutput("/dev/full", "answer\n", true);
  ASSERT_FALSE(output.ok());
  EXPECT_NE(output.error().message.find("cannot write /dev/full: No space left on device"), std::string::npos) << output.error().message;
  EXPECT_TRUE(std::filesystem::is_character_file("/dev/full", error));
}

TEST_F(OutputGuardTest, OutputIntoADeviceIsWrittenInPlaceNotReplaced) {
  std::error_code error;
  if (!std::filesystem::is_character_file("/dev/null", error)) GTEST_SKIP() << "/dev/null is not a device here";
  EXPECT_TRUE(WriteThroughOutput("/dev/null", "answer\n", true).ok());
  EXPECT_TRUE(std::filesystem::is_character_file("/dev/null", error));
  EXPECT_FALSE(WriteThroughOutput(dir_.string(), "answer\n", true).ok());  // a folder is no output
}

TEST_F(OutputGuardTest, AnOutputFileCutShortIsAnErrorAndTheOldFileStays) {
  const std::filesystem::path out = dir_ / "plan.json";
  std::ofstream(out) << "old\n";
  Status status = OkStatus();
  {
    const FileSizeLimit limit(1000);
    status = WriteThroughOutput(out.string(), kBig.c_str(), true);
  }
  ASSERT_FALSE(status.ok());
  // The write failed mid-output; stdio keeps no errno for it, so the reason may be the generic one.
  EXPECT_NE(status.error().message.find("cannot write " + out.string() + ": "), std::string::npos)
      << status.error().message;
  EXPECT_EQ(ReadAll(out), "old\n");
}

TEST_F(OutputGuardTest, StdoutThatCannotBeWrittenIsAnError) {
  std::fflush(stdout);
  const int saved = dup(STDOUT_FILENO);
  const std::string path = (dir_ / "stdout.txt").string();
  std::FILE* file = std::fopen(path.c_str(), "w");
  ASSERT_NE(file, nullptr);
  dup2(fileno(file), STDOUT_FILENO);
  Status status = OkStatus();
  {
    const FileSizeLimit limit(1000);
    std::fputs(kBig.c_str(), stdout);
    status = CheckStdoutWritten();
  }
  __fpurge(stdout);
  clearerr(stdout);
  dup2(saved, STDOUT_FILENO);
  close(saved);
  std::fclose(file);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message.find("cannot write stdout: "), std::string::npos) << status.error().message;
  EXPECT_TRUE(CheckStdoutWritten().ok());
}

}  // namespace
}  // namespace suanli
