// The quote store's FX rates (add with date and sanity checks, replace,
// read) and the removal of a quote.
#include <sqlite3.h>

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "core/i18n.h"
#include "core/text.h"
#include "market/store.h"
#include "market/store_sql.h"

namespace suanli {
namespace {

// Returns the stored rate of from->to (or its inverse, inverted) nearest to
// `date`, or nullopt when the pair has none.
std::optional<FxRate> NearestRate(const FxTable& table, const FxRate& rate) {
  std::optional<FxRate> best;
  long long best_days = 0;
  for (const FxRate& r : table.rates()) {
    const bool same = r.from == rate.from && r.to == rate.to;
    const bool inverse = r.from == rate.to && r.to == rate.from;
    if (!same && !inverse) continue;
    const long long days = std::llabs(static_cast<long long>(DaysBetween(r.date, rate.date)));
    if (best && days >= best_days) continue;
    best = r;
    best_days = days;
    if (inverse) best->rate = 1 / r.rate;
  }
  return best;
}

}  // namespace

Result<FxRate> QuoteStore::AddFx(const FxRate& given, const FxAddOptions& options) {
  // Errors name the `market fx add` flags.
  FxRate rate = given;
  SUANLI_RETURN_IF_ERROR(
      ValidateFxRate(rate, [](std::string_view field) { return "--" + std::string(field); }));
  if (options.today && rate.date > *options.today) {
    return MakeError(TrFormat("the rate is dated {}, after today ({})", FormatDate(rate.date), FormatDate(*options.today)),
                     "--date", Tr("give the date the rate was observed; quotes may not be dated in the future either"));
  }
  if (options.sanity_check && !options.force) {
    SUANLI_ASSIGN_OR_RETURN(const FxTable stored, Fx());
    if (const std::optional<FxRate> near = NearestRate(stored, rate)) {
      const double ratio = rate.rate / near->rate;
      const bool same_slot = near->date == rate.date && options.replace;
      if (!same_slot && (ratio > kFxSanityFactor || ratio < 1 / kFxSanityFactor)) {
        return MakeError(TrFormat("{} -> {} rate {:g} is {:.2g}× the stored rate {:g} of {} ({})", rate.from, rate.to,
                                  rate.rate, ratio, near->rate, FormatDate(near->date), near->source),
                         "--rate",
                         TrFormat("check the digits and the direction (1 {} = RATE {}); add --force if the rate "
                                  "really moved that far",
                                  rate.from, rate.to));
      }
    }
  }
  SUANLI_RETURN_IF_ERROR(CheckWritable());
  if (options.replace) {
    Statement update(db_,
                     "UPDATE fx_rates SET rate = ?, source = ? WHERE from_currency = ? AND to_currency = ? AND date = ?;");
    update.Bind(1, rate.rate);
    update.Bind(2, rate.source);
    update.Bind(3, rate.from);
    update.Bind(4, rate.to);
    update.Bind(5, FormatDate(rate.date));
    const int rc = update.Step();
    if (rc != SQLITE_DONE) return SqlError(db_, rc, path_, Tr("replacing an FX rate"));
    if (sqlite3_changes(db_) == 0) {
      return MakeError(TrFormat("no {} -> {} rate for {} is stored, so there is none to replace", rate.from, rate.to,
                                FormatDate(rate.date)),
                       "--replace", Tr("leave out --replace to add it (`suanli market fx list` shows the stored rates)"));
    }
    return rate;
  }
  const int rc = InsertFxRow(rate);
  if ((rc & 0xff) == SQLITE_CONSTRAINT) {
    return MakeError(TrFormat("a {} -> {} rate for {} is already stored", rate.from, rate.to,
                                 FormatDate(rate.date)),
                     path_,
                     TrFormat("replace it with `suanli market fx add{} --replace ...` (same --date, --from and --to)",
                              DbFlag(path_)));
  }
  if (rc != SQLITE_DONE) return SqlError(db_, rc, path_, Tr("inserting an FX rate"));
  return rate;
}

Result<Quote> QuoteStore::Remove(const std::string& id) {
  Statement stmt(db_, fmt::format("SELECT {} FROM quotes WHERE id = ?;", kQuoteColumns));
  if (stmt.prepare_rc() != SQLITE_OK) return SqlError(db_, stmt.prepare_rc(), path_, Tr("reading a quote"));
  stmt.Bind(1, id);
  const int rc = stmt.Step();
  if (rc == SQLITE_DONE) {
    std::vector<std::string> ids;
    Statement all(db_, "SELECT id FROM quotes;");
    while (all.Step() == SQLITE_ROW) ids.push_back(all.Text(0));
    std::string hint = DidYouMean(NearestMatches(id, ids));
    if (hint.empty()) hint = TrFormat("`suanli market list{}` shows the stored ids", DbFlag(path_));
    return MakeError(TrFormat("no quote '{}' in the store", id), path_, hint);
  }
  if (rc != SQLITE_ROW) return SqlError(db_, rc, path_, Tr("reading a quote"));
  // A row that no longer reads (edited by hand, or refused by today's checks)
  // can still be removed: that is how it is fixed.
  auto stored = ReadQuoteRow(stmt, path_);
  Quote quote;
  if (stored.ok()) quote = *stored;
  quote.id = id;
  stmt.Reset();
  SUANLI_RETURN_IF_ERROR(CheckWritable());
  Statement del(db_, "DELETE FROM quotes WHERE id = ?;");
  del.Bind(1, id);
  const int deleted = del.Step();
  if (deleted != SQLITE_DONE) return SqlError(db_, deleted, path_, Tr("removing a quote"));
  return quote;
}

int QuoteStore::InsertFxRow(const FxRate& rate) {
  Statement stmt(db_, "INSERT INTO fx_rates (date, from_currency, to_currency, rate, source) VALUES (?,?,?,?,?);");
  if (stmt.prepare_rc() != SQLITE_OK) return stmt.prepare_rc();
  stmt.Bind(1, FormatDate(rate.date));
  stmt.Bind(2, rate.from);
  stmt.Bind(3, rate.to);
  stmt.Bind(4, rate.rate);
  stmt.Bind(5, rate.source);
  return sqlite3_step(stmt.get());
}

Result<FxTable> QuoteStore::Fx() const {
  Statement stmt(db_, "SELECT date, from_currency, to_currency, rate, source FROM fx_rates;");
  if (stmt.prepare_rc() != SQLITE_OK) return SqlError(db_, stmt.prepare_rc(), path_, Tr("reading FX rates"));
  std::vector<FxRate> rates;
  int rc;
  while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
    const std::string date_text = stmt.Text(0);
    auto date = ParseMarketDate(date_text);
    FxRate rate{date.ok() ? *date : Date{}, stmt.Text(1), stmt.Text(2), stmt.Double(3), stmt.Text(4)};
    // As for quotes: a row edited by hand is checked again rather than trusted.
    const std::string row = fmt::format("{} FX rate {}->{} {}", path_, rate.from, rate.to, date_text);
    if (!date.ok())
      return MakeError(date.error().message, row + " (date)", Tr("the database was edited by hand; fix or delete that row"));
    if (Status valid = ValidateFxRate(rate, [&](std::string_view field) { return fmt::format("{} ({})", row, field); });
        !valid.ok()) {
      return MakeError(valid.error().message, valid.error().where,
                       Tr("the database was edited by hand; fix or delete that row"));
    }
    rates.push_back(std::move(rate));
  }
  if (rc != SQLITE_DONE) return SqlError(db_, rc, path_, Tr("reading FX rates"));
  return FxTable(std::move(rates));
}

}  // namespace suanli
