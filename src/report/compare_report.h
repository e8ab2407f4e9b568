// Renderers of `suanli compare`: text for people, the candidates table (also
// CSV/Markdown/JSON rows), JSON for machines. Formatting only; every number is
// computed by src/plan/compare.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "plan/compare.h"
#include "report/table.h"

namespace suanli {

// How the user ran compare, for the `suanli train` commands that reproduce
// each row's number (the stack comes from the result).
struct CompareRerun {
  std::string model;                 // --model as given (a preset id or a path); empty: the result's model id
  std::vector<std::string> assumed;  // --assume NAME=VALUE
};
// Returns the `suanli train` command that reproduces the estimate of `layout`
// on `gpus` × `accelerator` in `result` (report/layout_text.h TrainCommandText).
std::string CompareTrainCommand(const CompareResult& result, const CompareRerun& rerun,
                                const std::string& accelerator, int gpus, const ParallelConfig& layout);
// Returns the JSON document of `suanli compare --json`; every layout comes
// with the train_command that reproduces its tokens/s.
nlohmann::json CompareReportJson(const CompareResult& result, const CompareRerun& rerun = {});
// Returns the index of the candidate to recommend: the planner's
// BestCompareEntry (of the matches the buyer may buy, the cheapest with a
// price, else the fewest cards; ties by throughput, cost, cards, id); -1
// when none matches or every match is blocked.
int BestCandidate(const CompareResult& result);
// Returns the bound of a candidate in words, in the current language.
std::string BoundText(const std::string& bound);
// Who reads the candidates table: a terminal (the best row emphasised,
// "cannot match" an alarm, colour only on a TTY), a page, or a program
// (CSV/Markdown: plain numbers, money as a number in the report currency).
enum class CompareTableUse { kTerminal, kPage, kData };
// Returns the candidates table, one row per candidate; for a program (kData)
// with a last column, the `suanli train` command that reproduces each row.
TextTable CompareCandidatesTable(const CompareResult& result, CompareTableUse use, const CompareRerun& rerun = {});
// Returns true when `e` trains at another precision than the one requested
// (the card lacks it; CompareEntry::precision).
bool PrecisionFellBack(const CompareResult& result, const CompareEntry& e);
// Returns one line per candidate that lacks the requested precision, in the
// current language: "a800-sxm-80gb has no fp8 peak in the catalog: it trains at bf16".
std::vector<std::string> PrecisionNotes(const CompareResult& result);
// Returns "no usable market quote: REASON" in the current language.
std::string NoPriceText(const ReasonText& why);
// Returns true when some candidate matches the reference (bought or not).
bool AnyMatch(const CompareResult& result);
// Returns the card-cost cell of a candidate without a cost, in the current
// language: "banned" or "licence required" (an export rule), "no quote" (a
// match without a usable quote), "-" (no size matches); "" when it has a cost.
std::string CostCellText(const CompareEntry& e);
// Returns " (N cards paid)" when a priced match pays for more cards than it
// needs (a server quote bills whole servers), in the current language; "" otherwise.
std::string PaidText(const CompareEntry& e);
// Returns "licence required" or "banned", in the current language.
std::string BlockedWord(bool licence_required);
// Returns why an export rule stops the buyer, in the current language:
// "licence required for this buyer: REASON (--licence ...)" or "banned for this buyer: REASON".
std::string BlockedText(const ReasonText& blocked, bool licence_required);
// Returns the condition and warranty of the cards a price buys, in the
// current language: "new", "used-pulled, no warranty", "refurbished, 12-month warranty".
std::string ConditionText(const CardPrice& price);
// Returns the lines under the candidates table that say what its "banned",
// "licence required" and "no quote" cost cells mean, or "" when it has none.
std::string CostLegend(const CompareResult& result);
// Returns a card's price in words: "CNY 1.2M per card, quote ID (SUPPLIER)",
// for used cards with their condition, warranty and expected replacements
// (`replacement_risk`, or "not priced" without tokens) and the planner's
// warning on the quote; BlockedText or "no usable market quote: REASON".
std::string PriceLineText(const CompareResult& result, const std::optional<CardPrice>& price,
                          const ReasonText& no_price, const ReasonText& blocked, bool blocked_licence,
                          double replacement_risk);
// Returns the batch every row trains at (the reference's): "128 sequences ×
// 32,768 tokens = 4.194M tokens per step".
std::string BatchText(const CompareResult& result);
// Returns the one-line summary of the reference cluster, in the current language.
std::string CompareReferenceLine(const CompareResult& result);
// Returns one line per cluster with a throughput (the reference, then each
// candidate): "ACCEL × N: suanli train ...", the command that reproduces it.
std::vector<std::string> CompareTrainCommands(const CompareResult& result, const CompareRerun& rerun);
// Returns the text report of `suanli compare`: the reference, the candidates
// table fitted to the terminal, the reasons, the train commands behind each
// row and the prices.
std::string CompareReportText(const CompareResult& result, const CompareRerun& rerun = {});

}  // namespace suanli
