// Quote files: YAML (`quotes:` list) and CSV (header = the YAML keys), every
// bad row reported with file:line and the field; CSV/YAML writers.
#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "core/csv.h"
#include "core/text.h"
#include "core/units.h"
#include "core/yaml_reader.h"
#include "market/market.h"
#include "market/region.h"
#include "market/quote_keys.h"
#include "market/quote_values.h"
#include "core/i18n.h"

namespace suanli {
namespace {

std::vector<std::string> KeyList() {
  const auto keys = QuoteKeys();
  return {keys.begin(), keys.end()};
}


bool IsKnownKey(std::string_view key) {
  const auto keys = QuoteKeys();
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

Error UnknownKeyError(const std::string& key, std::string where) {
  std::string hint = DidYouMean(NearestMatches(key, KeyList()));
  if (hint.empty()) hint = TrFormat("known fields: {}", Join(KeyList(), ", "));
  return MakeError(TrFormat("unknown field '{}'", key), std::move(where), hint);
}

// One row's fields, from a YAML mapping or a CSV record; empty = absent.
class RowFields {
 public:
  RowFields(const YamlMap* yaml) : yaml_(yaml) {}
  RowFields(const std::map<std::string, std::string>* csv, std::string file, int line)
      : csv_(csv), file_(std::move(file)), line_(line) {}

  std::string Where(std::string_view key = {}) const {
    if (yaml_ != nullptr) return yaml_->Where(key);
    return key.empty() ? fmt::format("{}:{}", file_, line_) : fmt::format("{}:{} {}", file_, line_, key);
  }
  bool Has(std::string_view key) const {
    if (yaml_ != nullptr) return yaml_->Has(key) && !(yaml_->Node(key).IsScalar() && yaml_->Node(key).Scalar().empty());
    auto it = csv_->find(std::string(key));
    return it != csv_->end() && !it->second.empty();
  }
  Result<std::string> String(std::string_view key) const {
    if (!Has(key)) return MakeError(Tr("missing required field"), Where(key), Tr("add it"));
    if (yaml_ != nullptr) return yaml_->String(key);
    return csv_->at(std::string(key));  // unquoted cells were trimmed when read
  }
  // Returns a CSV cell as stored: a quoted cell verbatim, an unquoted one
  // without surrounding spaces, tabs and CR (hand-typed "a, b" files).
  static std::string CsvCell(std::string text, bool quoted) {
    return quoted ? text : Trim(text);
  }
  std::string StringOr(std::string_view key, std::string fallback = {}) const {
    auto value = Has(key) ? String(key) : Result<std::string>(fallback);
    return value.ok() ? *value : fallback;
  }
  Result<double> Number(std::string_view key) const {
    SUANLI_ASSIGN_OR_RETURN(std::string text, String(key));
    auto value = ParseNumber(text);
    if (!value.ok()) return MakeError(TrFormat("'{}' is not a number", text), Where(key), Tr("write a plain number"));
    return *value;
  }
  Result<double> NumberOr(std::string_view key, double fallback) const {
    return Has(key) ? Number(key) : Result<double>(fallback);
  }
  // A whole number in the range QuoteIntRanges() gives `key` (the message
  // `market add` gives for the same value).
  Result<int> IntOr(std::string_view key, int fallback) const {
    if (!Has(key)) return fallback;
    SUANLI_ASSIGN_OR_RETURN(double value, Number(key));
    const QuoteIntRange& range = *FindQuoteIntRange(key);
    if (std::floor(value) == value && value >= range.min && value <= range.max) return static_cast<int>(value);
    return MakeError(QuoteIntRangeMessage(range, StringOr(key)), Where(key), Tr("check the value and its unit"));
  }
  Result<bool> BoolOr(std::string_view key, bool fallback) const {
    if (!Has(key)) return fallback;
    SUANLI_ASSIGN_OR_RETURN(std::string text, String(key));
    const std::string lower = ToLower(text);
    if (lower == "true" || lower == "yes" || lower == "1") return true;
    if (lower == "false" || lower == "no" || lower == "0") return false;
    return MakeError(TrFormat("'{}' is not a boolean", text), Where(key), Tr("write true or false"));
  }
  Result<std::vector<std::string>> List(std::string_view key) const {
    if (!Has(key)) return std::vector<std::string>{};
    if (yaml_ != nullptr) return yaml_->StringList(key);
    std::vector<std::string> out;
    std::stringstream stream(csv_->at(std::string(key)));
    std::string item;
    while (std::getline(stream, item, ';'))
      if (!Trim(item).empty()) out.push_back(Trim(item));
    return out;
  }

 private:
  static std::string Trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) text.remove_suffix(1);
    return std::string(text);
  }

  const YamlMap* yaml_ = nullptr;
  const std::map<std::string, std::string>* csv_ = nullptr;
  std::string file_;
  int line_ = 0;
};

using RowErrors = QuoteProblems;

template <class T>
Status Into(T& target, Result<T> value) {
  if (!value.ok()) return value.error();
  target = std::move(*value);
  return OkStatus();
}

template <class T>
Status ParseEnumField(const RowFields& row, std::string_view key, T& target, Result<T> (*parse)(std::string_view)) {
  if (!row.Has(key)) return OkStatus();
  SUANLI_ASSIGN_OR_RETURN(std::string text, row.String(key));
  auto value = parse(text);
  if (!value.ok()) return MakeError(value.error().message, row.Where(key), value.error().hint);
  target = *value;
  return OkStatus();
}

// Returns the date of `key` (required or not), or an error naming the field.
Result<std::optional<Date>> DateField(const RowFields& row, std::string_view key, bool required) {
  if (!required && !row.Has(key)) return std::optional<Date>();
  SUANLI_ASSIGN_OR_RETURN(std::string text, row.String(key));
  auto date = ParseMarketDate(text);
  if (!date.ok()) return MakeError(date.error().message, row.Where(key), date.error().hint);
  return std::optional<Date>(*date);
}

// Parses one row; every bad field is added to `errors` (a field that does
// not parse keeps its default, and the value checks skip it).
Quote ParseRow(const RowFields& row, const SkuResolver& resolver, RowErrors& errors) {
  Quote q;
  q.where = row.Where();
  // Cut "file:line:col field" to "file:line" for the stored location.
  if (auto space = q.where.find(' '); space != std::string::npos) q.where.resize(space);
  errors.Add("id", Into(q.id, row.String("id")));
  errors.Add("supplier", Into(q.supplier, row.String("supplier")));
  if (!row.Has("channel")) {
    errors.Add("channel", Tr("missing required field"),
               Tr("one of: manufacturer-direct, national-distributor, server-maker, reseller, grey-market, cloud"));
  }
  errors.Add("channel", ParseEnumField(row, "channel", q.channel, &ParseChannelTier));
  std::string sku;
  errors.Add("sku", Into(sku, row.String("sku")));
  if (!errors.Bad("sku") && resolver) {
    auto id = resolver(sku);
    if (id.ok()) q.sku = *id;
    errors.Add("sku", id.ok() ? OkStatus() : Status(MakeError(id.error().message, row.Where("sku"), id.error().hint)));
  } else if (!errors.Bad("sku")) {
    q.sku = sku;
  }
  q.system = row.StringOr("system");
  errors.Add("unit", ParseEnumField(row, "unit", q.unit, &ParseQuoteUnit));
  const bool per_server = q.unit == QuoteUnit::kServer || q.unit == QuoteUnit::kServerMonth;
  errors.Add("cards_per_unit", Into(q.cards_per_unit, row.IntOr("cards_per_unit", per_server ? 8 : 1)));
  if (!row.Has("unit_price")) {
    errors.Add("unit_price", Tr("missing price"), Tr("add unit_price: the price per unit in the currency"));
  }
  errors.Add("unit_price", Into(q.unit_price, row.Number("unit_price")));
  errors.Add("currency", Into(q.currency, row.String("currency")));
  q.currency = NormalizeCurrency(q.currency);  // "usd" is USD
  std::optional<Date> observed, until;
  errors.Add("observed", Into(observed, DateField(row, "observed", true)));
  if (observed) q.observed = *observed;
  errors.Add("valid_until", Into(until, DateField(row, "valid_until", false)));
  q.valid_until = until;
  errors.Add("quantity_available", Into(q.quantity_available, row.IntOr("quantity_available", 0)));
  // Lead time: any of min/likely/max; missing ones default to the likely value.
  errors.Add("lead_weeks_likely", Into(q.lead_weeks_likely, row.NumberOr("lead_weeks_likely", 0)));
  errors.Add("lead_weeks_min", Into(q.lead_weeks_min, row.NumberOr("lead_weeks_min", q.lead_weeks_likely)));
  errors.Add("lead_weeks_max", Into(q.lead_weeks_max, row.NumberOr("lead_weeks_max", q.lead_weeks_likely)));
  if (!row.Has("lead_weeks_likely") && row.Has("lead_weeks_min") && row.Has("lead_weeks_max"))
    q.lead_weeks_likely = (q.lead_weeks_min + q.lead_weeks_max) / 2;
  errors.Add("condition", ParseEnumField(row, "condition", q.condition, &ParseCondition));
  errors.Add("warranty_months",
             Into(q.warranty_months, row.IntOr("warranty_months", 0)));
  q.warranty_stated = row.Has("warranty_months");  // absent (or an empty CSV cell) = not stated
  errors.Add("cash_up_front", Into(q.payment.cash_up_front, row.BoolOr("cash_up_front", false)));
  errors.Add("deposit_fraction", Into(q.payment.deposit_fraction, row.NumberOr("deposit_fraction", 0)));
  errors.Add("net_days", Into(q.payment.net_days, row.IntOr("net_days", 0)));
  errors.Add("bundle_amount", Into(q.bundle_amount, row.NumberOr("bundle_amount", 0)));
  errors.Add("bundle_fraction", Into(q.bundle_fraction, row.NumberOr("bundle_fraction", 0)));
  errors.Add("includes_network", Into(q.includes_network, row.BoolOr("includes_network", false)));
  errors.Add("min_order", Into(q.min_order, row.IntOr("min_order", 0)));
  errors.Add("buyers", Into(q.buyers, row.List("buyers")));
  for (std::string& tier : q.buyers) {
    auto canonical = ParseBuyerTier(tier, row.Where("buyers"));
    errors.Add("buyers", canonical.ok() ? OkStatus() : Status(canonical.error()));
    if (canonical.ok()) tier = *canonical;
  }
  errors.Add("regions", Into(q.regions, row.List("regions")));
  for (std::string& region : q.regions) {
    auto code = ParseRegion(region, row.Where("regions"));
    errors.Add("regions", code.ok() ? OkStatus() : Status(code.error()));
    if (code.ok()) region = code->code;
  }
  errors.Add("estimate", Into(q.estimate, row.BoolOr("estimate", false)));
  errors.Add("source", Into(q.source, row.String("source")));
  q.notes = row.StringOr("notes");
  CheckQuoteValues(q, errors);
  return q;
}

// Adds a parsed row to `report`: its quote, or every problem it has.
void AddRow(QuoteParseReport& report, std::set<std::string>& ids, Quote quote, std::vector<Error> errors,
            const RowFields& row) {
  ++report.rows;
  if (errors.empty() && !ids.insert(quote.id).second) {
    errors.push_back(MakeError(TrFormat("duplicate quote id '{}'", quote.id), row.Where("id"),
                               Tr("give every quote a unique id")));
  }
  if (!errors.empty()) {
    ++report.bad_rows;
    for (Error& e : errors) report.rejected.push_back(std::move(e));
    return;
  }
  report.quotes.push_back(std::move(quote));
}

// Parses one row and adds it to `report`.
void ParseAndAdd(QuoteParseReport& report, std::set<std::string>& ids, const RowFields& row,
                 const SkuResolver& resolver) {
  RowErrors errors([&row](std::string_view key) { return row.Where(key); });
  Quote quote = ParseRow(row, resolver, errors);
  AddRow(report, ids, std::move(quote), std::move(errors.errors()), row);
}

Result<std::vector<Quote>> FirstErrorOrQuotes(QuoteParseReport report) {
  if (report.rejected.empty()) return std::move(report.quotes);
  Error first = report.rejected.front();
  if (report.rejected.size() > 1) {
    first.message += TrFormat(" (and {} more problems, listed below)", report.rejected.size() - 1);
    first.more.assign(report.rejected.begin() + 1, report.rejected.end());
  }
  return first;
}

}  // namespace

QuoteParseReport ParseQuotesNode(const YAML::Node& list, const std::string& file_name, const std::string& path,
                                 const SkuResolver& resolver) {
  QuoteParseReport report;
  YamlMap holder(list, file_name, path);
  if (!list.IsSequence()) {
    report.rejected.push_back(MakeError(Tr("must be a list of quotes (lines starting with '-')"), holder.Where()));
    return report;
  }
  std::set<std::string> ids;
  for (size_t i = 0; i < list.size(); ++i) {
    YamlMap item(list[i], file_name, fmt::format("{}[{}]", path, i));
    RowFields row(&item);
    if (!list[i].IsMap()) {
      ++report.rows;
      ++report.bad_rows;
      report.rejected.push_back(MakeError(Tr("a quote must be a mapping (key: value lines)"), item.Where()));
      continue;
    }
    bool unknown = false;
    for (const auto& entry : list[i]) {
      const std::string key = entry.first.Scalar();
      if (!IsKnownKey(key)) {
        const auto mark = entry.first.Mark();
        if (!unknown) ++report.bad_rows;
        unknown = true;
        report.rejected.push_back(UnknownKeyError(
            key, fmt::format("{}:{}:{} {}.{}", file_name, mark.line + 1, mark.column + 1, item.path(), key)));
      }
    }
    if (unknown) {
      ++report.rows;
      continue;
    }
    ParseAndAdd(report, ids, row, resolver);
  }
  return report;
}

QuoteParseReport ParseQuotesReport(std::string_view text, const std::string& file_name,
                                   const SkuResolver& resolver) {
  auto root = ParseYaml(text, file_name);
  if (!root.ok()) return QuoteParseReport{{}, {root.error()}, 0};
  YamlMap top(*root, file_name, "");
  if (auto keys = top.CheckKeys({"quotes"}); !keys.ok()) return QuoteParseReport{{}, {keys.error()}, 0};
  if (!top.Has("quotes")) return QuoteParseReport{{}, {MakeError(Tr("missing 'quotes:' list"), file_name, Tr("add it"))}, 0};
  const YAML::Node& root_ref = *root;
  return ParseQuotesNode(root_ref["quotes"], file_name, "quotes", resolver);
}

QuoteParseReport StreamQuotesCsv(std::string_view text, const std::string& file_name, const SkuResolver& resolver,
                                 const QuoteSink& sink) {
  QuoteParseReport report;
  CsvReader reader(text, file_name);
  CsvRecord header;
  auto first = reader.Next(header);
  if (!first.ok()) return QuoteParseReport{{}, {first.error()}, 0};
  if (!*first) return QuoteParseReport{{}, {MakeError(Tr("empty CSV file"), file_name, Tr("add a header row"))}, 0};
  // Every unknown header field is reported in one run, each with its column.
  // A duplicated column is refused naming both columns (the last value used
  // to win silently, e.g. a merged sheet's second unit_price).
  std::vector<Error> bad_header;
  std::map<std::string, size_t> first_column;  // name -> 1-based column
  for (size_t c = 0; c < header.fields.size(); ++c) {
    const std::string name = RowFields::CsvCell(header.fields[c], header.quoted[c]);
    const std::string where = fmt::format("{}:{} header column {}", file_name, header.line, c + 1);
    if (!IsKnownKey(name)) bad_header.push_back(UnknownKeyError(name, where));
    auto [seen, first_time] = first_column.emplace(name, c + 1);
    if (!first_time) {
      bad_header.push_back(MakeError(TrFormat("duplicate field '{}' (first at column {})", name, seen->second), where,
                                     TrFormat("keep one '{}' column (columns {} and {})", name, seen->second, c + 1)));
    }
    header.fields[c] = name;
  }
  if (!bad_header.empty()) return QuoteParseReport{{}, std::move(bad_header), 0};
  std::set<std::string> ids;
  CsvRecord record;
  std::map<std::string, std::string> cells;
  while (true) {
    auto more = reader.Next(record);
    if (!more.ok()) {
      report.rejected.push_back(more.error());
      ++report.bad_rows;
      ++report.rows;
      // A row that is not UTF-8 (a GBK file) is one bad row: the rest are
      // read and counted; a syntax error ends the file.
      if (!reader.CanContinue()) break;
      continue;
    }
    if (!*more) break;
    cells.clear();
    RowFields row(&cells, file_name, record.line);
    if (record.fields.size() != header.fields.size()) {
      ++report.rows;
      ++report.bad_rows;
      report.rejected.push_back(MakeError(
          TrFormat("row has {} fields, the header has {}", record.fields.size(), header.fields.size()),
          row.Where(), Tr("quote fields that contain commas")));
      continue;
    }
    for (size_t c = 0; c < header.fields.size(); ++c)
      cells[header.fields[c]] = RowFields::CsvCell(std::move(record.fields[c]), record.quoted[c]);
    ParseAndAdd(report, ids, row, resolver);
    if (!report.quotes.empty()) {
      Status taken = sink(std::move(report.quotes.back()));
      report.quotes.pop_back();
      if (!taken.ok()) {
        report.rejected.push_back(taken.error());
        ++report.bad_rows;
      }
    }
  }
  return report;
}

QuoteParseReport ParseQuotesCsvReport(std::string_view text, const std::string& file_name,
                                      const SkuResolver& resolver) {
  std::vector<Quote> quotes;
  QuoteParseReport report = StreamQuotesCsv(text, file_name, resolver, [&](Quote&& quote) {
    quotes.push_back(std::move(quote));
    return OkStatus();
  });
  report.quotes = std::move(quotes);
  return report;
}

Result<std::vector<Quote>> ParseQuotes(std::string_view text, const std::string& file_name,
                                       const SkuResolver& resolver) {
  return FirstErrorOrQuotes(ParseQuotesReport(text, file_name, resolver));
}

Result<std::vector<Quote>> ParseQuotesCsv(std::string_view text, const std::string& file_name,
                                          const SkuResolver& resolver) {
  return FirstErrorOrQuotes(ParseQuotesCsvReport(text, file_name, resolver));
}

std::vector<Error> QuoteValueProblems(const Quote& quote, const std::string& where) {
  QuoteProblems errors([&](std::string_view key) { return fmt::format("{} {}", where, key); });
  CheckQuoteValues(quote, errors);
  return std::move(errors.errors());
}

Status ValidateQuote(const Quote& quote, const std::string& where) {
  std::vector<Error> problems = QuoteValueProblems(quote, where);
  if (problems.empty()) return OkStatus();
  return problems.front();
}

}  // namespace suanli
