// The defaults of a training layout and the rules completing one from a device count.
#include "workload/layout_defaults.h"

#include <algorithm>
#include <cstdint>

#include <fmt/format.h>

#include "core/i18n.h"

namespace suanli {

int DefaultSeqLen(const ModelSpec& model) {
  return static_cast<int>(model.max_seq_len > 0 && model.max_seq_len < kDefaultSeqLenCap
                              ? model.max_seq_len
                              : kDefaultSeqLenCap);
}

std::string LargeGlobalBatchNote(int64_t sequences, int64_t seq_len, std::string_view name) {
  const double step_tokens = static_cast<double>(sequences) * static_cast<double>(seq_len);
  if (seq_len <= 0 || step_tokens <= kImplausibleStepTokens) return "";
  const int64_t as_tokens = std::max<int64_t>(1, (sequences + seq_len / 2) / seq_len);
  return TrFormat("{} {} × {} tokens is {} tokens per optimizer step, beyond the ~63M of the largest published "
                  "pre-training batch (DeepSeek-V3: 15,360 × 4,096): {} counts sequences, not tokens; {} tokens "
                  "per step would be {} {}",
                  name, FormatCount(static_cast<double>(sequences)), FormatCount(static_cast<double>(seq_len)),
                  FormatCount(step_tokens), name, FormatCount(static_cast<double>(sequences)), name,
                  as_tokens);
}

LayoutRequest SearchBaseRequest(LayoutRequest request) {
  request.tp = request.pp = request.cp = request.ep = request.vp = 1;
  request.dp.reset();
  request.global_batch.reset();
  return request;
}

Result<ParallelConfig> CompleteLayout(const LayoutRequest& request, const ModelSpec& model,
                                      int devices) {
  if (devices < 1 || devices > kMaxDevices) {
    return MakeError(TrFormat("--gpus must be between 1 and {}, got {}", kMaxDevices, devices),
                     "--gpus");
  }
  ParallelConfig config;
  config.tp = request.tp;
  config.pp = request.pp;
  config.cp = request.cp;
  config.ep = request.ep;
  config.vp = request.vp;
  config.micro_batch = request.micro_batch;
  config.zero = request.zero;
  const int64_t model_parallel = int64_t{request.tp} * request.pp * request.cp;
  if (model_parallel > devices) {
    return MakeError(TrFormat("tp*pp*cp = {} exceeds --gpus {}", model_parallel, devices),
                     "--gpus", Tr("choose tp, pp and cp whose product divides the device count"));
  }
  if (request.dp) {
    config.dp = *request.dp;
    if (model_parallel * config.dp != devices) {
      return MakeError(TrFormat("tp*pp*dp*cp = {}*{}*{}*{} = {} but --gpus is {}", request.tp,
                                   request.pp, config.dp, request.cp, model_parallel * config.dp,
                                   devices),
                       "--dp", Tr("make the product of the parallel sizes equal the device count"));
    }
  } else {
    if (devices % model_parallel != 0) {
      return MakeError(TrFormat("tp*pp*cp = {} does not divide --gpus {}", model_parallel,
                                   devices),
                       "--gpus", Tr("choose tp, pp and cp whose product divides the device count"));
    }
    config.dp = static_cast<int>(devices / model_parallel);
  }
  config.seq_len = request.seq_len > 0 ? request.seq_len : DefaultSeqLen(model);
  // A full pipeline: pp micro-batches per data-parallel rank (one with pp 1).
  const int64_t default_batch = int64_t{config.dp} * config.micro_batch * config.pp;
  if (!request.global_batch && default_batch > kMaxGlobalBatch) {
    return MakeError(TrFormat("dp*micro_batch*pp = {} exceeds the largest global batch {}",
                                 default_batch, kMaxGlobalBatch),
                     "--micro-batch", Tr("give --global-batch, or a smaller --micro-batch"));
  }
  config.global_batch =
      request.global_batch ? *request.global_batch : static_cast<int>(default_batch);
  config.recompute = request.recompute;
  config.precision = request.precision;
  if (config.precision != Precision::kBf16 && config.precision != Precision::kFp16 &&
      config.precision != Precision::kFp8) {
    return MakeError(TrFormat("training precision {} is not supported",
                                 PrecisionName(config.precision)),
                     "--precision", Tr("use bf16, fp16 or fp8"));
  }
  config.sequence_parallel = request.sequence_parallel;
  config.dp_overlap = request.dp_overlap;
  config.attention = request.attention;
  config.ep_overlap = request.ep_overlap;
  config.expert_tp = request.expert_tp == config.tp ? 0 : request.expert_tp;
  config.recompute_layers = request.recompute_layers;
  SUANLI_RETURN_IF_ERROR(ValidateLayout(model, config));
  return config;
}

}  // namespace suanli
