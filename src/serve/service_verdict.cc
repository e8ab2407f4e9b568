// Whether a simulated service served its traffic (serve/service_verdict.h).
#include "serve/service_verdict.h"

#include <algorithm>
#include <optional>

#include <fmt/format.h>

#include "core/i18n.h"
#include "core/units.h"

namespace suanli {
namespace {

// Returns `english` formatted as is (JSON) or translated (text).
template <typename... Args>
std::string Say(bool english, const char* text, const Args&... args) {
  return english ? fmt::format(fmt::runtime(text), args...) : TrFormat(text, args...);
}

// Returns the reason most requests were rejected, in English or translated.
std::string RejectedReason(bool english, const SimulationResult& service, double longest_tokens, double held_tokens,
                           const ModelSpec& model, const ReplicaMemory& memory, const ServingLayout& layout,
                           std::optional<Precision> kv8) {
  // A request lives in one of the pp schedulers' caches (docs/serving.md, Cache capacity).
  const double engine_tokens = memory.kv_capacity_tokens / std::max(1, layout.pp);
  const double per_device_tokens = engine_tokens / std::max(1, layout.dp_attention);
  std::vector<std::string> fixes;
  if (!model.use_mla && model.kv_heads > layout.tp) {
    fixes.push_back(Say(english, "more devices per replica (--tp {})", 2 * layout.tp));
  }
  // The engine's own 8-bit KV format (int8 on MindIE), offered while the KV is wider.
  if (kv8 && BytesPerElement(layout.kv) > 1.0) {
    fixes.push_back(Say(english, "an 8-bit KV cache (--kv {})", PrecisionName(*kv8)));
  }
  if (layout.weights == Precision::kBf16) fixes.push_back(Say(english, "smaller weights (--weights fp8 or int4)"));
  fixes.push_back(Say(english, "shorter prompts or outputs"));
  return Say(english,
             "{} of {} requests were rejected: one of {} tokens (prompt and output) needs {:.1f} GiB of KV "
             "cache per device, and the devices hold {:.1f} GiB each after the weights and reserve (KV for {} "
             "tokens); use {}",
             FormatCount(service.rejected), FormatCount(service.requests), FormatCount(longest_tokens),
             held_tokens * memory.kv_bytes_per_token / kGiB, per_device_tokens * memory.kv_bytes_per_token / kGiB,
             FormatCount(engine_tokens), fmt::join(fixes, english ? ", " : Tr(", ")));
}

}  // namespace

ServiceVerdict JudgeService(const SimulationResult& service, const std::vector<Request>& requests,
                            const ModelSpec& model, const ReplicaMemory& memory, const ServingLayout& layout,
                            const EngineSpec* engine) {
  ServiceVerdict verdict;
  // "Almost nothing": most requests never admitted. A few rejections of a
  // long tail are reported beside the figures (and miss any SLO).
  if (service.completed > 0 && 2 * service.rejected <= service.requests) return verdict;
  verdict.served = false;
  if (service.rejected == 0) {
    verdict.reason = "no request completed";
    verdict.reason_text = Tr("no request completed");
    return verdict;
  }
  double longest = 0;
  for (const Request& r : requests) longest = std::max<double>(longest, r.input_tokens + r.output_tokens);
  // Sliding-window layers hold at most the window where the engine frees the rest.
  const double held = engine != nullptr && engine->window_frees_kv ? memory.window.Keys(longest) : longest;
  const std::optional<Precision> kv8 = engine != nullptr ? engine->EightBitKv() : Precision::kFp8;
  verdict.reason = RejectedReason(true, service, longest, held, model, memory, layout, kv8);
  verdict.reason_text = RejectedReason(false, service, longest, held, model, memory, layout, kv8);
  return verdict;
}

ContextCheck CheckContext(const ModelSpec& model, double longest_tokens) {
  ContextCheck check;
  const int64_t usable = model.UsableContext();  // a RoPE extension (YaRN) reaches further
  if (usable <= 0 || longest_tokens <= static_cast<double>(usable)) return check;
  check.exceeds = true;
  check.hard = model.learned_positions;
  check.message =
      model.learned_positions
          ? TrFormat("{} tokens of prompt and output exceed {}'s context of {} tokens, the rows of its learned "
                     "position table",
                     FormatCount(longest_tokens), model.id, FormatCount(model.max_seq_len))
          : TrFormat("{} tokens of prompt and output exceed {}'s maximum context of {} tokens; the simulation "
                     "goes on, but the model was not trained for such contexts",
                     FormatCount(longest_tokens), model.id, FormatCount(usable));
  return check;
}

}  // namespace suanli
