// `suanli market import|add|list|history|export|rules`: the SQLite quote
// store (docs/market.md). Every verb takes --db PATH and --json.
#include <algorithm>
#include <cmath>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/common.h"
#include "core/text.h"
#include "core/yaml_reader.h"
#include "market/market.h"
#include "market/store.h"
#include "report/json_util.h"
#include "report/table.h"

namespace suanli::cli {
namespace {

using nlohmann::json;

struct MarketOptions {
  CommonOptions common;
  std::string db;
  bool fresh = false;
};

std::string Money(double value) {
  if (value >= 100) return fmt::format("{:.0f}", value);
  return fmt::format("{:.2f}", value);
}

std::string Weeks(double value) { return fmt::format("{:g}", std::round(value * 10) / 10); }

SkuResolver CatalogResolver(const Catalog& catalog) {
  return [&catalog](std::string_view query) -> Result<std::string> {
    SUANLI_ASSIGN_OR_RETURN(const Accelerator* accelerator, catalog.FindAccelerator(query));
    return accelerator->id;
  };
}

json ErrorJson(const Error& error) {
  return {{"where", error.where}, {"message", error.message}, {"hint", error.hint}};
}

json QuoteJson(const Quote& q) {
  return {{"id", q.id},
          {"supplier", q.supplier},
          {"channel", std::string(ChannelTierName(q.channel))},
          {"sku", q.sku},
          {"system", q.system},
          {"unit", std::string(QuoteUnitName(q.unit))},
          {"cards_per_unit", q.cards_per_unit},
          {"unit_price", RoundSig(q.unit_price)},
          {"currency", q.currency},
          {"observed", FormatDate(q.observed)},
          {"valid_until", FormatDate(q.valid_until)},
          {"quantity_available", q.quantity_available},
          {"lead_weeks", {{"min", RoundSig(q.lead_weeks_min)}, {"likely", RoundSig(q.lead_weeks_likely)},
                          {"max", RoundSig(q.lead_weeks_max)}}},
          {"condition", std::string(ConditionName(q.condition))},
          {"warranty_months", q.warranty_months},
          {"payment", {{"cash_up_front", q.payment.cash_up_front},
                       {"deposit_fraction", RoundSig(q.payment.deposit_fraction)},
                       {"net_days", q.payment.net_days}}},
          {"bundle_amount", RoundSig(q.bundle_amount)},
          {"bundle_fraction", RoundSig(q.bundle_fraction)},
          {"min_order", q.min_order},
          {"buyers", q.buyers},
          {"regions", q.regions},
          {"estimate", q.estimate},
          {"source", q.source},
          {"notes", q.notes}};
}

json AvailabilityJson(const Availability& a) {
  return {{"allowed", a.allowed},
          {"flagged", a.flagged},
          {"action", std::string(ExportActionName(a.action))},
          {"rule", a.rule_id},
          {"reason", a.reason}};
}

json RuleJson(const ExportRule& r) {
  json channels = json::array();
  for (ChannelTier c : r.channels) channels.push_back(std::string(ChannelTierName(c)));
  return {{"id", r.id},       {"effective", FormatDate(r.effective)}, {"until", FormatDate(r.until)},
          {"skus", r.skus},   {"region", r.region},       {"channels", channels},
          {"action", std::string(ExportActionName(r.action))}, {"summary", r.summary},
          {"source", r.source}};
}

// Loads the catalog (for SKU checks) and the seed market, and opens the store.
struct Session {
  Catalog catalog;
  Market seed;
  std::optional<QuoteStore> store;
};

Result<Session> OpenSession(const MarketOptions& options, bool open_store = true) {
  Session session;
  SUANLI_ASSIGN_OR_RETURN(session.catalog, LoadCatalog(options.common));
  SUANLI_ASSIGN_OR_RETURN(session.seed, LoadSeedMarket(CatalogResolver(session.catalog)));
  if (open_store) {
    StoreOptions store_options;
    store_options.fresh = options.fresh;
    store_options.seed = &session.seed;
    const std::string path = options.db.empty() ? DefaultStorePath() : options.db;
    SUANLI_ASSIGN_OR_RETURN(QuoteStore store, QuoteStore::Open(path, store_options));
    session.store.emplace(std::move(store));
  }
  return session;
}

Result<std::optional<Date>> DateArg(const std::string& text, const std::string& flag) {
  if (text.empty()) return std::optional<Date>();
  auto date = ParseMarketDate(text);
  if (!date.ok()) return MakeError(date.error().message, flag, date.error().hint);
  return std::optional<Date>(*date);
}

// ------------------------------------------------------------- import ---

int RunImport(const MarketOptions& options, const std::string& file) {
  auto text = ReadTextFile(file);
  if (!text.ok()) return ReportError("market import", text.error());
  auto session = OpenSession(options);
  if (!session.ok()) return ReportError("market import", session.error());
  const SkuResolver resolver = CatalogResolver(session->catalog);
  const bool csv = file.size() >= 4 && ToLower(file.substr(file.size() - 4)) == ".csv";
  QuoteParseReport parsed = csv ? ParseQuotesCsvReport(*text, file, resolver) : ParseQuotesReport(*text, file, resolver);
  auto report = session->store->Import(parsed, file);
  if (!report.ok()) return ReportError("market import", report.error());
  if (options.common.json) {
    json rejected = json::array();
    for (const auto& e : report->rejected) rejected.push_back(ErrorJson(e));
    PrintJson({{"file", file}, {"rows", report->rows}, {"imported", report->imported}, {"rejected", rejected}});
  }
  if (!report->rejected.empty()) {
    for (const auto& e : report->rejected) fmt::print(stderr, "suanli market import: error: {}\n", e.ToString());
    fmt::print(stderr, "suanli market import: {} of {} rows rejected; nothing imported (fix them and rerun)\n",
               report->rejected.size(), report->rows);
    return kExitBadInput;
  }
  if (!options.common.json)
    fmt::print("imported {} quotes from {} into {}\n", report->imported, file, session->store->path());
  return kExitOk;
}

// ---------------------------------------------------------------- add ---

struct AddFlags {
  std::string id, supplier, channel = "reseller", sku, system, unit = "card", currency = "CNY", observed,
                  valid_until, lead_weeks, condition = "new", source, notes;
  std::optional<double> price;
  int cards_per_unit = 0, quantity = 0, warranty_months = 0, min_order = 0, net_days = 0;
  bool cash_up_front = false, estimate = false;
  double deposit_fraction = 0, bundle_fraction = 0, bundle_amount = 0;
  std::vector<std::string> buyers, regions;
};

Result<Quote> QuoteFromFlags(const AddFlags& f, const SkuResolver& resolver) {
  Quote q;
  SUANLI_ASSIGN_OR_RETURN(ChannelTier channel, [&]() -> Result<ChannelTier> {
    auto c = ParseChannelTier(f.channel);
    if (!c.ok()) return MakeError(c.error().message, "--channel", c.error().hint);
    return *c;
  }());
  q.channel = channel;
  auto sku = resolver(f.sku);
  if (!sku.ok()) return MakeError(sku.error().message, "--sku", sku.error().hint);
  q.sku = *sku;
  auto unit = ParseQuoteUnit(f.unit);
  if (!unit.ok()) return MakeError(unit.error().message, "--unit", unit.error().hint);
  q.unit = *unit;
  auto condition = ParseCondition(f.condition);
  if (!condition.ok()) return MakeError(condition.error().message, "--condition", condition.error().hint);
  q.condition = *condition;
  if (!f.price) return MakeError("missing price", "--price", "give the price per unit, e.g. --price 87500");
  q.unit_price = *f.price;
  SUANLI_ASSIGN_OR_RETURN(const std::optional<Date> observed, DateArg(f.observed, "--observed"));
  if (!observed) return MakeError("missing date", "--observed", "give the date the price was seen, YYYY-MM-DD");
  q.observed = *observed;
  SUANLI_ASSIGN_OR_RETURN(q.valid_until, DateArg(f.valid_until, "--valid-until"));
  // --lead-weeks likely | min:likely:max
  if (!f.lead_weeks.empty()) {
    std::vector<double> parts;
    size_t start = 0;
    while (start <= f.lead_weeks.size()) {
      size_t end = f.lead_weeks.find(':', start);
      if (end == std::string::npos) end = f.lead_weeks.size();
      auto value = ParseNumber(f.lead_weeks.substr(start, end - start));
      if (!value.ok())
        return MakeError(fmt::format("malformed lead time '{}'", f.lead_weeks), "--lead-weeks",
                         "write weeks as LIKELY or MIN:LIKELY:MAX, e.g. 4:6:8");
      parts.push_back(*value);
      start = end + 1;
    }
    if (parts.size() != 1 && parts.size() != 3)
      return MakeError(fmt::format("malformed lead time '{}'", f.lead_weeks), "--lead-weeks",
                       "write weeks as LIKELY or MIN:LIKELY:MAX, e.g. 4:6:8");
    q.lead_weeks_min = parts.front();
    q.lead_weeks_likely = parts.size() == 3 ? parts[1] : parts[0];
    q.lead_weeks_max = parts.back();
  }
  q.supplier = f.supplier;
  q.system = f.system;
  q.currency = f.currency;
  const bool per_server = q.unit == QuoteUnit::kServer || q.unit == QuoteUnit::kServerMonth;
  q.cards_per_unit = f.cards_per_unit > 0 ? f.cards_per_unit : (per_server ? 8 : 1);
  q.quantity_available = f.quantity;
  q.warranty_months = f.warranty_months;
  q.min_order = f.min_order;
  q.payment = {f.cash_up_front, f.deposit_fraction, f.net_days};
  q.bundle_fraction = f.bundle_fraction;
  q.bundle_amount = f.bundle_amount;
  q.buyers = f.buyers;
  q.regions = f.regions;
  q.estimate = f.estimate;
  q.source = f.source;
  q.notes = f.notes;
  q.id = f.id.empty() ? fmt::format("{}-{}-{}", q.sku, FormatDate(q.observed), NormalizeId(q.supplier)) : f.id;
  auto status = ValidateQuote(q, "");
  if (!status.ok()) {
    // ValidateQuote names the field (" lead_weeks_min"); name the flag instead.
    Error error = status.error();
    std::string key = error.where.substr(error.where.find_first_not_of(' '));
    if (key.rfind("lead_weeks", 0) == 0) key = "lead_weeks";
    if (key == "unit_price") key = "price";
    if (key == "quantity_available") key = "quantity";
    std::replace(key.begin(), key.end(), '_', '-');
    error.where = "--" + key;
    return error;
  }
  return q;
}

int RunAdd(const MarketOptions& options, const AddFlags& flags) {
  auto session = OpenSession(options);
  if (!session.ok()) return ReportError("market add", session.error());
  auto quote = QuoteFromFlags(flags, CatalogResolver(session->catalog));
  if (!quote.ok()) return ReportError("market add", quote.error());
  auto status = session->store->Add(*quote);
  if (!status.ok()) return ReportError("market add", status.error());
  if (options.common.json) {
    PrintJson({{"added", QuoteJson(*quote)}});
  } else {
    fmt::print("added quote {} ({} {} {} per {}) to {}\n", quote->id, quote->sku, Money(quote->unit_price),
               quote->currency, QuoteUnitName(quote->unit), session->store->path());
  }
  return kExitOk;
}

// --------------------------------------------------------------- list ---

struct ListFlags {
  std::string sku, as_of, buyer, tier = "startup", currency = "CNY";
  bool allow_grey_market = false, show_excluded = false;
};

int RunList(const MarketOptions& options, const ListFlags& flags) {
  auto session = OpenSession(options);
  if (!session.ok()) return ReportError("market list", session.error());
  QuoteFilter filter;
  if (!flags.sku.empty()) {
    auto sku = CatalogResolver(session->catalog)(flags.sku);
    if (!sku.ok()) return ReportError("market list", MakeError(sku.error().message, "--sku", sku.error().hint));
    filter.sku = *sku;
  }
  auto as_of = DateArg(flags.as_of, "--as-of");
  if (!as_of.ok()) return ReportError("market list", as_of.error());
  filter.as_of = *as_of;
  filter.region = flags.buyer;
  filter.buyer.tier = flags.tier;
  filter.buyer.allow_grey_market = flags.allow_grey_market;
  auto quotes = session->store->AllQuotes();
  if (!quotes.ok()) return ReportError("market list", quotes.error());
  auto fx = session->store->Fx();
  if (!fx.ok()) return ReportError("market list", fx.error());
  const QuoteListing listing = FilterQuotes(*quotes, session->seed.rules, filter);

  std::vector<double> per_card;
  for (const auto& listed : listing.quotes) {
    auto price = QuotePricePerCardIn(listed.quote, *fx, flags.currency);
    if (!price.ok()) return ReportError("market list", price.error());
    per_card.push_back(*price);
  }
  if (options.common.json) {
    json items = json::array();
    for (size_t i = 0; i < listing.quotes.size(); ++i) {
      json item = QuoteJson(listing.quotes[i].quote);
      item["price_per_card"] = RoundSig(per_card[i]);
      item["availability"] = AvailabilityJson(listing.quotes[i].availability);
      items.push_back(std::move(item));
    }
    json excluded = json::array();
    for (const auto& listed : listing.excluded)
      excluded.push_back({{"id", listed.quote.id}, {"sku", listed.quote.sku}, {"reason", listed.availability.reason}});
    PrintJson({{"filter", {{"sku", filter.sku}, {"as_of", FormatDate(filter.as_of)}, {"buyer_region", filter.region},
                           {"buyer_tier", flags.tier}, {"allow_grey_market", flags.allow_grey_market}}},
               {"currency", flags.currency},
               {"quotes", items},
               {"excluded", excluded}});
    return listing.quotes.empty() ? kExitInfeasible : kExitOk;
  }
  const std::string per_card_header = "per card " + flags.currency;
  TextTable table({"id", "sku", "channel", "cond", "unit", "price", "cur", per_card_header, "lead wk", "observed", "note"});
  for (size_t c : {5u, 7u}) table.AlignColumn(c, TextTable::Align::kRight);
  for (size_t i = 0; i < listing.quotes.size(); ++i) {
    const Quote& q = listing.quotes[i].quote;
    std::vector<std::string> notes;
    if (q.estimate) notes.push_back("estimate");
    if (listing.quotes[i].availability.flagged) notes.push_back("flagged");
    if (q.payment.cash_up_front) notes.push_back("cash");
    if (q.warranty_months == 0 && q.condition != Condition::kNew) notes.push_back("no warranty");
    if (!q.buyers.empty()) notes.push_back(Join(q.buyers, "/") + " only");
    table.AddRow({q.id, q.sku, std::string(ChannelTierName(q.channel)), std::string(ConditionName(q.condition)),
                  std::string(QuoteUnitName(q.unit)), Money(q.unit_price), q.currency, Money(per_card[i]),
                  fmt::format("{}/{}/{}", Weeks(q.lead_weeks_min), Weeks(q.lead_weeks_likely), Weeks(q.lead_weeks_max)),
                  FormatDate(q.observed), Join(notes, ", ")});
  }
  std::cout << table.Render();
  fmt::print("{} quotes", listing.quotes.size());
  if (!listing.excluded.empty()) fmt::print(", {} excluded", listing.excluded.size());
  fmt::print("\n");
  if (flags.show_excluded) {
    for (const auto& listed : listing.excluded)
      fmt::print("  excluded {}: {}\n", listed.quote.id, listed.availability.reason);
  } else if (!listing.excluded.empty()) {
    fmt::print("(--show-excluded lists the reasons)\n");
  }
  return listing.quotes.empty() ? kExitInfeasible : kExitOk;
}

// ------------------------------------------------------------ history ---

int RunHistory(const MarketOptions& options, const std::string& sku_arg, const std::string& currency) {
  auto session = OpenSession(options);
  if (!session.ok()) return ReportError("market history", session.error());
  auto sku = CatalogResolver(session->catalog)(sku_arg);
  if (!sku.ok()) return ReportError("market history", MakeError(sku.error().message, "SKU", sku.error().hint));
  auto quotes = session->store->AllQuotes();
  if (!quotes.ok()) return ReportError("market history", quotes.error());
  auto fx = session->store->Fx();
  if (!fx.ok()) return ReportError("market history", fx.error());
  auto history = PriceHistory(*quotes, *fx, *sku, currency);
  if (!history.ok()) return ReportError("market history", history.error());
  if (options.common.json) {
    json points = json::array();
    for (const auto& p : *history) {
      points.push_back({{"observed", FormatDate(p.observed)}, {"id", p.quote_id}, {"supplier", p.supplier},
                        {"channel", std::string(ChannelTierName(p.channel))},
                        {"condition", std::string(ConditionName(p.condition))},
                        {"unit", std::string(QuoteUnitName(p.unit))}, {"price", RoundSig(p.price)},
                        {"price_per_card", RoundSig(p.price_per_card)},
                        {"lead_weeks_likely", RoundSig(p.lead_weeks_likely)}, {"estimate", p.estimate}});
    }
    PrintJson({{"sku", *sku}, {"currency", currency}, {"history", points}});
    return history->empty() ? kExitInfeasible : kExitOk;
  }
  TextTable table({"observed", "id", "channel", "cond", "unit", "per card " + currency, "lead wk", "supplier"});
  table.AlignColumn(5, TextTable::Align::kRight);
  table.AlignColumn(6, TextTable::Align::kRight);
  for (const auto& p : *history) {
    table.AddRow({FormatDate(p.observed), p.quote_id, std::string(ChannelTierName(p.channel)),
                  std::string(ConditionName(p.condition)), std::string(QuoteUnitName(p.unit)),
                  Money(p.price_per_card) + (p.estimate ? "*" : ""), Weeks(p.lead_weeks_likely), p.supplier});
  }
  fmt::print("{} price history ({}; prices converted at each observation date; * = estimate)\n", *sku, currency);
  std::cout << table.Render();
  if (history->empty()) {
    fmt::print("no quotes for {}\n", *sku);
    return kExitInfeasible;
  }
  return kExitOk;
}

// ----------------------------------------------------------------- fx ---

int RunFxList(const MarketOptions& options) {
  auto session = OpenSession(options);
  if (!session.ok()) return ReportError("market fx list", session.error());
  auto fx = session->store->Fx();
  if (!fx.ok()) return ReportError("market fx list", fx.error());
  const std::vector<FxRate>& rates = fx->rates();  // FxTable keeps them by pair, then date
  if (options.common.json) {
    json items = json::array();
    for (const FxRate& r : rates) {
      items.push_back({{"date", FormatDate(r.date)}, {"from", r.from}, {"to", r.to}, {"rate", r.rate}, {"source", r.source}});
    }
    PrintJson({{"rates", items}});
    return kExitOk;
  }
  TextTable table({"from", "to", "date", "rate", "source"});
  table.AlignColumn(3, TextTable::Align::kRight);
  for (const FxRate& r : rates) table.AddRow({r.from, r.to, FormatDate(r.date), fmt::format("{:g}", r.rate), r.source});
  std::cout << table.Render();
  fmt::print("{} rates; a conversion uses the latest rate on or before its date (docs/market.md)\n",
             rates.size());
  return kExitOk;
}

int RunFxAdd(const MarketOptions& options, FxRate rate, const std::string& date_text) {
  auto date = DateArg(date_text, "--date");
  if (!date.ok()) return ReportError("market fx add", date.error());
  rate.date = date->value_or(Date{});
  auto session = OpenSession(options);
  if (!session.ok()) return ReportError("market fx add", session.error());
  auto added = session->store->AddFx(rate);
  if (!added.ok()) return ReportError("market fx add", added.error());
  fmt::print("added 1 {} = {:g} {} on {} to {}\n", added->from, added->rate, added->to, FormatDate(added->date),
             session->store->path());
  return kExitOk;
}

// ------------------------------------------------------------- export ---

int RunExport(const MarketOptions& options, const std::string& format, const std::string& output) {
  auto session = OpenSession(options);
  if (!session.ok()) return ReportError("market export", session.error());
  auto quotes = session->store->AllQuotes();
  if (!quotes.ok()) return ReportError("market export", quotes.error());
  std::string text;
  if (options.common.json) {
    json items = json::array();
    for (const auto& q : *quotes) items.push_back(QuoteJson(q));
    text = json{{"quotes", items}}.dump(2) + "\n";
  } else {
    text = format == "csv" ? QuotesToCsv(*quotes) : QuotesToYaml(*quotes);
  }
  if (output.empty() || output == "-") {
    std::cout << text;
    return kExitOk;
  }
  std::ofstream out(output, std::ios::binary);
  out << text;
  if (!out) return ReportError("market export", MakeError("cannot write the file", output, "check the path"));
  return kExitOk;
}

// -------------------------------------------------------------- rules ---

int RunRules(const MarketOptions& options, const std::string& sku_arg, const std::string& region,
             const std::string& date_arg, const std::string& channel_arg, bool allow_grey_market) {
  auto session = OpenSession(options, /*open_store=*/false);
  if (!session.ok()) return ReportError("market rules", session.error());
  const auto& rules = session->seed.rules;
  auto date = DateArg(date_arg, "--date");
  if (!date.ok()) return ReportError("market rules", date.error());
  std::string sku;
  if (!sku_arg.empty()) {
    auto resolved = CatalogResolver(session->catalog)(sku_arg);
    if (!resolved.ok())
      return ReportError("market rules", MakeError(resolved.error().message, "--sku", resolved.error().hint));
    sku = *resolved;
  }
  // With --sku and --date: the deciding rule per channel.
  if (!sku.empty() && date->has_value()) {
    std::vector<ChannelTier> channels = AllChannelTiers();
    if (!channel_arg.empty()) {
      auto channel = ParseChannelTier(channel_arg);
      if (!channel.ok())
        return ReportError("market rules", MakeError(channel.error().message, "--channel", channel.error().hint));
      channels = {*channel};
    }
    json items = json::array();
    TextTable table({"channel", "allowed", "action", "rule", "reason"});
    for (ChannelTier channel : channels) {
      const Availability a = CheckExport(rules, sku, region, channel, **date, allow_grey_market);
      items.push_back({{"channel", std::string(ChannelTierName(channel))}, {"availability", AvailabilityJson(a)}});
      table.AddRow({std::string(ChannelTierName(channel)), a.allowed ? (a.flagged ? "yes (flagged)" : "yes") : "no",
                    a.rule_id.empty() ? "-" : std::string(ExportActionName(a.action)),
                    a.rule_id.empty() ? "-" : a.rule_id, a.reason.empty() ? "no rule covers it" : a.reason});
    }
    if (options.common.json) {
      PrintJson({{"sku", sku}, {"region", region}, {"date", FormatDate(*date)}, {"channels", items}});
    } else {
      fmt::print("{} for {} buyers on {}:\n", sku, region, FormatDate(*date));
      std::cout << table.Render();
    }
    return kExitOk;
  }
  // Otherwise: the rules, filtered by sku, region and date (in effect then).
  std::vector<const ExportRule*> shown;
  for (const auto& rule : rules) {
    if (!sku.empty() && std::find(rule.skus.begin(), rule.skus.end(), sku) == rule.skus.end()) continue;
    if (!region.empty() && ToLower(rule.region) != ToLower(region)) continue;
    if (date->has_value() && (rule.effective > **date || (rule.until && **date >= *rule.until))) continue;
    shown.push_back(&rule);
  }
  if (options.common.json) {
    json items = json::array();
    for (const ExportRule* rule : shown) items.push_back(RuleJson(*rule));
    PrintJson({{"rules", items}});
    return kExitOk;
  }
  TextTable table({"effective", "id", "region", "action", "skus", "summary"});
  for (const ExportRule* rule : shown) {
    std::string skus = Join(rule->skus, " ");
    if (skus.size() > 48) skus = skus.substr(0, 45) + "...";
    table.AddRow({FormatDate(rule->effective), rule->id, rule->region, std::string(ExportActionName(rule->action)), skus,
                  rule->summary});
  }
  std::cout << table.Render();
  fmt::print("{} rules (sources: suanli market rules --json; data/market/export_rules.yaml)\n", shown.size());
  return kExitOk;
}

}  // namespace

int RunMarket(int argc, char** argv) {
  CLI::App app{"The quote store: import, add, list and export supplier quotes; price history; export rules.",
               "suanli market"};
  MarketOptions options;
  AddCommonOptions(app, options.common);
  app.add_option("--db", options.db,
                 "SQLite quote store (default $XDG_DATA_HOME/suanli/quotes.db or "
                 "~/.local/share/suanli/quotes.db; ':memory:' = a throwaway seeded store)");
  app.add_flag("--fresh", options.fresh,
               "start from a new seeded database (deletes PATH first; only a suanli database is ever deleted)");
  app.require_subcommand(1);
  app.fallthrough();
  app.footer(R"(examples:
  suanli market list --sku a800 --as-of 2023-07-01 --buyer CN
  suanli market history a800-sxm-80gb --currency USD
  suanli market import my_quotes.csv            # all rows or none; every bad row is reported
  suanli market add --sku a800 --price 88000 --currency CNY --lead-weeks 2:3:6 \
      --supplier "Hangzhou reseller" --observed 2023-07-10 --source "phone quote"
  suanli market export --format csv > quotes.csv
  suanli market rules --sku h20 --region CN --date 2025-05-01
  suanli market fx add --date 2023-07-03 --from USD --to CNY --rate 7.24 --source "PBOC central parity"
A new database is created and seeded with data/market/quotes.yaml on first use.)");

  std::string import_file;
  CLI::App* import_cmd = app.add_subcommand("import", "import quotes from FILE.csv or FILE.yaml (all or nothing)");
  import_cmd->add_option("file", import_file, "quote file (.csv: header = field names; else YAML `quotes:`)")
      ->required();

  AddFlags add;
  CLI::App* add_cmd = app.add_subcommand("add", "add one quote");
  add_cmd->add_option("--id", add.id, "quote id (default: SKU-OBSERVED-SUPPLIER)");
  add_cmd->add_option("--supplier", add.supplier, "who quoted")->required();
  add_cmd->add_option("--channel", add.channel,
                      "manufacturer-direct|national-distributor|server-maker|reseller|grey-market|cloud");
  add_cmd->add_option("--sku", add.sku, "accelerator id or name (suanli catalog accelerators)")->required();
  add_cmd->add_option("--system", add.system, "system id for server quotes");
  add_cmd->add_option("--unit", add.unit, "card|server|gpu-hour|server-month");
  add_cmd->add_option("--cards-per-unit", add.cards_per_unit, "cards in one unit (default 8 for servers)");
  add_cmd->add_option("--price", add.price, "price per unit in --currency")->required();
  add_cmd->add_option("--currency", add.currency, "ISO code, e.g. CNY, USD");
  add_cmd->add_option("--observed", add.observed, "date the price was seen, YYYY-MM-DD")->required();
  add_cmd->add_option("--valid-until", add.valid_until, "last date the quote holds, YYYY-MM-DD");
  add_cmd->add_option("--lead-weeks", add.lead_weeks, "weeks to delivery: LIKELY or MIN:LIKELY:MAX");
  add_cmd->add_option("--condition", add.condition, "new|used-pulled|refurbished");
  add_cmd->add_option("--warranty-months", add.warranty_months, "months of warranty (0 = none)");
  add_cmd->add_option("--quantity", add.quantity, "cards available (0 = unknown)");
  add_cmd->add_option("--min-order", add.min_order, "minimum order in cards");
  add_cmd->add_flag("--cash-up-front", add.cash_up_front, "full payment before delivery");
  add_cmd->add_option("--deposit-fraction", add.deposit_fraction, "deposit at order, fraction in [0,1]");
  add_cmd->add_option("--net-days", add.net_days, "days after delivery the balance is due");
  add_cmd->add_option("--bundle-fraction", add.bundle_fraction, "required extra purchase, fraction of order value");
  add_cmd->add_option("--bundle-amount", add.bundle_amount, "required extra purchase, in --currency");
  add_cmd->add_option("--buyers", add.buyers, "buyer tiers served (startup, enterprise, hyperscaler)");
  add_cmd->add_option("--regions", add.regions, "buyer regions served (CN, US, ...)");
  add_cmd->add_flag("--estimate", add.estimate, "the price is an estimate, not an observation");
  add_cmd->add_option("--source", add.source, "where the quote comes from")->required();
  add_cmd->add_option("--notes", add.notes, "free text");

  ListFlags list;
  CLI::App* list_cmd = app.add_subcommand("list", "list quotes, filtered by SKU, date and buyer");
  list_cmd->add_option("--sku", list.sku, "accelerator id or name");
  list_cmd->add_option("--as-of", list.as_of, "quotes observed on or before this date and still valid");
  list_cmd->add_option("--buyer", list.buyer, "buyer region (e.g. CN): applies the export rules");
  list_cmd->add_option("--tier", list.tier, "buyer tier: startup|enterprise|hyperscaler (with --buyer)");
  list_cmd->add_flag("--allow-grey-market", list.allow_grey_market, "accept grey-market quotes of banned SKUs");
  list_cmd->add_option("--currency", list.currency, "currency of the per-card price column (default CNY)");
  list_cmd->add_flag("--show-excluded", list.show_excluded, "print why each excluded quote was excluded");

  std::string history_sku, history_currency = "CNY";
  CLI::App* history_cmd = app.add_subcommand("history", "price and lead time of one SKU over time");
  history_cmd->add_option("sku", history_sku, "accelerator id or name")->required();
  history_cmd->add_option("--currency", history_currency, "currency (default CNY)");

  std::string export_format = "yaml", export_output;
  CLI::App* export_cmd = app.add_subcommand("export", "write every quote as CSV or YAML");
  export_cmd->add_option("--format", export_format, "csv|yaml")->check(CLI::IsMember({"csv", "yaml"}));
  export_cmd->add_option("--output,-o", export_output, "file to write (default stdout)");

  std::string rules_sku, rules_region = "CN", rules_date, rules_channel;
  bool rules_grey = false;
  CLI::App* rules_cmd = app.add_subcommand("rules", "export-control rules; with --sku and --date, which one decides");
  rules_cmd->add_option("--sku", rules_sku, "accelerator id or name");
  rules_cmd->add_option("--region", rules_region, "buyer region (default CN)");
  rules_cmd->add_option("--date", rules_date, "YYYY-MM-DD: rules in effect on that date");
  rules_cmd->add_option("--channel", rules_channel, "only this channel (with --sku and --date)");
  rules_cmd->add_flag("--allow-grey-market", rules_grey, "buyer accepts grey-market supply");

  FxRate fx_rate;
  std::string fx_date;
  CLI::App* fx_cmd = app.add_subcommand("fx", "exchange rates in the store: list them, or add one");
  fx_cmd->require_subcommand(1);
  CLI::App* fx_list_cmd = fx_cmd->add_subcommand("list", "list the stored rates by pair and date");
  CLI::App* fx_add_cmd = fx_cmd->add_subcommand("add", "add one rate: 1 FROM = RATE TO on DATE");
  fx_add_cmd->add_option("--date", fx_date, "date of the rate, YYYY-MM-DD")->required();
  fx_add_cmd->add_option("--from", fx_rate.from, "currency converted from, e.g. USD")->required();
  fx_add_cmd->add_option("--to", fx_rate.to, "currency converted to, e.g. CNY")->required();
  fx_add_cmd->add_option("--rate", fx_rate.rate, "units of --to per unit of --from")->required();
  fx_add_cmd->add_option("--source", fx_rate.source, "where the rate comes from")->required();

  for (CLI::App* sub : {import_cmd, add_cmd, list_cmd, history_cmd, export_cmd, rules_cmd, fx_cmd, fx_list_cmd,
                        fx_add_cmd}) {
    sub->fallthrough();
  }

  if (auto code = ParseArgs(app, argc, argv)) return *code;
  if (*import_cmd) return RunImport(options, import_file);
  if (*add_cmd) return RunAdd(options, add);
  if (*list_cmd) return RunList(options, list);
  if (*history_cmd) return RunHistory(options, history_sku, history_currency);
  if (*export_cmd) return RunExport(options, export_format, export_output);
  if (*fx_add_cmd) return RunFxAdd(options, fx_rate, fx_date);
  if (*fx_list_cmd) return RunFxList(options);
  return RunRules(options, rules_sku, rules_region, rules_date, rules_channel, rules_grey);
}

}  // namespace suanli::cli
