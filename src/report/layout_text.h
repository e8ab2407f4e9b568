// Short renderings of a parallel layout, a token count and a card price,
// shared by the train, compare, validate and plan reports. Formatting only.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "plan/compare.h"
#include "workload/parallel.h"

namespace suanli {

// Returns the layout as JSON: tp, pp, dp, cp, ep, vp, micro_batch, global_batch, zero, recompute, expert_tp.
nlohmann::json LayoutJson(const ParallelConfig& layout);
// Returns the ranks only: "tp2 pp4 dp24" (cp, ep and etp1 only when used).
// It names the shape, not a number: next to a predicted number use
// LayoutSettingsText (and TrainCommandText where the reader may rerun it).
std::string LayoutText(const ParallelConfig& layout);
// Returns every setting of the layout that changes a predicted step time, in
// one short line: "tp1 pp2 dp2 cp4 vp3 mb1 zero2 none" (cp, ep/etp1 and vp
// only when used; then the recompute mode and the switches off their
// defaults: no-sp, no-dp-overlap, ep-overlap, flash2-attention). Global
// batch, sequence length and precision are the run's, not the layout's:
// TrainFlagsText carries them too.
std::string LayoutSettingsText(const ParallelConfig& layout);
// Returns the `suanli train` flags that reproduce a layout's estimate:
// "--tp 1 --pp 2 --dp 2 --cp 4 --vp 3 --micro-batch 1 --global-batch 512
// --seq-len 8192 --zero 2 --recompute none" (--ep, --expert-tp 1,
// --recompute-layers, --precision, --sequence-parallel off, --dp-overlap off,
// --ep-overlap on and --attention only when they differ from train's defaults).
std::string TrainFlagsText(const ParallelConfig& layout);

// Who a `suanli train` command is for: the model as the user named it, the
// cards, and the settings besides the layout that the estimate used.
struct TrainCommandSubject {
  std::string model;                 // --model as given (a preset id or a path)
  std::string accelerator;           // accelerator id
  int gpus = 0;                      // devices
  std::string stack;                 // --stack; empty or "megatron" = the default, left out
  std::vector<std::string> assumed;  // --assume NAME=VALUE
};
// Returns the whole command that reproduces `layout`'s estimate on
// `subject`: "suanli train --model M --accel A --gpus N <TrainFlagsText> [--stack S] [--assume X]";
// arguments with spaces or shell characters are single-quoted.
std::string TrainCommandText(const TrainCommandSubject& subject, const ParallelConfig& layout);
// Returns a token count for people: "2T", "300B", "15M".
std::string TokensText(double tokens);
// Returns the quote id, supplier, price per card, condition, warranty months and the
// planner's warning on the quote (null: none), or null without a price.
nlohmann::json PriceJson(const std::optional<CardPrice>& price);

}  // namespace suanli
