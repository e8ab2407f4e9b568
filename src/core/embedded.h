// Data files (catalog, model presets, market seed data) embedded in the
// binary at build time from data/, so a lone binary works offline.
#pragma once

#include <string_view>
#include <vector>

namespace suanli {

struct EmbeddedFile {
  std::string_view name;     // path relative to data/, e.g. "accelerators.yaml"
  std::string_view content;  // the file's bytes
};

// Returns every embedded file, in the order listed in data/CMakeLists.txt.
const std::vector<EmbeddedFile>& EmbeddedFiles();

// Returns the content of the embedded file `name`, or an empty view.
std::string_view FindEmbeddedFile(std::string_view name);

}  // namespace suanli
