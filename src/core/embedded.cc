#include "core/embedded.h"

namespace suanli {

std::string_view FindEmbeddedFile(std::string_view name) {
  for (const EmbeddedFile& file : EmbeddedFiles()) {
    if (file.name == name) return file.content;
  }
  return {};
}

}  // namespace suanli
