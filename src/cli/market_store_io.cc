// `suanli market import FILE` and `suanli market export`: quotes into and out
// of the store as CSV or YAML (JSON with --json).
#include <fstream>
#include <iostream>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/market_verbs.h"
#include "core/text.h"
#include "core/text_file.h"
#include "report/market_json.h"
#include "report/market_text.h"

namespace suanli::cli {
namespace {

// Imports `file` (all rows or none); every rejected row is printed on stderr.
Result<int> ImportBody(const MarketOptions& options, const std::string& file) {
  SUANLI_ASSIGN_OR_RETURN(const std::string text, ReadTextFile(file));
  SUANLI_ASSIGN_OR_RETURN(MarketSession session, OpenMarketSession(options));
  const SkuResolver resolver = CatalogResolver(session.catalog);
  const bool csv = file.size() >= 4 && ToLower(file.substr(file.size() - 4)) == ".csv";
  const QuoteParseReport parsed =
      csv ? ParseQuotesCsvReport(text, file, resolver) : ParseQuotesReport(text, file, resolver);
  SUANLI_ASSIGN_OR_RETURN(const ImportReport report, session.store->Import(parsed, file));
  if (options.common.json) PrintJson(ImportJson(file, report));
  if (!report.rejected.empty()) {
    for (const Error& e : report.rejected) fmt::print(stderr, "suanli market import: error: {}\n", e.ToString());
    fmt::print(stderr, "suanli market import: {} of {} rows rejected; nothing imported (fix them and rerun)\n",
               report.rejected.size(), report.rows);
    return kExitBadInput;
  }
  if (!options.common.json) fmt::print("{}", ImportedText(file, report, session.store->path()));
  return kExitOk;
}

// Writes every quote as CSV or YAML (JSON with --json) to `output` or stdout.
Result<int> ExportBody(const MarketOptions& options, const std::string& format, const std::string& output) {
  SUANLI_ASSIGN_OR_RETURN(MarketSession session, OpenMarketSession(options));
  SUANLI_ASSIGN_OR_RETURN(const std::vector<Quote> quotes, session.store->AllQuotes());
  std::string text;
  if (options.common.json) {
    text = QuotesJson(quotes).dump(2) + "\n";
  } else {
    text = format == "csv" ? QuotesToCsv(quotes) : QuotesToYaml(quotes);
  }
  if (output.empty() || output == "-") {
    std::cout << text;
    return kExitOk;
  }
  std::ofstream out(output, std::ios::binary);
  out << text;
  if (!out) return MakeError("cannot write the file", output, "check the path");
  return kExitOk;
}

}  // namespace

MarketRun SetupImport(CLI::App& verb) {
  auto file = std::make_shared<std::string>();
  verb.add_option("file", *file, "quote file (.csv: header = field names; else YAML `quotes:`)")->required();
  return [file](const MarketOptions& options) {
    return ExitCode("market import", ImportBody(options, *file));
  };
}

MarketRun SetupExport(CLI::App& verb) {
  auto format = std::make_shared<std::string>("yaml");
  auto output = std::make_shared<std::string>();
  verb.add_option("--format", *format, "csv|yaml")->check(CLI::IsMember({"csv", "yaml"}));
  verb.add_option("--output,-o", *output, "file to write (default stdout)");
  return [format, output](const MarketOptions& options) {
    return ExitCode("market export", ExportBody(options, *format, *output));
  };
}

}  // namespace suanli::cli
