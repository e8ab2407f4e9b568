// Reading the accelerators: and systems: lists of a catalog YAML file into
// entries, each number with its provenance (used by Catalog::MergeText).
#pragma once

#include <vector>

#include "catalog/accelerator.h"
#include "catalog/system.h"
#include "core/result.h"
#include "core/yaml_reader.h"

namespace suanli {

// Returns the entries of `top`'s accelerators: list; ids must be unique.
Result<std::vector<Accelerator>> ParseAcceleratorList(const YamlMap& top);

// Returns the entries of `top`'s systems: list; each system's accelerator must
// be in `known` (when not null); ids must be unique.
Result<std::vector<System>> ParseSystemList(const YamlMap& top, const std::vector<Accelerator>* known);

}  // namespace suanli
