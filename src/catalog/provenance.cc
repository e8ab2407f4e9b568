#include "catalog/provenance.h"

namespace suanli {

const FieldRecord* FindField(const Provenance& provenance, const std::string& path) {
  for (const FieldRecord& record : provenance) {
    if (record.path == path) return &record;
  }
  return nullptr;
}

}  // namespace suanli
