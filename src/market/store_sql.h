// Internal helpers of the quote store (not for callers outside src/market):
// prepared statements, SQLite errors with hints, quote rows to and from SQL.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"
#include "market/market.h"

struct sqlite3;
struct sqlite3_stmt;

namespace suanli {

// PRAGMA application_id marking a suanli quote store ("SUAN").
constexpr int kStoreApplicationId = 0x5355414E;

// The quotes columns in kQuoteKeys order (without origin).
extern const char* const kQuoteColumns;
// The number of kQuoteColumns (the index of a column selected after them).
constexpr int kQuoteColumnCount = 29;

// Returns the damaged-store hint (the `market check` and `market repair` commands) with the store's --db.
std::string DamagedStoreHint(const std::string& path);

// RAII prepared statement.
class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  int prepare_rc() const { return rc_; }
  sqlite3_stmt* get() { return stmt_; }
  // Returns the SQLite result code of one step.
  int Step();
  // Clears bindings and rewinds for the next Step.
  void Reset();
  void Bind(int index, const std::string& text);
  void Bind(int index, double value);
  void Bind(int index, int value);
  std::string Text(int column);
  double Double(int column);
  int Int(int column);

 private:
  sqlite3_stmt* stmt_ = nullptr;
  int rc_ = 0;
};

// Returns the error for SQLite result `rc` while `doing`, naming `path` (a
// lock, a foreign or damaged file get their own message and hint).
Error SqlError(sqlite3* db, int rc, const std::string& path, std::string_view doing);
// Runs `sql` (no rows); the error as SqlError.
Status Exec(sqlite3* db, std::string_view sql, const std::string& path, std::string_view doing);
// Returns the integer value of `PRAGMA name`.
Result<int> PragmaInt(sqlite3* db, const char* pragma, const std::string& path);
// Returns the number of rows of `SELECT count(*) ...` given as `sql`.
Result<int> CountRows(sqlite3* db, const char* sql, const std::string& path);

// Returns OK when every text field of `quote` is clean UTF-8 without NUL or
// control bytes; else the error at "`where` field".
Status ValidateQuoteText(const Quote& quote, const std::string& where);
// Binds `quote` (kQuoteColumns order) and `origin` as parameters 1..30.
void BindQuote(Statement& stmt, const Quote& quote, const std::string& origin);
// Reads a quote from a row selected with kQuoteColumns first; re-validated
// (a row edited by hand is checked, text must be clean UTF-8); `path` names the store.
Result<Quote> ReadQuoteRow(Statement& stmt, const std::string& path);

}  // namespace suanli
