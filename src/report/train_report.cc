#include "report/train_report.h"

#include <algorithm>

#include <fmt/format.h>

#include "core/units.h"
#include "report/json_util.h"
#include "report/table.h"

namespace suanli {

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
  return {{"step_time_s", RoundSig(e.step_time_s)},
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
}

namespace {
// Returns the layout-line tag of a non-default attention kernel ("" for flash).
std::string AttentionTag(AttentionKernel kernel) {
  return kernel == AttentionKernel::kFused ? "" : fmt::format(" {}-attention", AttentionKernelName(kernel));
}
}  // namespace

std::string ConfigText(const ParallelConfig& c) {
  const std::string recompute =
      c.recompute == Recompute::kFull && c.recompute_layers > 0
          ? fmt::format("full({} layers/stage)", c.recompute_layers)
          : std::string(RecomputeName(c.recompute));
  return fmt::format("tp {} pp {} dp {} cp {} ep {}{} vp {} mb {} zero {} {}{}{}{}{}", c.tp, c.pp, c.dp,
                     c.cp, c.ep, c.ExpertsFoldTp() ? " etp 1" : "", c.vp, c.micro_batch, c.zero, recompute,
                     c.tp > 1 && !c.sequence_parallel ? " no-sp" : "",
                     c.dp * c.cp > 1 && !c.dp_overlap ? " no-dp-overlap" : "",
                     c.ep_overlap ? " ep-overlap" : "", AttentionTag(c.attention));
}

std::string EstimateText(const ParallelConfig& c, const StepEstimate& e) {
  std::string out;
  out += fmt::format("layout       {} ({} devices, global batch {} x {} tokens, {})\n", ConfigText(c),
                     c.Devices(), c.global_batch, c.seq_len, PrecisionName(c.precision));
  out += fmt::format("step time    {:.3f} s\n", e.step_time_s);
  out += fmt::format("throughput   {:.0f} tokens/s ({:.1f} per device)\n", e.tokens_per_s,
                     e.tokens_per_s_per_gpu);
  out += fmt::format("model TFLOPS {:.1f} per device, MFU {:.1f}%\n", e.model_tflops_per_gpu,
                     100.0 * e.mfu);
  out += fmt::format("memory       {} of {} usable per device ({})\n", FormatBytes(e.memory.total_bytes),
                     FormatBytes(e.usable_bytes), e.fits ? "fits" : "DOES NOT FIT");
  TextTable table({"part of the step", "seconds", "share"});
  table.AlignColumn(1, TextTable::Align::kRight).AlignColumn(2, TextTable::Align::kRight);
  const StepBreakdown& b = e.breakdown;
  const std::pair<const char*, double> parts[] = {
      {"compute", b.compute_s},           {"recomputation", b.recompute_s},
      {"tensor-parallel comm", b.tp_comm_s}, {"context-parallel comm", b.cp_comm_s},
      {"expert all-to-all", b.ep_comm_s}, {"data-parallel comm (exposed)", b.dp_comm_s},
      {"pipeline sends", b.pp_comm_s},    {"pipeline bubble", b.bubble_s},
      {"optimizer step", b.optimizer_s},  {"MoE dispatch overhead", b.moe_dispatch_s}};
  for (const auto& [name, seconds] : parts) {
    if (seconds <= 0) continue;
    table.AddRow({name, fmt::format("{:.4f}", seconds),
                  fmt::format("{:.1f}%", 100.0 * seconds / e.step_time_s)});
  }
  out += '\n';
  out += table.Render();
  // The fixed MoE cost is one estimated constant whose real value depends on
  // the software stack; say so where it drives the answer.
  if (b.moe_dispatch_s > 0.2 * e.step_time_s) {
    out += fmt::format(
        "note: the MoE dispatch overhead ({:.0f}% of the step) is one estimated cost per MoE layer "
        "and micro-batch for an eager dispatcher (perf.moe_dispatch_overhead in suanli show "
        "assumptions); stacks that capture routing in CUDA graphs pay much less "
        "(docs/validation.md)\n",
        100.0 * b.moe_dispatch_s / e.step_time_s);
  }
  // With a fused attention kernel, selective recompute only re-runs the
  // attention forward to save the log-sum-exp: no recomputation is faster.
  if (c.recompute == Recompute::kSelective && c.attention != AttentionKernel::kUnfused && b.recompute_s > 0) {
    out += fmt::format(
        "note: with flash attention, selective recompute re-runs the attention forward ({:.1f}% of the "
        "step) to save only its log-sum-exp; --recompute none is faster where it fits\n",
        100.0 * b.recompute_s / e.step_time_s);
  }
  return out;
}

}  // namespace suanli
