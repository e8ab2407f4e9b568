// Checks shared by the bad-input corpus tests (core BadInputs over tests/bad_inputs/, plan
// SemanticBadInputs over tests/bad_inputs/semantic/): the table of expected error texts and the
// assertions every rejection must pass. Test code only (GoogleTest).
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "core/result.h"

namespace suanli::bad_inputs {

// Returns file name -> expected text, from `dir`/expected.txt lines "file-name | text" (# comments).
inline std::map<std::string, std::string> ReadExpected(const std::filesystem::path& dir) {
  std::map<std::string, std::string> out;
  std::ifstream in(dir / "expected.txt");
  std::string line;
  while (std::getline(in, line)) {
    const size_t bar = line.find(" | ");
    if (line.empty() || line[0] == '#' || bar == std::string::npos) continue;
    out[line.substr(0, bar)] = line.substr(bar + 3);
  }
  return out;
}

// Checks that `status` rejects the file `name` with one line of under 400 characters that names
// the file and contains its text in `expected`; prints "name | line" when SUANLI_PRINT_BAD_INPUTS is set.
inline void ExpectRejected(const std::string& name, const Status& status,
                           const std::map<std::string, std::string>& expected) {
  if (status.ok()) {
    ADD_FAILURE() << name << " was accepted";
    return;
  }
  const std::string line = status.error().ToString();
  if (std::getenv("SUANLI_PRINT_BAD_INPUTS") != nullptr) fmt::print("{} | {}\n", name, line);
  EXPECT_EQ(line.find('\n'), std::string::npos) << line;
  EXPECT_LT(line.size(), 400u) << line;
  EXPECT_NE(line.find(name), std::string::npos) << "file not named: " << line;
  const auto want = expected.find(name);
  if (want == expected.end()) {
    ADD_FAILURE() << name << " has no line in expected.txt";
    return;
  }
  EXPECT_NE(line.find(want->second), std::string::npos) << name << ": " << line;
}

// Checks that every file named in `expected` was seen, and that at least `min_files` were.
inline void ExpectAllSeen(const std::set<std::string>& seen, const std::map<std::string, std::string>& expected,
                          size_t min_files) {
  for (const auto& [name, text] : expected) EXPECT_TRUE(seen.count(name)) << name << " is missing";
  EXPECT_GE(seen.size(), min_files);
}

}  // namespace suanli::bad_inputs
