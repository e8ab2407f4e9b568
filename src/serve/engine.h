// Serving engines as data (data/engines.yaml): formats, CUDA graphs, batch
// and chunked-prefill defaults, per-iteration host overheads, with sources.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/accelerator.h"
#include "catalog/provenance.h"
#include "core/precision.h"
#include "core/result.h"

namespace suanli {

// A speculative-decoding method an engine runs: draft length, acceptance and draft cost.
struct SpeculativeMethod {
  std::string id;            // "mtp", "eagle", ...
  int draft_tokens = 1;      // k
  double acceptance = 0;     // α per draft token
  double draft_cost = 0;     // one draft token's work / one target decode step's work
};

// What an engine's memory fraction is a fraction of (data/engines.yaml memory_fraction_of).
enum class MemoryShareOf {
  kTotal,             // the device memory holds everything the engine allocates (vLLM, MindIE)
  kStatic,            // the device memory holds the weights and the KV pool; activations the rest (SGLang)
  kFreeAfterLoad,     // the memory free after the weights and runtime buffers (TensorRT-LLM)
  kFreeAfterWeights,  // the memory free after the weights; activations from the rest (LMDeploy)
};

// How much device memory an engine lets its KV cache take by default.
struct EngineMemory {
  double fraction = 1;                      // 0..1
  MemoryShareOf of = MemoryShareOf::kTotal;  // of what
};

// The batch cap and iteration token budget an engine starts with on one device.
struct BatchDefaults {
  int max_batch = 256;               // running sequences
  int prefill_budget_tokens = 8192;  // tokens of one iteration
};

// An engine's batch defaults on the devices one rule matches: those whose
// catalog id starts with one of `accelerator_prefixes`, or (no prefixes) those
// with less memory than `below_memory_bytes`.
struct DeviceBatchDefaults {
  std::vector<std::string> accelerator_prefixes;
  double below_memory_bytes = 0;
  BatchDefaults batch;
};

struct EngineSpec {
  std::string id;    // "vllm", "sglang", "trt-llm", ...
  std::string name;  // display name
  std::vector<Precision> weight_formats;  // weight formats served
  std::vector<Precision> kv_formats;      // KV-cache formats served
  bool cuda_graphs = true;        // decode iterations replay captured graphs
  int graph_max_batch = 0;        // largest decode batch captured, sequences
  int max_batch = 256;            // default cap on running sequences
  int prefill_budget_tokens = 8192;    // default token budget of one iteration
  double host_overhead_s = 0;          // exposed CPU time per iteration, seconds
  double eager_layer_overhead_s = 0;   // launch time per layer without a graph, seconds
  double weight_only_bandwidth = 1;    // fraction of the HBM rate int4/int8 weight-only GEMMs reach
  bool reserve_output = false;         // admission reserves every request's output slots (no eviction)
  bool first_token_in_decode = false;  // the first token comes from the first decode step, not the prefill
  double request_overhead_s = 0;       // per-request time outside the iterations (API, tokeniser), seconds
  bool window_frees_kv = false;        // sliding-window layers keep only the window's KV (window_kv: window)
  EngineMemory memory;                 // the share of device memory the engine lets its KV cache take
  std::vector<DeviceBatchDefaults> device_defaults;  // first matching rule overrides max_batch and the budget
  std::vector<SpeculativeMethod> speculative;  // speculative-decoding methods and their acceptance
  std::string preemption;         // "recompute"
  // Platforms: the vendors (catalog `vendor`) whose devices the engine runs
  // on; empty = not restricted (vLLM and llama.cpp run nearly everywhere).
  std::vector<std::string> platforms;
  std::string notes;
  Provenance provenance;          // every number with its source

  // Returns the batch cap and token budget the engine defaults to on `accelerator`.
  BatchDefaults DefaultsFor(const Accelerator& accelerator) const;
  // Returns true when the engine serves weights in `format`.
  bool ServesWeights(Precision format) const;
  // Returns the speculative method `id`, or nullptr when the engine lacks it.
  const SpeculativeMethod* FindSpeculative(std::string_view method) const;
  // Returns OK when `method` is "" (off) or a speculative method the engine
  // runs that `model_id` can use: mtp needs the model's own MTP modules
  // (`mtp_layers` > 0). Else an error at --speculative naming the model's
  // mtp_layers or the engine's methods, suggesting a draft-head method.
  Status CheckSpeculative(std::string_view method, std::string_view model_id, int mtp_layers) const;
  // Returns true when the engine keeps its KV cache in `format`.
  bool ServesKv(Precision format) const;
  // Returns the engine's 8-bit KV-cache format as data/engines.yaml names it
  // (fp8, or int8 for MindIE and LMDeploy), nullopt when it keeps none.
  std::optional<Precision> EightBitKv() const;
  // Returns OK when the engine serves `weights` and keeps `kv` (either unset:
  // not checked); else an error on --weights or --kv naming the formats it does.
  Status CheckFormats(std::optional<Precision> weights, std::optional<Precision> kv) const;
  // Returns OK when the engine runs on `accelerator`'s platform (its catalog
  // vendor); else an error at --engine naming the platforms it runs on.
  Status CheckRunsOn(const Accelerator& accelerator) const;
};

// Parses the `engines:` list of a YAML document; errors are located.
Result<std::vector<EngineSpec>> ParseEngines(std::string_view text, const std::string& file_name);

// Returns the engines of the embedded data/engines.yaml.
Result<std::vector<EngineSpec>> LoadEmbeddedEngines();

// Finds an engine by id (case-insensitive); the error suggests the nearest ids.
Result<const EngineSpec*> FindEngine(const std::vector<EngineSpec>& engines, std::string_view id);

// Returns the engine id `serve --engine auto` (the default) and plan's
// `engine: auto` run on `accelerator_vendor`'s parts: the engine the vendor
// ships for its own parts, Huawei's MindIE on Ascend, vLLM on every other
// (one rule for both commands, so plan's serving need and serve agree).
std::string DefaultEngineFor(std::string_view accelerator_vendor);

}  // namespace suanli
