// Imports into the quote store: all rows in one transaction or none, CSV
// streamed row by row, identical seed rows recognised and skipped.
#include <sqlite3.h>

#include <ctime>

#include <fmt/format.h>

#include "core/text.h"
#include "core/text_file.h"
#include "market/store.h"
#include "market/store_sql.h"
#include "core/i18n.h"

namespace suanli {
namespace {

std::string NowIso() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

std::string InsertSql() {
  return fmt::format("INSERT INTO quotes ({}, origin) VALUES "
                     "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?);",
                     kQuoteColumns);
}

bool IsCsvName(const std::string& file) {
  return file.size() >= 4 && ToLower(file.substr(file.size() - 4)) == ".csv";
}

}  // namespace

Status QuoteStore::BeginImport() {
  SUANLI_RETURN_IF_ERROR(CheckWritable());
  return Exec(db_, "BEGIN IMMEDIATE;", path_, "starting the import");
}

Result<bool> QuoteStore::MatchesSeed(const Quote& quote) {
  Statement stmt(db_, fmt::format("SELECT {}, origin FROM quotes WHERE id = ?;", kQuoteColumns));
  if (stmt.prepare_rc() != SQLITE_OK) return SqlError(db_, stmt.prepare_rc(), path_, Tr("reading a quote"));
  stmt.Bind(1, quote.id);
  const int rc = stmt.Step();
  if (rc != SQLITE_ROW) return SqlError(db_, rc, path_, Tr("reading a quote"));
  if (stmt.Text(29) != "seed") return false;  // origin, after the kQuoteColumns
  SUANLI_ASSIGN_OR_RETURN(Quote stored, ReadQuoteRow(stmt, path_));
  const std::string field = FirstDifferentQuoteField(stored, quote);
  if (field.empty()) return true;
  return MakeError(TrFormat("quote id '{}' is a shipped seed quote stored with a different {}", quote.id, field),
                   quote.where.empty() ? path_ : quote.where,
                   Tr("give the quote a new id, or export the store again and import that file"));
}

Status QuoteStore::InsertImported(Statement& insert, const Quote& quote, const std::string& origin,
                                  ImportReport& report) {
  const std::string where = quote.where.empty() ? "quote " + quote.id : quote.where;
  SUANLI_RETURN_IF_ERROR(ValidateQuoteText(quote, where));
  SUANLI_RETURN_IF_ERROR(CheckNew(quote, where));
  insert.Reset();
  BindQuote(insert, quote, origin);
  const int rc = insert.Step();
  if (rc == SQLITE_DONE) {
    ++report.imported;
    report.imported_ids.push_back(quote.id);
    return OkStatus();
  }
  if ((rc & 0xff) != SQLITE_CONSTRAINT) return SqlError(db_, rc, path_, Tr("inserting a quote"));
  SUANLI_ASSIGN_OR_RETURN(bool same_seed, MatchesSeed(quote));
  if (!same_seed)
    return MakeError(TrFormat("quote id '{}' already exists in the store", quote.id), where,
                     Tr("give the quote a new id"));
  ++report.skipped;
  return OkStatus();
}

Result<ImportReport> QuoteStore::FinishImport(ImportReport report, const std::string& file_name) {
  if (!report.rejected.empty()) {
    sqlite3_exec(db_, "ROLLBACK;", nullptr, nullptr, nullptr);
    report.imported = 0;
    report.skipped = 0;
    report.imported_ids.clear();
    return report;
  }
  Statement log(db_, "INSERT INTO import_log (imported_at, file, rows, imported) VALUES (?,?,?,?);");
  log.Bind(1, NowIso());
  log.Bind(2, file_name);
  log.Bind(3, report.rows);
  log.Bind(4, report.imported);
  const int rc = log.Step();
  if (rc != SQLITE_DONE) {
    Error error = SqlError(db_, rc, path_, Tr("logging the import"));
    sqlite3_exec(db_, "ROLLBACK;", nullptr, nullptr, nullptr);
    return error;
  }
  if (Status committed = Exec(db_, "COMMIT;", path_, "committing the import"); !committed.ok()) {
    sqlite3_exec(db_, "ROLLBACK;", nullptr, nullptr, nullptr);
    return committed.error();
  }
  return report;
}

Result<ImportReport> QuoteStore::Import(const QuoteParseReport& parsed, const std::string& file_name) {
  ImportReport report;
  report.rows = parsed.rows;
  report.rejected = parsed.rejected;
  report.bad_rows = parsed.bad_rows;
  if (!report.rejected.empty()) return report;
  SUANLI_RETURN_IF_ERROR(BeginImport());
  Statement insert(db_, InsertSql());
  if (insert.prepare_rc() != SQLITE_OK) {
    sqlite3_exec(db_, "ROLLBACK;", nullptr, nullptr, nullptr);
    return SqlError(db_, insert.prepare_rc(), path_, Tr("preparing an insert"));
  }
  const std::string origin = "import:" + file_name;
  for (const auto& quote : parsed.quotes) {
    Status status = InsertImported(insert, quote, origin, report);
    if (!status.ok()) {
      report.rejected.push_back(status.error());
      ++report.bad_rows;
    }
  }
  return FinishImport(std::move(report), file_name);
}

Result<ImportReport> QuoteStore::ImportFile(const std::string& file, const SkuResolver& resolver) {
  SUANLI_ASSIGN_OR_RETURN(std::string text, ReadTextFile(file));
  if (!IsCsvName(file)) return Import(ParseQuotesReport(text, file, resolver), file);
  // CSV: each row is inserted as soon as it is parsed, inside the one
  // transaction; any bad row rolls all of them back at the end.
  SUANLI_RETURN_IF_ERROR(BeginImport());
  Statement insert(db_, InsertSql());
  if (insert.prepare_rc() != SQLITE_OK) {
    sqlite3_exec(db_, "ROLLBACK;", nullptr, nullptr, nullptr);
    return SqlError(db_, insert.prepare_rc(), path_, Tr("preparing an insert"));
  }
  ImportReport report;
  const std::string origin = "import:" + file;
  QuoteParseReport parsed = StreamQuotesCsv(text, file, resolver, [&](Quote&& quote) {
    return InsertImported(insert, quote, origin, report);
  });
  report.rows = parsed.rows;
  report.rejected = std::move(parsed.rejected);
  report.bad_rows = parsed.bad_rows;
  return FinishImport(std::move(report), file);
}

}  // namespace suanli
