#include "report/layout_text.h"

#include <fmt/format.h>

#include "report/json_util.h"
#include "workload/stack.h"

namespace suanli {

using nlohmann::json;

namespace {

// Returns the recompute word: "selective", "full(8/stage)".
std::string RecomputeWord(const ParallelConfig& c) {
  return c.recompute == Recompute::kFull && c.recompute_layers > 0 ? fmt::format("full({}/stage)", c.recompute_layers)
                                                                   : std::string(RecomputeName(c.recompute));
}

// Returns `text` as one shell word: unchanged when it is plain, else single-quoted.
std::string ShellWord(const std::string& text) {
  const bool plain = !text.empty() && text.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                             "0123456789-_./:=,+@%") == std::string::npos;
  if (plain) return text;
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

json LayoutJson(const ParallelConfig& l) {
  return json{{"tp", l.tp}, {"pp", l.pp}, {"dp", l.dp}, {"cp", l.cp}, {"ep", l.ep},
              {"vp", l.vp}, {"micro_batch", l.micro_batch}, {"global_batch", l.global_batch},
              {"zero", l.zero}, {"recompute", std::string(RecomputeName(l.recompute))},
              {"expert_tp", l.ExpertTp()}};
}

std::string LayoutText(const ParallelConfig& l) {
  std::string text = fmt::format("tp{} pp{} dp{}", l.tp, l.pp, l.dp);
  if (l.cp > 1) text += fmt::format(" cp{}", l.cp);
  if (l.ep > 1) text += fmt::format(" ep{}", l.ep);
  if (l.ep > 1 && l.ExpertsFoldTp()) text += " etp1";
  return text;
}

std::string LayoutSettingsText(const ParallelConfig& l) {
  std::string text = fmt::format("tp{} pp{} dp{}", l.tp, l.pp, l.dp);
  if (l.cp > 1) text += fmt::format(" cp{}", l.cp);
  if (l.ep > 1) text += fmt::format(" ep{}{}", l.ep, l.ExpertsFoldTp() ? " etp1" : "");
  if (l.vp > 1) text += fmt::format(" vp{}", l.vp);
  text += fmt::format(" mb{} zero{} {}", l.micro_batch, l.zero, RecomputeWord(l));
  if (l.tp > 1 && !l.sequence_parallel) text += " no-sp";
  if (l.dp * l.cp > 1 && !l.dp_overlap) text += " no-dp-overlap";
  if (l.ep_overlap) text += " ep-overlap";
  if (l.attention != AttentionKernel::kFused) text += fmt::format(" {}-attention", AttentionKernelName(l.attention));
  return text;
}

std::string TrainFlagsText(const ParallelConfig& l) {
  std::string text = fmt::format("--tp {} --pp {} --dp {}", l.tp, l.pp, l.dp);
  if (l.cp > 1) text += fmt::format(" --cp {}", l.cp);
  if (l.ep > 1) text += fmt::format(" --ep {}", l.ep);
  if (l.ep > 1 && l.ExpertsFoldTp()) text += " --expert-tp 1";
  if (l.vp > 1) text += fmt::format(" --vp {}", l.vp);
  text += fmt::format(" --micro-batch {} --global-batch {} --seq-len {} --zero {} --recompute {}", l.micro_batch,
                      l.global_batch, l.seq_len, l.zero, RecomputeName(l.recompute));
  if (l.recompute == Recompute::kFull && l.recompute_layers > 0) {
    text += fmt::format(" --recompute-layers {}", l.recompute_layers);
  }
  if (l.precision != Precision::kBf16) text += fmt::format(" --precision {}", PrecisionName(l.precision));
  if (l.tp > 1 && !l.sequence_parallel) text += " --sequence-parallel off";
  if (!l.dp_overlap) text += " --dp-overlap off";
  if (l.ep_overlap) text += " --ep-overlap on";
  if (l.attention != AttentionKernel::kFused) text += fmt::format(" --attention {}", AttentionKernelName(l.attention));
  return text;
}

std::string TrainCommandText(const TrainCommandSubject& s, const ParallelConfig& layout) {
  std::string text = fmt::format("suanli train --model {} --accel {} --gpus {} {}", ShellWord(s.model),
                                 ShellWord(s.accelerator), s.gpus, TrainFlagsText(layout));
  if (!s.stack.empty() && s.stack != kDefaultStackId) {
    text += " --stack " + ShellWord(s.stack);
    // A stack may default to another attention kernel than the fused one
    // TrainFlagsText leaves out.
    auto stack = FindStack(s.stack);
    if (layout.attention == AttentionKernel::kFused && stack.ok() &&
        StackAttention(**stack, 0) != AttentionKernel::kFused) {
      text += " --attention flash";
    }
  }
  for (const std::string& a : s.assumed) text += " --assume " + ShellWord(a);
  return text;
}

std::string TokensText(double tokens) {
  if (tokens >= 1e12) return fmt::format("{:g}T", RoundSig(tokens / 1e12, 4));
  if (tokens >= 1e9) return fmt::format("{:g}B", RoundSig(tokens / 1e9, 4));
  if (tokens >= 1e6) return fmt::format("{:g}M", RoundSig(tokens / 1e6, 4));
  return fmt::format("{:g}", tokens);
}

json PriceJson(const std::optional<CardPrice>& p) {
  if (!p) return nullptr;
  return json{{"quote_id", p->quote_id},
              {"supplier", p->supplier},
              {"price_per_card", RoundSig(p->price_per_card)},
              {"servers_network_bundles", RoundSig(p->hardware_extra)},
              {"condition", std::string(ConditionName(p->condition))},
              {"warranty_months", p->warranty_months},
              {"warning", p->flag.english.empty() ? json(nullptr) : json(p->flag.english)}};
}

}  // namespace suanli
