// The plan's tables and lists shared by the text report, the CSV/Markdown
// output and the HTML page (declared in report/plan_report.h): one rendering
// of options, frontier, exclusions and dropped counts, so the
// terminal and the page say the same. Formatting only.
#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include <fmt/format.h>

#include "core/date.h"
#include "core/i18n.h"
#include "core/precision.h"
#include "model/model_error.h"
#include "plan/mixes.h"
#include "plan/recommendation.h"
#include "report/json_util.h"
#include "report/layout_text.h"
#include "report/plan_report.h"

namespace suanli {
namespace {

// Returns the one-line key of what the narrow options table shows of an option.
std::string ShownKey(const PlanOptionResult& o) {
  return fmt::format("{}|{}|{}|{}|{}", o.accelerator, o.gpus, BuyModeName(o.mode), PlanMixText(o),
                     LayoutText(o.layout));
}

}  // namespace

std::string MixPartsText(const std::vector<MixPart>& parts) {
  std::string text;
  for (const MixPart& p : parts) {
    if (!text.empty()) text += " + ";
    text += p.billed_cards > p.cards
                ? TrFormat("{} × {} ({:g} wk; whole servers, {} cards paid)", FormatCount(p.cards), p.quote_id,
                           p.lead_weeks, FormatCount(p.billed_cards))
                : TrFormat("{} × {} ({:g} wk)", FormatCount(p.cards), p.quote_id, p.lead_weeks);
  }
  return text;
}

std::string PlanMixText(const PlanOptionResult& o) { return MixPartsText(o.mix); }

namespace {

// A unit price: money as the reports write it, with cents below 1,000 (a
// rental's price per card-hour); `machine`: a plain number and the currency.
std::string PriceText(double amount, const std::string& currency, bool machine) {
  if (machine) return fmt::format("{:.2f} {}", amount, currency);
  return std::fabs(amount) < 1000 ? fmt::format("{:.2f} {}", amount, currency) : FormatMoney(amount, currency);
}

}  // namespace

std::string MixPartPriceText(const MixPart& p, const std::string& currency, bool machine) {
  const std::string unit(QuoteUnitName(p.unit));
  std::string text = p.cards_per_unit > 1
                         ? fmt::format("{}/{} ({}/{})", PriceText(p.unit_price, currency, machine), unit,
                                       PriceText(p.card_price, currency, machine), CardPriceUnit(p.unit))
                         : fmt::format("{}/{}", PriceText(p.card_price, currency, machine), CardPriceUnit(p.unit));
  // The quote's own price where it was given in another currency (FX at the buyer's date).
  if (!p.quote_currency.empty() && p.quote_currency != currency) {
    text += TrFormat(", quoted {}/{}", PriceText(p.quote_unit_price, p.quote_currency, machine), unit);
  }
  return text;
}

std::string MixPartsPricedText(const std::vector<MixPart>& parts, const std::string& currency, bool machine) {
  std::string text;
  for (const MixPart& p : parts) {
    if (!text.empty()) text += " + ";
    text += TrFormat("{} at {}", MixPartsText({p}), MixPartPriceText(p, currency, machine));
  }
  return text;
}

nlohmann::json MixJson(const std::vector<MixPart>& parts, const std::string& currency) {
  nlohmann::json mix = nlohmann::json::array();
  for (const MixPart& p : parts) {
    mix.push_back({{"quote_id", p.quote_id},
                   {"supplier", p.supplier},
                   {"cards", p.cards},
                   {"lead_weeks", RoundSig(p.lead_weeks)},
                   {"unit", std::string(QuoteUnitName(p.unit))},
                   {"cards_per_unit", p.cards_per_unit},
                   {"unit_price", RoundSig(p.unit_price)},
                   {"price_per_card", RoundSig(p.card_price)},
                   {"price_per_card_unit", std::string(CardPriceUnit(p.unit))},
                   {"currency", currency},
                   {"quote_unit_price", RoundSig(p.quote_unit_price)},
                   {"quote_currency", p.quote_currency.empty() ? nlohmann::json(nullptr) : nlohmann::json(p.quote_currency)}});
  }
  return mix;
}

std::vector<int> CollapsedOptions(const WorkloadPlan& plan) {
  std::vector<int> repeats(plan.options.size(), -1);
  std::map<std::string, int> first;
  for (size_t i = 0; i < plan.options.size(); ++i) {
    auto [it, inserted] = first.emplace(ShownKey(plan.options[i]), static_cast<int>(i));
    if (!inserted) repeats[i] = it->second;
  }
  return repeats;
}

namespace {

// Which options table: the terminal's (narrow), every column (Markdown),
// every column with plain numbers (CSV), or the HTML page's (the terminal's
// columns, nothing that wraps: quotes, arrival and training days go in a list under it).
enum class OptionsTableKind { kTerminal, kFull, kMachine, kPage };

// Returns `text` with its spaces made no-break (a layout never wraps on the page).
std::string NoBreak(std::string text) {
  for (size_t at = text.find(' '); at != std::string::npos; at = text.find(' ', at)) text.replace(at, 1, "\u00a0");
  return text;
}

// Returns LayoutText without the degrees of 1 ("tp4 pp1 dp112" → "tp4 dp112"):
// the terminal's table keeps to the width with the cash paid beside the cost.
std::string ShortLayout(const ParallelConfig& layout) {
  const std::string full = LayoutText(layout);
  std::string out;
  for (size_t at = 0; at <= full.size();) {
    const size_t end = std::min(full.find(' ', at), full.size());
    const std::string word = full.substr(at, end - at);
    if (word != "tp1" && word != "pp1" && word != "dp1" && !word.empty()) out += (out.empty() ? "" : " ") + word;
    at = end + 1;
  }
  return out.empty() ? full : out;
}

TextTable OptionsTable(const WorkloadPlan& plan, const std::string& currency, OptionsTableKind kind) {
  const bool machine = kind == OptionsTableKind::kMachine;
  const bool full = kind == OptionsTableKind::kFull || machine;
  const bool page = kind == OptionsTableKind::kPage;
  // Machine-readable (CSV): plain numbers, the units in the header.
  const auto count = [machine](double x) { return machine ? fmt::format("{:.0f}", x) : FormatCount(x); };
  // The terminal's table names the currency once, in the header, so that
  // the layout column keeps to one line beside the cost and the cash paid.
  // (Chinese amounts carry their unit, 万元 or 亿元, in each cell.)
  const bool terminal = kind == OptionsTableKind::kTerminal && CurrentLanguage() != Language::kChinese;
  const auto money = [machine, terminal, &currency](double x) {
    if (machine) return fmt::format("{:.0f}", x);
    return terminal ? FormatMoneyAmount(x) : FormatMoney(x, currency);
  };
  std::vector<std::string> header = {"#", Tr("accelerator"), Tr("cards"), Tr("mode")};
  if (full) header.insert(header.end(), {Tr("staged"), Tr("quotes (cards × quote, lead, price)")});
  header.insert(header.end(), {Tr("layout"), Tr("tokens/s")});
  if (full) {
    header.insert(header.end(), {Tr("training days (modelled)"), Tr("training days (P50)"), Tr("arrival week")});
  }
  if (full) header.push_back(Tr("P10 finish"));
  header.insert(header.end(), {Tr("P50 finish"), Tr("P90 finish")});
  // Every table, the terminal's too, shows the cash paid beside the cost: the
  // budget is checked against the cash.
  if (terminal) {
    header.insert(header.end(), {TrFormat("cost ({})", currency), TrFormat("cash ({})", currency)});
  } else if (machine) {
    header.insert(header.end(), {TrFormat("cost ({})", currency), TrFormat("cash paid ({})", currency)});
  } else {
    header.insert(header.end(), {Tr("cost"), Tr("cash paid")});
  }
  header.push_back(full ? Tr("frontier") : "");
  if (full) header.push_back(Tr("recommended"));
  TextTable table(header);
  for (size_t col = 0; col < header.size(); ++col) {
    // Every column from tokens/s on is a number or a date, except the marks.
    const bool mark = col + 1 == header.size() || (full && col + 2 == header.size());
    if (col == 0 || col == 2 || (col >= (full ? 7u : 5u) && !mark)) table.AlignColumn(col, TextTable::Align::kRight);
  }
  const std::vector<int> repeats = CollapsedOptions(plan);
  for (size_t i = 0; i < plan.options.size(); ++i) {
    if (!full && repeats[i] >= 0) continue;
    const PlanOptionResult& o = plan.options[i];
    const bool recommended = plan.recommendation.option == static_cast<int>(i);
    std::vector<std::string> row = {std::to_string(i + 1), o.accelerator, count(o.gpus),
                                    Tr(o.mode == BuyMode::kRent ? "rent" : "buy")};
    if (full) row.insert(row.end(), {o.staged ? Tr("yes") : "", MixPartsPricedText(o.mix, currency, machine)});
    const std::string layout = page   ? NoBreak(LayoutText(o.layout))
                               : full ? LayoutText(o.layout)
                                      : ShortLayout(o.layout);
    row.insert(row.end(), {layout, count(o.tokens_per_s)});
    if (full) {
      row.insert(row.end(), {fmt::format("{:.1f}", o.train_days), fmt::format("{:.1f}", o.train_p50_days),
                             fmt::format("{:.1f}", o.arrival_weeks)});
    }
    if (full) row.push_back(FormatFinish(o.finish_p10_date));
    row.insert(row.end(), {FormatFinish(o.finish_p50_date), FormatFinish(o.finish_p90_date), money(o.cost.total)});
    row.push_back(money(o.cost.cash));
    // Every option on the time/cost frontier (JSON `pareto`), not only the
    // points the frontier line samples.
    const std::string frontier = o.pareto ? "*" : "";
    row.push_back(page && recommended ? NoBreak(frontier + (frontier.empty() ? "" : " ") + "★") : frontier);
    if (full) row.push_back(recommended ? "*" : "");
    if (kind == OptionsTableKind::kTerminal && recommended && CurrentOutput().format == TableFormat::kTable) {
      for (std::string& cell : row) cell = Emphasis(cell);
    }
    table.AddRow(std::move(row));
  }
  return table;
}

}  // namespace

TextTable PlanOptionsTable(const WorkloadPlan& plan, const std::string& currency, bool narrow, bool machine) {
  return OptionsTable(plan, currency,
                      narrow    ? OptionsTableKind::kTerminal
                      : machine ? OptionsTableKind::kMachine
                                : OptionsTableKind::kFull);
}

nlohmann::json PlanLayoutJson(const ParallelConfig& l) {
  nlohmann::json j = LayoutJson(l);
  j["seq_len"] = l.seq_len;
  j["precision"] = std::string(PrecisionName(l.precision));
  j["recompute_layers"] = l.recompute_layers;
  j["sequence_parallel"] = l.sequence_parallel;
  j["dp_overlap"] = l.dp_overlap;
  j["attention"] = std::string(AttentionKernelName(l.attention));
  j["ep_overlap"] = l.ep_overlap;
  return j;
}

std::string PlanValueText(std::string_view value) {
  // Literal keys, so that the i18n check sees each one translated.
  if (value == "startup") return Tr("startup");
  if (value == "enterprise") return Tr("enterprise");
  if (value == "hyperscaler") return Tr("hyperscaler");
  if (value == "earliest_finish") return Tr("earliest_finish");
  if (value == "lowest_cost") return Tr("lowest_cost");
  if (value == "fastest_within_budget") return Tr("fastest_within_budget");
  if (value == "cheapest_by_deadline") return Tr("cheapest_by_deadline");
  if (value == "none") return Tr("none");
  if (value == "selective") return Tr("selective");
  if (value == "full") return Tr("full");
  if (value == "modules") return Tr("modules");
  return std::string(value);
}

std::string PlanLayoutLongText(const ParallelConfig& l) {
  std::string text = TrFormat("{}, micro-batch {}, global batch {} × {} tokens, ZeRO {}, recompute {}", LayoutText(l),
                              l.micro_batch, l.global_batch, l.seq_len, l.zero,
                              PlanValueText(RecomputeName(l.recompute)));
  if (l.recompute == Recompute::kFull && l.recompute_layers > 0) {
    text += TrFormat(" ({} layers per stage)", l.recompute_layers);
  }
  if (l.ep > 1) text += TrFormat(", EP overlap {}", Tr(l.ep_overlap ? "on" : "off"));
  text += fmt::format(", {}", PrecisionName(l.precision));
  return text;
}

std::string PlanTrainCommand(const WorkloadPlan& w, const PlanOptionResult& o) {
  const ParallelConfig& l = o.layout;
  const auto quoted = [](const std::string& arg) {
    return arg.find_first_of(" '\"$") == std::string::npos ? arg : "'" + arg + "'";
  };
  std::string cmd = fmt::format("suanli train --model {} --accel {} --gpus {}", quoted(w.model_arg), o.accelerator,
                                o.gpus);
  const std::string& stack = o.stack.empty() ? w.stack : o.stack;
  if (!stack.empty()) cmd += fmt::format(" --stack {}", stack);
  cmd += fmt::format(" --tp {} --pp {} --dp {} --cp {} --ep {}", l.tp, l.pp, l.dp, l.cp, l.ep);
  if (l.ep > 1 && l.ExpertsFoldTp()) cmd += " --expert-tp 1";
  cmd += fmt::format(" --vp {} --micro-batch {} --global-batch {} --seq-len {} --zero {} --recompute {}", l.vp,
                     l.micro_batch, l.global_batch, l.seq_len, l.zero, RecomputeName(l.recompute));
  if (l.recompute == Recompute::kFull && l.recompute_layers > 0) {
    cmd += fmt::format(" --recompute-layers {}", l.recompute_layers);
  }
  cmd += fmt::format(" --precision {} --sequence-parallel {} --dp-overlap {} --attention {} --ep-overlap {}",
                     PrecisionName(l.precision), l.sequence_parallel ? "on" : "off", l.dp_overlap ? "on" : "off",
                     AttentionKernelName(l.attention), l.ep_overlap ? "on" : "off");
  return cmd;
}

TextTable PlanOptionsPageTable(const WorkloadPlan& plan, const std::string& currency) {
  return OptionsTable(plan, currency, OptionsTableKind::kPage);
}

std::vector<std::string> PlanScheduleLines(const WorkloadPlan& plan, const std::string& plan_currency) {
  const std::vector<int> repeats = CollapsedOptions(plan);
  std::vector<std::string> lines;
  for (size_t i = 0; i < plan.options.size(); ++i) {
    const PlanOptionResult& o = plan.options[i];
    if (repeats[i] >= 0) {
      lines.push_back(TrFormat("#{}: as #{} but for a detail of the layout (e.g. vp), not listed", i + 1,
                               repeats[i] + 1));
      continue;
    }
    // Without resale (rentals) the cash paid is the cost: one figure.
    const std::string paid = std::abs(o.cost.cash - o.cost.total) < 0.5
                                 ? TrFormat("pays {}", FormatMoney(o.cost.cash, plan_currency))
                                 : TrFormat("pays {} cash, {} after resale", FormatMoney(o.cost.cash, plan_currency),
                                            FormatMoney(o.cost.total, plan_currency));
    lines.push_back(TrFormat("#{}: {}{}; arrives week {:.1f}, trains {:.1f} days at P50 ({:.1f} as modelled, {:.1f} "
                             "at steady state); {}",
                             i + 1, MixPartsPricedText(o.mix, plan_currency), o.staged ? Tr(", staged start") : "",
                             o.arrival_weeks,
                             o.train_p50_days, o.train_days, o.steady_train_days, paid));
    // The finish percentiles come from lead-time draws (each quote's range,
    // centred on its median, not its likely lead) and the model error: say
    // which lead the P50 used, so week + setup + training adds up to it.
    double median_lead_weeks = 0;
    for (const MixPart& part : o.mix) median_lead_weeks = std::max(median_lead_weeks, part.lead_weeks_median);
    lines.back() += TrFormat("; finishes P10 {}, P50 {}, P90 {} (the P50 draws leads around their median, {:.1f} "
                             "weeks for the last cards, against the likely {:.1f} above)",
                             FormatFinish(o.finish_p10_date), FormatFinish(o.finish_p50_date),
                             FormatFinish(o.finish_p90_date), median_lead_weeks, o.arrival_weeks);
    if (o.stop_share > 0) {
      lines.back() += o.finish_p90_date == kNeverDate
                          ? TrFormat("; an export rule stops its delivery with probability {:.1f}%: those draws "
                                     "never finish, so no P90 finish comes",
                                     100 * o.stop_share)
                          : TrFormat("; an export rule stops its delivery with probability {:.1f}%: those draws "
                                     "never finish (P90 {})",
                                     100 * o.stop_share, FormatDate(o.finish_p90_date));
    }
    if (o.used_share > 0) {
      lines.back() += TrFormat("; {:.0f}% used cards: {:.2g} job interruptions per GPU-day, {:.1f}% of the time "
                               "lost to checkpoints and restarts",
                               100 * o.used_share, o.failures_per_gpu_day, 100 * o.failure_overhead);
    }
  }
  return lines;
}

std::vector<std::string> PlanQuoteNotes(const WorkloadPlan& plan) {
  std::vector<std::string> notes;
  const std::vector<std::string>& said = plan.recommendation.reasons;  // printed with the recommendation
  for (const PlanOptionResult& o : plan.options) {
    for (const std::string& note : o.notes) {
      if (std::find(said.begin(), said.end(), note) != said.end()) continue;
      if (std::find(notes.begin(), notes.end(), note) == notes.end()) notes.push_back(note);
    }
  }
  return notes;
}

std::vector<std::string> PlanDroppedLines(const std::vector<DropGroup>& groups) {
  std::vector<std::string> lines;
  for (const char* what : {"quote", "size", "option"}) {
    std::vector<std::string> parts;
    for (const DropGroup& g : groups) {
      if (g.what == what) parts.push_back(fmt::format("{} {}", FormatCount(static_cast<double>(g.count)), g.reason));
    }
    const std::string label = std::string(what) == "quote" ? Tr("quotes")
                              : std::string(what) == "size" ? Tr("sizes")
                                                            : Tr("options");
    if (!parts.empty()) lines.push_back(TrFormat("{}: {}", label, fmt::join(parts, Tr("; "))));
  }
  return lines;
}

std::string PlanFrontierText(const WorkloadPlan& plan, const std::string& currency) {
  std::vector<std::string> points;
  for (int index : plan.frontier) {
    const PlanOptionResult& o = plan.options[index];
    // No break inside a point when the line is wrapped (no-break spaces).
    std::string point =
        fmt::format("#{} {} / {}", index + 1, FormatFinish(o.finish_p50_date), FormatMoney(o.cost.total, currency));
    for (size_t at = point.find(' '); at != std::string::npos; at = point.find(' ', at)) {
      point.replace(at, 1, "\u00a0");
    }
    points.push_back(point);
  }
  const int total = std::max(plan.frontier_total, static_cast<int>(plan.frontier.size()));
  const std::string which =
      total > static_cast<int>(plan.frontier.size())
          ? TrFormat("{} of its {} points, sampled evenly from earliest to cheapest", plan.frontier.size(), total)
          : TrFormat("all {} points", plan.frontier.size());
  return TrFormat("Frontier (earlier → cheaper; {}): {}", which, fmt::join(points, "  →  "));
}

std::vector<Excluded> PlanExclusions(const WorkloadPlan& plan, bool with_options) {
  std::set<std::string> shown;
  for (const PlanOptionResult& o : plan.options) shown.insert(o.accelerator);
  std::vector<Excluded> out;
  for (const Excluded& e : plan.excluded) {
    if ((shown.count(e.accelerator) > 0) == with_options) out.push_back(e);
  }
  return out;
}

std::vector<std::pair<std::string, double>> PlanCostParts(const CostBreakdown& c) {
  return {{Tr("purchase"), c.purchase},
          {Tr("bundle"), c.bundle},
          {Tr("servers and network"), c.servers},
          {Tr("power"), c.power},
          {Tr("hosting"), c.hosting},
          {Tr("replacement risk"), c.replacement_risk},
          {Tr("stopped by an export rule (expected)"), c.rule_stop_loss},
          {Tr("rental"), c.rental},
          {Tr("resale value (credited)"), -c.residual}};
}

}  // namespace suanli
