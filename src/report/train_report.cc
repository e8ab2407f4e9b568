// Renderers of one training estimate; see train_report.h.
#include "report/train_report.h"

#include <algorithm>

#include <fmt/format.h>

#include "core/i18n.h"
#include "core/units.h"
#include "report/fit_report.h"
#include "report/json_util.h"
#include "report/layout_text.h"
#include "report/output.h"
#include "report/table.h"

namespace suanli {
namespace {

// Returns why `e` does not fit, in `language` (JSON stays English).
std::string NotFitReasonIn(Language language, const StepEstimate& e) {
  std::vector<NamedAmount> parts = MemoryParts(e.memory);
  std::sort(parts.begin(), parts.end(), [](const auto& a, const auto& b) { return a.amount > b.amount; });
  std::string largest;
  for (size_t i = 0; i < parts.size() && i < 2; ++i) {
    if (i > 0) largest += language == Language::kChinese ? "、" : ", ";
    largest += fmt::format("{} {} GiB", TrIn(language, parts[i].name), FormatGib(parts[i].amount));
  }
  return fmt::format(fmt::runtime(TrIn(language, "needs {} GiB per device, {} GiB usable (largest: {})")),
                     FormatGib(e.memory.total_bytes), FormatGib(e.usable_bytes), largest);
}

// Returns the layout-line tag of a non-default attention kernel ("" for flash).
std::string AttentionTag(AttentionKernel kernel) {
  return kernel == AttentionKernel::kFused ? "" : fmt::format(" {}-attention", AttentionKernelName(kernel));
}

// Returns the recompute word: "selective", "full(8 layers/stage)".
std::string RecomputeText(const ParallelConfig& c, const char* layers_format) {
  return c.recompute == Recompute::kFull && c.recompute_layers > 0
             ? fmt::format(fmt::runtime(layers_format), c.recompute_layers)
             : std::string(RecomputeName(c.recompute));
}

// Returns the switches that differ from the defaults: " no-sp ep-overlap flash2-attention".
std::string SwitchTags(const ParallelConfig& c) {
  return fmt::format("{}{}{}{}", c.tp > 1 && !c.sequence_parallel ? " no-sp" : "",
                     c.dp * c.cp > 1 && !c.dp_overlap ? " no-dp-overlap" : "", c.ep_overlap ? " ep-overlap" : "",
                     AttentionTag(c.attention));
}

}  // namespace

nlohmann::json ConfigJson(const ParallelConfig& c) {
  return {{"tp", c.tp},
          {"pp", c.pp},
          {"dp", c.dp},
          {"cp", c.cp},
          {"ep", c.ep},
          {"vp", c.vp},
          {"micro_batch", c.micro_batch},
          {"global_batch", c.global_batch},
          {"seq_len", c.seq_len},
          {"recompute", std::string(RecomputeName(c.recompute))},
          {"zero", c.zero},
          {"precision", std::string(PrecisionName(c.precision))},
          {"sequence_parallel", c.sequence_parallel && c.tp > 1},
          {"dp_overlap", c.dp_overlap},
          {"attention", std::string(AttentionKernelName(c.attention))},
          {"ep_overlap", c.ep_overlap},
          {"expert_tp", c.ExpertTp()},
          {"recompute_layers", c.recompute_layers}};
}

nlohmann::json MemoryJson(const MemoryBreakdown& m) {
  return {{"weights", RoundBytes(m.weights_bytes)},     {"gradients", RoundBytes(m.gradients_bytes)},
          {"optimizer", RoundBytes(m.optimizer_bytes)}, {"activations", RoundBytes(m.activations_bytes)},
          {"kv_cache", RoundBytes(m.kv_cache_bytes)},   {"other", RoundBytes(m.other_bytes)},
          {"total", RoundBytes(m.total_bytes)}};
}

nlohmann::json BreakdownJson(const StepBreakdown& b) {
  return {{"compute_s", RoundSig(b.compute_s)},     {"recompute_s", RoundSig(b.recompute_s)},
          {"tp_comm_s", RoundSig(b.tp_comm_s)},     {"cp_comm_s", RoundSig(b.cp_comm_s)},
          {"ep_comm_s", RoundSig(b.ep_comm_s)},     {"dp_comm_s", RoundSig(b.dp_comm_s)},
          {"pp_comm_s", RoundSig(b.pp_comm_s)},     {"bubble_s", RoundSig(b.bubble_s)},
          {"optimizer_s", RoundSig(b.optimizer_s)}, {"moe_dispatch_s", RoundSig(b.moe_dispatch_s)}};
}

nlohmann::json EstimateJson(const ParallelConfig& c, const StepEstimate& e) {
  nlohmann::json out = {{"step_time_s", RoundSig(e.step_time_s)},
                        {"tokens_per_s", RoundSig(e.tokens_per_s)},
                        {"tokens_per_s_per_gpu", RoundSig(e.tokens_per_s_per_gpu)},
                        {"model_tflops_per_gpu", RoundSig(e.model_tflops_per_gpu, 4)},
                        {"hw_tflops_per_gpu", RoundSig(e.hw_tflops_per_gpu, 4)},
                        {"mfu", RoundSig(e.mfu, 4)},
                        {"memory_per_gpu_bytes", RoundBytes(e.memory.total_bytes)},
                        {"memory", MemoryJson(e.memory)},
                        {"usable_bytes", RoundBytes(e.usable_bytes)},
                        {"fits", e.fits},
                        {"config", ConfigJson(c)},
                        {"breakdown", BreakdownJson(e.breakdown)}};
  // Offload only: host RAM this device's offloaded optimizer states take.
  if (e.memory.host_bytes > 0) out["host_bytes_per_device"] = RoundBytes(e.memory.host_bytes);
  if (!e.fits) {
    // A layout that cannot run has no step time: say why instead.
    for (const char* key : {"step_time_s", "tokens_per_s", "tokens_per_s_per_gpu", "model_tflops_per_gpu",
                            "hw_tflops_per_gpu", "mfu", "breakdown"}) {
      out[key] = nullptr;
    }
    out["reason"] = NotFitReasonIn(Language::kEnglish, e);
  }
  return out;
}

std::string ConfigText(const ParallelConfig& c) {
  return fmt::format("tp {} pp {} dp {} cp {} ep {}{} vp {} mb {} zero {} {}{}", c.tp, c.pp, c.dp, c.cp, c.ep,
                     c.ExpertsFoldTp() ? " etp 1" : "", c.vp, c.micro_batch, c.zero,
                     RecomputeText(c, "full({} layers/stage)"), SwitchTags(c));
}

std::string CompactConfigText(const ParallelConfig& c) { return LayoutSettingsText(c); }

std::vector<NamedAmount> StepParts(const StepBreakdown& b, bool keep_zero) {
  const NamedAmount parts[] = {
      {"compute", b.compute_s},           {"recomputation", b.recompute_s},
      {"tensor-parallel comm", b.tp_comm_s}, {"context-parallel comm", b.cp_comm_s},
      {"expert all-to-all", b.ep_comm_s}, {"data-parallel comm (exposed)", b.dp_comm_s},
      {"pipeline sends", b.pp_comm_s},    {"pipeline bubble", b.bubble_s},
      {"optimizer step", b.optimizer_s},  {"MoE dispatch overhead", b.moe_dispatch_s}};
  std::vector<NamedAmount> out;
  for (const NamedAmount& part : parts) {
    if (part.amount > 0 || keep_zero) out.push_back(part);
  }
  return out;
}

std::vector<NamedAmount> MemoryParts(const MemoryBreakdown& m) {
  const NamedAmount parts[] = {{"weights", m.weights_bytes},         {"gradients", m.gradients_bytes},
                               {"optimizer", m.optimizer_bytes},     {"activations", m.activations_bytes},
                               {"kv cache", m.kv_cache_bytes},       {"other", m.other_bytes}};
  std::vector<NamedAmount> out;
  for (const NamedAmount& part : parts) {
    if (part.amount > 0) out.push_back(part);
  }
  return out;
}

std::string NotFitReason(const StepEstimate& estimate) { return NotFitReasonIn(CurrentLanguage(), estimate); }

FactList EstimateFacts(const ParallelConfig& c, const StepEstimate& e) {
  FactList facts;
  facts.emplace_back(Tr("layout"), CompactConfigText(c));
  facts.emplace_back(Tr("batch"), TrFormat("{} devices, global batch {} × {} tokens, {}", FormatCount(c.Devices()),
                                           FormatCount(c.global_batch), FormatCount(c.seq_len),
                                           PrecisionName(c.precision)));
  if (e.fits) {
    facts.emplace_back(Tr("step time"), e.step_time_s >= 0.01 ? fmt::format("{:.3f} s", e.step_time_s)
                                                              : fmt::format("{:.3g} s", e.step_time_s));
    facts.emplace_back(Tr("throughput"), TrFormat("{} tokens/s ({} per device)", FormatCount(e.tokens_per_s),
                                                  FormatCount(e.tokens_per_s_per_gpu)));
    // MFU is against the bf16 dense peak at every precision (model/perf.cc
    // FillRates), as published fp8 runs quote it; said where it matters.
    facts.emplace_back(Tr("MFU"), c.precision == Precision::kFp8
                                      ? TrFormat("{:.1f}% of the bf16 peak ({:.1f} model TFLOPS per device)",
                                                 100.0 * e.mfu, e.model_tflops_per_gpu)
                                      : TrFormat("{:.1f}% ({:.1f} model TFLOPS per device)", 100.0 * e.mfu,
                                                 e.model_tflops_per_gpu));
  }
  facts.emplace_back(Tr("memory"), TrFormat("{} GiB of {} GiB usable per device ({})", FormatGib(e.memory.total_bytes),
                                            FormatGib(e.usable_bytes), e.fits ? Tr("fits") : Alarm(Tr("does not fit"))) +
                                       MemoryMarginNote(e.memory.total_bytes, e.usable_bytes));
  if (e.memory.host_bytes > 0) {
    facts.emplace_back(Tr("host memory"),
                       TrFormat("{} GiB per device for the offloaded optimizer states; CPU Adam assumes {:.0f} GB/s of "
                                "host memory bandwidth per device",
                                FormatGib(e.memory.host_bytes), kCpuAdamHostBandwidthBps / 1e9));
  }
  return facts;
}

TextTable BreakdownTable(const StepEstimate& e) {
  TextTable table({Tr("part of the step"), Tr("seconds"), Tr("share")});
  table.AlignColumn(1, TextTable::Align::kRight).AlignColumn(2, TextTable::Align::kRight);
  for (const NamedAmount& part : StepParts(e.breakdown)) {
    table.AddRow({Tr(part.name), fmt::format("{:.4f}", part.amount),
                  fmt::format("{:.1f}%", 100.0 * part.amount / e.step_time_s)});
  }
  return table;
}

std::vector<std::string> EstimateNotes(const ParallelConfig& c, const StepEstimate& e) {
  std::vector<std::string> notes;
  if (!e.fits) return notes;
  const StepBreakdown& b = e.breakdown;
  // A layout that fills the card to the last MiB runs out of memory on the
  // first allocator spike (docs/memory-model.md "Fit margin").
  if (TightFit(e.memory.total_bytes, e.usable_bytes)) {
    notes.push_back(TrFormat("only {} GiB of {} GiB usable is left free per device (under {:.0f}%): allocator "
                             "fragmentation spikes or a larger runtime reserve can run it out of memory; prefer a "
                             "layout with more headroom",
                             FormatGib(e.usable_bytes - e.memory.total_bytes), FormatGib(e.usable_bytes),
                             kFitHeadroomFraction * 100));
  }
  // The fixed MoE cost is one estimated constant whose real value depends on
  // the software stack; say so where it drives the answer.
  if (b.moe_dispatch_s > 0.2 * e.step_time_s) {
    notes.push_back(TrFormat(
        "the MoE dispatch overhead ({:.0f}% of the step) is one estimated cost per MoE layer "
        "and micro-batch for an eager dispatcher (perf.moe_dispatch_overhead in suanli show "
        "assumptions); stacks that capture routing in CUDA graphs pay much less "
        "(docs/validation.md)",
        100.0 * b.moe_dispatch_s / e.step_time_s));
  }
  // Megatron-LM's default dispatcher sends every (token, expert) copy; where
  // that dominates, the node-aware one of NVIDIA's recipes is the fix.
  if (b.ep_comm_s > 0.15 * e.step_time_s && e.expert_dispatch_per_node < 1.0) {
    notes.push_back(TrFormat(
        "the expert all-to-all is {:.0f}% of the step with a dispatcher that sends every (token, expert) copy "
        "across the network; a node-aware one (DeepEP, HybridEP: --stack nemo, or --assume "
        "perf.expert_dispatch_per_node=1) sends a token once per node that holds its experts{}",
        100.0 * b.ep_comm_s / e.step_time_s, c.ep_overlap ? "" : Tr(", and --ep-overlap on hides it behind compute")));
  }
  // With a fused attention kernel, selective recompute only re-runs the
  // attention forward to save the log-sum-exp: no recomputation is faster.
  if (c.recompute == Recompute::kSelective && c.attention != AttentionKernel::kUnfused && b.recompute_s > 0) {
    notes.push_back(TrFormat(
        "with flash attention, selective recompute re-runs the attention forward ({:.1f}% of the "
        "step) to save only its log-sum-exp; --recompute none is faster where it fits",
        100.0 * b.recompute_s / e.step_time_s));
  }
  return notes;
}

std::string Wrapped(const std::string& text) {
  std::string out;
  for (const std::string& line : WrapToWidth(text, CurrentOutput().width)) out += line + "\n";
  return out;
}

std::string FactLines(const FactList& facts) {
  size_t width = 0;
  for (const auto& [label, value] : facts) width = std::max(width, DisplayWidth(label));
  std::string out;
  for (const auto& [label, value] : facts) {
    out += label + std::string(width + 2 - DisplayWidth(label), ' ') + value + "\n";
  }
  return out;
}

std::string EstimateText(const ParallelConfig& c, const StepEstimate& e) {
  std::string out = FactLines(EstimateFacts(c, e));
  if (!e.fits) return out + Wrapped(TrFormat("{}: {}", Tr("does not fit"), NotFitReason(e)));
  out += '\n';
  out += BreakdownTable(e).Render();
  for (const std::string& note : EstimateNotes(c, e)) out += Wrapped(TrFormat("note: {}", note));
  return out;
}

}  // namespace suanli
