// Renderers of `suanli fit`; see fit_report.h.
#include "report/fit_report.h"

#include <fmt/format.h>

#include "core/units.h"
#include "report/json_util.h"
#include "report/table.h"
#include "report/train_report.h"

namespace suanli {
namespace {

// Returns bytes as GiB with one decimal.
std::string Gib(double bytes) { return fmt::format("{:.1f}", bytes / kGiB); }

nlohmann::json InferConfigJson(const InferenceConfig& c) {
  return {{"tp", c.tp},
          {"pp", c.pp},
          {"batch", c.batch},
          {"context", c.context},
          {"prefill_chunk", c.prefill_chunk > 0 ? c.prefill_chunk : c.context},
          {"weight_precision", std::string(PrecisionName(c.weight_precision))},
          {"kv_precision", std::string(PrecisionName(c.kv_precision))}};
}

std::string TrainLayoutText(const ParallelConfig& c) {
  std::string text = fmt::format("tp {}, pp {}, dp {}", c.tp, c.pp, c.dp);
  if (c.cp > 1) text += fmt::format(", cp {}", c.cp);
  if (c.ep > 1) text += fmt::format(", ep {}", c.ep);
  if (c.vp > 1) text += fmt::format(", vp {}", c.vp);
  text += fmt::format(", zero {}, {} recompute", c.zero, RecomputeName(c.recompute));
  return text;
}

std::string InferLayoutText(const InferenceConfig& c) { return fmt::format("tp {}, pp {}", c.tp, c.pp); }

// Returns the first line: what runs on how many devices, with which layout.
std::string HeadingText(const FitResult& r) {
  if (r.infer) {
    return fmt::format("{} serving on {} × {} ({}, batch {}, context {}, weights {}, KV cache {})\n\n", r.model,
                       r.gpus, r.accelerator, InferLayoutText(r.serve), r.serve.batch, r.serve.context,
                       PrecisionName(r.serve.weight_precision), PrecisionName(r.serve.kv_precision));
  }
  return fmt::format("{} training on {} × {} ({}, {}, seq {}, micro-batch {}, global batch {})\n\n", r.model,
                     r.gpus, r.accelerator, TrainLayoutText(r.train), PrecisionName(r.train.precision),
                     r.train.seq_len, r.train.micro_batch, r.train.global_batch);
}

// Returns the per-device table in GiB.
std::string MemoryTableText(const FitResult& r) {
  TextTable table({"per device", "GiB"});
  table.AlignColumn(1, TextTable::Align::kRight);
  const MemoryBreakdown& m = r.memory;
  table.AddRow({"weights", Gib(m.weights_bytes)});
  if (!r.infer) {
    table.AddRow({"gradients", Gib(m.gradients_bytes)});
    table.AddRow({"optimizer", Gib(m.optimizer_bytes)});
  } else {
    table.AddRow({"kv cache", Gib(m.kv_cache_bytes)});
  }
  table.AddRow({"activations", Gib(m.activations_bytes)});
  table.AddRow({"other", Gib(m.other_bytes)});
  table.AddRow({"total", Gib(m.total_bytes)});
  table.AddRow({"usable", Gib(r.usable_bytes)});
  return table.Render();
}

}  // namespace

std::vector<std::string> FitReasons(const FitResult& r) {
  std::vector<std::string> reasons;
  const MemoryBreakdown& m = r.memory;
  if (r.fits()) {
    reasons.push_back(fmt::format("fits with {} GiB of {} GiB usable left", Gib(r.usable_bytes - m.total_bytes),
                                  Gib(r.usable_bytes)));
  } else {
    reasons.push_back(fmt::format("needs {} GiB per device, {} GiB usable ({} GiB capacity minus the "
                                  "runtime reserve)",
                                  Gib(m.total_bytes), Gib(r.usable_bytes), Gib(r.capacity_bytes)));
    const double states = m.weights_bytes + m.gradients_bytes + m.optimizer_bytes;
    if (states > r.usable_bytes) {
      reasons.push_back(fmt::format("weights, gradients and optimizer states alone need {} GiB", Gib(states)));
    }
    if (m.kv_cache_bytes > r.usable_bytes) {
      reasons.push_back(fmt::format("the KV cache alone needs {} GiB", Gib(m.kv_cache_bytes)));
    }
  }
  if (!r.min.found) reasons.push_back(r.min.reason);
  return reasons;
}

std::string FitText(const FitResult& r) {
  std::string out = HeadingText(r) + MemoryTableText(r) + "\n";
  std::string min_text = r.min.reason;
  if (r.min.found) {
    const std::string min_layout = r.infer ? InferLayoutText(r.min.infer) : TrainLayoutText(r.min.train);
    min_text = fmt::format("min {} × {} ({}, {} GiB)", r.min.devices, r.accelerator, min_layout,
                           Gib(r.min.memory.total_bytes));
  }
  const MemoryBreakdown& m = r.memory;
  if (r.fits()) {
    out += fmt::format("fits: yes — {} GiB of {} GiB usable; {}\n", Gib(m.total_bytes), Gib(r.usable_bytes),
                       min_text);
  } else {
    out += fmt::format("fits: no — needs {} GiB of {} GiB usable; {}\n", Gib(m.total_bytes),
                       Gib(r.usable_bytes), min_text);
  }
  return out;
}

nlohmann::json FitJson(const FitResult& r) {
  nlohmann::json out;
  out["model"] = r.model;
  out["accelerator"] = r.accelerator;
  out["gpus"] = r.gpus;
  out["mode"] = r.infer ? "infer" : "train";
  out["config"] = r.infer ? InferConfigJson(r.serve) : ConfigJson(r.train);
  out["fits"] = r.fits();
  out["capacity_bytes"] = RoundBytes(r.usable_bytes);
  out["per_gpu_bytes"] = MemoryJson(r.memory);
  if (r.min.found) {
    out["min_gpus_to_fit"] = r.min.devices;
    nlohmann::json layout = r.infer ? InferConfigJson(r.min.infer) : ConfigJson(r.min.train);
    layout["total_bytes"] = RoundBytes(r.min.memory.total_bytes);
    out["min_layout"] = layout;
  } else {
    out["min_gpus_to_fit"] = nullptr;
    out["min_layout"] = nullptr;
  }
  out["reasons"] = FitReasons(r);
  return out;
}

}  // namespace suanli
