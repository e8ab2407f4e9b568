#include "catalog/provenance.h"

#include <utility>

#include "core/i18n.h"

namespace suanli {

const FieldRecord* FindField(const Provenance& provenance, const std::string& path) {
  for (const FieldRecord& record : provenance) {
    if (record.path == path) return &record;
  }
  return nullptr;
}

FieldRecord ForPeople(const FieldRecord& record) {
  FieldRecord shown = record;
  if (!record.shown_text.empty()) shown.text = record.shown_text;
  if (!record.shown_source.empty()) shown.source = record.shown_source;
  shown.shown_text.clear();
  shown.shown_source.clear();
  return shown;
}

std::string ShownText(std::string_view english) {
  return CurrentLanguage() == Language::kEnglish ? std::string() : Tr(english);
}

}  // namespace suanli
