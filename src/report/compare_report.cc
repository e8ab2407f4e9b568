#include "report/compare_report.h"

#include <algorithm>

#include <fmt/format.h>

#include "core/i18n.h"
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

}  // namespace

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
  return TrainCommandText({rerun.model.empty() ? r.model : rerun.model, accelerator, gpus, r.stack, rerun.assumed},
                          layout);
}

std::vector<std::string> CompareTrainCommands(const CompareResult& r, const CompareRerun& rerun) {
  std::vector<std::string> lines = {
      TrFormat("{}: {}", TrFormat("{} × {} (reference)", r.reference_accelerator, r.reference_gpus),
               CompareTrainCommand(r, rerun, r.reference_accelerator, r.reference_gpus, r.reference_layout))};
  for (const CompareEntry& e : r.candidates) {
    if (e.tokens_per_s <= 0) continue;
    lines.push_back(TrFormat("{}: {}", fmt::format("{} × {}", e.accelerator, e.gpus),
                             CompareTrainCommand(r, rerun, e.accelerator, e.gpus, e.layout)));
  }
  return lines;
}

json CompareReportJson(const CompareResult& r, const CompareRerun& rerun) {
  json candidates = json::array();
  for (const CompareEntry& e : r.candidates) {
    json entry = {{"accelerator", e.accelerator},
                  {"matched", e.matched},
                  {"gpus", e.gpus},
                  {"tokens_per_s", RoundSig(e.tokens_per_s)},
                  {"ratio_to_reference", RoundSig(e.ratio_to_reference, 4)},
                  {"min_gpus_to_fit", e.min_gpus_to_fit},
                  {"layout", e.tokens_per_s > 0 ? LayoutJson(e.layout) : json(nullptr)},
                  {"train_command", e.tokens_per_s > 0 ? json(CompareTrainCommand(r, rerun, e.accelerator, e.gpus,
                                                                                  e.layout))
                                                       : json(nullptr)},
                  {"bound", e.bound},
                  {"why", e.why},
                  {"precision", std::string(PrecisionName(e.precision))},
                  {"precision_note", PrecisionFellBack(r, e) ? json(PrecisionNote(r, e, false)) : json(nullptr)},
                  {"price", PriceJson(e.price)},
                  {"no_price_reason", e.price ? json(nullptr) : json(e.no_price.english)},
                  {"cost", e.matched && e.price ? json(RoundSig(e.cost)) : json(nullptr)}};
    if (r.tokens > 0) entry["train_days"] = e.tokens_per_s > 0 ? json(RoundSig(e.train_days)) : json(nullptr);
    candidates.push_back(entry);
  }
  json reference = {{"accelerator", r.reference_accelerator},
                    {"gpus", r.reference_gpus},
                    {"tokens_per_s", RoundSig(r.reference_tokens_per_s)},
                    {"layout", LayoutJson(r.reference_layout)},
                    {"train_command",
                     CompareTrainCommand(r, rerun, r.reference_accelerator, r.reference_gpus, r.reference_layout)},
                    {"precision", std::string(PrecisionName(r.reference_precision))},
                    {"price", PriceJson(r.reference_price)},
                    {"no_price_reason", r.reference_price ? json(nullptr) : json(r.reference_no_price.english)},
                    {"cost", r.reference_price ? json(RoundSig(r.reference_cost)) : json(nullptr)}};
  if (r.tokens > 0) reference["train_days"] = RoundSig(r.reference_train_days);
  const json prices = {{"date", FormatDate(r.price_date)},
                       {"date_defaulted", r.price_date_defaulted},
                       {"region", r.region},
                       {"tier", r.tier}};
  return json{{"model", r.model},
              {"prices", prices},
              {"stack", r.stack},
              {"precision", std::string(PrecisionName(r.precision))},
              {"tokens", r.tokens > 0 ? json(RoundSig(r.tokens)) : json(nullptr)},
              {"currency", r.currency},
              {"reference", reference},
              {"candidates", candidates}};
}

int BestCandidate(const CompareResult& r) {
  int best = -1;
  for (size_t i = 0; i < r.candidates.size(); ++i) {
    const CompareEntry& e = r.candidates[i];
    if (!e.matched) continue;
    if (best < 0) {
      best = static_cast<int>(i);
      continue;
    }
    const CompareEntry& b = r.candidates[static_cast<size_t>(best)];
    const bool cheaper = e.price && (!b.price || e.cost < b.cost);
    const bool fewer = !e.price && !b.price && e.gpus < b.gpus;
    if (cheaper || fewer) best = static_cast<int>(i);
  }
  return best;
}

std::string BoundText(const std::string& bound) {
  if (bound == "compute") return Tr("compute-bound");
  if (bound == "memory capacity") return Tr("capacity-bound");
  if (bound == "bandwidth/communication") return Tr("communication-bound");
  if (bound == "cannot match") return Tr("cannot match");
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
  if (data) header.push_back(Tr("train command"));
  TextTable table(header);
  for (size_t col : {1, 2, 3, 5}) table.AlignColumn(col, TextTable::Align::kRight);
  if (r.tokens > 0) table.AlignColumn(7, TextTable::Align::kRight);
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
        e.matched ? (data ? fmt::format("{:.4g}", e.ratio_to_reference) : FormatRatio(e.gpus, r.reference_gpus))
                  : "-",
        e.tokens_per_s > 0 ? count(e.tokens_per_s) : "-",
        e.tokens_per_s > 0 ? LayoutSettingsText(e.layout) : "-",
        priced ? (data ? fmt::format("{:.0f}", e.cost) : FormatMoney(e.cost, r.currency)) : "-",
        bound};
    if (r.tokens > 0) row.push_back(e.tokens_per_s > 0 ? fmt::format("{:.1f}", e.train_days) : "-");
    if (precisions) {
      const std::string used(PrecisionName(e.precision));
      row.push_back(PrecisionFellBack(r, e) && !data ? TrFormat("{} (no {})", used, PrecisionName(r.precision)) : used);
    }
    if (data) row.push_back(e.tokens_per_s > 0 ? CompareTrainCommand(r, rerun, e.accelerator, e.gpus, e.layout) : "-");
    table.AddRow(std::move(row));
  }
  return table;
}

std::string CompareReferenceLine(const CompareResult& r) {
  std::string line = TrFormat("Reference: {} × {} training {}: {} tokens/s ({})", FormatCount(r.reference_gpus),
                              r.reference_accelerator, r.model, FormatCount(r.reference_tokens_per_s),
                              LayoutSettingsText(r.reference_layout));
  if (r.stack != kDefaultStackId) line += TrFormat(", stack {}", r.stack);
  if (r.reference_precision != Precision::kBf16) line += TrFormat(", {}", PrecisionName(r.reference_precision));
  if (r.reference_price) line += TrFormat(", cards cost {}", FormatMoney(r.reference_cost, r.currency));
  if (r.tokens > 0) {
    line += TrFormat(", {:.1f} days for {} tokens", r.reference_train_days, TokensText(r.tokens));
  }
  return line;
}

std::string CompareReportText(const CompareResult& r, const CompareRerun& rerun) {
  std::string out = CompareReferenceLine(r) + "\n\n";
  out += CompareCandidatesTable(r, CompareTableUse::kTerminal).Render();
  const int best = BestCandidate(r);
  if (best >= 0) {
    const CompareEntry& b = r.candidates[static_cast<size_t>(best)];
    out += "★ " + Emphasis(b.price ? TrFormat("cheapest match: {} × {}, {}", FormatCount(b.gpus), b.accelerator,
                                              FormatMoney(b.cost, r.currency))
                                   : TrFormat("fewest cards to match: {} × {}", FormatCount(b.gpus),
                                              b.accelerator)) +
           "\n";
  }
  for (const std::string& note : PrecisionNotes(r)) out += "  " + TrFormat("note: {}", note) + "\n";
  out += "\n" + Tr("Why:") + "\n";
  for (const CompareEntry& e : r.candidates) {
    out += "  - " + TrFormat("{}: {}", e.accelerator, e.why_text) + "\n";
  }
  // The layout column names the layout; these reproduce each number exactly.
  out += '\n';
  out += Tr("Each row's layout with `suanli train` (the same batch and settings):") + "\n";
  for (const std::string& line : CompareTrainCommands(r, rerun)) out += "  - " + line + "\n";
  // Two sentences, not a clause spliced into one: the order of a sentence's
  // parts differs between languages.
  out += '\n';
  out += TrFormat("Prices: the cheapest usable quote per card for a {} {} buyer on {}.", r.region, r.tier,
                  FormatDate(r.price_date));
  if (r.price_date_defaulted) out += " " + Tr("That is the newest seed quote's date; --date sets another.");
  out += "\n";
  out += "  - " + TrFormat("{}: {}", TrFormat("{} (reference)", r.reference_accelerator),
                          r.reference_price ? TrFormat("{} per card, quote {} ({})",
                                                  FormatMoney(r.reference_price->price_per_card, r.currency),
                                                  r.reference_price->quote_id, r.reference_price->supplier)
                                       : NoPriceText(r.reference_no_price)) + "\n";
  for (const CompareEntry& e : r.candidates) {
    out += "  - " + TrFormat("{}: {}", e.accelerator,
                       e.price ? TrFormat("{} per card, quote {} ({})",
                                          FormatMoney(e.price->price_per_card, r.currency), e.price->quote_id,
                                          e.price->supplier)
                               : NoPriceText(e.no_price)) + "\n";
  }
  return out;
}

}  // namespace suanli
