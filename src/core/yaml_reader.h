// Strict, located reading of YAML documents: every error names the file,
// line, column and field path; unknown and duplicate keys, deep nesting and
// non-UTF-8 text are rejected, unknown keys with the nearest known key as a hint.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "core/i18n.h"
#include "core/result.h"
#include "core/text_file.h"
#include "core/units.h"

namespace suanli {

// Deepest nesting of mappings and lists accepted in a YAML document.
constexpr int kMaxYamlDepth = 64;

// Parses one YAML document (a leading UTF-8 BOM is skipped). Errors come back
// located at "file:line:col": syntax errors, invalid UTF-8 or control bytes,
// a duplicate key in a mapping, a list or mapping used as a key, nesting
// deeper than kMaxYamlDepth, aliases that expand beyond the text's size and a
// second document. Every scalar is clean UTF-8 afterwards; never throws.
Result<YAML::Node> ParseYaml(std::string_view text, const std::string& file_name);

// A view of one YAML mapping with the file name and the field path used in
// error messages. Cheap to copy.
class YamlMap {
 public:
  YamlMap(YAML::Node node, std::string file_name, std::string path);

  // Returns "file:line:col path.key" for messages about `key` (or the map).
  std::string Where(std::string_view key = {}) const;
  // Returns true when `key` is present and not null.
  bool Has(std::string_view key) const;
  // Returns the raw node of `key` (null node when absent).
  YAML::Node Node(std::string_view key) const;
  // Returns the node this view wraps.
  const YAML::Node& node() const { return node_; }
  const std::string& file_name() const { return file_name_; }
  const std::string& path() const { return path_; }
  // Returns a view of the child mapping `key`; error if absent or not a map.
  Result<YamlMap> Map(std::string_view key) const;
  // Returns views of each mapping in the sequence `key`.
  Result<std::vector<YamlMap>> MapList(std::string_view key) const;

  Result<std::string> String(std::string_view key) const;
  std::string StringOr(std::string_view key, std::string fallback) const;
  Result<std::vector<std::string>> StringList(std::string_view key) const;
  // Integer in [min, max]; rejects fractions, text and out-of-range values.
  Result<int64_t> Int(std::string_view key, int64_t min, int64_t max) const;
  Result<int64_t> IntOr(std::string_view key, int64_t fallback, int64_t min, int64_t max) const;
  // Finite number in [min, max].
  Result<double> Number(std::string_view key, double min, double max) const;
  Result<double> NumberOr(std::string_view key, double fallback, double min, double max) const;
  Result<bool> Bool(std::string_view key) const;
  Result<bool> BoolOr(std::string_view key, bool fallback) const;
  // A quantity with a unit ("80 GiB"), returned in SI base units; must be > 0.
  Result<double> Quantity(std::string_view key, Dimension dimension) const;
  Result<double> QuantityOr(std::string_view key, Dimension dimension, double fallback) const;
  // A quantity with a unit in [min, max] (SI base units); the error gives the range with its unit.
  Result<double> QuantityInRange(std::string_view key, Dimension dimension, double min, double max) const;
  Result<double> QuantityInRangeOr(std::string_view key, Dimension dimension, double fallback, double min,
                                   double max) const;

  // Rejects keys not in `known`, suggesting the nearest known key.
  Status CheckKeys(std::initializer_list<std::string_view> known) const;
  // As above, for a key list kept in a table.
  Status CheckKeys(const std::vector<std::string>& known) const;

 private:
  Error FieldError(std::string_view key, std::string message, std::string hint = {}) const;
  std::string Scalar(const YAML::Node& node) const;

  YAML::Node node_;
  std::string file_name_;
  std::string path_;
};

// Returns the entries of the one top-level `key:` list of a data file, each
// read by `read` (const YamlMap& -> Result<T>); an entry whose `id` repeats an
// earlier one is an error at its id. Shared by the engine and stack files.
template <class T, class Read>
Result<std::vector<T>> ReadIdList(std::string_view text, const std::string& file_name, std::string_view key,
                                  const Read& read) {
  SUANLI_ASSIGN_OR_RETURN(YAML::Node root, ParseYaml(text, file_name));
  YamlMap top(root, file_name, "");
  SUANLI_RETURN_IF_ERROR(top.CheckKeys({key}));
  SUANLI_ASSIGN_OR_RETURN(std::vector<YamlMap> entries, top.MapList(key));
  std::vector<T> items;
  for (const YamlMap& entry : entries) {
    SUANLI_ASSIGN_OR_RETURN(T item, read(entry));
    for (const T& seen : items) {
      if (seen.id == item.id) {
        return MakeError(TrFormat("duplicate id '{}' in {}", item.id, key), entry.Where("id"),
                         Tr("give each entry its own id"));
      }
    }
    items.push_back(std::move(item));
  }
  return items;
}

}  // namespace suanli
