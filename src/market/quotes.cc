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
  // What a whole-number field counts, named in its range message.
  enum class Counts { kCards, kUnits, kMonths, kDays };
  // A whole number in [min, max].
  Result<int> IntOr(std::string_view key, int fallback, int min, int max, Counts counts) const {
    if (!Has(key)) return fallback;
    SUANLI_ASSIGN_OR_RETURN(double value, Number(key));
    if (std::floor(value) == value && value >= min && value <= max) return static_cast<int>(value);
    const std::string text = StringOr(key);
    std::string message;
    switch (counts) {
      case Counts::kCards:
        message = TrFormat("'{}' is not a whole number of cards from {} to {}", text, min, max);
        break;
      case Counts::kUnits:
        message = TrFormat("'{}' is not a whole number of units from {} to {}", text, min, max);
        break;
      case Counts::kMonths:
        message = TrFormat("'{}' is not a whole number of months from {} to {}", text, min, max);
        break;
      case Counts::kDays:
        message = TrFormat("'{}' is not a whole number of days from {} to {}", text, min, max);
        break;
    }
    return MakeError(message, Where(key), Tr("check the value and its unit"));
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

// Bounds of what a quote may say: no supplier promises delivery more than
// five years out, no quote covers more than ten million units.
constexpr double kMaxLeadWeeks = 260;
constexpr int kMaxUnits = 10'000'000;
constexpr int kMaxCardsPerUnit = 65536;

using WhereFn = std::function<std::string(std::string_view)>;

Status CheckValues(const Quote& q, const WhereFn& where) {
  if (q.id.empty()) return MakeError(Tr("missing quote id"), where("id"), Tr("add a unique id"));
  if (q.sku.empty()) return MakeError(Tr("missing sku"), where("sku"), Tr("add the accelerator id"));
  if (std::isnan(q.unit_price))
    return MakeError(Tr("price is not a number"), where("unit_price"), Tr("write a price such as 87500"));
  if (q.unit_price < 0)
    return MakeError(TrFormat("negative price {:g}", q.unit_price), where("unit_price"),
                     Tr("prices are > 0 in the quote currency"));
  if (q.unit_price == 0)
    return MakeError(Tr("price is zero"), where("unit_price"),
                     Tr("write the price per unit in the quote currency; leave out a quote with no price"));
  // No accelerator, server or rental costs a trillion per unit: such a value
  // is a typo or a unit error.
  if (!(q.unit_price < 1e12))
    return MakeError(TrFormat("absurd price {:g}", q.unit_price), where("unit_price"),
                     Tr("prices are per unit (card, server, GPU-hour, server-month), below 1e12"));
  if (!IsCurrencyCode(q.currency))
    return MakeError(TrFormat("malformed currency '{}'", q.currency), where("currency"),
                     Tr("write an ISO 4217 code such as CNY or USD"));
  if (q.valid_until && *q.valid_until < q.observed)
    return MakeError(Tr("valid_until is before observed"), where("valid_until"),
                     Tr("a quote is valid from the day it was observed: check both dates"));
  if (q.lead_weeks_min < 0) return MakeError(Tr("negative lead time"), where("lead_weeks_min"),
                                             Tr("lead times are in weeks and cannot be negative"));
  if (!(q.lead_weeks_likely <= kMaxLeadWeeks))
    return MakeError(TrFormat("lead time likely {:g} weeks is over five years ({:g} weeks)", q.lead_weeks_likely,
                              kMaxLeadWeeks),
                     where("lead_weeks_likely"), Tr("lead times are in weeks"));
  if (!(q.lead_weeks_max <= kMaxLeadWeeks))
    return MakeError(TrFormat("lead time max {:g} weeks is over five years ({:g} weeks)", q.lead_weeks_max,
                              kMaxLeadWeeks),
                     where("lead_weeks_max"), Tr("lead times are in weeks"));
  if (q.lead_weeks_min > q.lead_weeks_likely)
    return MakeError(TrFormat("lead time min {:g} > likely {:g} weeks", q.lead_weeks_min, q.lead_weeks_likely),
                     where("lead_weeks_min"), Tr("order them min <= likely <= max"));
  if (q.lead_weeks_likely > q.lead_weeks_max)
    return MakeError(TrFormat("lead time likely {:g} > max {:g} weeks", q.lead_weeks_likely, q.lead_weeks_max),
                     where("lead_weeks_max"), Tr("order them min <= likely <= max"));
  for (auto [key, value] : {std::pair<std::string_view, double>{"deposit_fraction", q.payment.deposit_fraction},
                            {"bundle_fraction", q.bundle_fraction}}) {
    if (!(value >= 0 && value <= 1))
      return MakeError(TrFormat("fraction {:g} is outside [0,1]", value), where(key),
                       Tr("write a fraction, e.g. 0.3 for 30%"));
  }
  if (q.bundle_amount < 0) return MakeError(Tr("negative bundle amount"), where("bundle_amount"));
  if (!(q.bundle_amount < 1e12))
    return MakeError(TrFormat("absurd bundle amount {:g}", q.bundle_amount), where("bundle_amount"),
                     Tr("the bundle amount is in the quote currency, below 1e12"));
  if (q.cards_per_unit < 1) return MakeError(Tr("cards_per_unit must be >= 1"), where("cards_per_unit"));
  return OkStatus();
}

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

Result<Quote> ParseRow(const RowFields& row, const SkuResolver& resolver) {
  Quote q;
  q.where = row.Where();
  // Cut "file:line:col field" to "file:line" for the stored location.
  if (auto space = q.where.find(' '); space != std::string::npos) q.where.resize(space);
  SUANLI_RETURN_IF_ERROR(Into(q.id, row.String("id")));
  SUANLI_RETURN_IF_ERROR(Into(q.supplier, row.String("supplier")));
  if (!row.Has("channel")) return MakeError(Tr("missing required field"), row.Where("channel"),
                                            Tr("one of: manufacturer-direct, national-distributor, server-maker, "
                                            "reseller, grey-market, cloud"));
  SUANLI_RETURN_IF_ERROR(ParseEnumField(row, "channel", q.channel, &ParseChannelTier));
  SUANLI_ASSIGN_OR_RETURN(std::string sku, row.String("sku"));
  if (resolver) {
    auto id = resolver(sku);
    if (!id.ok()) return MakeError(id.error().message, row.Where("sku"), id.error().hint);
    q.sku = *id;
  } else {
    q.sku = sku;
  }
  q.system = row.StringOr("system");
  SUANLI_RETURN_IF_ERROR(ParseEnumField(row, "unit", q.unit, &ParseQuoteUnit));
  const bool per_server = q.unit == QuoteUnit::kServer || q.unit == QuoteUnit::kServerMonth;
  SUANLI_RETURN_IF_ERROR(Into(q.cards_per_unit, row.IntOr("cards_per_unit", per_server ? 8 : 1, 1, kMaxCardsPerUnit, RowFields::Counts::kCards)));
  if (!row.Has("unit_price"))
    return MakeError(Tr("missing price"), row.Where("unit_price"), Tr("add unit_price: the price per unit in the currency"));
  SUANLI_RETURN_IF_ERROR(Into(q.unit_price, row.Number("unit_price")));
  SUANLI_RETURN_IF_ERROR(Into(q.currency, row.String("currency")));
  SUANLI_ASSIGN_OR_RETURN(std::string observed, row.String("observed"));
  auto observed_date = ParseMarketDate(observed);
  if (!observed_date.ok())
    return MakeError(observed_date.error().message, row.Where("observed"), observed_date.error().hint);
  q.observed = *observed_date;
  if (row.Has("valid_until")) {
    auto until = ParseMarketDate(row.StringOr("valid_until"));
    if (!until.ok()) return MakeError(until.error().message, row.Where("valid_until"), until.error().hint);
    q.valid_until = *until;
  }
  SUANLI_RETURN_IF_ERROR(Into(q.quantity_available, row.IntOr("quantity_available", 0, 0, kMaxUnits, RowFields::Counts::kUnits)));
  // Lead time: any of min/likely/max; missing ones default to the likely value.
  SUANLI_RETURN_IF_ERROR(Into(q.lead_weeks_likely, row.NumberOr("lead_weeks_likely", 0)));
  SUANLI_RETURN_IF_ERROR(Into(q.lead_weeks_min, row.NumberOr("lead_weeks_min", q.lead_weeks_likely)));
  SUANLI_RETURN_IF_ERROR(Into(q.lead_weeks_max, row.NumberOr("lead_weeks_max", q.lead_weeks_likely)));
  if (!row.Has("lead_weeks_likely") && row.Has("lead_weeks_min") && row.Has("lead_weeks_max"))
    q.lead_weeks_likely = (q.lead_weeks_min + q.lead_weeks_max) / 2;
  SUANLI_RETURN_IF_ERROR(ParseEnumField(row, "condition", q.condition, &ParseCondition));
  SUANLI_RETURN_IF_ERROR(Into(q.warranty_months, row.IntOr("warranty_months", 0, 0, 120, RowFields::Counts::kMonths)));
  SUANLI_RETURN_IF_ERROR(Into(q.payment.cash_up_front, row.BoolOr("cash_up_front", false)));
  SUANLI_RETURN_IF_ERROR(Into(q.payment.deposit_fraction, row.NumberOr("deposit_fraction", 0)));
  SUANLI_RETURN_IF_ERROR(Into(q.payment.net_days, row.IntOr("net_days", 0, 0, 365, RowFields::Counts::kDays)));
  SUANLI_RETURN_IF_ERROR(Into(q.bundle_amount, row.NumberOr("bundle_amount", 0)));
  SUANLI_RETURN_IF_ERROR(Into(q.bundle_fraction, row.NumberOr("bundle_fraction", 0)));
  SUANLI_RETURN_IF_ERROR(Into(q.min_order, row.IntOr("min_order", 0, 0, kMaxUnits, RowFields::Counts::kUnits)));
  SUANLI_RETURN_IF_ERROR(Into(q.buyers, row.List("buyers")));
  SUANLI_RETURN_IF_ERROR(Into(q.regions, row.List("regions")));
  for (std::string& region : q.regions) {
    SUANLI_ASSIGN_OR_RETURN(const RegionCode code, ParseRegion(region, row.Where("regions")));
    region = code.code;
  }
  SUANLI_RETURN_IF_ERROR(Into(q.estimate, row.BoolOr("estimate", false)));
  SUANLI_RETURN_IF_ERROR(Into(q.source, row.String("source")));
  q.notes = row.StringOr("notes");
  SUANLI_RETURN_IF_ERROR(CheckValues(q, [&](std::string_view key) { return row.Where(key); }));
  return q;
}

void AddRow(QuoteParseReport& report, std::set<std::string>& ids, Result<Quote> quote, const RowFields& row) {
  ++report.rows;
  if (!quote.ok()) {
    report.rejected.push_back(quote.error());
    return;
  }
  if (!ids.insert(quote->id).second) {
    report.rejected.push_back(MakeError(TrFormat("duplicate quote id '{}'", quote->id), row.Where("id"),
                                        Tr("give every quote a unique id")));
    return;
  }
  report.quotes.push_back(std::move(*quote));
}

Result<std::vector<Quote>> FirstErrorOrQuotes(QuoteParseReport report) {
  if (report.rejected.empty()) return std::move(report.quotes);
  Error first = report.rejected.front();
  if (report.rejected.size() > 1)
    first.message += TrFormat(" (and {} more bad rows)", report.rejected.size() - 1);
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
      report.rejected.push_back(MakeError(Tr("a quote must be a mapping (key: value lines)"), item.Where()));
      continue;
    }
    Result<Quote> quote = [&]() -> Result<Quote> {
      for (const auto& entry : list[i]) {
        const std::string key = entry.first.Scalar();
        if (!IsKnownKey(key)) {
          const auto mark = entry.first.Mark();
          return UnknownKeyError(key, fmt::format("{}:{}:{} {}.{}", file_name, mark.line + 1, mark.column + 1,
                                                  item.path(), key));
        }
      }
      return ParseRow(row, resolver);
    }();
    AddRow(report, ids, std::move(quote), row);
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
  for (size_t c = 0; c < header.fields.size(); ++c) {
    const std::string name = RowFields::CsvCell(header.fields[c], header.quoted[c]);
    if (!IsKnownKey(name))
      return QuoteParseReport{{}, {UnknownKeyError(name, fmt::format("{}:{} header", file_name, header.line))}, 0};
    header.fields[c] = name;
  }
  std::set<std::string> ids;
  CsvRecord record;
  std::map<std::string, std::string> cells;
  while (true) {
    auto more = reader.Next(record);
    if (!more.ok()) {
      report.rejected.push_back(more.error());  // a syntax error ends the file
      break;
    }
    if (!*more) break;
    cells.clear();
    RowFields row(&cells, file_name, record.line);
    if (record.fields.size() != header.fields.size()) {
      ++report.rows;
      report.rejected.push_back(MakeError(
          TrFormat("row has {} fields, the header has {}", record.fields.size(), header.fields.size()),
          row.Where(), Tr("quote fields that contain commas")));
      continue;
    }
    for (size_t c = 0; c < header.fields.size(); ++c)
      cells[header.fields[c]] = RowFields::CsvCell(std::move(record.fields[c]), record.quoted[c]);
    AddRow(report, ids, ParseRow(row, resolver), row);
    if (!report.quotes.empty()) {
      Status taken = sink(std::move(report.quotes.back()));
      report.quotes.pop_back();
      if (!taken.ok()) report.rejected.push_back(taken.error());
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

Status ValidateQuote(const Quote& quote, const std::string& where) {
  return CheckValues(quote, [&](std::string_view key) { return fmt::format("{} {}", where, key); });
}

}  // namespace suanli
