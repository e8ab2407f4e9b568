#include "model/assumptions.h"

#include <fmt/format.h>

#include "core/text.h"
#include "core/units.h"
#include "model/memory.h"
#include "model/perf.h"
#include "model/campaign.h"
#include "model/reliability.h"
#include "core/i18n.h"

namespace suanli {
namespace {

// How a settable assumption's value is written.
enum class ValueKind { kNumber, kSeconds, kBytes };

struct SettableAssumption {
  const char* name;
  double PerfAssumptions::*field;
  ValueKind kind;
  double min;
  double max;
};

constexpr SettableAssumption kSettable[] = {
    {"perf.kernel_overhead", &PerfAssumptions::kernel_overhead_s, ValueKind::kSeconds, 0, 1e-3},
    {"perf.scale_up_latency", &PerfAssumptions::scale_up_latency_s, ValueKind::kSeconds, 0, 1e-2},
    {"perf.scale_out_latency", &PerfAssumptions::scale_out_latency_s, ValueKind::kSeconds, 0, 1e-1},
    {"perf.grad_bytes_per_param", &PerfAssumptions::grad_bytes_per_param, ValueKind::kBytes, 0, 8},
    {"perf.optimizer_bytes_per_param", &PerfAssumptions::optimizer_bytes_per_param, ValueKind::kBytes, 0, 256},
    {"perf.attention_backward_factor", &PerfAssumptions::attention_backward_factor, ValueKind::kNumber, 1, 10},
    {"perf.attention_efficiency", &PerfAssumptions::attention_efficiency, ValueKind::kNumber, 0.01, 1},
    {"perf.attention_head_dim_half", &PerfAssumptions::attention_head_dim_half, ValueKind::kNumber, 0, 1024},
    {"perf.gemm_half_dim", &PerfAssumptions::gemm_half_dim, ValueKind::kNumber, 0, 65536},
    {"perf.fp8_gemm_relative", &PerfAssumptions::fp8_gemm_relative, ValueKind::kNumber, 0.01, 2},
    {"perf.fp8_cast_bytes_per_element", &PerfAssumptions::fp8_cast_bytes_per_element, ValueKind::kBytes, 0, 16},
    {"perf.grouped_gemm_relative", &PerfAssumptions::grouped_gemm_relative, ValueKind::kNumber, 0.01, 1},
    {"perf.unfused_score_bytes_forward", &PerfAssumptions::unfused_score_bytes_forward, ValueKind::kBytes, 0, 64},
    {"perf.unfused_score_bytes_backward", &PerfAssumptions::unfused_score_bytes_backward, ValueKind::kBytes, 0, 64},
    {"perf.overlap_contention", &PerfAssumptions::overlap_contention, ValueKind::kNumber, 0, 1},
    {"perf.dp_overlap", &PerfAssumptions::dp_overlap, ValueKind::kNumber, 0, 1},
    {"perf.moe_dispatch_overhead", &PerfAssumptions::moe_dispatch_overhead_s, ValueKind::kSeconds, 0, 1},
    {"perf.expert_dispatch_per_node", &PerfAssumptions::expert_dispatch_per_node, ValueKind::kNumber, 0, 1},
};

std::string_view Trim(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

}  // namespace

std::vector<std::string> SettablePerfAssumptions() {
  std::vector<std::string> names;
  for (const SettableAssumption& a : kSettable) names.emplace_back(a.name);
  return names;
}

Status SetPerfAssumption(PerfAssumptions& assumptions, std::string_view assignment) {
  const size_t equals = assignment.find('=');
  if (equals == std::string_view::npos) {
    return MakeError(TrFormat("'{}' is not name=value", assignment), "--assume",
                     Tr("e.g. --assume perf.moe_dispatch_overhead=1ms (names: suanli show assumptions)"));
  }
  std::string name(Trim(assignment.substr(0, equals)));
  const std::string_view value = Trim(assignment.substr(equals + 1));
  if (name.rfind("perf.", 0) != 0) name = "perf." + name;
  const SettableAssumption* found = nullptr;
  for (const SettableAssumption& a : kSettable) {
    if (name == a.name) found = &a;
  }
  if (found == nullptr) {
    return MakeError(TrFormat("unknown step-model assumption '{}'", name), "--assume",
                     DidYouMean(NearestMatches(name, SettablePerfAssumptions())));
  }
  Result<double> parsed = 0.0;
  switch (found->kind) {
    case ValueKind::kNumber: parsed = ParseNumber(value); break;
    case ValueKind::kSeconds: parsed = ParseQuantity(value, Dimension::kSeconds); break;
    case ValueKind::kBytes: parsed = ParseQuantity(value, Dimension::kBytes); break;
  }
  if (!parsed.ok()) {
    return MakeError(fmt::format("{}: {}", name, parsed.error().message), "--assume",
                     found->kind == ValueKind::kSeconds ? Tr("write a duration with its unit, e.g. 2ms")
                     : found->kind == ValueKind::kBytes ? Tr("write a byte count with its unit, e.g. 4B")
                                                        : Tr("write a plain number"));
  }
  if (*parsed < found->min || *parsed > found->max) {
    const char* unit = found->kind == ValueKind::kSeconds ? " s" : found->kind == ValueKind::kBytes ? " B" : "";
    return MakeError(TrFormat("{} = {:g}{} is outside {:g}..{:g}{}", name, *parsed, unit, found->min,
                                 found->max, unit),
                     "--assume", Tr("suanli show assumptions lists each default and why"));
  }
  assumptions.*(found->field) = *parsed;
  return OkStatus();
}

namespace {

// Returns an English text of the assumption tables in the language wanted:
// itself for JSON, Tr(text) for people (data/i18n/zh/assumptions.yaml).
using Translate = std::string (*)(std::string_view english);

std::string AsWritten(std::string_view english) { return std::string(english); }
std::string Translated(std::string_view english) { return Tr(english); }

// Returns the step-model assumptions with texts through `tr`.
std::vector<FieldRecord> PerfRecords(Translate tr) {
  const PerfAssumptions perf;
  auto us = [](double seconds) { return fmt::format("{:g} us", seconds * 1e6); };
  return {
      {"perf.kernel_overhead", us(perf.kernel_overhead_s),
       tr("launch + tail cost per kernel; CUDA launch latency is a few microseconds "
          "(docs/perf-model.md)"),
       "estimate"},
      {"perf.scale_up_latency", us(perf.scale_up_latency_s),
       tr("small-message NCCL collective latency inside an NVLink domain (docs/perf-model.md)"),
       "estimate"},
      {"perf.scale_out_latency", us(perf.scale_out_latency_s),
       tr("small-message collective latency across InfiniBand/RoCE (docs/perf-model.md)"), "estimate"},
      {"perf.grad_bytes_per_param",
       perf.grad_bytes_per_param > 0 ? fmt::format("{:g} B", perf.grad_bytes_per_param)
                                     : tr("4 B for bf16/fp8, 2 B for fp16"),
       tr("gradients accumulated and reduced in fp32 for bf16 (Megatron-LM forces it; fp8 recipes keep "
          "bf16 parameters), fp16 gradients for fp16 training"),
       "high"},
      {"perf.optimizer_bytes_per_param", fmt::format("{:g} B", perf.optimizer_bytes_per_param),
       tr("Adam: fp32 master, m, v read and written, gradient read, 16-bit weight written"), "medium"},
      {"perf.attention_backward_factor", fmt::format("{:g}", perf.attention_backward_factor),
       tr("flash-attention backward FLOPs / forward, scores recomputed (Dao 2022)"), "medium"},
      {"perf.attention_efficiency", fmt::format("{:g}", perf.attention_efficiency),
       tr("FlashAttention-2 rate / cuBLAS GEMM rate on A100 (~50-73% vs ~80-90% of peak; Dao 2023); "
          "with the 2.5 backward factor it matches the forward + backward time measured on an H200"),
       "medium"},
      {"perf.attention_head_dim_half", fmt::format("{:g}", perf.attention_head_dim_half),
       tr("flash-attention rate scales as d/(d+d_half) in the head dim, relative to d = 128 (not "
          "above); fitted to forward + backward timings at head dims 64 and 128 on an H200 (bench/device/)"),
       "measured"},
      {"perf.gemm_half_dim", fmt::format("{:g}", perf.gemm_half_dim),
       tr("GEMM rate scales as d/(d+d_half) in the narrower of width and depth; d_half fitted to a "
          "bf16 GEMM sweep on an H200 (bench/device/, docs/calibration.md)"),
       "measured"},
      {"perf.fp8_gemm_relative", fmt::format("{:g}", perf.fp8_gemm_relative),
       tr("fp8 GEMM share of fp8 peak over bf16 share of bf16 peak: 1230/1979 vs 670/989 TFLOP/s on "
          "an H200 (bench/device/)"),
       "measured"},
      {"perf.fp8_cast_bytes_per_element", fmt::format("{:g} B", perf.fp8_cast_bytes_per_element),
       tr("quantising each fp8 GEMM input: read bf16, write row-wise and column-wise fp8 copies"), "medium"},
      {"perf.grouped_gemm_relative", fmt::format("{:g}", perf.grouped_gemm_relative),
       tr("grouped expert GEMM rate over one dense GEMM of the same rows: torch._grouped_mm on an "
          "H200, 20 MoE shapes (bench/device/)"),
       "measured"},
      {"perf.unfused_score_bytes",
       fmt::format(fmt::runtime(tr("{:g} B forward, {:g} B backward")), perf.unfused_score_bytes_forward,
                   perf.unfused_score_bytes_backward),
       tr("HBM traffic per 2-byte attention score without flash attention: softmax read + write and "
          "attention dropout read + write + mask forward; their gradients backward (Megatron-LM's "
          "fused scale-mask-softmax path)"),
       "medium"},
      {"perf.overlap_contention", fmt::format("{:g}", perf.overlap_contention),
       tr("compute time lost per second of communication hidden behind it (NCCL kernels take SMs and "
          "memory bandwidth): Lee et al. 2025 (arXiv 2507.03114) measured an average 18.9% compute "
          "slowdown under overlap on A100, H100, MI250 and MI210"),
       "medium"},
      {"perf.dp_overlap", fmt::format("{:g}", perf.dp_overlap),
       tr("share of the last micro-batch's backward pass that hides gradient reduction"), "estimate"},
      {"perf.moe_dispatch_overhead", fmt::format("{:g} ms", perf.moe_dispatch_overhead_s * 1e3),
       tr("fixed time per MoE layer per micro-batch (again under full recompute): routing, the "
          "dispatch's host sync (0.3-0.6 ms measured on an H200) and launch-bound permutations "
          "(docs/calibration.md)"),
       "estimate"},
      {"perf.expert_dispatch_per_node",
       perf.expert_dispatch_per_node < 0 ? tr("stack's") : fmt::format("{:g}", perf.expert_dispatch_per_node),
       tr("1: an expert dispatch sends a token over the network once per remote node holding one of its "
          "experts and forwards it inside the node (DeepEP's internode kernels, DeepSeek-V3 report "
          "§3.2.2); 0: once per remote expert (Megatron-Core's alltoall dispatcher); unset, the stack's "
          "kernels.expert_dispatch (Megatron-Bridge's and NeMo AutoModel's MoE recipes: 1)"),
       "high"},
  };
}

// Returns the memory-model assumptions with texts through `tr`.
std::vector<FieldRecord> MemoryRecords(Translate tr) {
  const MemoryOptions memory;
  return {
      {"memory.runtime_reserve",
       fmt::format(fmt::runtime(tr("{:g} GiB, at most {:g} of capacity")),
                   kDefaultRuntimeReserveBytes / (1 << 30), kMaxRuntimeReserveFraction),
       tr("CUDA context and library workspaces per device (docs/memory-model.md)"), "estimate"},
      {"memory.fragmentation",
       fmt::format(fmt::runtime(tr("{:g} of activations")), kDefaultFragmentationFraction),
       tr("caching-allocator fragmentation (docs/memory-model.md)"), "estimate"},
      {"memory.communication_buffers",
       fmt::format("{:g} MiB", kDefaultCommunicationBufferBytes / (1 << 20)),
       tr("NCCL buffers and gradient buckets per device when more than one device"), "estimate"},
      {"memory.flash_attention", memory.flash_attention ? "true" : "false",
       tr("serving prefill keeps no s^2 attention scores; a training layout says its own (--attention, "
          "default flash: Korthikanti et al. 2022 Table 2 without the 5as/h term)"),
       "high"},
      {"memory.fp32_master_weights", memory.fp32_master_weights ? "true" : "false",
       tr("mixed-precision Adam keeps fp32 master weights (ZeRO paper §3: 16 bytes/parameter)"), "high"},
      {"memory.gradients", memory.bf16_gradients ? std::string("2 B") : tr("4 B for bf16/fp8, 2 B for fp16"),
       tr("fp32 main gradients under bf16 (Megatron-LM forces them; 18 bytes/parameter with Adam), "
          "fp16 gradients under fp16 (the ZeRO paper's 16)"),
       "high"},
  };
}

// Returns the campaign-model assumptions with texts through `tr`.
std::vector<FieldRecord> ReliabilityRecords(Translate tr) {
  const ReliabilityAssumptions reliability;
  return {
      {"reliability.failures_per_gpu_day", fmt::format("{:g}", reliability.failures_per_gpu_day),
       tr("job interruptions per GPU-day: Llama 3 (arXiv 2407.21783), 419 in 54 days on 16,384 H100 "
          "(campaign time; scenario costs: failures_per_gpu_day)"),
       "medium"},
      {"reliability.checkpoint_write", fmt::format("{:g} s", reliability.checkpoint_write_s),
       tr("one checkpoint write, for the Young/Daly interval (scenario costs: checkpoint_write_s)"),
       "estimate"},
      {"reliability.restart", fmt::format("{:g} s", reliability.restart_s),
       tr("lost per interruption besides recomputing lost work (scenario costs: restart_s)"), "estimate"},
      {"reliability.dense_throughput_ratio",
       fmt::format(fmt::runtime(tr("median {:g}, log sd {:g}")), reliability.dense_error.median,
                   reliability.dense_error.log_sd),
       fmt::format(fmt::runtime(tr("realised / predicted throughput: {} (data/{}): the planner's P50/P90 and "
                                   "train --tokens' P10-P90")),
                   ShippedModelError().dense.source, kModelErrorFile),
       "measured"},
      {"reliability.moe_throughput_ratio",
       fmt::format(fmt::runtime(tr("median {:g}, log sd {:g}")), reliability.moe_error.median,
                   reliability.moe_error.log_sd),
       fmt::format(fmt::runtime(tr("the same over {} (data/{}); their software changed fastest")),
                   ShippedModelError().moe.source, kModelErrorFile),
       "measured"},
  };
}

// Returns the whole-run assumptions of the campaign model (model/campaign.h) with texts through `tr`.
std::vector<FieldRecord> CampaignRecords(Translate tr) {
  const CampaignAssumptions c = DefaultCampaignAssumptions();
  return {
      {"campaign.ramp_token_share", fmt::format("{:g}", c.ramp_token_share),
       tr("share of tokens trained while the batch ramps up, at the step model's rate for the ramp's mean batch: "
          "GPT-3 (arXiv 2005.14165 App. B) 4-12 B of 300 B, BLOOM (bigscience tr11 --rampup-batch-size) 20 B "
          "of 366 B, Falcon-180B (model card) 100 B of 3.5 T"),
       "estimate"},
      {"campaign.ramp_start_batch_share", fmt::format("{:g}", c.ramp_start_batch_share),
       tr("first ramp batch / final batch: BLOOM 192/2048, GPT-3 32 K/3.2 M tokens"), "estimate"},
      {"campaign.eval_time_share", fmt::format("{:.4g}", c.eval_time_share),
       tr("evaluation pauses: 10 forward-only iterations every 1,000 steps (Megatron-LM GPT-3 175B example: "
          "--eval-interval 1000 --eval-iters 10), a forward being 1/3 of a step"),
       "medium"},
      {"campaign.rollback_token_share", fmt::format("{:g}", c.rollback_token_share),
       tr("tokens re-trained after rolling back from loss spikes: PaLM (arXiv 2204.02311 §5.1) about 20 spikes, "
          "each restarted about 100 steps earlier, over 255 K steps; the OPT-175B logbook and BLOOM's chronicle "
          "record such rollbacks too"),
       "estimate"},
      {"campaign.straggler_cv", fmt::format("{:g}", c.straggler_cv),
       tr("spread of one device's step time over a long run; each step waits for the slowest of N devices, "
          "(1 + cv·sqrt(2 ln N)): Llama 3 (§3.3.4) reports 1-2% throughput variation on 16,384 GPUs, "
          "0.02 / sqrt(2 ln 16384); MegaScale (NSDI'24) names the effect"),
       "estimate"},
      {"campaign.extra_throughput_ratio",
       fmt::format(fmt::runtime(tr("median {:g}, log sd {:g}")), c.extra_error.median, c.extra_error.log_sd),
       tr("how far published campaign GPU-hours missed the campaign model beyond the step error, on the 19 "
          "campaign rows of the dev and held-out files (docs/validation.md): the planner's P50/P90 and "
          "train --tokens' P10-P90 carry it"),
       "measured"},
  };
}

// Returns every assumption with texts through `tr`, in the order of show.
std::vector<FieldRecord> AssumptionRecords(Translate tr) {
  std::vector<FieldRecord> records = PerfRecords(tr);
  for (std::vector<FieldRecord> part : {MemoryRecords(tr), ReliabilityRecords(tr), CampaignRecords(tr)}) {
    records.insert(records.end(), part.begin(), part.end());
  }
  return records;
}

}  // namespace

std::vector<FieldRecord> ModelAssumptions() {
  std::vector<FieldRecord> records = AssumptionRecords(AsWritten);
  if (CurrentLanguage() == Language::kEnglish) return records;
  const std::vector<FieldRecord> shown = AssumptionRecords(Translated);
  for (size_t i = 0; i < records.size(); ++i) {
    records[i].shown_text = shown[i].text;
    records[i].shown_source = shown[i].source;
  }
  return records;
}

}  // namespace suanli
