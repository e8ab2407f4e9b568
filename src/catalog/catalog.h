// The catalog: accelerators, systems and model presets, loaded from the
// embedded data/ files and optionally extended or overridden by user files.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "catalog/accelerator.h"
#include "catalog/system.h"
#include "core/result.h"
#include "workload/model_spec.h"

namespace suanli {

class Catalog {
 public:
  // Returns the catalog built from the embedded data files.
  static Result<Catalog> LoadEmbedded();

  // Adds or overrides entries from a user YAML file holding any of the
  // top-level lists `accelerators:`, `systems:`, `models:`.
  Status MergeFile(const std::string& path);
  // Same as MergeFile, from text (file_name is used in messages).
  Status MergeText(std::string_view text, const std::string& file_name);

  const std::vector<Accelerator>& accelerators() const { return accelerators_; }
  const std::vector<System>& systems() const { return systems_; }
  const std::vector<ModelSpec>& models() const { return models_; }

  // Finds an accelerator by id, alias or vendor spelling ("A800", "天垓100");
  // the error suggests the nearest ids.
  Result<const Accelerator*> FindAccelerator(std::string_view query) const;
  // Returns a note when `query` is a family name that FindAccelerator resolves
  // to one variant while other entries start with the same words ("a100":
  // a100-sxm-80gb, also a100-sxm-40gb, a100-pcie-40gb, a100-pcie-80gb): it
  // names the variant used, the others and their memory; "" otherwise.
  std::string AmbiguousAcceleratorNote(std::string_view query) const;
  // Finds a system by id or name; the error suggests the nearest ids.
  Result<const System*> FindSystem(std::string_view query) const;
  // Finds a model preset by id or name; the error suggests the nearest ids.
  Result<const ModelSpec*> FindModel(std::string_view query) const;
  // Finds a system by id or name that holds `accelerator`; a system built
  // around another accelerator is an error listing the ones that hold it.
  Result<const System*> FindSystemFor(std::string_view query, const Accelerator& accelerator) const;
  // Returns the default system for an accelerator (first system listing it),
  // or nullptr when none does.
  const System* DefaultSystemFor(std::string_view accelerator_id) const;
  // Sets the sustained GEMM fraction (0 < fraction <= 1) of the accelerator
  // with this exact id (calibration); an unknown id is an error.
  Status SetGemmEfficiency(std::string_view accelerator_id, double fraction);

 private:
  std::vector<Accelerator> accelerators_;
  std::vector<System> systems_;
  std::vector<ModelSpec> models_;
};

// Parses the `accelerators:` list of a YAML document.
Result<std::vector<Accelerator>> ParseAccelerators(std::string_view text, const std::string& file_name);
// Parses the `systems:` list of a YAML document.
Result<std::vector<System>> ParseSystems(std::string_view text, const std::string& file_name);

// Returns true when `arg` names a model on disk or looks like a path: an
// existing file, a folder holding a config.json, a '/' in it, or a
// .json/.yaml/.yml ending (rather than a catalog id).
bool LooksLikeModelPath(const std::string& arg);

// Resolves a --model argument: an existing file (config.json, .yaml), then a
// model folder's config.json, wins over a preset of the same id or alias;
// then a preset; a folder without a config.json is an error saying so,
// something else that exists gets the reader's reason, and a path-like
// argument that does not exist is an error naming it. Every command that
// takes a model (fit, train, compare, serve, plan, show) resolves it here. When a preset shares the name, or a folder without a
// config.json does, `notes` (when given) receives a line saying which was used.
Result<ModelSpec> ResolveModelArg(const Catalog& catalog, const std::string& model_arg,
                                  std::vector<std::string>* notes = nullptr);

}  // namespace suanli
