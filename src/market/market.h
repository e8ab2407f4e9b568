// The market: supplier quotes (price, currency, lead time, channel, terms),
// FX rates by date, export-control rules by date, and cost settings
// (market/costs.h). Loaded strictly from YAML/CSV
// with file:line errors; the seed data in data/market/ is embedded.
// SKUs are checked through a resolver; the export rules' criteria and SKU
// families are read against the catalog's export facts (market/export_rules.h).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "core/date.h"
#include "core/result.h"
#include "market/costs.h"
#include "market/export_rules.h"

namespace suanli {

// ---------------------------------------------------------------- enums ---

// Who sells: the supply channel of a quote.
enum class ChannelTier {
  kManufacturerDirect,   // "manufacturer-direct": NVIDIA/Huawei direct allocation
  kNationalDistributor,  // "national-distributor": 总代 / authorised distributor
  kServerMaker,          // "server-maker": Inspur, H3C, Sugon... selling whole servers
  kReseller,             // "reseller": 渠道商 / second-tier trader, incl. used stock
  kGreyMarket,           // "grey-market": parallel import around export rules
  kCloud,                // "cloud": rental (GPU-hour, server-month)
};
// Returns the channel's name: "manufacturer-direct", "national-distributor", ...
std::string_view ChannelTierName(ChannelTier channel);
// Parses a channel name; the error lists the accepted names.
Result<ChannelTier> ParseChannelTier(std::string_view text);
// Returns every channel, in declaration order.
const std::vector<ChannelTier>& AllChannelTiers();

// Condition of the hardware.
enum class Condition { kNew, kUsedPulled, kRefurbished };
// Returns "new", "used-pulled" or "refurbished".
std::string_view ConditionName(Condition condition);
// Parses "new", "used-pulled" (also "used"), "refurbished".
Result<Condition> ParseCondition(std::string_view text);

// What one unit_price buys.
enum class QuoteUnit { kCard, kServer, kGpuHour, kServerMonth };
// Returns "card", "server", "gpu-hour" or "server-month".
std::string_view QuoteUnitName(QuoteUnit unit);
// Parses a unit name; the error lists the accepted names.
Result<QuoteUnit> ParseQuoteUnit(std::string_view text);
// Returns true for rental units (gpu-hour, server-month).
bool IsRental(QuoteUnit unit);

// ---------------------------------------------------------------- dates ---

// Parses a market file date: "YYYY-MM-DD", or "YYYY-MM" for the 1st of the
// month; the error ("malformed date") expects `where` from the caller.
Result<Date> ParseMarketDate(std::string_view text);

// --------------------------------------------------------------- quotes ---

// Payment terms of a quote.
struct PaymentTerms {
  bool cash_up_front = false;    // full payment before delivery (现款现货)
  double deposit_fraction = 0;   // fraction of the order paid at order time, [0,1]
  int net_days = 0;              // days after delivery the balance is due
};
// Returns "cash up front", "30% deposit, net 30", "net 60" or "standard".
std::string PaymentTermsText(const PaymentTerms& payment);

// One supplier quote, as observed on a date.
struct Quote {
  std::string id;                // unique id, e.g. "a800-bj-2023-08"
  std::string supplier;          // "Beijing distributor (article)"
  ChannelTier channel = ChannelTier::kReseller;
  std::string sku;               // accelerator id (canonical, via the resolver)
  std::string system;            // system id for server quotes, or empty
  QuoteUnit unit = QuoteUnit::kCard;
  int cards_per_unit = 1;        // cards in one unit (8 for an 8-GPU server); 1 for card/gpu-hour
  double unit_price = 0;         // quote currency per unit, >= 0
  std::string currency;          // "CNY", "USD"
  Date observed;                 // date the price was seen (files: YYYY-MM-DD or YYYY-MM)
  std::optional<Date> valid_until;  // last date the quote holds; nullopt = open-ended
  int quantity_available = 0;    // cards; 0 = unknown/unlimited
  double lead_weeks_min = 0;     // weeks from order to delivery, optimistic
  double lead_weeks_likely = 0;  // most likely
  double lead_weeks_max = 0;     // pessimistic; min <= likely <= max
  Condition condition = Condition::kNew;
  int warranty_months = 0;       // 0 = none (when stated)
  // true when the quote file states warranty_months (an explicit 0 = none);
  // false = not stated (a new card then gets the maker's warranty assumed,
  // market/costs.h EffectiveWarrantyMonths). The store keeps only the
  // number, so a stored quote reads as stated only when it is > 0.
  bool warranty_stated = false;
  PaymentTerms payment;
  double bundle_amount = 0;      // quote currency: one-off purchase required alongside (配货)
  double bundle_fraction = 0;    // extra purchase required, as a fraction of order value, [0,1]
  bool includes_network = false; // the price includes the scale-out network (NICs, switches, optics), per its source
  int min_order = 0;             // cards; 0 = none
  std::vector<std::string> buyers;   // buyer tiers served (startup, enterprise, hyperscaler); empty = any
  std::vector<std::string> regions;  // buyer regions served (CN, US, ...); empty = any
  bool estimate = false;         // true when the price is our estimate, not an observation
  std::string source;            // citation (URL, article, "estimate: reasoning")
  std::string notes;             // free text
  std::string where;             // "file:line" the quote came from (messages only, not stored)
  // Order of entry: the store's insertion sequence (rowid; a later `add` or
  // import row is larger), 0 for a quote not read from a store. Decides
  // which of two quotes with the same id is the correction (SupersededBy).
  long long entry_seq = 0;
  bool from_seed = false;  // a store row copied from the seed quotes when the store was made (origin "seed")
};

// Returns the canonical buyer tier ("startup", "enterprise", "hyperscaler")
// that `text` names (any case; zh aliases 初创企业, 企业, 超大规模云厂商 ...);
// the error names `where` and suggests the nearest tier.
Result<std::string> ParseBuyerTier(std::string_view text, const std::string& where);
// Returns the buyer tiers, in order: startup, enterprise, hyperscaler.
const std::vector<std::string>& BuyerTiers();

// Checks an accelerator id and returns its canonical id; the error suggests
// the nearest known ids. A null resolver accepts any non-empty id as is.
using SkuResolver = std::function<Result<std::string>(std::string_view)>;
// Returns a resolver over a fixed list of ids (case/punctuation-insensitive,
// nearest-match suggestions); for tests and for callers without a catalog.
SkuResolver MakeListResolver(std::vector<std::string> known_ids);

// All rows of a quote file: the good ones and one error per bad row.
struct QuoteParseReport {
  std::vector<Quote> quotes;   // rows that passed every check
  std::vector<Error> rejected; // every problem of every bad row (each bad field once), `where` = "file:line[:col] field"
  int rows = 0;                // rows seen
  int bad_rows = 0;            // rows with at least one problem (a file-level error counts none)
};

// Parses a YAML document with a top-level `quotes:` list; every bad row is
// reported (a syntax error is the single rejected entry).
QuoteParseReport ParseQuotesReport(std::string_view text, const std::string& file_name,
                                   const SkuResolver& resolver);
// Parses a YAML sequence node of quote mappings (e.g. a scenario's
// market.quotes); `path` is the field path used in messages.
QuoteParseReport ParseQuotesNode(const YAML::Node& list, const std::string& file_name,
                                 const std::string& path, const SkuResolver& resolver);
// Parses a CSV file with a header row (column names = YAML keys; lead time
// as lead_weeks_min/likely/max; lists separated by ';').
QuoteParseReport ParseQuotesCsvReport(std::string_view text, const std::string& file_name,
                                      const SkuResolver& resolver);
// Takes one parsed quote; an error is recorded as that row's rejection.
using QuoteSink = std::function<Status(Quote&&)>;
// Parses a CSV quote file one row at a time (memory: one row and the ids
// seen), handing each good row to `sink`; returns the rows count and the
// rejected rows (report.quotes stays empty). A quoted cell is kept verbatim;
// an unquoted one loses surrounding spaces, tabs and CR.
QuoteParseReport StreamQuotesCsv(std::string_view text, const std::string& file_name,
                                 const SkuResolver& resolver, const QuoteSink& sink);
// Returns the quotes, or the first bad row's error (message counts the others).
Result<std::vector<Quote>> ParseQuotes(std::string_view text, const std::string& file_name,
                                       const SkuResolver& resolver);
// CSV variant of ParseQuotes.
Result<std::vector<Quote>> ParseQuotesCsv(std::string_view text, const std::string& file_name,
                                          const SkuResolver& resolver);
// Returns whether `code` is a currency code: three capital letters (ISO 4217 form).
bool IsCurrencyCode(std::string_view code);
// Returns a currency code as written by a user in the form IsCurrencyCode
// takes: surrounding spaces removed, ASCII letters in capitals ("cny" ->
// "CNY"), a name of a code as its code ("RMB", "rmb", "人民币", "元" -> "CNY";
// "美元" -> "USD"; the one alias table every currency read goes through);
// text that is not a code in any case is returned trimmed, as written.
std::string NormalizeCurrency(std::string_view text);

// Checks one quote's values (price > 0, currency, lead min <= likely <= max,
// fractions in [0,1], observed <= valid_until); `where` prefixes errors.
Status ValidateQuote(const Quote& quote, const std::string& where);
// Returns every value problem of one quote (ValidateQuote's checks, each bad
// field once, in the check order); empty when it is valid.
std::vector<Error> QuoteValueProblems(const Quote& quote, const std::string& where);

// ------------------------------------------------------------------- FX ---

struct FxRate;
// Checks one exchange rate: currency codes that differ, a finite rate in
// (0, 1e9], a source. `where(field)` names the place of a bad field ("from",
// "to", "rate", "source") in the error.
Status ValidateFxRate(const FxRate& rate, const std::function<std::string(std::string_view)>& where);

// One exchange rate: 1 `from` = `rate` `to`, observed on `date`.
struct FxRate {
  Date date;           // day the rate was observed
  std::string from;    // "USD"
  std::string to;      // "CNY"
  double rate = 0;     // units of `to` per unit of `from`, > 0
  std::string source;  // citation
};

// Exchange rates by date. Conversion uses the rate for the pair (or its
// inverse) on the nearest earlier date; a date before the first rate uses
// the first rate; a pair without a rate goes through one currency that has
// a rate with both (EUR->CNY and USD->CNY give EUR->USD).
class FxTable {
 public:
  FxTable() = default;
  explicit FxTable(std::vector<FxRate> rates);
  // Adds a rate (kept sorted by pair and date).
  void Add(FxRate rate);
  // Converts `amount` from `from` to `to` at `date` (nullopt = latest rate).
  // Same currency: identity. Error "currency without an FX rate" otherwise.
  Result<double> Convert(double amount, std::string_view from, std::string_view to,
                         std::optional<Date> date) const;
  // Returns the rate used by Convert (units of `to` per `from`) and its date.
  Result<FxRate> RateOn(std::string_view from, std::string_view to, std::optional<Date> date) const;
  // Returns all rates, sorted by (from, to, date).
  const std::vector<FxRate>& rates() const { return rates_; }
  // Returns the currencies that appear in any rate, sorted.
  std::vector<std::string> Currencies() const;

 private:
  std::vector<FxRate> rates_;
};

// Parses a YAML document with a top-level `rates:` list of
// {date, from, to, rate, source}.
Result<FxTable> ParseFx(std::string_view text, const std::string& file_name);

// --------------------------------------------------------- export rules ---

// What a rule does to sales of its SKUs to buyers in its region.
enum class ExportAction { kBan, kLicenceRequired, kAllow };
// Returns "ban", "licence-required" or "allow".
std::string_view ExportActionName(ExportAction action);
// Parses "ban", "licence-required" (also "license-required"), "allow".
Result<ExportAction> ParseExportAction(std::string_view text);

// One export-control rule (or relaxation) in effect from `effective`.
struct ExportRule {
  using Action = ExportAction;
  std::string id;                      // "bis-2022-10-07"
  Date effective;                      // date the rule takes effect
  std::optional<Date> until;           // date it stops (exclusive); nullopt = open-ended
  std::vector<std::string> skus;       // accelerator ids covered: named (with their families) and by `criteria`
  std::vector<std::string> regions;    // buyer regions covered (codes), e.g. CN, HK, MO
  std::vector<ChannelTier> channels;   // channels covered; empty = all
  ExportAction action = ExportAction::kBan;
  std::string summary;                 // one line, e.g. "A100/H100 exports to China need a licence"
  std::string source;                  // citation
  ExportCriteria criteria;             // 3A090 performance criteria (`criteria:`); none set = SKUs only
  bool reported = false;               // `confidence: reported`: a press report, never decides (CheckExport)
  std::vector<std::string> sku_notes;  // "H200 covers h200-sxm-141gb, h200-nvl-141gb" per name of several cards
};

// Parses a YAML document with a top-level `rules:` list; SKUs go through the
// resolver (null = accept as is). A rule names its buyer regions as
// `regions: [CN, HK, MO]` (or one `region: CN`); each must be a known code.
// A SKU name covers its whole family in `facts` (SkuFamily) and a rule with
// `criteria:` covers every accelerator of `facts` that meets them; `facts`
// null = the embedded catalog's (EmbeddedExportFacts).
Result<std::vector<ExportRule>> ParseExportRules(std::string_view text, const std::string& file_name,
                                                 const SkuResolver& resolver,
                                                 const std::vector<AcceleratorExportFacts>* facts = nullptr);
// Returns the keys a rule accepts: id, effective, until, skus, criteria,
// region, regions, channels, action, confidence, summary, source.
const std::vector<std::string>& ExportRuleKeys();
// Parses a YAML sequence of rules (the entries of `rules:`, e.g. a scenario's
// market.export_rules); `path` is the field path in messages. Returns the
// rules, or the first problem at file:line:col and field (a duplicate id too).
Result<std::vector<ExportRule>> ParseExportRulesNode(const YAML::Node& list, const std::string& file_name,
                                                     const std::string& path, const SkuResolver& resolver,
                                                     const std::vector<AcceleratorExportFacts>* facts = nullptr);
// Returns `base` with `extra` on top: a rule of `extra` replaces the rule of
// `base` with its id, and every rule of `extra` comes after `base`'s (so on a
// tie of effective dates the extra rule decides, FindDecidingRule).
std::vector<ExportRule> AddExportRules(std::vector<ExportRule> base, const std::vector<ExportRule>& extra);
// Checks the rule ids of licences a buyer holds against `rules`: each must be
// a `licence-required` rule (case-insensitive). Returns the ids as the rules
// spell them; an unknown id names `where` with the nearest ids, a rule of
// another action says a licence does not lift it, a reported rule says it is
// a press report, not a licence rule.
Result<std::vector<std::string>> CheckLicences(const std::vector<ExportRule>& rules,
                                               const std::vector<std::string>& ids, const std::string& where);

// Who buys: the export rules and the quote's buyer list are checked against this.
struct BuyerPolicy {
  std::string region = "CN";        // buyer region
  std::string tier = "startup";     // startup | enterprise | hyperscaler
  bool allow_grey_market = false;   // accept grey-market quotes of banned SKUs (with a warning)
  std::vector<std::string> licences;  // ids of licence-required rules whose licence the buyer holds (CheckLicences)
};

// The answer of the export and channel checks.
struct Availability {
  bool allowed = true;          // the buyer may use this quote/sku on the date
  bool flagged = false;         // allowed, but with a warning (grey market, pre-ban used stock)
  ExportAction action = ExportAction::kAllow;  // action of the deciding rule (kAllow if none)
  std::string rule_id;          // deciding rule, or empty
  std::string reason;           // e.g. "a100-sxm-80gb: not sold to CN buyers after 2022-10-07 (bis-2022-10-07: ...)"
                                // (English, JSON)
  std::string reason_text;      // `reason` in the current language (text and HTML); rule summaries stay as written
};

// Returns whether `rule` covers buyers in `region` (case-insensitive).
bool RuleCoversRegion(const ExportRule& rule, std::string_view region);
// Returns the rule in effect on `date` for sku/region/channel: the one with
// the latest `effective` date <= date (and date < until), reported rules
// left out; nullptr if none.
const ExportRule* FindDecidingRule(const std::vector<ExportRule>& rules, std::string_view sku,
                                   std::string_view region, ChannelTier channel,
                                   Date date);
// Decides whether `sku` may be sold to a buyer in `region` through `channel`
// on `date`: the latest rule in effect decides. A ban or an unlicensed
// licence-required rule blocks unless its id is in `licences` (allowed,
// flagged), except grey-market channel with allow_grey_market (allowed, flagged).
// A blocked card's reason and rule_id name the rule in force that first
// blocked it with the deciding action (the earliest of the unbroken run of
// such rules up to the decider), so a later or rescinded rule is never
// given as the reason; a licence under any rule of that run lifts it.
// Reported rules never decide: they add a note to the reason.
Availability CheckExport(const std::vector<ExportRule>& rules, std::string_view sku,
                         std::string_view region, ChannelTier channel, Date date,
                         bool allow_grey_market = false, const std::vector<std::string>& licences = {});
// ------------------------------------------------------------ the market ---

// Everything the market knows.
struct Market {
  std::vector<Quote> quotes;
  FxTable fx;
  std::vector<ExportRule> rules;
  CostSettings costs;  // in costs.currency
};

// Loads data/market/{quotes,fx,export_rules,costs}.yaml from the embedded
// files; SKUs go through `resolver` (null = accepted as written).
// The export rules cover the embedded catalog's accelerators, or `facts`' when given.
Result<Market> LoadSeedMarket(const SkuResolver& resolver = nullptr,
                              const std::vector<AcceleratorExportFacts>* facts = nullptr);

// Converts a quote's unit_price to `currency` at its observed date.
Result<double> QuotePriceIn(const Quote& quote, const FxTable& fx, std::string_view currency);
// Returns the cards one unit_price buys: cards_per_unit (at least 1), but 1
// for a gpu-hour, which is priced per card whatever cards_per_unit says (a
// row stored before that rule; plan bills it per card).
int CardsPerPrice(const Quote& quote);
// Returns the price per card (unit_price / CardsPerPrice) in `currency`;
// for rentals, per card-hour (gpu-hour) or per card-month (server-month).
Result<double> QuotePricePerCardIn(const Quote& quote, const FxTable& fx, std::string_view currency);

// Returns a quote's fields as plain text, one per key in QuoteKeys() order
// (market/quote_keys.h): numbers without separators, lists joined by ';',
// "" for an absent valid_until.
std::vector<std::string> QuoteCells(const Quote& quote);
// Returns the quotes as CSV with a header row of the YAML keys (lists joined
// by ';'); ParseQuotesCsv reads it back.
std::string QuotesToCsv(const std::vector<Quote>& quotes);
// Returns the first field (file key) in which `a` and `b` differ, or "" when
// they are equal (numbers compared exactly; `where` ignored).
std::string FirstDifferentQuoteField(const Quote& a, const Quote& b);
// Returns the quotes as a YAML document with a `quotes:` list; ParseQuotes
// reads it back.
std::string QuotesToYaml(const std::vector<Quote>& quotes);

}  // namespace suanli
