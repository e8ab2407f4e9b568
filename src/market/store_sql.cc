// The quote store's SQL helpers: statements, errors, quote rows.
#include "market/store_sql.h"

#include <algorithm>
#include <sqlite3.h>

#include <fmt/format.h>

#include "core/text.h"
#include "core/utf8.h"
#include "core/i18n.h"
#include "market/store.h"
#include "market/quote_values.h"

namespace suanli {

// The stored warranty_months of a quote that states no warranty (0 = not stated).
constexpr int kStoredNoWarranty = -1;
namespace {

std::vector<std::string> SplitList(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size() && !text.empty()) {
    size_t end = text.find(';', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

}  // namespace

const char* const kQuoteColumns =
    "id, supplier, channel, sku, system, unit, cards_per_unit, unit_price, currency, observed, valid_until, "
    "quantity_available, lead_weeks_min, lead_weeks_likely, lead_weeks_max, condition, warranty_months, "
    "cash_up_front, deposit_fraction, net_days, bundle_amount, bundle_fraction, min_order, buyers, regions, "
    "estimate, source, notes, includes_network";

std::string DbFlag(const std::string& path) {
  if (path.empty() || path == DefaultStorePath()) return "";
  const bool plain = path.find_first_of(" \t'\"$`\\;&|<>()*?") == std::string::npos;
  return fmt::format(" --db {}", plain ? path : "'" + path + "'");
}

std::string DamagedStoreHint(const std::string& path) {
  return TrFormat("run `suanli market check{}` for details; rebuild it with `suanli market repair{} --from EXPORT` "
                  "(a file written by `suanli market export{}`)",
                  DbFlag(path), DbFlag(path), DbFlag(path));
}

Statement::Statement(sqlite3* db, std::string_view sql) {
  rc_ = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr);
}
Statement::~Statement() { sqlite3_finalize(stmt_); }
int Statement::Step() { return sqlite3_step(stmt_); }
void Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}
void Statement::Bind(int index, const std::string& text) {
  sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
}
void Statement::Bind(int index, double value) { sqlite3_bind_double(stmt_, index, value); }
void Statement::Bind(int index, int value) { sqlite3_bind_int(stmt_, index, value); }
std::string Statement::Text(int column) {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  const int bytes = sqlite3_column_bytes(stmt_, column);
  return text == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(text), static_cast<size_t>(bytes));
}
double Statement::Double(int column) { return sqlite3_column_double(stmt_, column); }
int Statement::Int(int column) { return sqlite3_column_int(stmt_, column); }

Error SqlError(sqlite3* db, int rc, const std::string& path, std::string_view doing) {
  const int primary = rc & 0xff;
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
    return MakeError(TrFormat("database is locked by another process while {}", doing), path,
                     Tr("wait for the other suanli or sqlite3 process to finish and retry"));
  if (primary == SQLITE_NOTADB)
    return MakeError(Tr("file is not a SQLite database"), path,
                     Tr("pass --db with a new path or a suanli quote store; the file was left untouched"));
  if (primary == SQLITE_CORRUPT)
    return MakeError(TrFormat("the quote store is damaged (database disk image is malformed) while {}", doing),
                     path, DamagedStoreHint(path));
  if (primary == SQLITE_READONLY || primary == SQLITE_CANTOPEN || primary == SQLITE_PERM)
    return MakeError(TrFormat("cannot write the database ({})", sqlite3_errstr(rc)), path,
                     Tr("check the path and its permissions (the directory too: SQLite writes a -wal file beside it)"));
  return MakeError(TrFormat("SQLite error while {}: {}", doing, db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc)),
                   path);
}

Status Exec(sqlite3* db, std::string_view sql, const std::string& path, std::string_view doing) {
  const int rc = sqlite3_exec(db, std::string(sql).c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return SqlError(db, rc, path, doing);
  return OkStatus();
}

Result<int> PragmaInt(sqlite3* db, const char* pragma, const std::string& path) {
  return CountRows(db, fmt::format("PRAGMA {};", pragma).c_str(), path);
}

Result<int> CountRows(sqlite3* db, const char* sql, const std::string& path) {
  Statement stmt(db, sql);
  if (stmt.prepare_rc() != SQLITE_OK) return SqlError(db, stmt.prepare_rc(), path, Tr("reading the schema"));
  const int rc = stmt.Step();
  if (rc != SQLITE_ROW) return SqlError(db, rc, path, Tr("reading the schema"));
  return stmt.Int(0);
}

void BindQuote(Statement& stmt, const Quote& q, const std::string& origin) {
  int i = 1;
  stmt.Bind(i++, q.id);
  stmt.Bind(i++, q.supplier);
  stmt.Bind(i++, std::string(ChannelTierName(q.channel)));
  stmt.Bind(i++, q.sku);
  stmt.Bind(i++, q.system);
  stmt.Bind(i++, std::string(QuoteUnitName(q.unit)));
  stmt.Bind(i++, q.cards_per_unit);
  stmt.Bind(i++, q.unit_price);
  stmt.Bind(i++, q.currency);
  stmt.Bind(i++, FormatDate(q.observed));
  stmt.Bind(i++, q.valid_until ? FormatDate(*q.valid_until) : std::string());
  stmt.Bind(i++, q.quantity_available);
  stmt.Bind(i++, q.lead_weeks_min);
  stmt.Bind(i++, q.lead_weeks_likely);
  stmt.Bind(i++, q.lead_weeks_max);
  stmt.Bind(i++, std::string(ConditionName(q.condition)));
  // An explicit "no warranty" is stored as -1: 0 means not stated (stores
  // written before the distinction, and quotes that state none).
  stmt.Bind(i++, q.warranty_stated && q.warranty_months == 0 ? kStoredNoWarranty : q.warranty_months);
  stmt.Bind(i++, q.payment.cash_up_front ? 1 : 0);
  stmt.Bind(i++, q.payment.deposit_fraction);
  stmt.Bind(i++, q.payment.net_days);
  stmt.Bind(i++, q.bundle_amount);
  stmt.Bind(i++, q.bundle_fraction);
  stmt.Bind(i++, q.min_order);
  stmt.Bind(i++, Join(q.buyers, ";"));
  stmt.Bind(i++, Join(q.regions, ";"));
  stmt.Bind(i++, q.estimate ? 1 : 0);
  stmt.Bind(i++, q.source);
  stmt.Bind(i++, q.notes);
  stmt.Bind(i++, q.includes_network ? 1 : 0);
  stmt.Bind(i++, origin);
}

Status ValidateQuoteText(const Quote& q, const std::string& where) {
  const std::pair<const char*, const std::string*> texts[] = {
      {"id", &q.id}, {"supplier", &q.supplier}, {"sku", &q.sku}, {"system", &q.system},
      {"currency", &q.currency}, {"source", &q.source}, {"notes", &q.notes}};
  for (const auto& [field, text] : texts)
    SUANLI_RETURN_IF_ERROR(ValidateUtf8Text(*text, fmt::format("{} {}", where, field)));
  for (const auto* list : {&q.buyers, &q.regions})
    for (const auto& item : *list)
      SUANLI_RETURN_IF_ERROR(ValidateUtf8Text(item, fmt::format("{} {}", where, list == &q.buyers ? "buyers" : "regions")));
  return OkStatus();
}

Result<Quote> ReadQuoteRow(Statement& stmt, const std::string& path) {
  constexpr const char* kEdited = "the database was edited by hand; fix or delete that row";
  Quote q;
  int i = 0;
  q.id = stmt.Text(i++);
  q.where = fmt::format("{} quote {}", path, ExcerptForMessage(q.id, 200));
  q.supplier = stmt.Text(i++);
  const std::string channel_text = stmt.Text(i++);
  q.sku = stmt.Text(i++);
  q.system = stmt.Text(i++);
  const std::string unit_text = stmt.Text(i++);
  q.cards_per_unit = stmt.Int(i++);
  q.unit_price = stmt.Double(i++);
  q.currency = stmt.Text(i++);
  const std::string observed_text = stmt.Text(i++);
  const std::string valid_until = stmt.Text(i++);
  q.quantity_available = stmt.Int(i++);
  q.lead_weeks_min = stmt.Double(i++);
  q.lead_weeks_likely = stmt.Double(i++);
  q.lead_weeks_max = stmt.Double(i++);
  const std::string condition_text = stmt.Text(i++);
  const int stored_warranty = stmt.Int(i++);
  q.warranty_months = std::max(0, stored_warranty);
  q.warranty_stated = stored_warranty != 0;  // -1: stated none; 0: not stated
  q.payment.cash_up_front = stmt.Int(i++) != 0;
  q.payment.deposit_fraction = stmt.Double(i++);
  q.payment.net_days = stmt.Int(i++);
  q.bundle_amount = stmt.Double(i++);
  q.bundle_fraction = stmt.Double(i++);
  q.min_order = stmt.Int(i++);
  const std::string buyers = stmt.Text(i++);
  const std::string regions = stmt.Text(i++);
  q.estimate = stmt.Int(i++) != 0;
  q.source = stmt.Text(i++);
  q.notes = stmt.Text(i++);
  q.includes_network = stmt.Int(i++) != 0;
  q.buyers = SplitList(buyers);
  q.regions = SplitList(regions);
  // Text written by hand (sqlite3 shell) may be any bytes: checked before a
  // JSON writer or a terminal sees it.
  if (Status clean = ValidateQuoteText(q, q.where); !clean.ok())
    return MakeError(clean.error().message, clean.error().where, Tr(kEdited));
  auto channel = ParseChannelTier(channel_text);
  auto unit = ParseQuoteUnit(unit_text);
  auto condition = ParseCondition(condition_text);
  auto observed = ParseMarketDate(observed_text);
  auto until = valid_until.empty() ? Result<Date>(Date{}) : ParseMarketDate(valid_until);
  if (!channel.ok() || !unit.ok() || !condition.ok() || !observed.ok() || !until.ok())
    return MakeError(TrFormat("quote '{}' has an invalid channel, unit, condition or date", ExcerptForMessage(q.id, 200)),
                     path, Tr(kEdited));
  q.observed = *observed;
  if (!valid_until.empty()) q.valid_until = *until;
  q.channel = *channel;
  q.unit = *unit;
  q.condition = *condition;
  // Rows written by suanli were validated on the way in; a row edited by
  // hand since is checked again rather than trusted.
  // The checks rows were written with before session 21: a row with a value
  // the later checks refuse is still read (`market check` lists it).
  QuoteProblems problems([&q](std::string_view key) { return fmt::format("{} {}", q.where, key); });
  CheckStoredQuoteValues(q, problems);
  if (!problems.errors().empty()) return MakeError(problems.errors().front().message, q.where, Tr(kEdited));
  return q;
}

}  // namespace suanli
