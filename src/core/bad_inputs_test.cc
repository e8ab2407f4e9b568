// Runs every hostile file in tests/bad_inputs/ through the core readers
// (ReadTextFile, ParseYaml + YamlMap, ParseCsv + number and unit parsers)
// with a small probe schema, and checks that each is rejected with one
// clear line that names the file and contains the text expected for it in
// tests/bad_inputs/expected.txt, in bounded time.
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include <unistd.h>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "core/bad_inputs_check.h"
#include "core/csv.h"
#include "core/number.h"
#include "core/text.h"
#include "core/units.h"
#include "core/utf8.h"
#include "core/yaml_reader.h"

namespace suanli {
namespace {

namespace fs = std::filesystem;

// Probe YAML schema: name, count, size, ratio, items[{name, value}].
Status ProbeYaml(std::string_view text, const std::string& file) {
  SUANLI_ASSIGN_OR_RETURN(const YAML::Node root, ParseYaml(text, file));
  if (root.IsNull()) return MakeError("the file is empty", file, "write a mapping");
  if (!root.IsMap()) return MakeError("the document must be a mapping", file);
  const YamlMap top(root, file, "");
  SUANLI_RETURN_IF_ERROR(top.CheckKeys({"name", "count", "size", "ratio", "items"}));
  if (top.Has("name")) SUANLI_RETURN_IF_ERROR(top.String("name"));
  SUANLI_RETURN_IF_ERROR(top.IntOr("count", 1, 0, 1'000'000'000));
  SUANLI_RETURN_IF_ERROR(top.QuantityOr("size", Dimension::kBytes, 1.0));
  SUANLI_RETURN_IF_ERROR(top.NumberOr("ratio", 0.5, 0.0, 1.0));
  if (!top.Has("items")) return OkStatus();
  SUANLI_ASSIGN_OR_RETURN(const std::vector<YamlMap> items, top.MapList("items"));
  for (const YamlMap& item : items) {
    SUANLI_RETURN_IF_ERROR(item.CheckKeys({"name", "value"}));
    SUANLI_RETURN_IF_ERROR(item.String("name"));
    SUANLI_RETURN_IF_ERROR(item.Number("value", 0.0, 1e9));
  }
  return OkStatus();
}

// Returns `error` located at `where`.
Error At(Error error, const std::string& where) {
  error.where = where;
  return error;
}

// Checks one CSV cell of the probe schema; `where` is "file:line column".
Status ProbeCell(const std::string& column, const std::string& cell, const std::string& where) {
  if (column == "count") {
    if (auto v = ParseInteger(cell, 0, 1'000'000'000); !v.ok()) return At(v.error(), where);
  } else if (column == "price") {
    if (auto v = ParseNumberInRange(cell, 0.0, 1e12); !v.ok()) return At(v.error(), where);
  } else if (column == "memory") {
    if (auto v = ParseQuantity(cell, Dimension::kBytes); !v.ok()) return At(v.error(), where);
  } else if (cell.empty()) {
    return MakeError("empty field", where);
  }
  return OkStatus();
}

// Probe CSV schema: a header of known columns, then rows of the same width.
Status ProbeCsv(std::string_view text, const std::string& file) {
  SUANLI_ASSIGN_OR_RETURN(const std::vector<CsvRecord> records, ParseCsv(text, file));
  if (records.empty()) return MakeError("empty CSV file", file, "add a header row");
  const std::vector<std::string> known = {"id", "name", "count", "price", "memory"};
  const std::vector<std::string>& header = records[0].fields;
  for (size_t c = 0; c < header.size(); ++c) {
    const std::string where = fmt::format("{}:{} header", file, records[0].line);
    if (std::find(known.begin(), known.end(), header[c]) == known.end()) {
      return MakeError(fmt::format("unknown column '{}'", ExcerptForMessage(header[c])), where,
                       DidYouMean(NearestMatches(header[c], known)));
    }
    if (std::find(header.begin(), header.begin() + c, header[c]) != header.begin() + c) {
      return MakeError(fmt::format("duplicate column '{}'", header[c]), where);
    }
  }
  for (size_t r = 1; r < records.size(); ++r) {
    const CsvRecord& record = records[r];
    if (record.fields.size() != header.size()) {
      return MakeError(fmt::format("row has {} fields, the header has {}", record.fields.size(),
                                   header.size()),
                       fmt::format("{}:{}", file, record.line));
    }
    for (size_t c = 0; c < header.size(); ++c) {
      SUANLI_RETURN_IF_ERROR(ProbeCell(header[c], record.fields[c],
                                       fmt::format("{}:{} {}", file, record.line, header[c])));
    }
  }
  return OkStatus();
}

// Reads `path` and probes it by extension; returns the outcome.
Status Probe(const fs::path& path) {
  SUANLI_ASSIGN_OR_RETURN(const std::string text, ReadTextFile(path.string()));
  const std::string name = path.filename().string();
  if (path.extension() == ".csv") return ProbeCsv(text, name);
  return ProbeYaml(text, name);
}

TEST(BadInputs, ProbesAcceptCleanInput) {
  EXPECT_TRUE(ProbeYaml("\xEF\xBB\xBFname: caf\xC3\xA9\ncount: 1e3\nsize: 80 GiB\nratio: 0.5\n"
                        "items:\n  - {name: a, value: 2}\n", "good.yaml").ok());
  EXPECT_TRUE(ProbeCsv("\xEF\xBB\xBFid,name,count,price,memory\r\na,\"Z\xC3\xBCrich, CH\",3,1.5,96 GB\r\n",
                       "good.csv").ok());
}

TEST(BadInputs, EveryFileIsRejectedWithOneClearLine) {
  const fs::path dir = SUANLI_BAD_INPUTS_DIR;
  const std::map<std::string, std::string> expected = bad_inputs::ReadExpected(dir);
  std::set<std::string> seen;
  std::vector<fs::path> paths(fs::directory_iterator(dir), fs::directory_iterator{});
  std::sort(paths.begin(), paths.end());
  for (const fs::path& path : paths) {
    const std::string name = path.filename().string();
    if (name == "expected.txt" || name == "README.md" || fs::is_directory(path)) continue;  // semantic/: plan_test
    seen.insert(name);
    const auto start = std::chrono::steady_clock::now();
    const Status status = Probe(path);
    const double elapsed_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_LT(elapsed_s, 5.0) << name;
    bad_inputs::ExpectRejected(name, status, expected);
  }
  bad_inputs::ExpectAllSeen(seen, expected, 40);
}

// Inputs too large to keep in the repository, written to a temporary folder.
TEST(BadInputs, GeneratedHugeInputsAreRejectedQuickly) {
  const fs::path dir = fs::temp_directory_path() / fmt::format("suanli_bad_inputs_{}", ::getpid());
  fs::create_directories(dir);
  const std::string big(8u << 20, 'x');
  std::ofstream(dir / "csv-huge-line.csv", std::ios::binary) << "id,name\na," << big << "\xE9\n";
  std::ofstream(dir / "yaml-huge-line.yaml", std::ios::binary) << "name: " << big << "\xE9\n";
  std::ofstream(dir / "yaml-deep-nesting.yaml", std::ios::binary) << std::string(1u << 20, '[');
  for (const char* name : {"csv-huge-line.csv", "yaml-huge-line.yaml", "yaml-deep-nesting.yaml"}) {
    const auto start = std::chrono::steady_clock::now();
    const Status status = Probe(dir / name);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10)) << name;
    ASSERT_FALSE(status.ok()) << name;
    EXPECT_NE(status.error().ToString().find(name), std::string::npos);
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace suanli
