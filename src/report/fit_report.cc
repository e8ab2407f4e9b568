// Renderers of `suanli fit`; see fit_report.h.
#include "report/fit_report.h"

#include <cmath>

#include <fmt/format.h>

#include "core/units.h"
#include "report/json_util.h"
#include "report/output.h"
#include "report/table.h"
#include "report/train_report.h"

namespace suanli {
namespace {

nlohmann::json InferConfigJson(const InferenceConfig& c) {
  return {{"tp", c.tp},
          {"pp", c.pp},
          {"batch", c.batch},
          {"context", c.context},
          {"prefill_chunk", c.prefill_chunk > 0 ? c.prefill_chunk : c.context},
          {"weight_precision", std::string(PrecisionName(c.weight_precision))},
          {"kv_precision", std::string(PrecisionName(c.kv_precision))}};
}

}  // namespace

std::string FitLayoutText(const FitResult& r, bool min) {
  if (r.infer) {
    const InferenceConfig& c = min ? r.min.infer : r.serve;
    return fmt::format("tp{} pp{}", c.tp, c.pp);
  }
  return CompactConfigText(min ? r.min.train : r.train);
}

std::string FitSubjectLine(const FitResult& r) {
  return r.infer ? TrFormat("{} serving on {} × {}", r.model, FormatCount(r.gpus), r.accelerator)
                 : TrFormat("{} training on {} × {}", r.model, FormatCount(r.gpus), r.accelerator);
}

std::string FitHostText(const FitResult& r) {
  if (r.host_capacity_bytes <= 0 || r.devices_per_node <= 0) {
    return TrFormat("{} GiB per device for the offloaded optimizer states; CPU Adam assumes {:.0f} GB/s of "
                    "host memory bandwidth per device",
                    FormatGib(r.memory.host_bytes), kCpuAdamHostBandwidthBps / 1e9);
  }
  const double node_bps = kCpuAdamHostBandwidthBps * std::min(r.gpus, r.devices_per_node);
  const std::string bandwidth =
      TrFormat("CPU Adam assumes {:.0f} GB/s of host memory bandwidth per device, {:.0f} GB/s per node",
               kCpuAdamHostBandwidthBps / 1e9, node_bps / 1e9);
  return (r.fits_host() ? TrFormat("{} GiB of {} GiB host RAM per node: fits", FormatGib(r.host_bytes()),
                                   FormatGib(r.host_capacity_bytes))
                        : TrFormat("{} GiB of {} GiB host RAM per node: {}", FormatGib(r.host_bytes()),
                                   FormatGib(r.host_capacity_bytes), Alarm(Tr("host RAM does not fit")))) +
         "; " + bandwidth;
}

std::string MemoryMarginNote(double total_bytes, double usable_bytes) {
  if (FormatGib(total_bytes) != FormatGib(usable_bytes)) return "";
  const double mib = std::abs(usable_bytes - total_bytes) / (1024.0 * 1024.0);
  const std::string amount = mib >= 1.0 ? fmt::format("{:.0f} MiB", mib) : std::string("< 1 MiB");
  return " " + (total_bytes > usable_bytes ? TrFormat("({} short)", amount) : TrFormat("({} left)", amount));
}

FactList FitFacts(const FitResult& r) {
  FactList facts;
  facts.emplace_back(Tr("layout"), FitLayoutText(r, false));
  if (r.infer) {
    facts.emplace_back(Tr("serving"), TrFormat("batch {}, context {}, weights {}, KV cache {}", r.serve.batch,
                                               FormatCount(r.serve.context), PrecisionName(r.serve.weight_precision),
                                               PrecisionName(r.serve.kv_precision)));
  } else {
    facts.emplace_back(Tr("batch"), TrFormat("global batch {} × {} tokens, micro-batch {}, {}",
                                             FormatCount(r.train.global_batch), FormatCount(r.train.seq_len),
                                             r.train.micro_batch, PrecisionName(r.train.precision)));
  }
  const MemoryBreakdown& m = r.memory;
  const std::string margin = MemoryMarginNote(m.total_bytes, r.usable_bytes);
  // The device line judges the device alone; host RAM has its own line (FitHostText).
  const bool device_fits = m.total_bytes <= r.usable_bytes;
  facts.emplace_back(Tr("memory"), device_fits ? TrFormat("{} GiB of {} GiB usable per device: fits", FormatGib(m.total_bytes),
                                                       FormatGib(r.usable_bytes)) + margin
                                               : TrFormat("{} GiB of {} GiB usable per device: {}", FormatGib(m.total_bytes),
                                                       FormatGib(r.usable_bytes), Alarm(Tr("does not fit"))) + margin);
  if (r.memory.host_bytes > 0) facts.emplace_back(Tr("host memory"), FitHostText(r));
  std::string fewest = r.min.reason_text;
  if (r.min.found) {
    fewest = TrFormat("{} × {} ({}, {} GiB per device)", FormatCount(r.min.devices), r.accelerator,
                      FitLayoutText(r, true), FormatGib(r.min.memory.total_bytes));
  }
  facts.emplace_back(Tr("fewest that fit"), fewest);
  return facts;
}

TextTable FitMemoryTable(const FitResult& r) {
  TextTable table({Tr("per device"), "GiB"});
  table.AlignColumn(1, TextTable::Align::kRight);
  const MemoryBreakdown& m = r.memory;
  table.AddRow({Tr("weights"), FormatGib(m.weights_bytes)});
  if (!r.infer) {
    table.AddRow({Tr("gradients"), FormatGib(m.gradients_bytes)});
    table.AddRow({Tr("optimizer"), FormatGib(m.optimizer_bytes)});
  } else {
    table.AddRow({Tr("kv cache"), FormatGib(m.kv_cache_bytes)});
  }
  table.AddRow({Tr("activations"), FormatGib(m.activations_bytes)});
  table.AddRow({Tr("other"), FormatGib(m.other_bytes)});
  table.AddRow({Tr("total"), FormatGib(m.total_bytes)});
  table.AddRow({Tr("usable"), FormatGib(r.usable_bytes)});
  return table;
}

std::vector<std::string> FitReasons(const FitResult& r, Language language) {
  auto say = [&](std::string_view english, auto&&... args) {
    return fmt::format(fmt::runtime(TrIn(language, english)), args...);
  };
  std::vector<std::string> reasons;
  const MemoryBreakdown& m = r.memory;
  const bool device_fits = m.total_bytes <= r.usable_bytes;
  if (device_fits) {
    reasons.push_back(say("fits with {} GiB of {} GiB usable left", FormatGib(r.usable_bytes - m.total_bytes),
                          FormatGib(r.usable_bytes)));
    if (TightFit(m.total_bytes, r.usable_bytes)) {
      reasons.push_back(say("less than {:.0f}% of the usable memory is left free: allocator spikes can still run out "
                            "of memory; prefer a layout with more headroom",
                            kFitHeadroomFraction * 100));
    }
  } else {
    reasons.push_back(say("needs {} GiB per device, {} GiB usable ({} GiB capacity minus the runtime reserve)",
                          FormatGib(m.total_bytes), FormatGib(r.usable_bytes), FormatGib(r.capacity_bytes)));
    const double states = m.weights_bytes + m.gradients_bytes + m.optimizer_bytes;
    if (r.infer && m.weights_bytes > r.usable_bytes) {
      reasons.push_back(say("the weights alone need {} GiB", FormatGib(m.weights_bytes)));
    } else if (states > r.usable_bytes) {
      reasons.push_back(say("weights, gradients and optimizer states alone need {} GiB", FormatGib(states)));
    }
    if (m.kv_cache_bytes > r.usable_bytes) {
      reasons.push_back(say("the KV cache alone needs {} GiB", FormatGib(m.kv_cache_bytes)));
    }
  }
  if (!r.fits_host()) {
    reasons.push_back(say("the offloaded optimizer states need {} GiB of host RAM per node, the server has {} GiB",
                          FormatGib(r.host_bytes()), FormatGib(r.host_capacity_bytes)));
  }
  if (r.min.found && TightFit(r.min.memory.total_bytes, r.usable_bytes)) {
    reasons.push_back(say("the layout on the fewest devices leaves {} GiB of {} GiB usable free (under {:.0f}%): "
                          "tight; plan one size up or check it on the real system",
                          FormatGib(r.usable_bytes - r.min.memory.total_bytes), FormatGib(r.usable_bytes),
                          kFitHeadroomFraction * 100));
  }
  if (!r.min.found) reasons.push_back(language == Language::kEnglish ? r.min.reason : r.min.reason_text);
  return reasons;
}

std::string FitText(const FitResult& r) {
  std::string out = FitSubjectLine(r) + "\n\n" + FactLines(FitFacts(r)) + "\n" + FitMemoryTable(r).Render();
  const std::vector<std::string> reasons = FitReasons(r, CurrentLanguage());
  // The first reason repeats the memory fact; the minimum's reason is a fact too.
  for (size_t i = 1; i < reasons.size(); ++i) {
    if (r.min.found || i + 1 < reasons.size()) out += "- " + reasons[i] + "\n";
  }
  if (!r.fits() && !r.advice.empty()) out += "- " + r.advice + "\n";
  return out;
}

std::string FitMarkdown(const FitResult& r) {
  TextTable facts({Tr("field"), Tr("value")});
  facts.AddRow({Tr("subject"), FitSubjectLine(r)});
  for (const auto& [label, value] : FitFacts(r)) facts.AddRow({label, value});
  return facts.RenderMarkdown() + "\n" + FitMemoryTable(r).RenderMarkdown();
}

nlohmann::json FitJson(const FitResult& r) {
  nlohmann::json out;
  out["model"] = r.model;
  out["accelerator"] = r.accelerator;
  out["gpus"] = r.gpus;
  out["mode"] = r.infer ? "infer" : "train";
  out["config"] = r.infer ? InferConfigJson(r.serve) : ConfigJson(r.train);
  out["fits"] = r.fits();
  // usable_bytes as train and serve name it; device_memory_bytes the card's
  // whole memory; capacity_bytes (the usable bytes) an alias kept for one
  // release (docs/reports.md).
  out["usable_bytes"] = RoundBytes(r.usable_bytes);
  out["device_memory_bytes"] = RoundBytes(r.capacity_bytes);
  out["capacity_bytes"] = RoundBytes(r.usable_bytes);
  out["per_gpu_bytes"] = MemoryJson(r.memory);
  if (r.memory.host_bytes > 0) {
    // Offload only: host RAM per node for the offloaded states against the
    // usual server's (null where the server is not known).
    out["host_bytes_per_device"] = RoundBytes(r.memory.host_bytes);
    out["host_bytes"] = r.devices_per_node > 0 ? nlohmann::json(RoundBytes(r.host_bytes())) : nullptr;
    out["host_capacity_bytes"] = r.host_capacity_bytes > 0 ? nlohmann::json(RoundBytes(r.host_capacity_bytes)) : nullptr;
    out["host_fits"] = r.fits_host();
    out["cpu_adam_host_bandwidth_Bps_per_device"] = RoundBytes(kCpuAdamHostBandwidthBps);
  }
  if (r.min.found) {
    out["min_gpus_to_fit"] = r.min.devices;
    nlohmann::json layout = r.infer ? InferConfigJson(r.min.infer) : ConfigJson(r.min.train);
    layout["total_bytes"] = RoundBytes(r.min.memory.total_bytes);
    out["min_layout"] = layout;
  } else {
    out["min_gpus_to_fit"] = nullptr;
    out["min_layout"] = nullptr;
  }
  out["reasons"] = FitReasons(r, Language::kEnglish);
  return out;
}

}  // namespace suanli
