// `suanli market add`: one quote from flags, validated, into the store.
#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/commands.h"
#include "core/i18n.h"
#include "cli/market_verbs.h"
#include "core/text.h"
#include "report/market_json.h"
#include "report/market_text.h"

namespace suanli::cli {
namespace {

struct AddFlags {
  bool force = false;  // --force: skip the absolute price bounds
  std::string id, supplier, channel = "reseller", sku, system, unit = "card", currency = "CNY", observed,
                  valid_until, lead_weeks, condition = "new", source, notes;
  std::optional<double> price;
  // Left out: the default (cards_per_unit 8 for servers, else 1; 0 for the
  // others; warranty not stated). Given, checked as import checks the field.
  std::optional<int> cards_per_unit, quantity, min_order, net_days, warranty_months;
  bool cash_up_front = false, estimate = false, includes_network = false;
  double deposit_fraction = 0, bundle_fraction = 0, bundle_amount = 0;
  std::vector<std::string> buyers, regions;
};

// Sets the quote's lead weeks from --lead-weeks: LIKELY or MIN:LIKELY:MAX.
Status ParseLeadWeeks(const std::string& text, Quote& q) {
  if (text.empty()) return OkStatus();
  const Error malformed = MakeError(TrFormat("malformed lead time '{}'", text), "--lead-weeks",
                                    Tr("write weeks as LIKELY or MIN:LIKELY:MAX, e.g. 4:6:8"));
  std::vector<double> parts;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(':', start);
    if (end == std::string::npos) end = text.size();
    auto value = ParseNumber(text.substr(start, end - start));
    if (!value.ok()) return malformed;
    parts.push_back(*value);
    start = end + 1;
  }
  if (parts.size() != 1 && parts.size() != 3) return malformed;
  q.lead_weeks_min = parts.front();
  q.lead_weeks_likely = parts.size() == 3 ? parts[1] : parts[0];
  q.lead_weeks_max = parts.back();
  return OkStatus();
}

// Sets the quote's named values (channel, SKU, unit, condition, price, dates,
// lead weeks); errors name the flag.
Status ParseNamedFlags(const AddFlags& f, const Catalog& catalog, Quote& q) {
  auto channel = ParseChannelTier(f.channel);
  if (!channel.ok()) return AtFlag(channel.error(), "--channel");
  q.channel = *channel;
  SUANLI_ASSIGN_OR_RETURN(q.sku, ResolveSku(catalog, f.sku, "--sku"));
  auto unit = ParseQuoteUnit(f.unit);
  if (!unit.ok()) return AtFlag(unit.error(), "--unit");
  q.unit = *unit;
  auto condition = ParseCondition(f.condition);
  if (!condition.ok()) return AtFlag(condition.error(), "--condition");
  q.condition = *condition;
  if (!f.price) return MakeError(Tr("missing price"), "--price", Tr("give the price per unit, e.g. --price 87500"));
  q.unit_price = *f.price;
  SUANLI_ASSIGN_OR_RETURN(const std::optional<Date> observed, DateArg(f.observed, "--observed"));
  if (!observed) return MakeError(Tr("missing date"), "--observed", Tr("give the date the price was seen, YYYY-MM-DD"));
  q.observed = *observed;
  SUANLI_ASSIGN_OR_RETURN(q.valid_until, DateArg(f.valid_until, "--valid-until"));
  return ParseLeadWeeks(f.lead_weeks, q);
}

// Returns the items of `text` separated by ';' or ',', trimmed, empty ones left out.
std::vector<std::string> SplitTiers(const std::string& text) {
  std::vector<std::string> out;
  std::string item;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && text[i] != ';' && text[i] != ',') {
      item += text[i];
      continue;
    }
    while (!item.empty() && item.back() == ' ') item.pop_back();
    while (!item.empty() && item.front() == ' ') item.erase(0, 1);
    if (!item.empty()) out.push_back(item);
    item.clear();
  }
  return out;
}

// Returns ValidateQuote's error with the flag named instead of the field
// (" lead_weeks_min" → "--lead-weeks").
Error AtFlagOfField(Error error) {
  // The field is the last word of `where` (" currency", "quote ID currency").
  const size_t space = error.where.find_last_of(' ');
  std::string key = space == std::string::npos ? error.where : error.where.substr(space + 1);
  if (key.rfind("lead_weeks", 0) == 0) key = "lead_weeks";
  if (key == "unit_price") key = "price";
  if (key == "quantity_available") key = "quantity";
  std::replace(key.begin(), key.end(), '_', '-');
  error.where = "--" + key;
  return error;
}

// Returns the validated quote the flags describe.
Result<Quote> QuoteFromFlags(const AddFlags& f, const Catalog& catalog) {
  Quote q;
  SUANLI_RETURN_IF_ERROR(ParseNamedFlags(f, catalog, q));
  q.supplier = f.supplier;
  q.system = f.system;
  q.currency = f.currency;
  const bool per_server = q.unit == QuoteUnit::kServer || q.unit == QuoteUnit::kServerMonth;
  q.cards_per_unit = f.cards_per_unit.value_or(per_server ? 8 : 1);
  q.quantity_available = f.quantity.value_or(0);
  q.warranty_months = f.warranty_months.value_or(0);
  q.warranty_stated = f.warranty_months.has_value();
  q.min_order = f.min_order.value_or(0);
  q.payment = {f.cash_up_front, f.deposit_fraction, f.net_days.value_or(0)};
  q.includes_network = f.includes_network;
  q.bundle_fraction = f.bundle_fraction;
  q.bundle_amount = f.bundle_amount;
  // "startup;enterprise" or several --buyers; each tier read as import
  // reads it (an unknown one is left as typed for the value check to name).
  for (const std::string& given : f.buyers) {
    for (const std::string& part : SplitTiers(given)) {
      auto tier = ParseBuyerTier(part, "--buyers");
      q.buyers.push_back(tier.ok() ? *tier : part);
    }
  }
  q.regions = f.regions;
  q.estimate = f.estimate;
  q.source = f.source;
  q.notes = f.notes;
  q.id = f.id.empty() ? DefaultQuoteId(q) : f.id;
  // Every bad flag at once: all but the last on stderr here, the last as the error.
  std::vector<Error> problems = QuoteValueProblems(q, "");
  if (!problems.empty()) {
    for (size_t i = 0; i + 1 < problems.size(); ++i) {
      fmt::print(stderr, "suanli market add: {}: {}\n", Tr("error"), AtFlagOfField(problems[i]).ToString());
    }
    return AtFlagOfField(problems.back());
  }
  return q;
}

// Adds the quote the flags describe to the store.
Result<int> AddBody(const MarketOptions& options, const AddFlags& flags) {
  SUANLI_ASSIGN_OR_RETURN(MarketSession session, OpenMarketSession(options));
  SUANLI_ASSIGN_OR_RETURN(const Quote quote, QuoteFromFlags(flags, session.catalog));
  // What an inline scenario quote must pass and more: a supplier, a currency
  // with an FX rate, a date neither in the future nor before the product.
  SUANLI_ASSIGN_OR_RETURN(const FxTable fx, session.store->Fx());
  NewQuoteContext checks = NewQuoteChecks(session.catalog);
  checks.fx = &fx;
  checks.db_flag = DbFlag(session.store->path());
  checks.check_plausibility = !flags.force;
  if (Status status = CheckNewQuote(quote, checks, ""); !status.ok()) return AtFlagOfField(status.error());
  SUANLI_RETURN_IF_ERROR(session.store->Add(quote));
  if (options.common.json) {
    PrintJson({{"added", QuoteJson(quote)}});
  } else {
    fmt::print("{}", AddedQuoteText(quote, session.store->path()));
  }
  PrintPriceOutliers("add", session, {quote.id});
  return kExitOk;
}

// Registers the quote's fields as flags on `verb`.
void AddQuoteFlags(CLI::App& verb, AddFlags& add) {
  verb.add_option("--id", add.id, Tr("quote id (default: SKU-OBSERVED-SUPPLIER)"));
  verb.add_option("--supplier", add.supplier, Tr("who quoted"))->required();
  verb.add_option("--channel", add.channel,
                  Tr("manufacturer-direct|national-distributor|server-maker|reseller|grey-market|cloud"));
  verb.add_option("--sku", add.sku, Tr("accelerator id or name (suanli catalog accelerators)"))->required();
  verb.add_option("--system", add.system, Tr("system id for server quotes"));
  verb.add_option("--unit", add.unit, Tr("card|server|gpu-hour|server-month"));
  verb.add_option("--cards-per-unit", add.cards_per_unit, Tr("cards in one unit (default 8 for servers)"));
  verb.add_option("--price", add.price, Tr("price per unit in --currency"))->required();
  verb.add_option("--currency", add.currency, Tr("ISO code, e.g. CNY, USD"))->transform(CurrencyCode);
  verb.add_option("--observed", add.observed, Tr("date the price was seen, YYYY-MM-DD"))->required();
  verb.add_option("--valid-until", add.valid_until, Tr("last date the quote holds, YYYY-MM-DD"));
  verb.add_option("--lead-weeks", add.lead_weeks, Tr("weeks to delivery: LIKELY or MIN:LIKELY:MAX"));
  verb.add_option("--condition", add.condition, Tr("new|used-pulled|refurbished"));
  verb.add_option("--warranty-months", add.warranty_months,
                  Tr("months of warranty (0 = none; left out: not stated, a new card is then assumed to carry "
                     "the maker's warranty, costs.new_card_warranty_months_assumed)"));
  verb.add_option("--quantity", add.quantity, Tr("cards available, in cards even for a server quote (4 servers of 8 = 32; 0 = unknown)"));
  verb.add_option("--min-order", add.min_order, Tr("minimum order in cards"));
  verb.add_flag("--cash-up-front", add.cash_up_front, Tr("full payment before delivery"));
  verb.add_flag("--includes-network", add.includes_network,
                Tr("the price includes the scale-out network (NICs, switches, optics)"));
  verb.add_option("--deposit-fraction", add.deposit_fraction, Tr("deposit at order, fraction in [0,1]"));
  verb.add_option("--net-days", add.net_days, Tr("days after delivery the balance is due"));
  verb.add_option("--bundle-fraction", add.bundle_fraction, Tr("required extra purchase, fraction of order value"));
  verb.add_option("--bundle-amount", add.bundle_amount, Tr("required extra purchase, in --currency"));
  verb.add_option("--buyers", add.buyers, Tr("buyer tiers served (startup, enterprise, hyperscaler)"));
  verb.add_option("--regions", add.regions, Tr("buyer regions served (CN, US, ...)"));
  verb.add_flag("--estimate", add.estimate, Tr("the price is an estimate, not an observation"));
  verb.add_option("--source", add.source, Tr("where the quote comes from"))->required();
  verb.add_option("--notes", add.notes, Tr("free text"));
  verb.add_flag("--force", add.force, Tr("store a price outside the plausible range for its unit (docs/market.md)"));
}

}  // namespace

MarketRun SetupAdd(CLI::App& verb) {
  auto flags = std::make_shared<AddFlags>();
  AddQuoteFlags(verb, *flags);
  return [flags](const MarketOptions& options) { return ExitCode("market add", AddBody(options, *flags)); };
}

}  // namespace suanli::cli
