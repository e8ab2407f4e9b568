#include "core/yaml_reader.h"

#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "core/text.h"

namespace suanli {

Result<std::string> ReadTextFile(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return MakeError("is a directory, not a file", path, "give the path of a file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return MakeError(fmt::format("cannot open file: {}", std::strerror(errno)), path,
                     "check the path and its permissions");
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) {
    return MakeError("read error", path, "check the file and its permissions");
  }
  return buffer.str();
}

Result<YAML::Node> ParseYaml(std::string_view text, const std::string& file_name) {
  try {
    return YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    return MakeError(fmt::format("malformed YAML: {}", e.msg),
                     fmt::format("{}:{}:{}", file_name, e.mark.line + 1, e.mark.column + 1),
                     "fix the syntax at that line (indentation, a missing ':' or quote)");
  }
}

YamlMap::YamlMap(YAML::Node node, std::string file_name, std::string path)
    : node_(std::move(node)), file_name_(std::move(file_name)), path_(std::move(path)) {}

std::string YamlMap::Where(std::string_view key) const {
  const YAML::Node& self = node_;
  YAML::Node located = node_;
  if (!key.empty() && self.IsMap()) {
    const YAML::Node child = self[std::string(key)];
    if (child.IsDefined()) located.reset(child);  // reset: Node::operator= would overwrite node_
  }
  const YAML::Mark mark = located.Mark();
  std::string field = path_;
  if (!key.empty()) field = path_.empty() ? std::string(key) : path_ + "." + std::string(key);
  if (mark.is_null()) return fmt::format("{} {}", file_name_, field);
  return fmt::format("{}:{}:{} {}", file_name_, mark.line + 1, mark.column + 1, field);
}

bool YamlMap::Has(std::string_view key) const {
  const YAML::Node& self = node_;
  if (!self.IsMap()) return false;
  const YAML::Node child = self[std::string(key)];
  return child.IsDefined() && !child.IsNull();
}

YAML::Node YamlMap::Node(std::string_view key) const {
  const YAML::Node& self = node_;
  if (!self.IsMap()) return YAML::Node();
  return self[std::string(key)];
}

Error YamlMap::FieldError(std::string_view key, std::string message, std::string hint) const {
  return MakeError(std::move(message), Where(key), std::move(hint));
}

std::string YamlMap::Scalar(const YAML::Node& node) const { return node.Scalar(); }

Result<YamlMap> YamlMap::Map(std::string_view key) const {
  if (!Has(key)) return FieldError(key, "missing required section", "add it");
  YAML::Node child = Node(key);
  if (!child.IsMap()) return FieldError(key, "must be a mapping (key: value lines)");
  return YamlMap(child, file_name_, path_.empty() ? std::string(key) : path_ + "." + std::string(key));
}

Result<std::vector<YamlMap>> YamlMap::MapList(std::string_view key) const {
  if (!Has(key)) return FieldError(key, "missing required list", "add it");
  YAML::Node child = Node(key);
  if (!child.IsSequence()) return FieldError(key, "must be a list (lines starting with '-')");
  std::vector<YamlMap> out;
  const std::string base = path_.empty() ? std::string(key) : path_ + "." + std::string(key);
  for (size_t i = 0; i < child.size(); ++i) {
    YamlMap item(child[i], file_name_, fmt::format("{}[{}]", base, i));
    if (!child[i].IsMap()) return MakeError("list item must be a mapping", item.Where());
    out.push_back(std::move(item));
  }
  return out;
}

Result<std::string> YamlMap::String(std::string_view key) const {
  if (!Has(key)) return FieldError(key, "missing required field", "add it");
  const YAML::Node child = Node(key);
  if (!child.IsScalar()) return FieldError(key, "must be a single value, not a list or mapping");
  return child.Scalar();
}

std::string YamlMap::StringOr(std::string_view key, std::string fallback) const {
  if (!Has(key) || !Node(key).IsScalar()) return fallback;
  return Node(key).Scalar();
}

Result<std::vector<std::string>> YamlMap::StringList(std::string_view key) const {
  std::vector<std::string> out;
  if (!Has(key)) return out;
  const YAML::Node child = Node(key);
  if (!child.IsSequence()) return FieldError(key, "must be a list of strings, e.g. [a, b]");
  for (const auto& item : child) {
    if (!item.IsScalar()) return FieldError(key, "every item must be a plain string");
    out.push_back(item.Scalar());
  }
  return out;
}

Result<double> YamlMap::Number(std::string_view key, double min, double max) const {
  SUANLI_ASSIGN_OR_RETURN(const std::string text, String(key));
  auto value = ParseNumber(text);
  if (!value.ok()) return FieldError(key, value.error().message, "write a plain number");
  if (*value < min || *value > max) {
    return FieldError(key, fmt::format("value {} is out of range", text),
                      fmt::format("expected a number between {} and {}", min, max));
  }
  return *value;
}

Result<double> YamlMap::NumberOr(std::string_view key, double fallback, double min,
                                 double max) const {
  if (!Has(key)) return fallback;
  return Number(key, min, max);
}

Result<int64_t> YamlMap::Int(std::string_view key, int64_t min, int64_t max) const {
  SUANLI_ASSIGN_OR_RETURN(const std::string text, String(key));
  auto value = ParseNumber(text);
  if (!value.ok() || std::floor(*value) != *value) {
    return FieldError(key, fmt::format("'{}' is not a whole number", text), "write an integer");
  }
  if (*value < static_cast<double>(min) || *value > static_cast<double>(max)) {
    return FieldError(key, fmt::format("value {} is out of range", text),
                      fmt::format("expected an integer between {} and {}", min, max));
  }
  return static_cast<int64_t>(*value);
}

Result<int64_t> YamlMap::IntOr(std::string_view key, int64_t fallback, int64_t min,
                               int64_t max) const {
  if (!Has(key)) return fallback;
  return Int(key, min, max);
}

Result<bool> YamlMap::Bool(std::string_view key) const {
  SUANLI_ASSIGN_OR_RETURN(const std::string text, String(key));
  const std::string lower = ToLower(text);
  if (lower == "true" || lower == "yes") return true;
  if (lower == "false" || lower == "no") return false;
  return FieldError(key, fmt::format("'{}' is not a boolean", text), "write true or false");
}

Result<bool> YamlMap::BoolOr(std::string_view key, bool fallback) const {
  if (!Has(key)) return fallback;
  return Bool(key);
}

Result<double> YamlMap::Quantity(std::string_view key, Dimension dimension) const {
  SUANLI_ASSIGN_OR_RETURN(const std::string text, String(key));
  auto value = ParseQuantity(text, dimension);
  if (!value.ok()) return FieldError(key, value.error().message, value.error().hint);
  if (*value <= 0) return FieldError(key, fmt::format("'{}' must be greater than zero", text));
  return *value;
}

Result<double> YamlMap::QuantityOr(std::string_view key, Dimension dimension,
                                   double fallback) const {
  if (!Has(key)) return fallback;
  return Quantity(key, dimension);
}

Status YamlMap::CheckKeys(std::initializer_list<std::string_view> known) const {
  if (!node_.IsMap()) return MakeError("must be a mapping", Where());
  std::vector<std::string> known_list(known.begin(), known.end());
  for (const auto& entry : node_) {
    const std::string key = entry.first.Scalar();
    bool found = false;
    for (std::string_view k : known) found = found || (k == key);
    if (!found) {
      const auto mark = entry.first.Mark();
      const std::string field = path_.empty() ? key : path_ + "." + key;
      std::string hint = DidYouMean(NearestMatches(key, known_list));
      if (hint.empty()) hint = "known fields: " + Join(known_list, ", ");
      return MakeError(fmt::format("unknown field '{}'", key),
                       fmt::format("{}:{}:{} {}", file_name_, mark.line + 1, mark.column + 1, field),
                       hint);
    }
  }
  return OkStatus();
}

}  // namespace suanli
