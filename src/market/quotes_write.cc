// Quote writers: CSV and YAML (exact numbers, text kept verbatim), and the
// field-by-field comparison of two quotes; the quote keys.
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "core/text.h"
#include "market/market.h"
#include "market/quote_keys.h"

namespace suanli {
namespace {

constexpr std::string_view kQuoteKeys[] = {
    "id", "supplier", "channel", "sku", "system", "unit", "cards_per_unit", "unit_price", "currency",
    "observed", "valid_until", "quantity_available", "lead_weeks_min", "lead_weeks_likely",
    "lead_weeks_max", "condition", "warranty_months", "cash_up_front", "deposit_fraction", "net_days",
    "bundle_amount", "bundle_fraction", "min_order", "buyers", "regions", "estimate", "source", "notes",
    "includes_network"};

// Shortest text that reads back as the same double (exact round trips).
std::string FormatNumber(double value) { return fmt::format("{}", value); }

std::string CsvEscape(const std::string& text) {
  // Quoted also when it starts or ends with a space or tab: import keeps a
  // quoted cell verbatim and trims an unquoted one.
  const bool padded = !text.empty() && (text.front() == ' ' || text.front() == '\t' || text.back() == ' ' ||
                                        text.back() == '\t');
  if (!padded && text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// Returns the warranty cell: "" for a new card whose quote does not state
// its warranty (read back as not stated: the maker's warranty is assumed),
// else the months.
std::string WarrantyCell(const Quote& q) {
  if (q.condition == Condition::kNew && !q.warranty_stated && q.warranty_months == 0) return "";
  return std::to_string(q.warranty_months);
}

}  // namespace

// Returns the quote's fields in kQuoteKeys order, as text ("" = default/absent).
std::vector<std::string> QuoteCells(const Quote& q) {
  return {q.id, q.supplier, std::string(ChannelTierName(q.channel)), q.sku, q.system,
          std::string(QuoteUnitName(q.unit)), std::to_string(q.cards_per_unit), FormatNumber(q.unit_price),
          q.currency, FormatDate(q.observed), q.valid_until ? FormatDate(*q.valid_until) : "", std::to_string(q.quantity_available),
          FormatNumber(q.lead_weeks_min), FormatNumber(q.lead_weeks_likely), FormatNumber(q.lead_weeks_max),
          std::string(ConditionName(q.condition)), WarrantyCell(q),
          q.payment.cash_up_front ? "true" : "false", FormatNumber(q.payment.deposit_fraction),
          std::to_string(q.payment.net_days), FormatNumber(q.bundle_amount), FormatNumber(q.bundle_fraction),
          std::to_string(q.min_order), Join(q.buyers, ";"), Join(q.regions, ";"), q.estimate ? "true" : "false",
          q.source, q.notes, q.includes_network ? "true" : ""};
}

std::string QuotesToCsv(const std::vector<Quote>& quotes) {
  const auto keys = QuoteKeys();
  std::string out = Join(std::vector<std::string>(keys.begin(), keys.end()), ",") + "\n";
  for (const auto& quote : quotes) {
    std::vector<std::string> cells = QuoteCells(quote);
    for (auto& cell : cells) cell = CsvEscape(cell);
    out += Join(cells, ",") + "\n";
  }
  return out;
}

std::string FirstDifferentQuoteField(const Quote& a, const Quote& b) {
  const std::vector<std::string> cells_a = QuoteCells(a);
  const std::vector<std::string> cells_b = QuoteCells(b);
  for (size_t i = 0; i < cells_a.size(); ++i) {
    if (cells_a[i] == cells_b[i]) continue;
    // The store keeps a warranty as a number only: an explicit 0 and none
    // stated are the same stored quote.
    const bool warranty = QuoteKeys()[i] == "warranty_months";
    if (warranty && (cells_a[i].empty() ? "0" : cells_a[i]) == (cells_b[i].empty() ? "0" : cells_b[i])) continue;
    return std::string(QuoteKeys()[i]);
  }
  return {};
}

std::string QuotesToYaml(const std::vector<Quote>& quotes) {
  YAML::Emitter emitter;
  emitter << YAML::BeginMap << YAML::Key << "quotes" << YAML::Value << YAML::BeginSeq;
  for (const auto& quote : quotes) {
    const std::vector<std::string> cells = QuoteCells(quote);
    emitter << YAML::BeginMap;
    for (size_t i = 0; i < cells.size(); ++i) {
      const std::string_view key = QuoteKeys()[i];
      if (cells[i].empty()) continue;
      emitter << YAML::Key << std::string(key) << YAML::Value;
      if (key == "buyers" || key == "regions") {
        emitter << YAML::Flow << (key == "buyers" ? quote.buyers : quote.regions);
      } else {
        emitter << cells[i];
      }
    }
    emitter << YAML::EndMap;
  }
  emitter << YAML::EndSeq << YAML::EndMap;
  return std::string(emitter.c_str()) + "\n";
}

std::span<const std::string_view> QuoteKeys() { return kQuoteKeys; }

}  // namespace suanli
