#include "catalog/provenance.h"

#include "core/i18n.h"

namespace suanli {

const FieldRecord* FindField(const Provenance& provenance, const std::string& path) {
  for (const FieldRecord& record : provenance) {
    if (record.path == path) return &record;
  }
  return nullptr;
}

const std::string& ShownText(const FieldRecord& record) {
  return record.shown_text.empty() ? record.text : record.shown_text;
}

const std::string& ShownSource(const FieldRecord& record) {
  return record.shown_source.empty() ? record.source : record.shown_source;
}

std::string InRunLanguage(std::string_view english) {
  return CurrentLanguage() == Language::kEnglish ? std::string() : Tr(english);
}

}  // namespace suanli
