// Advice beyond the ranking (plan/advice.h).
#include "plan/advice.h"

#include <set>
#include <utility>

#include <fmt/format.h>

#include "plan/plan_text.h"
#include "plan/recommendation.h"

namespace suanli {
namespace {

// Export variants with a cut scale-up link, and PCIe parts, with the full part
// of the same generation (data/accelerators.yaml sources).
constexpr std::pair<const char*, const char*> kUncutSiblings[] = {
    {"a800-sxm-80gb", "a100-sxm-80gb"}, {"a800-pcie-80gb", "a100-sxm-80gb"},
    {"h800-sxm-80gb", "h100-sxm-80gb"}, {"h800-pcie-80gb", "h100-sxm-80gb"},
    {"a100-pcie-80gb", "a100-sxm-80gb"}, {"h100-pcie-80gb", "h100-sxm-80gb"},
};

std::string LayoutWords(const ParallelConfig& l) {
  return fmt::format("tp{} pp{} dp{}{}", l.tp, l.pp, l.dp, l.cp > 1 ? fmt::format(" cp{}", l.cp) : "");
}

}  // namespace

// Returns "near-free speed-up: ..." when some option finishes at least
// kNearFreeDays earlier than the recommendation for at most kNearFreeShare
// more (adding it to the shown options when it is not there), else "".
std::string NearFreeSpeedUp(const std::vector<PlanOptionResult>& all, ShownOptions& shown) {
  if (all.empty()) return "";
  const PlanOptionResult& best = all.front();
  const PlanOptionResult* faster = nullptr;
  for (const PlanOptionResult& o : all) {
    if (o.finish_p50_date.days > best.finish_p50_date.days - kNearFreeDays) continue;
    if (o.cost.total > best.cost.total * (1 + kNearFreeShare)) continue;
    if (faster == nullptr || o.finish_p50_date < faster->finish_p50_date ||
        (o.finish_p50_date == faster->finish_p50_date && o.cost.total < faster->cost.total)) {
      faster = &o;
    }
  }
  if (faster == nullptr) return "";
  size_t index = shown.options.size();
  for (size_t i = 0; i < shown.options.size(); ++i) {
    const PlanOptionResult& o = shown.options[i];
    if (o.accelerator == faster->accelerator && o.gpus == faster->gpus && o.mode == faster->mode &&
        MixKey(o) == MixKey(*faster)) {
      index = i;
    }
  }
  if (index == shown.options.size()) shown.options.push_back(*faster);
  return TrFormat("near-free speed-up: #{} {} finishes {} days earlier (P50 {}) for {:.1f}% more "
                  "(mentioned when at least {} days earlier for at most {:g}% more)",
                  index + 1, Describe(*faster), best.finish_p50_date.days - faster->finish_p50_date.days,
                     FormatDate(faster->finish_p50_date), 100 * (faster->cost.total / best.cost.total - 1),
                     kNearFreeDays, 100 * kNearFreeShare);
}

std::string UncutSibling(const std::string& accelerator) {
  for (const auto& [cut, full] : kUncutSiblings) {
    if (accelerator == cut) return full;
  }
  return "";
}

void CutInterconnectNotes(std::vector<PlanOptionResult>& options,
                          const std::function<Throughput(const std::string&, int)>& throughput,
                          std::vector<std::string>& reasons) {
  std::set<std::string> done;
  for (size_t i = 0; i < options.size(); ++i) {
    PlanOptionResult& o = options[i];
    const std::string sibling = UncutSibling(o.accelerator);
    if (sibling.empty() || !done.insert(o.accelerator).second) continue;
    const Throughput full = throughput(sibling, o.gpus);
    if (!full.fits || full.tokens_per_s <= 0) continue;
    const double gain = full.tokens_per_s / o.tokens_per_s - 1;
    const bool same_layout = LayoutWords(full.layout) == LayoutWords(o.layout);
    if (same_layout && std::abs(gain) < 0.01) continue;
    const std::string note = TrFormat(
        "cut interconnect: {} cards of {} train with {} at {} tokens/s; the uncut {} would use {} at {} "
        "tokens/s ({:+.1f}%)",
        o.gpus, o.accelerator, LayoutWords(o.layout), FormatCount(o.tokens_per_s), sibling,
        LayoutWords(full.layout), FormatCount(full.tokens_per_s), 100 * gain);
    o.notes.push_back(note);
    if (i == 0) reasons.push_back(note);
  }
}

}  // namespace suanli
