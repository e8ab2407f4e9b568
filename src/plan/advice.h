// Advice beyond the ranking: a near-free speed-up next to the recommendation,
// and what a cut interconnect (A800/H800, PCIe parts) costs against the uncut
// sibling.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "plan/frontier.h"
#include "plan/plan.h"

namespace suanli {

// A speed-up worth mentioning: at least this many days earlier (P50) ...
inline constexpr int kNearFreeDays = 7;
// ... for at most this share more than the recommendation.
inline constexpr double kNearFreeShare = 0.02;

// Returns "near-free speed-up: ..." when some option of `all` (ranked, the
// recommendation first) finishes at least kNearFreeDays earlier for at most
// kNearFreeShare more, adding it to `shown` when it is not there; else "".
std::string NearFreeSpeedUp(const std::vector<PlanOptionResult>& all, ShownOptions& shown);

// Returns the uncut sibling of an accelerator whose interconnect was cut
// (a800-sxm-80gb -> a100-sxm-80gb, PCIe parts -> SXM), or "" when none.
std::string UncutSibling(const std::string& accelerator);

// For the first shown option of every cut accelerator, adds to its notes
// (and to `reasons` for the recommendation, options[0]) how its layout and
// throughput compare with the uncut sibling on the same number of cards,
// when they differ (layout, or throughput by 1% or more).
void CutInterconnectNotes(std::vector<PlanOptionResult>& options,
                          const std::function<Throughput(const std::string&, int)>& throughput,
                          std::vector<std::string>& reasons);

}  // namespace suanli
