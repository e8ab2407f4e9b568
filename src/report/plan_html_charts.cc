// The plan report's charts (report/plan_html_charts.h).
#include "report/plan_html_charts.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "core/date.h"
#include "core/i18n.h"
#include "report/html_page.h"
#include "report/layout_text.h"
#include "report/plan_report.h"

namespace suanli {
namespace {

using nlohmann::json;

// How many options the timeline and the bar charts show at most.
constexpr size_t kMaxBars = 12;

// "#3 a800-sxm-80gb × 512": an option's label on a chart axis.
std::string OptionLabel(const WorkloadPlan& plan, size_t index) {
  const PlanOptionResult& o = plan.options[index];
  return fmt::format("#{} {} × {}{}", index + 1, o.accelerator, FormatCount(o.gpus),
                     o.mode == BuyMode::kRent ? " (" + Tr("rent") + ")" : "");
}

// The options the bar charts show: the recommendation, then the others in
// rank order, without repeats of the narrow table, at most kMaxBars.
std::vector<size_t> BarOptions(const WorkloadPlan& plan) {
  const std::vector<int> repeats = CollapsedOptions(plan);
  std::vector<size_t> out;
  for (size_t i = 0; i < plan.options.size() && out.size() < kMaxBars; ++i) {
    if (repeats[i] < 0) out.push_back(i);
  }
  return out;
}

json Tooltip(const std::string& field, const std::string& title, const std::string& type = "nominal") {
  return {{"field", field}, {"type", type}, {"title", title}};
}

json ColorByAccelerator() {
  return {{"field", "accelerator"}, {"type", "nominal"}, {"title", Tr("accelerator")},
          {"scale", {{"scheme", "tableau10"}}}};
}

}  // namespace

int PlanDayOf(const PlanInput& input, Date date) { return DaysBetween(input.date, date); }

int PlanNeverEdgeDay(int last_day) { return std::max(last_day + 7, static_cast<int>(last_day * 1.15) + 1); }

json PlanFrontierChart(const WorkloadPlan& plan, const PlanInput& input) {
  json values = json::array();
  std::vector<double> xs, ys;
  // A P90 that never comes (an export rule stops the delivery) gets an
  // open-ended whisker to the chart's right edge, marked "never": never a
  // whisker that stops at the P50 and makes the option look the safest.
  int last_day = 1;
  for (const PlanOptionResult& o : plan.options) {
    for (Date d : {o.finish_p50_date, o.finish_p90_date}) {
      if (d != kNeverDate) last_day = std::max(last_day, PlanDayOf(input, d));
    }
  }
  const int edge_day = PlanNeverEdgeDay(last_day);
  const std::string finite_whisker = Tr("P10–P90");
  const std::string never_whisker = Tr("P10 → never (an export rule may stop the delivery: no P90)");
  bool any_never = false;
  for (size_t i = 0; i < plan.options.size(); ++i) {
    const PlanOptionResult& o = plan.options[i];
    const bool frontier =
        std::find(plan.frontier.begin(), plan.frontier.end(), static_cast<int>(i)) != plan.frontier.end();
    const int p50 = PlanDayOf(input, o.finish_p50_date);
    const bool never = o.finish_p90_date == kNeverDate;
    any_never = any_never || never;
    const int p90 = never ? edge_day : PlanDayOf(input, o.finish_p90_date);
    const int p10 = std::min(p50, PlanDayOf(input, AddDays(input.date, o.finish_p10_days)));
    xs.insert(xs.end(), {static_cast<double>(std::max(1, p10)), static_cast<double>(p90)});
    ys.push_back(o.cost.total);
    values.push_back({{"option", fmt::format("#{}", i + 1)},
                      {"accelerator", o.accelerator},
                      {"cards", o.gpus},
                      {"mode", Tr(o.mode == BuyMode::kRent ? "rent" : "buy")},
                      {"quotes", PlanMixText(o)},
                      {"layout", LayoutText(o.layout)},
                      {"p10_days", std::max(1, p10)},
                      {"p50_days", std::max(1, p50)},
                      {"p90_days", std::max(1, p90)},
                      {"p90_never", never},
                      {"whisker", never ? never_whisker : finite_whisker},
                      {"never_label", never ? TrFormat("never ({:.1f}% stopped)", 100 * o.stop_share) : ""},
                      {"p50_date", FormatDate(o.finish_p50_date)},
                      {"p90_date", never ? TrFormat("never ({})", NeverFinishText(o.stop_share))
                                         : FormatDate(o.finish_p90_date)},
                      {"cost", o.cost.total},
                      {"cost_text", FormatMoney(o.cost.total, input.currency)},
                      {"kind", frontier ? Tr("on the frontier") : Tr("other option")},
                      {"frontier", frontier},
                      {"recommended", plan.recommendation.option == static_cast<int>(i)},
                      {"label", Tr("recommended") + fmt::format(" #{}", i + 1)}});
  }
  const json x = {{"field", "p50_days"}, {"type", "quantitative"}, {"scale", ScaleFor(xs)},
                  {"title", Tr("days to a trained model (P50, from the buyer's date)")}};
  const json y = {{"field", "cost"}, {"type", "quantitative"}, {"scale", ScaleFor(ys)},
                  {"title", TrFormat("total cost ({})", input.currency)}, {"axis", {{"format", "~s"}}}};
  const json tooltip = json::array({Tooltip("option", "#"), Tooltip("accelerator", Tr("accelerator")),
                                    Tooltip("cards", Tr("cards"), "quantitative"), Tooltip("mode", Tr("mode")),
                                    Tooltip("quotes", Tr("quotes")), Tooltip("layout", Tr("layout")),
                                    Tooltip("p50_date", Tr("P50 finish")), Tooltip("p90_date", Tr("P90 finish")),
                                    Tooltip("cost_text", Tr("cost"))});
  json whisker_x = x;
  whisker_x["field"] = "p10_days";
  // The whisker's kind in the legend: dashed and open-ended where the P90 never comes.
  json whisker_kinds = json::array({finite_whisker});
  if (any_never) whisker_kinds.push_back(never_whisker);
  const json dash = {{"field", "whisker"}, {"type", "nominal"}, {"title", Tr("whisker")},
                     {"scale", {{"domain", whisker_kinds}, {"range", json::array({{1, 0}, {6, 3}})}}}};
  json layers = json::array();
  layers.push_back({{"mark", {{"type", "rule"}, {"opacity", 0.45}}},
                    {"encoding", {{"x", whisker_x}, {"x2", {{"field", "p90_days"}}}, {"y", y},
                                  {"color", ColorByAccelerator()}, {"strokeDash", dash}}}});
  if (any_never) {
    // The open end: an arrow head and "never" at the chart's edge.
    json edge_x = x;
    edge_x["field"] = "p90_days";
    layers.push_back({{"transform", json::array({{{"filter", "datum.p90_never"}}})},
                      {"mark", {{"type", "point"}, {"shape", "triangle-right"}, {"filled", true}, {"size", 70}}},
                      {"encoding", {{"x", edge_x}, {"y", y}, {"color", ColorByAccelerator()}}}});
    layers.push_back({{"transform", json::array({{{"filter", "datum.p90_never"}}})},
                      {"mark", {{"type", "text"}, {"align", "right"}, {"dy", -9}, {"fontSize", 11}}},
                      {"encoding", {{"x", edge_x}, {"y", y}, {"text", {{"field", "never_label"}}}}}});
  }
  layers.push_back({{"transform", json::array({{{"filter", "datum.frontier"}}})},
                    {"mark", {{"type", "line"}, {"color", "#8a94a3"}, {"strokeDash", {4, 3}}}},
                    {"encoding", {{"x", x}, {"y", y}, {"order", {{"field", "p50_days"}}}}}});
  layers.push_back({{"mark", {{"type", "point"}, {"filled", true}, {"opacity", 0.9}}},
                    {"encoding",
                     {{"x", x},
                      {"y", y},
                      {"color", ColorByAccelerator()},
                      {"shape", {{"field", "kind"}, {"type", "nominal"}, {"title", Tr("option")}}},
                      {"size", {{"condition", {{"test", "datum.frontier"}, {"value", 110}}}, {"value", 50}}},
                      {"tooltip", tooltip}}}});
  layers.push_back({{"transform", json::array({{{"filter", "datum.recommended"}}})},
                    {"mark", {{"type", "point"}, {"filled", false}, {"size", 420}, {"strokeWidth", 2.5},
                              {"color", "#111"}}},
                    {"encoding", {{"x", x}, {"y", y}, {"tooltip", tooltip}}}});
  layers.push_back({{"transform", json::array({{{"filter", "datum.recommended"}}})},
                    {"mark", {{"type", "text"}, {"align", "left"}, {"dx", 14}, {"dy", -12},
                              {"fontWeight", "bold"}}},
                    {"encoding", {{"x", x}, {"y", y}, {"text", {{"field", "label"}}}}}});
  return {{"height", 360}, {"data", {{"values", values}}}, {"layer", layers}};
}

json PlanTimelineChart(const WorkloadPlan& plan, const PlanInput& input) {
  json bars = json::array(), marks = json::array();
  const std::vector<size_t> shown = BarOptions(plan);
  const std::string order_date = FormatDate(input.date);
  for (size_t i : std::vector<size_t>(shown.begin(), shown.begin() + std::min<size_t>(shown.size(), 8))) {
    const PlanOptionResult& o = plan.options[i];
    const std::string label = OptionLabel(plan, i);
    // Rented cards come racked and burnt in (rental_setup_days); bought ones need setup_days.
    const double setup_days = o.mode == BuyMode::kRent ? input.costs.rental_setup_days : input.costs.setup_days;
    for (const MixPart& p : o.mix) {
      const double delivery = p.lead_weeks * 7;
      bars.push_back({{"option", label}, {"phase", Tr("order → delivery")},
                      {"start", order_date}, {"end", FormatDate(AddDays(input.date, delivery))},
                      {"detail", TrFormat("{} × {} from {}", FormatCount(p.cards), p.quote_id, p.supplier)}});
      bars.push_back({{"option", label}, {"phase", Tr("setup")},
                      {"start", FormatDate(AddDays(input.date, delivery))},
                      {"end", FormatDate(AddDays(input.date, delivery + setup_days))},
                      {"detail", TrFormat("{:g} days after delivery", setup_days)}});
    }
    // Training in segments up to the P50 finish the dates and the cost use:
    // steady state, the campaign's losses (ramp, evaluation, rollbacks,
    // stragglers, failures), then what the P50 adds to the modelled schedule
    // (the measured model error, the spread of deliveries).
    const double start_day = o.start_weeks * 7;
    const double modelled_end = std::max(start_day, o.finish_days);
    const double steady_end = std::clamp(modelled_end - (o.train_days - o.steady_train_days), start_day, modelled_end);
    const auto segment = [&](const std::string& phase, double from, Date to, const std::string& detail) {
      bars.push_back({{"option", label}, {"phase", phase}, {"start", FormatDate(AddDays(input.date, from))},
                      {"end", FormatDate(to)}, {"detail", detail}});
    };
    segment(Tr("training: steady state"), start_day, AddDays(input.date, steady_end),
            TrFormat("{:.1f} days at the modelled tokens/s on the full cluster{}", o.steady_train_days,
                     o.staged ? Tr(", staged start") : ""));
    if (modelled_end > steady_end) {
      segment(Tr("training: campaign losses"), steady_end, AddDays(input.date, modelled_end),
              TrFormat("{:.1f} days: ramp, evaluation, rollbacks, stragglers and failures ({:.1f} days modelled in all)",
                       o.train_days - o.steady_train_days, o.train_days));
    }
    if (o.finish_p50_date != kNeverDate && o.finish_p50_date > AddDays(input.date, modelled_end)) {
      segment(Tr("training: to the P50 finish"), modelled_end, o.finish_p50_date,
              TrFormat("{:.1f} days more at P50 ({:.1f} training days at P50): the measured model error and the "
                       "spread of deliveries",
                       PlanDayOf(input, o.finish_p50_date) - modelled_end, o.train_p50_days));
    }
    marks.push_back({{"option", label}, {"marker", "P50"}, {"date", FormatDate(o.finish_p50_date)}});
    if (o.finish_p90_date != kNeverDate) {
      marks.push_back({{"option", label}, {"marker", "P90"}, {"date", FormatDate(o.finish_p90_date)}});
    }
  }
  const json y = {{"field", "option"}, {"type", "nominal"}, {"sort", nullptr}, {"title", nullptr}};
  const json x = {{"field", "start"}, {"type", "temporal"}, {"title", Tr("date")},
                  {"axis", {{"format", "%Y-%m-%d"}, {"labelAngle", -30}}}};
  json layers = json::array();
  layers.push_back({{"data", {{"values", bars}}},
                    {"mark", {{"type", "bar"}, {"cornerRadius", 2}, {"height", {{"band", 0.6}}}}},
                    {"encoding",
                     {{"y", y},
                      {"x", x},
                      {"x2", {{"field", "end"}}},
                      {"color", {{"field", "phase"}, {"type", "nominal"}, {"title", Tr("phase")},
                                 {"sort", {Tr("order → delivery"), Tr("setup"), Tr("training: steady state"),
                                           Tr("training: campaign losses"), Tr("training: to the P50 finish")}}}},
                      {"tooltip", json::array({Tooltip("option", Tr("option")), Tooltip("phase", Tr("phase")),
                                               Tooltip("start", Tr("starts")), Tooltip("end", Tr("ends")),
                                               Tooltip("detail", Tr("detail"))})}}}});
  layers.push_back({{"data", {{"values", marks}}},
                    {"mark", {{"type", "tick"}, {"thickness", 3}}},
                    {"encoding",
                     {{"y", y},
                      {"x", {{"field", "date"}, {"type", "temporal"}}},
                      {"color", {{"value", "#111"}}},
                      {"opacity", {{"field", "marker"}, {"type", "nominal"}, {"title", Tr("finish")},
                                   {"scale", {{"range", {1.0, 0.45}}}}}},
                      {"tooltip", json::array({Tooltip("option", Tr("option")), Tooltip("marker", Tr("finish")),
                                               Tooltip("date", Tr("date"))})}}}});
  return {{"height", {{"step", 26}}}, {"layer", layers}, {"resolve", {{"scale", {{"color", "independent"}}}}}};
}

json PlanStepTimeChart(const WorkloadPlan& plan) {
  json values = json::array();
  std::set<std::pair<std::string, int>> seen;
  for (size_t i : BarOptions(plan)) {
    const PlanOptionResult& o = plan.options[i];
    if (!seen.insert({o.accelerator, o.gpus}).second) continue;
    for (const StepTerm& term : o.step_terms) {
      if (term.seconds <= 0) continue;
      values.push_back({{"option", OptionLabel(plan, i)}, {"term", Tr(term.name)}, {"seconds", term.seconds},
                        {"layout", LayoutText(o.layout)}, {"step_s", o.step_time_s}});
    }
  }
  return {{"data", {{"values", values}}},
          {"mark", "bar"},
          {"height", {{"step", 24}}},
          {"encoding",
           {{"y", {{"field", "option"}, {"type", "nominal"}, {"sort", nullptr}, {"title", nullptr}}},
            {"x", {{"field", "seconds"}, {"type", "quantitative"}, {"stack", "zero"},
                   {"title", Tr("seconds per optimizer step")}}},
            {"color", {{"field", "term"}, {"type", "nominal"}, {"title", Tr("term")}}},
            {"tooltip", json::array({Tooltip("option", Tr("option")), Tooltip("layout", Tr("layout")),
                                     Tooltip("term", Tr("term")),
                                     {{"field", "seconds"}, {"type", "quantitative"}, {"format", ".3f"},
                                      {"title", Tr("exposed seconds")}},
                                     {{"field", "step_s"}, {"type", "quantitative"}, {"format", ".3f"},
                                      {"title", Tr("step time (s)")}}})}}}};
}

json PlanCostChart(const WorkloadPlan& plan, const PlanInput& input) {
  json values = json::array();
  for (size_t i : BarOptions(plan)) {
    const PlanOptionResult& o = plan.options[i];
    for (const auto& [part, amount] : PlanCostParts(o.cost)) {
      if (amount == 0) continue;
      values.push_back({{"option", OptionLabel(plan, i)}, {"part", part}, {"amount", amount},
                        {"amount_text", FormatMoney(amount, input.currency)},
                        {"total_text", FormatMoney(o.cost.total, input.currency)}});
    }
  }
  return {{"data", {{"values", values}}},
          {"mark", "bar"},
          {"height", {{"step", 24}}},
          {"encoding",
           {{"y", {{"field", "option"}, {"type", "nominal"}, {"sort", nullptr}, {"title", nullptr}}},
            {"x", {{"field", "amount"}, {"type", "quantitative"}, {"title", TrFormat("amount ({})", input.currency)},
                   {"axis", {{"format", "~s"}}}}},
            {"color", {{"field", "part"}, {"type", "nominal"}, {"title", Tr("cost part")}}},
            {"tooltip", json::array({Tooltip("option", Tr("option")), Tooltip("part", Tr("cost part")),
                                     Tooltip("amount_text", Tr("amount")), Tooltip("total_text", Tr("total cost"))})}}}};
}

json PlanThroughputChart(const WorkloadPlan& plan) {
  json values = json::array();
  std::set<std::pair<std::string, int>> seen;
  std::vector<double> cards, rates;
  for (const PlanOptionResult& o : plan.options) {
    if (!seen.insert({o.accelerator, o.gpus}).second) continue;
    cards.push_back(o.gpus);
    rates.push_back(o.tokens_per_s);
    values.push_back({{"accelerator", o.accelerator}, {"cards", o.gpus}, {"tokens_per_s", o.tokens_per_s},
                      {"tokens_text", FormatCount(o.tokens_per_s)}, {"layout", LayoutText(o.layout)}});
  }
  const json x = {{"field", "cards"}, {"type", "quantitative"}, {"scale", ScaleFor(cards)}, {"title", Tr("cards")}};
  const json y = {{"field", "tokens_per_s"}, {"type", "quantitative"}, {"scale", ScaleFor(rates)},
                  {"title", Tr("training throughput (tokens/s, whole cluster)")}, {"axis", {{"format", "~s"}}}};
  return {{"height", 300},
          {"data", {{"values", values}}},
          {"mark", {{"type", "line"}, {"point", true}}},
          {"encoding",
           {{"x", x},
            {"y", y},
            {"color", ColorByAccelerator()},
            {"order", {{"field", "cards"}}},
            {"tooltip", json::array({Tooltip("accelerator", Tr("accelerator")),
                                     Tooltip("cards", Tr("cards"), "quantitative"),
                                     Tooltip("tokens_text", Tr("tokens/s")), Tooltip("layout", Tr("layout"))})}}}};
}

}  // namespace suanli
