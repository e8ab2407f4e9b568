#include "report/compare_report.h"

#include <algorithm>

#include <fmt/format.h>

#include "core/i18n.h"
#include "market/market.h"
#include "report/json_util.h"
#include "report/layout_text.h"
#include "workload/stack.h"

namespace suanli {

using nlohmann::json;

namespace {

// Returns the note on a candidate without the requested precision, in
// English (JSON) or in the current language.
std::string PrecisionNote(const CompareResult& r, const CompareEntry& e, bool translated) {
  constexpr const char* kNote = "{} has no {} peak in the catalog: it trains at {}";
  const std::string_view asked = PrecisionName(r.precision), used = PrecisionName(e.precision);
  return translated ? TrFormat(kNote, e.accelerator, asked, used)
                    : fmt::format(fmt::runtime(kNote), e.accelerator, asked, used);
}

// Returns the "ACCEL × N" label of a train-command line, with the row's
// tokens per step when the rows do not share the reference's batch.
std::string CommandLabel(const CompareResult& r, const std::string& label, const ParallelConfig& layout) {
  if (SameBatchEverywhere(r)) return label;
  return TrFormat("{} at {} tokens per step", label, TokensText(TokensPerStep(layout)));
}

// Returns "ban", "licence-required" or null (not blocked).
json BlockedByJson(const ReasonText& blocked, bool licence_required) {
  if (blocked.english.empty()) return nullptr;
  return std::string(ExportActionName(licence_required ? ExportAction::kLicenceRequired : ExportAction::kBan));
}

// Returns the expected replacement cost of a priced row: 0 for new cards,
// null without a price or for used cards without --tokens (not priced).
json RiskJson(const CompareResult& r, const std::optional<CardPrice>& price, double risk) {
  if (!price || (price->used() && r.tokens <= 0)) return nullptr;
  return RoundSig(risk);
}

// Returns the ratio of cards to the reference's, rounded to 4 significant
// digits once for JSON and the data table alike (3136/1024 = 3.063).
double RatioRounded(const CompareEntry& e) { return RoundSig(e.ratio_to_reference, 4); }

}  // namespace

std::string BatchText(const CompareResult& r) {
  const ParallelConfig& l = r.reference_layout;
  return TrFormat("{} sequences × {} tokens = {} tokens per step", FormatCount(l.global_batch), FormatCount(l.seq_len),
                  TokensText(TokensPerStep(l)));
}

std::string BlockedWord(bool licence_required) { return licence_required ? Tr("licence required") : Tr("banned"); }

std::string CostCellText(const CompareEntry& e) {
  if (!e.buyable()) return BlockedWord(e.blocked_licence);
  if (!e.matched) return "-";
  return e.price ? "" : Tr("no quote");
}

std::string BlockedText(const ReasonText& blocked, bool licence_required) {
  return licence_required ? TrFormat("licence required for this buyer: {} (--licence RULE_ID if the buyer holds one)",
                                     blocked.text)
                          : TrFormat("banned for this buyer: {}", blocked.text);
}

std::string ConditionText(const CardPrice& price) {
  if (!price.used()) return Tr("new");
  const std::string condition(ConditionName(price.condition));
  return price.warranty_months > 0 ? TrFormat("{}, {}-month warranty", condition, price.warranty_months)
                                   : TrFormat("{}, no warranty", condition);
}

std::string PriceLineText(const CompareResult& r, const std::optional<CardPrice>& price, const ReasonText& no_price,
                          const ReasonText& blocked, bool blocked_licence, double replacement_risk) {
  if (!blocked.english.empty()) return BlockedText(blocked, blocked_licence);
  if (!price) return NoPriceText(no_price);
  std::string line = TrFormat("{} per card, quote {} ({})", FormatMoney(price->price_per_card, r.currency),
                              price->quote_id, price->supplier);
  if (price->cards_per_unit > 1) {
    line += "; " + TrFormat("sold by the server of {} cards: {} cards paid", FormatCount(price->cards_per_unit),
                            FormatCount(price->billed_cards));
  }
  if (price->hardware_extra > 0) {
    line += "; " + TrFormat("plus {} for host servers, network and bundles, as plan bills them (in the card cost)",
                            FormatMoney(price->hardware_extra, r.currency));
  }
  if (price->used()) {
    line += "; " + ConditionText(*price);
    if (r.tokens <= 0) {
      line += "; " + Tr("replacement risk not priced: give --tokens for the months the cards are held");
    } else if (replacement_risk > 0) {
      line += "; " + TrFormat("expected replacements {} ({:g}%/year failures past the warranty over the training "
                              "days, as plan)",
                              FormatMoney(replacement_risk, r.currency), 100 * r.used_annual_failure_rate);
    }
  }
  if (!price->flag.english.empty()) line += "; " + price->flag.text;
  return line;
}

std::string PaidText(const CompareEntry& e) {
  if (!e.matched || !e.price || e.price->billed_cards <= e.gpus) return "";
  return " " + TrFormat("({} cards paid)", FormatCount(e.price->billed_cards));
}

bool PrecisionFellBack(const CompareResult& r, const CompareEntry& e) { return e.precision != r.precision; }

std::vector<std::string> PrecisionNotes(const CompareResult& r) {
  std::vector<std::string> notes;
  for (const CompareEntry& e : r.candidates) {
    if (PrecisionFellBack(r, e)) notes.push_back(PrecisionNote(r, e, true));
  }
  return notes;
}

std::string NoPriceText(const ReasonText& why) {
  return why.text.empty() ? Tr("no usable market quote") : TrFormat("no usable market quote: {}", why.text);
}

std::string CompareTrainCommand(const CompareResult& r, const CompareRerun& rerun, const std::string& accelerator,
                                int gpus, const ParallelConfig& layout) {
  return TrainCommandText({rerun.model.empty() ? r.model : rerun.model, accelerator, gpus, StackIn(r, accelerator),
                           rerun.assumed},
                          layout);
}

std::vector<std::string> CompareTrainCommands(const CompareResult& r, const CompareRerun& rerun) {
  std::vector<std::string> lines = {
      TrFormat("{}: {}",
               CommandLabel(r, TrFormat("{} × {} (reference)", r.reference_accelerator, r.reference_gpus),
                            r.reference_layout),
               CompareTrainCommand(r, rerun, r.reference_accelerator, r.reference_gpus, r.reference_layout))};
  for (const CompareEntry& e : r.candidates) {
    if (e.tokens_per_s <= 0) continue;
    lines.push_back(TrFormat("{}: {}", CommandLabel(r, fmt::format("{} × {}", e.accelerator, e.gpus), e.layout),
                             CompareTrainCommand(r, rerun, e.accelerator, e.gpus, e.layout)));
  }
  return lines;
}

json CompareReportJson(const CompareResult& r, const CompareRerun& rerun) {
  json candidates = json::array();
  for (const CompareEntry& e : r.candidates) {
    json entry = {{"accelerator", e.accelerator},
                  {"stack", e.stack.empty() ? json(nullptr) : json(e.stack)},
                  {"matched", e.matched},
                  {"gpus", e.gpus},
                  {"tokens_per_s", RoundSig(e.tokens_per_s)},
                  {"ratio_to_reference", RatioRounded(e)},
                  {"min_gpus_to_fit", e.min_gpus_to_fit},
                  {"layout", e.tokens_per_s > 0 ? LayoutJson(e.layout) : json(nullptr)},
                  {"train_command", e.tokens_per_s > 0 ? json(CompareTrainCommand(r, rerun, e.accelerator, e.gpus,
                                                                                  e.layout))
                                                       : json(nullptr)},
                  {"bound", e.bound},
                  {"why", e.why},
                  {"precision", std::string(PrecisionName(e.precision))},
                  {"precision_note", PrecisionFellBack(r, e) ? json(PrecisionNote(r, e, false)) : json(nullptr)},
                  {"tokens_per_step", e.tokens_per_s > 0 ? json(TokensPerStep(e.layout)) : json(nullptr)},
                  {"buyable", e.buyable()},
                  {"blocked_reason", e.buyable() ? json(nullptr) : json(e.blocked.english)},
                  {"blocked_by", BlockedByJson(e.blocked, e.blocked_licence)},
                  {"price", PriceJson(e.price)},
                  {"no_price_reason", e.price ? json(nullptr) : json(e.no_price.english)},
                  {"cost", e.matched && e.price ? json(RoundSig(e.cost)) : json(nullptr)},
                  {"billed_cards", e.matched && e.price ? json(e.price->billed_cards) : json(nullptr)},
                  {"replacement_risk", e.matched ? RiskJson(r, e.price, e.replacement_risk) : json(nullptr)},
                  {"total_cost", e.matched && e.price && !e.risk_unpriced(r.tokens) ? json(RoundSig(e.total_cost()))
                                                                                  : json(nullptr)}};
    if (r.tokens > 0) entry["train_days"] = e.tokens_per_s > 0 ? json(RoundSig(e.train_days)) : json(nullptr);
    candidates.push_back(entry);
  }
  json reference = {{"accelerator", r.reference_accelerator},
                    {"stack", r.reference_stack},
                    {"gpus", r.reference_gpus},
                    {"tokens_per_s", RoundSig(r.reference_tokens_per_s)},
                    {"layout", LayoutJson(r.reference_layout)},
                    {"train_command",
                     CompareTrainCommand(r, rerun, r.reference_accelerator, r.reference_gpus, r.reference_layout)},
                    {"precision", std::string(PrecisionName(r.reference_precision))},
                    {"tokens_per_step", TokensPerStep(r.reference_layout)},
                    {"buyable", r.reference_blocked.english.empty()},
                    {"blocked_reason",
                     r.reference_blocked.english.empty() ? json(nullptr) : json(r.reference_blocked.english)},
                    {"blocked_by", BlockedByJson(r.reference_blocked, r.reference_blocked_licence)},
                    {"price", PriceJson(r.reference_price)},
                    {"no_price_reason", r.reference_price ? json(nullptr) : json(r.reference_no_price.english)},
                    {"cost", r.reference_price ? json(RoundSig(r.reference_cost)) : json(nullptr)},
                    {"billed_cards", r.reference_price ? json(r.reference_price->billed_cards) : json(nullptr)},
                    {"replacement_risk", RiskJson(r, r.reference_price, r.reference_replacement_risk)}};
  if (r.tokens > 0) reference["train_days"] = RoundSig(r.reference_train_days);
  const json prices = {{"date", FormatDate(r.price_date)},
                       {"date_defaulted", r.price_date_defaulted},
                       {"region", r.region},
                       {"tier", r.tier},
                       {"store", r.store.empty() ? json(nullptr) : json(r.store)},
                       {"quotes_store", r.quotes_store},
                       {"licences", r.licences},
                       {"used_annual_failure_rate", RoundSig(r.used_annual_failure_rate)}};
  const json batch = {{"global_batch", r.reference_layout.global_batch},
                      {"seq_len", r.reference_layout.seq_len},
                      {"tokens_per_step", TokensPerStep(r.reference_layout)},
                      {"same_for_every_row", SameBatchEverywhere(r)},
                      {"stated", r.batch_stated},
                      {"note", r.batch_note.english.empty() ? json(nullptr) : json(r.batch_note.english)}};
  const int best = BestCandidate(r);
  return json{{"model", r.model},
              {"prices", prices},
              {"stack", r.stack},
              {"precision", std::string(PrecisionName(r.precision))},
              {"tokens", r.tokens > 0 ? json(RoundSig(r.tokens)) : json(nullptr)},
              {"currency", r.currency},
              {"batch", batch},
              {"reference", reference},
              {"candidates", candidates},
              {"best", best >= 0 ? json(r.candidates[static_cast<size_t>(best)].accelerator) : json(nullptr)}};
}

int BestCandidate(const CompareResult& r) {
  return BestCompareEntry(r);  // the planner's rule (plan/compare.h), ties included
}

std::string BoundText(const std::string& bound) {
  if (bound == "compute") return Tr("compute-bound");
  if (bound == "memory capacity") return Tr("capacity-bound");
  if (bound == "bandwidth/communication") return Tr("communication-bound");
  if (bound == "cannot match") return Tr("cannot match");
  if (bound == "excluded") return Tr("excluded");
  return bound;
}

TextTable CompareCandidatesTable(const CompareResult& r, CompareTableUse use, const CompareRerun& rerun) {
  const bool data = use == CompareTableUse::kData, mark = use == CompareTableUse::kTerminal;
  std::vector<std::string> header = {Tr("candidate"), Tr("to match"), Tr("vs ref"), "tokens/s", Tr("best layout"),
                                     data ? TrFormat("card cost ({})", r.currency) : Tr("card cost"),
                                     Tr("limited by")};
  if (r.tokens > 0) header.push_back(Tr("train days"));
  // Which precision each candidate trains at, when one lacks the requested.
  const bool precisions = std::any_of(r.candidates.begin(), r.candidates.end(),
                                      [&](const CompareEntry& e) { return PrecisionFellBack(r, e); });
  if (precisions) header.push_back(Tr("precision"));
  // Tokens per step: for a program always, for people when the rows differ.
  const bool batches = data || !SameBatchEverywhere(r);
  const size_t batch_column = header.size();
  if (batches) header.push_back(Tr("tokens/step"));
  // The condition of the cards priced and the expected replacements of used
  // ones: for a program always, for people when some row's cards are used.
  const bool used = data || std::any_of(r.candidates.begin(), r.candidates.end(), [](const CompareEntry& e) {
                      return e.matched && e.price && e.price->used();
                    });
  const size_t risk_column = header.size() + 1;
  if (used) {
    header.push_back(Tr("condition"));
    header.push_back(data ? TrFormat("replacement risk ({})", r.currency) : Tr("replacement risk"));
  }
  if (data) {
    header.push_back(Tr("cards paid"));
    header.push_back(Tr("warranty months"));
    header.push_back(Tr("buyable"));
    header.push_back(Tr("why no cost"));
    header.push_back(Tr("train command"));
  }
  TextTable table(header);
  for (size_t col : {1, 2, 3, 5}) table.AlignColumn(col, TextTable::Align::kRight);
  if (r.tokens > 0) table.AlignColumn(7, TextTable::Align::kRight);
  if (batches) table.AlignColumn(batch_column, TextTable::Align::kRight);
  if (used) table.AlignColumn(risk_column, TextTable::Align::kRight);
  const int best = BestCandidate(r);
  auto count = [data](double value) { return data ? fmt::format("{:.0f}", value) : FormatCount(value); };
  for (size_t i = 0; i < r.candidates.size(); ++i) {
    const CompareEntry& e = r.candidates[i];
    const bool is_best = mark && static_cast<int>(i) == best;
    std::string bound = BoundText(e.bound);
    if (mark && !e.matched) bound = Alarm(bound);
    const bool priced = e.matched && e.price;
    std::vector<std::string> row = {
        is_best ? Emphasis(e.accelerator + " ★") : e.accelerator,
        e.matched ? count(e.gpus) : "-",
        e.matched ? (data ? fmt::format("{:.4g}", RatioRounded(e)) : FormatRatio(e.gpus, r.reference_gpus))
                  : "-",
        e.tokens_per_s > 0 ? count(e.tokens_per_s) : "-",
        e.tokens_per_s > 0 ? LayoutSettingsText(e.layout) : "-",
        priced ? (data ? fmt::format("{:.0f}", e.cost) : FormatMoney(e.cost, r.currency) + PaidText(e))
               : (data ? "-" : CostCellText(e)),
        bound};
    if (r.tokens > 0) row.push_back(e.tokens_per_s > 0 ? fmt::format("{:.1f}", e.train_days) : "-");
    if (precisions) {
      const std::string used(PrecisionName(e.precision));
      row.push_back(PrecisionFellBack(r, e) && !data ? TrFormat("{} (no {})", used, PrecisionName(r.precision)) : used);
    }
    if (batches) row.push_back(e.tokens_per_s > 0 ? count(TokensPerStep(e.layout)) : "-");
    if (used) {
      row.push_back(priced ? (data ? std::string(ConditionName(e.price->condition)) : ConditionText(*e.price)) : "-");
      if (!priced || !e.price->used()) {
        row.push_back(priced && data ? "0" : "-");
      } else if (e.risk_unpriced(r.tokens)) {
        row.push_back(data ? "-" : Tr("not priced"));
      } else {
        row.push_back(data ? fmt::format("{:.0f}", e.replacement_risk) : FormatMoney(e.replacement_risk, r.currency));
      }
    }
    if (data) {
      row.push_back(priced ? std::to_string(e.price->billed_cards) : "-");
      row.push_back(priced ? std::to_string(e.price->warranty_months) : "-");
      row.push_back(e.buyable() ? Tr("yes") : Tr("no"));
      row.push_back(priced ? "" : !e.buyable() ? TrFormat("{}: {}", BlockedWord(e.blocked_licence), e.blocked.text)
                                  : e.matched ? NoPriceText(e.no_price) : Tr("no size matches"));
      row.push_back(e.tokens_per_s > 0 ? CompareTrainCommand(r, rerun, e.accelerator, e.gpus, e.layout) : "-");
    }
    table.AddRow(std::move(row));
  }
  return table;
}

std::string CompareReferenceLine(const CompareResult& r) {
  std::string line = TrFormat("Reference: {} × {} training {}: {} tokens/s ({})", FormatCount(r.reference_gpus),
                              r.reference_accelerator, r.model, FormatCount(r.reference_tokens_per_s),
                              LayoutSettingsText(r.reference_layout));
  if (r.reference_stack != kDefaultStackId) line += TrFormat(", stack {}", r.reference_stack);
  if (r.reference_precision != Precision::kBf16) line += TrFormat(", {}", PrecisionName(r.reference_precision));
  line += TrFormat(", {} tokens per step", TokensText(TokensPerStep(r.reference_layout)));
  if (r.reference_price) {
    line += TrFormat(", cards cost {}", FormatMoney(r.reference_cost, r.currency));
    if (r.reference_price->billed_cards > r.reference_gpus) {
      line += " " + TrFormat("({} cards paid)", FormatCount(r.reference_price->billed_cards));
    }
  }
  if (r.tokens > 0) {
    line += TrFormat(", {:.1f} days for {} tokens", r.reference_train_days, TokensText(r.tokens));
  }
  return line;
}

bool AnyMatch(const CompareResult& r) {
  return std::any_of(r.candidates.begin(), r.candidates.end(), [](const CompareEntry& e) { return e.matched; });
}

std::string CostLegend(const CompareResult& r) {
  bool banned = false, licence = false, unquoted = false;
  for (const CompareEntry& e : r.candidates) {
    banned = banned || (!e.buyable() && !e.blocked_licence);
    licence = licence || (!e.buyable() && e.blocked_licence);
    unquoted = unquoted || (e.buyable() && e.matched && !e.price);
  }
  std::string out;
  if (banned) {
    out += "  " + TrFormat("card cost \"{}\": an export rule bans selling the card to a {} {} buyer on {}.",
                           Tr("banned"), r.region, r.tier, FormatDate(r.price_date)) + "\n";
  }
  if (licence) {
    out += "  " + TrFormat("card cost \"{}\": a {} {} buyer needs an export licence to buy the card on {}; "
                           "--licence RULE_ID prices it for a buyer who holds one.",
                           Tr("licence required"), r.region, r.tier, FormatDate(r.price_date)) + "\n";
  }
  if (unquoted) {
    out += "  " + TrFormat("card cost \"{}\": no current quote the buyer may use on {}.", Tr("no quote"),
                           FormatDate(r.price_date)) + "\n";
  }
  if (banned || licence || unquoted) out += "  " + Tr("The reasons are under Prices.") + "\n";
  return out;
}

std::string CompareReportText(const CompareResult& r, const CompareRerun& rerun) {
  std::string out = CompareReferenceLine(r) + "\n\n";
  out += CompareCandidatesTable(r, CompareTableUse::kTerminal).Render();
  out += CostLegend(r);
  const int best = BestCandidate(r);
  if (best >= 0) {
    const CompareEntry& b = r.candidates[static_cast<size_t>(best)];
    out += "★ " + Emphasis(b.price ? TrFormat("cheapest match: {} × {}, {}", FormatCount(b.gpus), b.accelerator,
                                              FormatMoney(b.cost, r.currency) + PaidText(b))
                                   : TrFormat("fewest cards to match: {} × {}", FormatCount(b.gpus),
                                              b.accelerator));
    if (b.price && b.price->used()) {
      out += b.risk_unpriced(r.tokens)
                 ? " " + TrFormat("({}; replacement risk not priced: give --tokens)", ConditionText(*b.price))
                 : " " + TrFormat("+ {} expected replacements ({})", FormatMoney(b.replacement_risk, r.currency),
                                  ConditionText(*b.price));
    }
    out += "\n";
  } else if (AnyMatch(r)) {
    out += Alarm(TrFormat("No match the buyer may buy: every candidate that matches is blocked for a {} {} buyer "
                          "on {}.",
                          r.region, r.tier, FormatDate(r.price_date))) +
           "\n";
  }
  for (const std::string& note : PrecisionNotes(r)) out += "  " + TrFormat("note: {}", note) + "\n";
  if (!r.batch_note.text.empty()) out += "  " + TrFormat("note: {}", r.batch_note.text) + "\n";
  out += "\n" + Tr("Why:") + "\n";
  for (const CompareEntry& e : r.candidates) {
    // A row on another stack than the reference's (stack auto) names it.
    const std::string name = e.stack.empty() || e.stack == r.reference_stack
                                 ? e.accelerator
                                 : TrFormat("{} (stack {})", e.accelerator, e.stack);
    out += "  - " + TrFormat("{}: {}", name, e.why_text) + "\n";
  }
  // The layout column names the layout; these reproduce each number exactly.
  out += '\n';
  out += (SameBatchEverywhere(r)
              ? TrFormat("Each row's layout with `suanli train` (every row at the reference's global batch, {}; "
                         "the same settings):",
                         BatchText(r))
              : Tr("Each row's layout with `suanli train` (the global batch differs between rows: its tokens per "
                   "step are named; the same other settings):")) +
         "\n";
  for (const std::string& line : CompareTrainCommands(r, rerun)) out += "  - " + line + "\n";
  // Two sentences, not a clause spliced into one: the order of a sentence's
  // parts differs between languages.
  out += '\n';
  out += TrFormat("Prices: for each row the usable quote that buys its cards for the least (whole servers, stock, host servers and network as plan bills them), for a {} {} buyer on {}.", r.region, r.tier,
                  FormatDate(r.price_date));
  if (r.price_date_defaulted) out += " " + Tr("That is the newest seed quote's date; --date sets another.");
  if (!r.store.empty()) out += " " + TrFormat("Quotes: the seed market and {} from {}.", r.quotes_store, r.store);
  out += "\n";
  out += "  - " + TrFormat("{}: {}", TrFormat("{} (reference)", r.reference_accelerator),
                          PriceLineText(r, r.reference_price, r.reference_no_price, r.reference_blocked,
                                        r.reference_blocked_licence, r.reference_replacement_risk)) +
         "\n";
  for (const CompareEntry& e : r.candidates) {
    out += "  - " + TrFormat("{}: {}", e.accelerator, PriceLineText(r, e.price, e.no_price, e.blocked, e.blocked_licence,
                                                                e.replacement_risk)) +
           "\n";
  }
  return out;
}

}  // namespace suanli
