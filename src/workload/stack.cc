// Reading data/stacks.yaml into SoftwareStack values and finding a stack by id.
#include "workload/stack.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/embedded.h"
#include "core/text.h"
#include "core/yaml_reader.h"
#include "core/i18n.h"
#include "workload/stage_layout.h"

namespace suanli {
namespace {

constexpr std::string_view kStacksFile = "stacks.yaml";

Result<MasterWeights> ParseMasterWeights(const YamlMap& map) {
  const std::string text = map.StringOr("master_weights", "");
  if (text == "separate") return MasterWeights::kSeparate;
  if (text == "sharded_fp32") return MasterWeights::kShardedFp32;
  if (text == "reused") return MasterWeights::kReused;
  if (text == "none") return MasterWeights::kNone;
  return MakeError(TrFormat("unknown master_weights '{}'", text), map.Where("master_weights"),
                   Tr("use separate, sharded_fp32, reused or none"));
}

Status ReadMemory(const YamlMap& entry, SoftwareStack& s) {
  SUANLI_ASSIGN_OR_RETURN(YamlMap m, entry.Map("memory"));
  SUANLI_RETURN_IF_ERROR(m.CheckKeys({"gradients", "master_weights", "optimizer_offload", "checkpointing", "selective"}));
  if (!m.Has("gradients")) {
    return MakeError(Tr("missing gradients"), m.Where("gradients"), Tr("use fp32, bf16 or fp32_without_zero"));
  }
  const std::string gradients = m.StringOr("gradients", "");
  if (gradients != "fp32" && gradients != "bf16" && gradients != "fp32_without_zero") {
    return MakeError(TrFormat("unknown gradients '{}'", gradients), m.Where("gradients"),
                     Tr("use fp32, bf16 or fp32_without_zero"));
  }
  s.bf16_gradients = gradients == "bf16";
  s.bf16_gradients_with_zero = gradients == "fp32_without_zero";
  SUANLI_ASSIGN_OR_RETURN(s.master_weights, ParseMasterWeights(m));
  SUANLI_ASSIGN_OR_RETURN(s.optimizer_offload, m.BoolOr("optimizer_offload", false));
  SUANLI_ASSIGN_OR_RETURN(std::vector<std::string> modes, m.StringList("checkpointing"));
  for (const std::string& mode : modes) {
    auto parsed = ParseRecompute(mode);
    if (!parsed.ok()) return MakeError(parsed.error().message, m.Where("checkpointing"));
    s.checkpointing.push_back(*parsed);
  }
  const std::string selective = m.StringOr("selective", "attention_core");
  if (selective == "attention_core") {
    s.selective = SelectiveMeaning::kAttentionCore;
  } else if (selective == "half_layers") {
    s.selective = SelectiveMeaning::kHalfLayers;
  } else {
    return MakeError(TrFormat("unknown selective '{}'", selective), m.Where("selective"),
                     Tr("use attention_core or half_layers"));
  }
  return OkStatus();
}

Status ReadKernels(const YamlMap& entry, SoftwareStack& s) {
  SUANLI_ASSIGN_OR_RETURN(YamlMap k, entry.Map("kernels"));
  SUANLI_RETURN_IF_ERROR(
      k.CheckKeys({"attention", "unfused_attention_before", "norm", "rotary", "swiglu", "cross_entropy",
                   "expert_dispatch"}));
  if (!k.Has("attention")) return MakeError(Tr("missing attention"), k.Where("attention"), Tr("use fused, flash2 or unfused"));
  const std::string attention = k.StringOr("attention", "");
  auto kernel = ParseAttentionKernel(attention == "fused" ? "flash" : attention);
  if (!kernel.ok()) return MakeError(kernel.error().message, k.Where("attention"), Tr("use fused, flash2 or unfused"));
  s.attention = *kernel;
  SUANLI_ASSIGN_OR_RETURN(int64_t year, k.IntOr("unfused_attention_before", 0, 0, 2100));
  s.unfused_attention_before_year = static_cast<int>(year);
  SUANLI_ASSIGN_OR_RETURN(s.fused_norm, k.Bool("norm"));
  SUANLI_ASSIGN_OR_RETURN(s.fused_rotary, k.Bool("rotary"));
  SUANLI_ASSIGN_OR_RETURN(s.fused_swiglu, k.Bool("swiglu"));
  SUANLI_ASSIGN_OR_RETURN(s.fused_cross_entropy, k.Bool("cross_entropy"));
  if (!k.Has("expert_dispatch")) {
    return MakeError(Tr("missing expert_dispatch"), k.Where("expert_dispatch"), Tr("use per_expert or per_node"));
  }
  const std::string dispatch = k.StringOr("expert_dispatch", "");
  if (dispatch != "per_expert" && dispatch != "per_node") {
    return MakeError(TrFormat("unknown expert_dispatch '{}'", dispatch), k.Where("expert_dispatch"),
                     Tr("use per_expert or per_node"));
  }
  s.per_node_expert_dispatch = dispatch == "per_node";
  return OkStatus();
}

Status ReadOverlapAndHost(const YamlMap& entry, SoftwareStack& s) {
  SUANLI_ASSIGN_OR_RETURN(YamlMap o, entry.Map("overlap"));
  SUANLI_RETURN_IF_ERROR(o.CheckKeys({"tp_comm", "dp", "reduce_every_micro_batch"}));
  SUANLI_ASSIGN_OR_RETURN(s.tp_comm_overlap, o.Bool("tp_comm"));
  SUANLI_ASSIGN_OR_RETURN(s.dp_overlap, o.Bool("dp"));
  SUANLI_ASSIGN_OR_RETURN(s.reduce_every_micro_batch, o.BoolOr("reduce_every_micro_batch", false));
  SUANLI_ASSIGN_OR_RETURN(YamlMap h, entry.Map("host"));
  SUANLI_RETURN_IF_ERROR(h.CheckKeys({"layer_overhead_s", "cuda_graphs"}));
  SUANLI_ASSIGN_OR_RETURN(s.layer_host_overhead_s, h.NumberOr("layer_overhead_s", 0.0, 0.0, 0.1));
  SUANLI_ASSIGN_OR_RETURN(s.cuda_graphs, h.Bool("cuda_graphs"));
  return OkStatus();
}

Status ReadLayouts(const YamlMap& entry, SoftwareStack& s) {
  SUANLI_ASSIGN_OR_RETURN(YamlMap p, entry.Map("parallelism"));
  SUANLI_RETURN_IF_ERROR(
      p.CheckKeys({"tensor", "pipeline", "interleaved", "context", "expert", "zero", "zero_with_pipeline",
                   "expert_needs_sequence_parallel", "ep_overlap_without_full_recompute",
                   "ep_overlap_needs_interleaving"}));
  StackLayouts& l = s.layouts;
  SUANLI_ASSIGN_OR_RETURN(l.tensor, p.Bool("tensor"));
  SUANLI_ASSIGN_OR_RETURN(l.pipeline, p.Bool("pipeline"));
  SUANLI_ASSIGN_OR_RETURN(l.interleaved, p.Bool("interleaved"));
  SUANLI_ASSIGN_OR_RETURN(l.context, p.Bool("context"));
  SUANLI_ASSIGN_OR_RETURN(l.expert, p.Bool("expert"));
  SUANLI_ASSIGN_OR_RETURN(std::vector<std::string> stages, p.StringList("zero"));
  l.zero_stages.clear();
  for (const std::string& stage : stages) {
    if (stage.size() != 1 || stage[0] < '0' || stage[0] > '3') {
      return MakeError(TrFormat("unknown ZeRO stage '{}'", stage), p.Where("zero"), Tr("use stages 0, 1, 2 and 3"));
    }
    l.zero_stages.push_back(stage[0] - '0');
  }
  if (l.zero_stages.empty()) return MakeError(Tr("a stack needs at least one ZeRO stage"), p.Where("zero"), Tr("use [0] for plain data parallelism"));
  SUANLI_ASSIGN_OR_RETURN(int64_t with_pipeline, p.IntOr("zero_with_pipeline", 3, 0, 3));
  l.max_zero_with_pipeline = static_cast<int>(with_pipeline);
  SUANLI_ASSIGN_OR_RETURN(l.expert_needs_sp, p.BoolOr("expert_needs_sequence_parallel", false));
  SUANLI_ASSIGN_OR_RETURN(l.ep_overlap_no_full_recompute, p.BoolOr("ep_overlap_without_full_recompute", false));
  SUANLI_ASSIGN_OR_RETURN(l.ep_overlap_needs_vp, p.BoolOr("ep_overlap_needs_interleaving", false));
  return OkStatus();
}

Result<SoftwareStack> ReadStack(const YamlMap& entry) {
  SUANLI_RETURN_IF_ERROR(entry.CheckKeys({"id", "name", "platforms", "default_on", "memory", "kernels", "overlap", "host",
                                          "parallelism", "efficiency", "fitted_on", "fitted_platform", "sources"}));
  SoftwareStack s;
  SUANLI_ASSIGN_OR_RETURN(s.id, entry.String("id"));
  SUANLI_ASSIGN_OR_RETURN(s.name, entry.String("name"));
  SUANLI_RETURN_IF_ERROR(ReadMemory(entry, s));
  SUANLI_RETURN_IF_ERROR(ReadKernels(entry, s));
  SUANLI_RETURN_IF_ERROR(ReadOverlapAndHost(entry, s));
  SUANLI_RETURN_IF_ERROR(ReadLayouts(entry, s));
  SUANLI_ASSIGN_OR_RETURN(s.efficiency, entry.NumberOr("efficiency", 1.0, 0.2, 1.5));
  s.fitted_on = entry.StringOr("fitted_on", "");
  s.fitted_platform = entry.StringOr("fitted_platform", "");
  if (s.efficiency != 1.0 && s.fitted_platform.empty()) {
    return MakeError(Tr("a fitted efficiency needs the platform its rows ran on"), entry.Where("efficiency"),
                     Tr("add fitted_platform: the catalog vendor of the fitted rows (NVIDIA, Huawei, Google, ...)"));
  }
  if (entry.Has("platforms")) {
    SUANLI_ASSIGN_OR_RETURN(s.platforms, entry.StringList("platforms"));
    if (s.platforms.empty()) {
      return MakeError(Tr("an empty platforms list runs nowhere"), entry.Where("platforms"),
                       Tr("list the vendors the stack runs on, or leave platforms out"));
    }
  }
  if (entry.Has("default_on")) {
    SUANLI_ASSIGN_OR_RETURN(s.default_on, entry.StringList("default_on"));
  }
  for (const std::string& vendor : s.default_on) {
    const bool runs = s.platforms.empty() || std::any_of(s.platforms.begin(), s.platforms.end(), [&](const auto& p) {
                        return IsPlatform(vendor, p);
                      });
    if (!runs) {
      return MakeError(TrFormat("default_on names {}, a platform the stack does not run on", vendor),
                       entry.Where("default_on"), Tr("add the vendor to platforms, or leave it out of default_on"));
    }
  }
  SUANLI_ASSIGN_OR_RETURN(s.sources, entry.StringList("sources"));
  if (s.sources.empty()) return MakeError(Tr("a stack needs at least one source"), entry.Where("sources"));
  return s;
}

}  // namespace

Result<std::vector<SoftwareStack>> ParseStacks(std::string_view text, const std::string& file_name) {
  return ReadIdList<SoftwareStack>(text, file_name, "stacks", ReadStack);
}

const std::vector<SoftwareStack>& BuiltinStacks() {
  static const std::vector<SoftwareStack> stacks = [] {
    auto parsed = ParseStacks(FindEmbeddedFile(kStacksFile), "data/" + std::string(kStacksFile));
    // The embedded file is checked by stack_test; a broken build keeps one default stack.
    if (!parsed.ok() || parsed->empty()) {
      SoftwareStack fallback;
      fallback.id = std::string(kDefaultStackId);
      fallback.name = "Megatron-LM";
      return std::vector<SoftwareStack>{fallback};
    }
    return *parsed;
  }();
  return stacks;
}

Result<const SoftwareStack*> FindStack(std::string_view id) {
  const std::string wanted = ToLower(id.empty() ? kDefaultStackId : id);
  std::vector<std::string> ids;
  for (const SoftwareStack& stack : BuiltinStacks()) {
    if (stack.id == wanted) return &stack;
    ids.push_back(stack.id);
  }
  if (IsAutoStack(wanted)) {
    return MakeError(Tr("the stack 'auto' stands for each accelerator's own stack and needs the accelerator"),
                     "--stack", TrFormat("name a stack here: {}", fmt::join(ids, ", ")));
  }
  const std::string guess = DidYouMean(NearestMatches(wanted, ids, 1));
  return MakeError(TrFormat("unknown software stack '{}'", id), "--stack",
                   (guess.empty() ? "" : guess + " ") + TrFormat("known stacks: {}", fmt::join(ids, ", ")));
}

namespace {

// Returns the error for a dimension `stack` does not implement.
Error LacksDimension(const SoftwareStack& stack, std::string_view what, std::string_view flag) {
  return MakeError(TrFormat("{} has no {}", stack.name, what), "--stack",
                   TrFormat("use {} 1, or a stack that has it (docs/stacks.md)", flag))
;
}

}  // namespace

bool OffersZeroStage(const StackLayouts& layouts, int zero, int pp) {
  const bool offered =
      std::find(layouts.zero_stages.begin(), layouts.zero_stages.end(), zero) != layouts.zero_stages.end();
  return offered && (pp <= 1 || zero <= layouts.max_zero_with_pipeline);
}

bool OffersCheckpointing(const std::vector<Recompute>& modes, Recompute mode) {
  return std::find(modes.begin(), modes.end(), mode) != modes.end();
}

MoeLayoutRule BrokenMoeRule(const StackLayouts& l, const ParallelConfig& c) {
  if (l.expert_needs_sp && c.ep > 1 && c.tp > 1 && !c.sequence_parallel) return MoeLayoutRule::kExpertNeedsSp;
  if (c.ep_overlap && !StackOverlapsEp(l, c.pp, c.vp, c.recompute)) {
    return l.ep_overlap_no_full_recompute && c.recompute == Recompute::kFull ? MoeLayoutRule::kEpOverlapFullRecompute
                                                                               : MoeLayoutRule::kEpOverlapNeedsVp;
  }
  return MoeLayoutRule::kNone;
}

bool StackOverlapsEp(const StackLayouts& l, int pp, int vp, Recompute recompute) {
  if (l.ep_overlap_no_full_recompute && recompute == Recompute::kFull) return false;
  return !(l.ep_overlap_needs_vp && pp > 1 && vp <= 1);
}

namespace {

// Returns the error for the MoE layout rule `rule` of `stack` that `config` breaks.
Error MoeRuleError(const SoftwareStack& stack, MoeLayoutRule rule, const ParallelConfig& config) {
  switch (rule) {
    case MoeLayoutRule::kExpertNeedsSp:
      return MakeError(TrFormat("{} needs sequence parallelism when expert and tensor parallelism are combined "
                                "(ep={}, tp={})",
                                stack.name, config.ep, config.tp),
                       "--sequence-parallel", Tr("use --sequence-parallel on, or --tp 1, or --ep 1"));
    case MoeLayoutRule::kEpOverlapFullRecompute:
      return MakeError(TrFormat("{} cannot hide the expert all-to-all (--ep-overlap on) with full or block recompute",
                                stack.name),
                       "--ep-overlap", Tr("use --recompute selective, modules or none, or --ep-overlap off"));
    case MoeLayoutRule::kEpOverlapNeedsVp:
    case MoeLayoutRule::kNone:
      break;
  }
  return MakeError(TrFormat("{} hides the expert all-to-all (--ep-overlap on) with pp={} only with an interleaved "
                            "pipeline (vp > 1)",
                            stack.name, config.pp),
                   "--ep-overlap", Tr("add --vp 2 or more, use --pp 1, or --ep-overlap off"));
}

}  // namespace

Status StackRunsLayout(const SoftwareStack& stack, const ParallelConfig& config) {
  const StackLayouts& l = stack.layouts;
  if (config.tp > 1 && !l.tensor) return LacksDimension(stack, Tr("tensor parallelism"), "--tp");
  if (config.pp > 1 && !l.pipeline) return LacksDimension(stack, Tr("pipeline parallelism"), "--pp");
  if (config.vp > 1 && !l.interleaved) return LacksDimension(stack, Tr("interleaved pipeline schedule"), "--vp");
  if (config.cp > 1 && !l.context) return LacksDimension(stack, Tr("context parallelism"), "--cp");
  if (config.ep > 1 && !l.expert) return LacksDimension(stack, Tr("expert parallelism"), "--ep");
  if (!OffersCheckpointing(stack.checkpointing, config.recompute)) {
    std::vector<std::string_view> modes;
    for (Recompute mode : stack.checkpointing) modes.push_back(RecomputeName(mode));
    return MakeError(TrFormat("{} has no '{}' activation checkpointing", stack.name, RecomputeName(config.recompute)),
                     "--recompute", TrFormat("use one of: {}", fmt::join(modes, ", ")));
  }
  if (const MoeLayoutRule rule = BrokenMoeRule(l, config); rule != MoeLayoutRule::kNone) {
    return MoeRuleError(stack, rule, config);
  }
  // The stage is a setting of the stack's configuration, checked whatever
  // dp is (DeepSpeed's pipeline engine asserts stage <= 1 on the config;
  // Colossal-AI's plugin on zero_stage): with one data-parallel rank a
  // stage the stack offers runs as 0, but one it lacks is still refused.
  if (!OffersZeroStage(l, config.zero, 1)) {
    return MakeError(TrFormat("{} has no ZeRO stage {}", stack.name, config.zero), "--zero",
                     TrFormat("use one of: {}", fmt::join(l.zero_stages, ", ")));
  }
  if (!OffersZeroStage(l, config.zero, config.pp)) {
    return MakeError(TrFormat("{} cannot run ZeRO stage {} with pipeline parallelism (at most stage {} with pp > 1)",
                              stack.name, config.zero, l.max_zero_with_pipeline),
                     "--zero", TrFormat("use --zero {} or --pp 1", l.max_zero_with_pipeline));
  }
  return OkStatus();
}

AttentionKernel StackAttention(const SoftwareStack& stack, int year) {
  if (year > 0 && year < stack.unfused_attention_before_year) return AttentionKernel::kUnfused;
  return stack.attention;
}

StackRecompute StackRecomputeOf(const SoftwareStack& stack, Recompute asked) {
  // torchtitan's "selective" is not Megatron's attention-only recompute:
  // mode 'layer' checkpoints every second layer (selective_ac_option "2"),
  // mode 'op' saves every other matmul output; fms-fsdp's checkpoints a
  // fraction of whole blocks. They recompute about half of the forward
  // matmuls and keep about half of the activations: full recompute of half
  // of each stage's layers (Megatron's block method).
  if (asked == Recompute::kSelective && stack.selective == SelectiveMeaning::kHalfLayers) {
    return {Recompute::kFull, 0.5};
  }
  return {asked, 0};
}

int RecomputeLayersForShare(const ModelSpec& model, const ParallelConfig& config, double share) {
  const int stage_layers = StageLayout(model, config).MaxLayers();
  const int layers = static_cast<int>(std::ceil(share * stage_layers));
  return layers >= stage_layers ? 0 : std::max(1, layers);
}

bool ApplyStackRecompute(const SoftwareStack& stack, const ModelSpec& model, ParallelConfig& config) {
  const StackRecompute runs = StackRecomputeOf(stack, config.recompute);
  if (runs.mode == config.recompute) return false;
  config.recompute = runs.mode;
  config.recompute_layers = runs.layer_share > 0 ? RecomputeLayersForShare(model, config, runs.layer_share) : 0;
  return true;
}

bool IsPlatform(std::string_view vendor, std::string_view platform) {
  const std::string v = ToLower(vendor);
  const std::string p = ToLower(platform);
  return !p.empty() && v.rfind(p, 0) == 0;
}

Status StackRunsOn(const SoftwareStack& stack, std::string_view vendor, std::string_view device) {
  if (stack.platforms.empty()) return OkStatus();
  for (const std::string& platform : stack.platforms) {
    if (IsPlatform(vendor, platform)) return OkStatus();
  }
  std::vector<std::string> there;
  for (const SoftwareStack& s : BuiltinStacks()) {
    if (s.platforms.empty() || std::any_of(s.platforms.begin(), s.platforms.end(),
                                           [&](const std::string& p) { return IsPlatform(vendor, p); })) {
      there.push_back(s.id);
    }
  }
  return MakeError(TrFormat("{} does not run on {} ({} devices); it runs on {} devices; use --stack auto ({} there) "
                            "or one of {}",
                            stack.id, device, vendor, fmt::join(stack.platforms, ", "), PlatformStack(vendor).id,
                            fmt::join(there, ", ")),
                   "--stack", TrFormat("suanli show {}; docs/stacks.md §Platforms", stack.id));
}

const SoftwareStack& PlatformStack(std::string_view vendor) {
  const std::vector<SoftwareStack>& stacks = BuiltinStacks();
  for (const SoftwareStack& s : stacks) {
    for (const std::string& own : s.default_on) {
      if (IsPlatform(vendor, own)) return s;
    }
  }
  for (const SoftwareStack& s : stacks) {
    if (s.id == kDefaultStackId) return s;
  }
  return stacks.front();
}

bool IsAutoStack(std::string_view id) { return ToLower(id) == kAutoStackId; }

Result<std::string> StackSettingId(std::string_view id) {
  if (id.empty() || IsAutoStack(id)) return std::string(kAutoStackId);
  auto found = FindStack(id);
  if (!found.ok()) return MakeError(found.error().message, found.error().where, found.error().hint + ", auto");
  return (*found)->id;
}

Result<const SoftwareStack*> StackOn(std::string_view id, std::string_view vendor, std::string_view device) {
  if (id.empty() || IsAutoStack(id)) return &PlatformStack(vendor);
  SUANLI_ASSIGN_OR_RETURN(const SoftwareStack* stack, FindStack(id));
  SUANLI_RETURN_IF_ERROR(StackRunsOn(*stack, vendor, device));
  return stack;
}

bool StackEfficiencyFittedOn(const SoftwareStack& stack, std::string_view vendor) {
  return stack.efficiency == 1.0 || IsPlatform(vendor, stack.fitted_platform);
}

AttentionKernel PlatformAttention(AttentionKernel kernel, std::string_view vendor) {
  // FlashAttention-2 (Dao-AILab/flash-attention) is CUDA code with a ROCm
  // port; torch_npu (npu_fusion_attention), XLA on TPU (Pallas flash/splash)
  // and Gaudi (FusedSDPA) run their own fused kernels.
  if (kernel != AttentionKernel::kFlash2) return kernel;
  for (std::string_view own : {"Huawei", "Google", "Intel"}) {
    if (IsPlatform(vendor, own)) return AttentionKernel::kFused;
  }
  return kernel;
}

}  // namespace suanli
