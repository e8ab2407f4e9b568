#include <gtest/gtest.h>

#include "market/market.h"

namespace suanli {
namespace {

SkuResolver Resolver() { return MakeListResolver({"a800-sxm-80gb", "a100-sxm-80gb", "h20-96gb"}); }

const char* kGood = R"(quotes:
  - id: a800-bj
    supplier: Beijing distributor
    channel: national-distributor
    sku: A800-SXM-80GB
    unit: card
    unit_price: 87500
    currency: CNY
    observed: 2023-06
    lead_weeks_min: 4
    lead_weeks_likely: 6
    lead_weeks_max: 8
    buyers: [startup, enterprise]
    source: article
  - id: h20-srv
    supplier: server maker
    channel: server-maker
    sku: h20-96gb
    unit: server
    unit_price: 1400000
    currency: CNY
    observed: 2024-02-15
    cash_up_front: true
    bundle_fraction: 0.1
    includes_network: true
    source: Reuters
)";

// Returns a one-quote document with `line` replacing the line starting with its key.
std::string WithField(const std::string& key, const std::string& value) {
  std::string doc = "quotes:\n  - id: q1\n    supplier: s\n    channel: reseller\n    sku: a800-sxm-80gb\n"
                    "    unit: card\n    unit_price: 100\n    currency: CNY\n    observed: 2023-06-01\n"
                    "    lead_weeks_min: 1\n    lead_weeks_likely: 2\n    lead_weeks_max: 3\n    source: s\n";
  const std::string needle = "    " + key + ": ";
  const auto pos = doc.find(needle);
  if (pos == std::string::npos) return doc + "    " + key + ": " + value + "\n";
  const auto end = doc.find('\n', pos);
  if (value.empty()) return doc.erase(pos, end - pos + 1);
  return doc.replace(pos, end - pos, needle + value);
}

TEST(ParseQuotes, GoodYaml) {
  auto quotes = ParseQuotes(kGood, "q.yaml", Resolver());
  ASSERT_TRUE(quotes.ok()) << quotes.error().ToString();
  ASSERT_EQ(quotes->size(), 2u);
  const Quote& a = (*quotes)[0];
  EXPECT_EQ(a.sku, "a800-sxm-80gb");  // canonicalised by the resolver
  EXPECT_EQ(a.channel, ChannelTier::kNationalDistributor);
  EXPECT_EQ(FormatDate(a.observed), "2023-06-01");
  EXPECT_DOUBLE_EQ(a.lead_weeks_likely, 6);
  EXPECT_EQ(a.buyers, (std::vector<std::string>{"startup", "enterprise"}));
  EXPECT_EQ(a.where, "q.yaml:2:5");
  const Quote& b = (*quotes)[1];
  EXPECT_EQ(b.cards_per_unit, 8);  // server default
  EXPECT_TRUE(b.payment.cash_up_front);
  EXPECT_DOUBLE_EQ(b.bundle_fraction, 0.1);
  EXPECT_EQ(PaymentTermsText(b.payment), "cash up front");
  EXPECT_TRUE(b.includes_network);
  EXPECT_FALSE(a.includes_network);  // default
}

struct BadCase {
  std::string key, value, message_part, where_part;
};

TEST(ParseQuotes, EveryBadInputNamesTheFieldAndLine) {
  const std::vector<BadCase> cases = {
      {"sku", "a800-sxm-80g", "unknown accelerator", "q.yaml:5:"},
      {"unit_price", "-5", "negative price", "unit_price"},
      {"unit_price", "", "missing price", "unit_price"},
      {"unit_price", "cheap", "not a number", "q.yaml:7:"},
      {"lead_weeks_min", "5", "min 5 > likely 2", "lead_weeks_min"},
      {"lead_weeks_max", "1", "likely 2 > max 1", "lead_weeks_max"},
      {"observed", "2023-13-40", "malformed date", "q.yaml:9:"},
      {"observed", "yesterday", "malformed date", "observed"},
      {"bundle_fraction", "1.5", "outside [0,1]", "bundle_fraction"},
      {"deposit_fraction", "-0.1", "outside [0,1]", "deposit_fraction"},
      {"currency", "yuan", "malformed currency", "currency"},
      {"channel", "dealer", "unknown channel", "channel"},
      {"prise", "100", "unknown field 'prise'", "prise"},
  };
  for (const auto& c : cases) {
    auto result = ParseQuotes(WithField(c.key, c.value), "q.yaml", Resolver());
    ASSERT_FALSE(result.ok()) << c.key << "=" << c.value;
    EXPECT_NE(result.error().message.find(c.message_part), std::string::npos)
        << c.key << ": " << result.error().ToString();
    EXPECT_NE(result.error().where.find(c.where_part), std::string::npos)
        << c.key << ": " << result.error().ToString();
    EXPECT_NE(result.error().where.find("q.yaml:"), std::string::npos) << result.error().ToString();
  }
}

TEST(ParseQuotes, UnknownSkuSuggestsNearest) {
  auto result = ParseQuotes(WithField("sku", "a800-sxm-80g"), "q.yaml", Resolver());
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().hint.find("a800-sxm-80gb"), std::string::npos);
}

TEST(ParseQuotes, ReportListsEveryBadRow) {
  const std::string doc = std::string(kGood) +
                          "  - {id: bad1, supplier: s, channel: reseller, sku: a100-sxm-80gb, unit_price: -1, "
                          "currency: CNY, observed: 2023-06, source: s}\n"
                          "  - {id: a800-bj, supplier: s, channel: reseller, sku: a100-sxm-80gb, unit_price: 1, "
                          "currency: CNY, observed: 2023-06, source: s}\n";
  QuoteParseReport report = ParseQuotesReport(doc, "q.yaml", Resolver());
  EXPECT_EQ(report.rows, 4);
  EXPECT_EQ(report.quotes.size(), 2u);
  ASSERT_EQ(report.rejected.size(), 2u);
  EXPECT_NE(report.rejected[0].where.find("q.yaml:27"), std::string::npos) << report.rejected[0].ToString();
  EXPECT_NE(report.rejected[1].message.find("duplicate"), std::string::npos);
  auto first = ParseQuotes(doc, "q.yaml", Resolver());
  ASSERT_FALSE(first.ok());
  EXPECT_NE(first.error().message.find("and 1 more"), std::string::npos);
}

TEST(ParseQuotes, CsvGoodAndBadRowsWithLines) {
  const std::string csv =
      "id,supplier,channel,sku,unit,unit_price,currency,observed,lead_weeks_min,lead_weeks_likely,"
      "lead_weeks_max,buyers,source\n"
      "q1,\"Shenzhen, Futian\",reseller,a800-sxm-80gb,card,89500,CNY,2023-06,1.5,2,3,startup;enterprise,article\n"
      "q2,x,reseller,a800-sxm-80gb,card,89500,CNY,2023-13-40,1,2,3,,s\n"
      "q3,x,reseller,a800-sxm-80gb,card,89500,CNY,2023-06,4,2,3,,s\n";
  QuoteParseReport report = ParseQuotesCsvReport(csv, "q.csv", Resolver());
  ASSERT_EQ(report.quotes.size(), 1u);
  EXPECT_EQ(report.quotes[0].supplier, "Shenzhen, Futian");
  EXPECT_EQ(report.quotes[0].buyers.size(), 2u);
  ASSERT_EQ(report.rejected.size(), 2u);
  EXPECT_EQ(report.rejected[0].where, "q.csv:3 observed");
  EXPECT_EQ(report.rejected[1].where, "q.csv:4 lead_weeks_min");
}

// adversary report item 7: a duplicated column (a merged sheet's second
// unit_price) is refused naming both columns; the last value used to win.
TEST(ParseQuotes, CsvDuplicateHeaderColumnNamesBothColumns) {
  const std::string csv =
      "id,supplier,channel,sku,unit,unit_price,currency,observed,unit_price,source\n"
      "q1,x,reseller,a800-sxm-80gb,card,87500,CNY,2023-06,8750,s\n";
  QuoteParseReport report = ParseQuotesCsvReport(csv, "q.csv", Resolver());
  EXPECT_TRUE(report.quotes.empty());
  ASSERT_EQ(report.rejected.size(), 1u);
  EXPECT_EQ(report.rejected[0].where, "q.csv:1 header column 9");
  EXPECT_EQ(report.rejected[0].message, "duplicate field 'unit_price' (first at column 6)");
}

// RMB (any case), 人民币 and 元 are CNY wherever a currency is read: one
// alias table (NormalizeCurrency), so a CSV row in RMB prices like CNY.
TEST(ParseQuotes, RmbIsCny) {
  for (const char* name : {"RMB", "rmb", "Rmb", " 人民币 ", "元"}) EXPECT_EQ(NormalizeCurrency(name), "CNY") << name;
  EXPECT_EQ(NormalizeCurrency("美元"), "USD");
  EXPECT_EQ(NormalizeCurrency("usd"), "USD");
  EXPECT_EQ(NormalizeCurrency("yuan"), "yuan");  // not a code: kept, so its error quotes the user
  const std::string csv =
      "id,supplier,channel,sku,unit,unit_price,currency,observed,lead_weeks_min,lead_weeks_likely,"
      "lead_weeks_max,source\n"
      "q1,x,reseller,a800-sxm-80gb,card,89500,RMB,2023-06,1,2,3,s\n";
  QuoteParseReport report = ParseQuotesCsvReport(csv, "q.csv", Resolver());
  ASSERT_EQ(report.quotes.size(), 1u);
  EXPECT_EQ(report.quotes[0].currency, "CNY");
}

// A CSV saved as GBK: each row that is not UTF-8 is one bad row, and every
// row of the file is counted (was "1 of 0 rows rejected").
TEST(ParseQuotes, CsvGbkRowsAreCountedAndNamed) {
  const std::string header =
      "id,supplier,channel,sku,unit,unit_price,currency,observed,lead_weeks_min,lead_weeks_likely,"
      "lead_weeks_max,source\n";
  const std::string good = ",reseller,a800-sxm-80gb,card,89500,CNY,2023-06,1.5,2,3,article\n";
  const std::string csv = header + "q1,\xBB\xAA\xCE\xAA" + good + "q2,Plain" + good + "q3,\xC9\xEE\xDB\xDA" + good +
                          "q4,Other" + good + "q5,\xB1\xB1\xBE\xA9" + good;
  QuoteParseReport report = ParseQuotesCsvReport(csv, "gbk.csv", Resolver());
  EXPECT_EQ(report.rows, 5);
  EXPECT_EQ(report.bad_rows, 3);
  ASSERT_EQ(report.rejected.size(), 3u);
  EXPECT_EQ(report.rejected[0].where, "gbk.csv:2 supplier");
  EXPECT_EQ(report.rejected[2].where, "gbk.csv:6 supplier");
  EXPECT_NE(report.rejected[0].hint.find("GBK/GB18030"), std::string::npos) << report.rejected[0].ToString();
  // A syntax error still ends the file, and its row counts.
  QuoteParseReport broken = ParseQuotesCsvReport(header + "q1,\"open" + good, "b.csv", Resolver());
  EXPECT_EQ(broken.rows, 1);
  EXPECT_EQ(broken.bad_rows, 1);
}

// A row with four bad fields once took four runs of `market import` to fix:
// every bad field is reported at once, each with file:line and the field.
TEST(ParseQuotes, CsvRowReportsEveryBadField) {
  const std::string csv =
      "id,supplier,channel,sku,unit,unit_price,currency,observed,lead_weeks_min,lead_weeks_likely,"
      "lead_weeks_max,deposit_fraction,source\n"
      "q1,x,reseller,a800-sxm-80gb,card,-5,CNY,2023-13-40,3,2,1,1.5,s\n"
      "q2,x,reseller,a800-sxm-80gb,card,100,CNY,2023-06-01,1,2,3,0.3,s\n";
  QuoteParseReport report = ParseQuotesCsvReport(csv, "q.csv", Resolver());
  EXPECT_EQ(report.rows, 2);
  EXPECT_EQ(report.bad_rows, 1);
  ASSERT_EQ(report.quotes.size(), 1u);
  std::vector<std::string> where;
  for (const Error& e : report.rejected) where.push_back(e.where);
  EXPECT_EQ(where, (std::vector<std::string>{"q.csv:2 observed", "q.csv:2 unit_price", "q.csv:2 lead_weeks_min",
                                             "q.csv:2 lead_weeks_max", "q.csv:2 deposit_fraction"}));
  // A field that does not parse is reported once, not again by a value check.
  const std::string unparsed =
      "id,supplier,channel,sku,unit,unit_price,currency,observed,lead_weeks_likely,lead_weeks_max,source\n"
      "q1,x,reseller,a800-sxm-80gb,card,cheap,yuan,2023-06-01,soon,1,s\n";
  QuoteParseReport bad = ParseQuotesCsvReport(unparsed, "q.csv", Resolver());
  where.clear();
  for (const Error& e : bad.rejected) where.push_back(e.where);
  EXPECT_EQ(where, (std::vector<std::string>{"q.csv:2 unit_price", "q.csv:2 lead_weeks_likely", "q.csv:2 currency"}));
}

TEST(ParseQuotes, CsvUnknownColumnRejected) {
  QuoteParseReport report = ParseQuotesCsvReport("id,prise\nq,1\n", "q.csv", Resolver());
  ASSERT_EQ(report.rejected.size(), 1u);
  EXPECT_NE(report.rejected[0].message.find("prise"), std::string::npos);
}

TEST(ParseQuotes, CsvAndYamlWritersRoundTrip) {
  auto quotes = ParseQuotes(kGood, "q.yaml", Resolver());
  ASSERT_TRUE(quotes.ok());
  auto from_csv = ParseQuotesCsv(QuotesToCsv(*quotes), "out.csv", Resolver());
  ASSERT_TRUE(from_csv.ok()) << from_csv.error().ToString();
  auto from_yaml = ParseQuotes(QuotesToYaml(*quotes), "out.yaml", Resolver());
  ASSERT_TRUE(from_yaml.ok()) << from_yaml.error().ToString();
  for (const auto* round : {&*from_csv, &*from_yaml}) {
    ASSERT_EQ(round->size(), 2u);
    EXPECT_EQ((*round)[1].id, "h20-srv");
    EXPECT_DOUBLE_EQ((*round)[1].unit_price, 1400000);
    EXPECT_EQ((*round)[1].cards_per_unit, 8);
    EXPECT_TRUE((*round)[1].payment.cash_up_front);
    EXPECT_TRUE((*round)[1].includes_network);
    EXPECT_FALSE((*round)[0].includes_network);
    EXPECT_EQ((*round)[0].buyers, (*quotes)[0].buyers);
    EXPECT_DOUBLE_EQ((*round)[0].lead_weeks_max, 8);
  }
}

// A warranty left out is not stated; an explicit 0 is stated (none). The
// writers keep the difference for new cards (an empty cell when not stated),
// and the comparison treats it as the same stored quote.
TEST(ParseQuotes, WarrantyNotStatedIsNotAnExplicitZero) {
  auto absent = ParseQuotes(WithField("condition", "new"), "q.yaml", Resolver());
  auto zero = ParseQuotes(WithField("warranty_months", "0"), "q.yaml", Resolver());
  auto three = ParseQuotes(WithField("warranty_months", "36"), "q.yaml", Resolver());
  ASSERT_TRUE(absent.ok() && zero.ok() && three.ok());
  EXPECT_FALSE((*absent)[0].warranty_stated);
  EXPECT_TRUE((*zero)[0].warranty_stated);
  EXPECT_EQ((*zero)[0].warranty_months, 0);
  EXPECT_TRUE((*three)[0].warranty_stated);
  for (const auto* quotes : {&*absent, &*zero}) {
    auto csv = ParseQuotesCsv(QuotesToCsv(*quotes), "out.csv", Resolver());
    auto yaml = ParseQuotes(QuotesToYaml(*quotes), "out.yaml", Resolver());
    ASSERT_TRUE(csv.ok() && yaml.ok());
    EXPECT_EQ((*csv)[0].warranty_stated, (*quotes)[0].warranty_stated);
    EXPECT_EQ((*yaml)[0].warranty_stated, (*quotes)[0].warranty_stated);
  }
  EXPECT_EQ(FirstDifferentQuoteField((*absent)[0], (*zero)[0]), "");
  EXPECT_EQ(FirstDifferentQuoteField((*absent)[0], (*three)[0]), "warranty_months");
}

TEST(ParseQuotes, ValidateQuoteForAdd) {
  Quote q;
  q.id = "x";
  q.sku = "a800-sxm-80gb";
  q.unit_price = 1;
  q.currency = "CNY";
  q.observed = *ParseDate("2023-06-01");
  EXPECT_TRUE(ValidateQuote(q, "--").ok());
  q.lead_weeks_min = 3;
  q.lead_weeks_likely = 2;
  q.lead_weeks_max = 4;
  auto status = ValidateQuote(q, "--lead-weeks");
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message.find("min 3 > likely 2"), std::string::npos);
}

}  // namespace
}  // namespace suanli

namespace suanli {
namespace {

TEST(QuoteValues, AbsurdPriceAndLeadTimeAreRejected) {
  Quote q;
  q.id = "q";
  q.sku = "a800-sxm-80gb";
  q.supplier = "s";
  q.currency = "CNY";
  q.observed = *ParseDate("2023-06-01");
  q.unit_price = 1e30;
  q.lead_weeks_min = 1;
  q.lead_weeks_likely = 2;
  q.lead_weeks_max = 3;
  auto status = ValidateQuote(q, "t.yaml:3");
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message.find("absurd price"), std::string::npos);
  q.unit_price = 87500;
  q.lead_weeks_max = 1e30;
  status = ValidateQuote(q, "t.yaml:3");
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message.find("over five years"), std::string::npos);
  q.lead_weeks_max = 8;
  EXPECT_TRUE(ValidateQuote(q, "t.yaml:3").ok());
}

}  // namespace
}  // namespace suanli
