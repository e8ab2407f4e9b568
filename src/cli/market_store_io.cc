// `suanli market import FILE`, `export`, `check` and `repair --from EXPORT`:
// quotes into and out of the store as CSV or YAML, and the store file's health.
#include <iostream>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "cli/commands.h"
#include "core/i18n.h"
#include "cli/market_verbs.h"

#include "core/output_guard.h"
#include "market/store_check.h"
#include "report/market_json.h"
#include "report/market_text.h"

namespace suanli::cli {
namespace {

// Imports `file` (all rows or none; CSV streamed row by row); every rejected
// row is printed on stderr.
Result<int> ImportBody(const MarketOptions& options, const std::string& file, bool force) {
  SUANLI_ASSIGN_OR_RETURN(MarketSession session, OpenMarketSession(options));
  NewQuoteContext checks = NewQuoteChecks(session.catalog);
  checks.check_plausibility = !force;  // --force: prices outside the plausible range are stored
  SUANLI_RETURN_IF_ERROR(session.store->CheckNewQuotes(std::move(checks)));
  SUANLI_ASSIGN_OR_RETURN(const ImportReport report,
                          session.store->ImportFile(file, CatalogResolver(session.catalog)));
  if (options.common.json) PrintJson(ImportJson(file, report));
  if (!report.rejected.empty()) {
    for (const Error& e : report.rejected) fmt::print(stderr, "suanli market import: {}: {}\n", Tr("error"), e.ToString());
    fmt::print(stderr, "suanli market import: {}\n",
               report.bad_rows > 0
                   ? TrFormat("{} of {} rows rejected ({} problems above); nothing imported (fix them and rerun)",
                              report.bad_rows, report.rows, report.rejected.size())
                   : Tr("nothing imported (fix the file and rerun)"));
    return kExitBadInput;
  }
  if (!options.common.json) fmt::print("{}", ImportedText(file, report, session.store->path()));
  PrintPriceOutliers("import", session, report.imported_ids);
  return kExitOk;
}

// Checks the store file without creating or seeding it; exit 2 on damage.
Result<int> CheckBody(const MarketOptions& options) {
  const std::string path = options.db.empty() ? DefaultStorePath() : options.db;
  SUANLI_ASSIGN_OR_RETURN(const StoreCheck check, CheckStore(path));
  if (options.common.json) {
    PrintJson(StoreCheckJson(check));
  } else {
    fmt::print("{}", StoreCheckText(check));
  }
  return check.ok ? kExitOk : kExitBadInput;
}

// Rebuilds a damaged store from an export (the old file kept as PATH.damaged).
Result<int> RepairBody(const MarketOptions& options, const std::string& export_file) {
  SUANLI_ASSIGN_OR_RETURN(MarketSession session, OpenMarketSession(options, false));
  const std::string path = options.db.empty() ? DefaultStorePath() : options.db;
  RepairOptions repair;
  repair.seed = &session.seed;
  repair.resolver = CatalogResolver(session.catalog);
  SUANLI_ASSIGN_OR_RETURN(const RepairReport report, RepairStore(path, export_file, repair));
  if (options.common.json) {
    PrintJson(RepairJson(report));
  } else {
    fmt::print("{}", RepairText(report));
  }
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
  SUANLI_RETURN_IF_ERROR(WriteFileChecked(output, text, "--output"));
  return kExitOk;
}

// Deletes the quotes `ids` (all or, at the first unknown id, none after it).
Result<int> RemoveBody(const MarketOptions& options, const std::vector<std::string>& ids) {
  SUANLI_ASSIGN_OR_RETURN(MarketSession session, OpenMarketSession(options));
  for (const std::string& id : ids) {
    SUANLI_ASSIGN_OR_RETURN(const Quote removed, session.store->Remove(id));
    if (!options.common.json) {
      fmt::print("{}\n", TrFormat("removed quote {} ({} {}, observed {}) from {}", removed.id, removed.sku,
                                   removed.supplier, FormatDate(removed.observed), session.store->path()));
    }
  }
  if (options.common.json) PrintJson({{"removed", ids}, {"store", session.store->path()}});
  return kExitOk;
}

// Creates the store (seeded, or with --no-seed only the seed's FX rates); an
// existing store is left alone unless --fresh.
Result<int> InitBody(const MarketOptions& options, bool no_seed) {
  const std::string path = options.db.empty() ? DefaultStorePath() : options.db;
  StoreFileKind kind = StoreFileKind::kMissing;
  if (path != ":memory:") {
    SUANLI_ASSIGN_OR_RETURN(kind, ClassifyStoreFile(path));
  }
  if (kind != StoreFileKind::kMissing && !options.fresh) {
    return MakeError(Tr("a quote store already exists here"), path,
                     TrFormat("use it as it is, or start over with `suanli market{} --fresh init{}` (deletes its "
                              "quotes; export them first)",
                              DbFlag(path), no_seed ? " --no-seed" : ""));
  }
  SUANLI_ASSIGN_OR_RETURN(MarketSession session, OpenMarketSession(options, false));
  StoreOptions store_options;
  store_options.fresh = options.fresh;
  store_options.seed = &session.seed;
  store_options.seed_quotes = !no_seed;
  store_options.create_directories = options.db.empty();  // a --db folder is never created
  SUANLI_ASSIGN_OR_RETURN(QuoteStore store, QuoteStore::Open(path, store_options));
  SUANLI_ASSIGN_OR_RETURN(const std::vector<Quote> quotes, store.AllQuotes());
  SUANLI_ASSIGN_OR_RETURN(const FxTable fx, store.Fx());
  if (options.common.json) {
    PrintJson({{"store", path}, {"quotes", quotes.size()}, {"fx_rates", fx.rates().size()}, {"seed_quotes", !no_seed}});
  } else {
    fmt::print("{}\n", no_seed ? TrFormat("created {} without the seed quotes: 0 quotes, {} FX rates (the seed's)",
                                          path, fx.rates().size())
                                : TrFormat("created {}: {} seed quotes, {} FX rates", path, quotes.size(),
                                           fx.rates().size()));
  }
  return kExitOk;
}

}  // namespace

MarketRun SetupRemove(CLI::App& verb) {
  auto ids = std::make_shared<std::vector<std::string>>();
  verb.add_option("id", *ids, Tr("id of the quote to delete (`market list --show-excluded` shows ids)"))->required();
  return [ids](const MarketOptions& options) { return ExitCode("market remove", RemoveBody(options, *ids)); };
}

MarketRun SetupInit(CLI::App& verb) {
  auto no_seed = std::make_shared<bool>(false);
  verb.add_flag("--no-seed", *no_seed,
                Tr("create the store without the shipped seed quotes (your own quotes only; the seed's FX rates "
                   "are kept)"));
  return [no_seed](const MarketOptions& options) { return ExitCode("market init", InitBody(options, *no_seed)); };
}

MarketRun SetupImport(CLI::App& verb) {
  auto file = std::make_shared<std::string>();
  verb.add_option("file", *file, Tr("quote file (.csv: header = field names; else YAML `quotes:`)"))->required();
  auto force = std::make_shared<bool>(false);
  verb.add_flag("--force", *force, Tr("store prices outside the plausible range for their unit (docs/market.md)"));
  return [file, force](const MarketOptions& options) {
    return ExitCode("market import", ImportBody(options, *file, *force));
  };
}

MarketRun SetupExport(CLI::App& verb) {
  auto format = std::make_shared<std::string>("yaml");
  auto output = std::make_shared<std::string>();
  verb.add_option("--format", *format, "csv|yaml")->check(CLI::IsMember({"csv", "yaml"}));
  verb.add_option("--output,-o", *output, Tr("file to write (default stdout)"));
  return [format, output](const MarketOptions& options) {
    return ExitCode("market export", ExportBody(options, *format, *output));
  };
}

MarketRun SetupCheck(CLI::App& verb) {
  return [](const MarketOptions& options) { return ExitCode("market check", CheckBody(options)); };
}

MarketRun SetupRepair(CLI::App& verb) {
  auto from = std::make_shared<std::string>();
  verb.add_option("--from", *from, Tr("a `suanli market export` file (CSV or YAML) to rebuild the store from"))
      ->required();
  return [from](const MarketOptions& options) {
    return ExitCode("market repair", RepairBody(options, *from));
  };
}

}  // namespace suanli::cli
