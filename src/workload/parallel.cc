#include "workload/parallel.h"

#include <algorithm>

#include <string>

#include <fmt/format.h>

#include "core/text.h"
#include "workload/stage_layout.h"
#include "core/i18n.h"

namespace suanli {

std::string_view RecomputeName(Recompute recompute) {
  switch (recompute) {
    case Recompute::kNone: return "none";
    case Recompute::kSelective: return "selective";
    case Recompute::kFull: return "full";
    case Recompute::kModules: return "modules";
  }
  return "?";
}

Result<Recompute> ParseRecompute(std::string_view text) {
  constexpr Recompute kAll[] = {Recompute::kNone, Recompute::kSelective, Recompute::kModules, Recompute::kFull};
  if (auto found = FindByName<Recompute>(text, kAll, RecomputeName)) return *found;
  return MakeError(TrFormat("unknown recompute mode '{}'", text), "--recompute",
                   Tr("use none, selective, modules or full"));
}

bool HasRecomputeModules(const ModelSpec& model) { return model.use_mla || model.IsMoe(); }

std::string_view AttentionKernelName(AttentionKernel kernel) {
  switch (kernel) {
    case AttentionKernel::kFused: return "flash";
    case AttentionKernel::kFlash2: return "flash2";
    case AttentionKernel::kUnfused: return "unfused";
  }
  return "?";
}

Result<AttentionKernel> ParseAttentionKernel(std::string_view text) {
  constexpr AttentionKernel kAll[] = {AttentionKernel::kFused, AttentionKernel::kFlash2, AttentionKernel::kUnfused};
  if (auto found = FindByName<AttentionKernel>(text, kAll, AttentionKernelName)) return *found;
  return MakeError(TrFormat("unknown attention kernel '{}'", text), "--attention",
                   Tr("use flash (the platform's fastest fused kernel), flash2 (a FlashAttention-2-class "
                   "kernel) or unfused"));
}

bool TpSplitsHeads(const ModelSpec& model, int tp) {
  if (tp < 1 || model.heads % tp != 0) return false;
  if (!model.use_mla && tp > model.kv_heads && tp % model.kv_heads != 0) return false;
  if (!model.use_mla && tp < model.kv_heads && model.kv_heads % tp != 0) return false;
  return true;
}

bool SequenceSplitsOverTp(int seq_len, int cp, int tp) {
  return tp <= 1 || (seq_len / std::max(1, cp)) % tp == 0;
}

double FullRecomputeShare(const ParallelConfig& c, int stage_layers) {
  if (c.recompute != Recompute::kFull) return 0.0;
  if (c.recompute_layers <= 0 || c.recompute_layers >= stage_layers) return 1.0;
  return static_cast<double>(c.recompute_layers) / std::max(1, stage_layers);
}

Status ValidateLayout(const ModelSpec& model, const ParallelConfig& c) {
  const struct {
    const char* flag;
    int value;
  } sizes[] = {{"--tp", c.tp}, {"--pp", c.pp}, {"--dp", c.dp}, {"--cp", c.cp},
               {"--ep", c.ep}, {"--vp", c.vp}, {"--micro-batch", c.micro_batch},
               {"--global-batch", c.global_batch}, {"--seq-len", c.seq_len}};
  for (const auto& size : sizes) {
    if (size.value < 1) {
      return MakeError(TrFormat("{} must be at least 1, got {}", size.flag, size.value), size.flag);
    }
  }
  if (model.learned_positions && model.max_seq_len > 0 && c.seq_len > model.max_seq_len) {
    return MakeError(TrFormat("--seq-len {} is longer than the {} positions {} learned: it has no embedding for the "
                              "rest",
                              c.seq_len, model.max_seq_len, model.id),
                     "--seq-len", TrFormat("use --seq-len {} or less", model.max_seq_len));
  }
  if (model.heads % c.tp != 0) {
    return MakeError(TrFormat("tp={} does not divide the {} attention heads of {}", c.tp,
                                 model.heads, model.id),
                     "--tp", Tr("choose a tp that divides the number of heads"));
  }
  if (!model.use_mla && c.tp > model.kv_heads && c.tp % model.kv_heads != 0) {
    return MakeError(TrFormat("tp={} is neither a divisor nor a multiple of the {} KV heads",
                                 c.tp, model.kv_heads),
                     "--tp", Tr("choose tp dividing kv_heads, or a multiple of it (KV heads replicated)"));
  }
  if (!model.use_mla && c.tp < model.kv_heads && model.kv_heads % c.tp != 0) {
    return MakeError(TrFormat("tp={} does not divide the {} KV heads", c.tp, model.kv_heads),
                     "--tp");
  }
  if (c.pp > model.layers) {
    return MakeError(TrFormat("pp={} exceeds the {} layers", c.pp, model.layers), "--pp");
  }
  if (c.vp > 1) {
    if (c.pp == 1) {
      return MakeError(Tr("vp>1 (interleaved pipeline) needs pp>1"), "--vp", Tr("set --vp 1 or --pp >1"));
    }
    if (c.pp * c.vp > model.layers) {
      return MakeError(TrFormat("pp*vp={} exceeds the {} layers", c.pp * c.vp, model.layers),
                       "--vp", Tr("every virtual stage needs at least one layer"));
    }
  }
  if (c.recompute_layers < 0) {
    return MakeError(TrFormat("recompute layers {} is negative", c.recompute_layers),
                     "--recompute-layers");
  }
  if (c.recompute_layers > 0 && c.recompute != Recompute::kFull) {
    return MakeError(Tr("--recompute-layers counts fully recomputed layers"), "--recompute-layers",
                     Tr("add --recompute full, or drop --recompute-layers"));
  }
  if (c.pp >= 1 && c.pp <= model.layers && c.recompute_layers > StageLayout(model, c).MaxLayers()) {
    return MakeError(TrFormat("--recompute-layers {} exceeds the {} layers of a pipeline stage",
                                 c.recompute_layers, StageLayout(model, c).MaxLayers()),
                     "--recompute-layers", Tr("count layers per stage, or drop the flag for all of them"));
  }
  if (c.zero < 0 || c.zero > 3) {
    return MakeError(TrFormat("zero stage {} does not exist", c.zero), "--zero", Tr("use 0, 1, 2 or 3"));
  }
  if (c.global_batch % (c.micro_batch * c.dp) != 0) {
    return MakeError(TrFormat("global batch {} is not a multiple of micro-batch {} x dp {}",
                                 c.global_batch, c.micro_batch, c.dp),
                     "--global-batch", Tr("make global_batch a multiple of micro_batch*dp"));
  }
  if (c.vp > 1 && c.MicroBatches() % c.pp != 0) {
    return MakeError(TrFormat("interleaving needs the {} micro-batches to be a multiple of pp={}",
                                 c.MicroBatches(), c.pp),
                     "--vp");
  }
  if (c.cp > 1 && c.seq_len % (2 * c.cp) != 0) {
    return MakeError(TrFormat("seq_len {} is not divisible by 2*cp={}", c.seq_len, 2 * c.cp),
                     "--cp", Tr("context parallelism splits each sequence into 2*cp chunks"));
  }
  if (c.sequence_parallel && !SequenceSplitsOverTp(c.seq_len, c.cp, c.tp)) {
    return MakeError(TrFormat("sequence parallelism needs seq_len/cp={} divisible by tp={}",
                                 c.seq_len / c.cp, c.tp),
                     "--seq-len");
  }
  if (c.ep > 1) {
    if (!model.IsMoe()) {
      return MakeError(TrFormat("ep={} but {} has no experts", c.ep, model.id), "--ep",
                       Tr("use --ep 1 for dense models"));
    }
    if (model.moe.experts % c.ep != 0) {
      return MakeError(TrFormat("ep={} does not divide the {} experts", c.ep, model.moe.experts),
                       "--ep");
    }
    if (c.expert_tp != 0 && c.expert_tp != 1 && c.expert_tp != c.tp) {
      return MakeError(TrFormat("expert tensor-parallel size {} must be 1 or tp={}", c.expert_tp, c.tp),
                       "--expert-tp");
    }
    if (c.ExpertDomainRanks() % c.ep != 0) {
      if (!c.ExpertsFoldTp() && (c.tp * c.dp * c.cp) % c.ep == 0) {
        return MakeError(TrFormat("ep={} does not divide dp*cp={}", c.ep, c.dp * c.cp), "--ep",
                         Tr("expert-parallel groups are formed inside the data-parallel ranks; with "
                         "--expert-tp 1 they also span the tensor-parallel ranks"));
      }
      return MakeError(TrFormat("ep={} does not divide {}={}", c.ep, c.ExpertsFoldTp() ? "tp*dp*cp" : "dp*cp",
                                   c.ExpertDomainRanks()),
                       "--ep", Tr("expert-parallel groups are formed inside the data-parallel ranks"));
    }
  }
  return OkStatus();
}

}  // namespace suanli
