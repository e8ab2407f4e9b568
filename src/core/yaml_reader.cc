#include "core/yaml_reader.h"

#include <algorithm>
#include <map>

#include <yaml-cpp/depthguard.h>

#include <fmt/format.h>

#include "core/number.h"
#include "core/text.h"
#include "core/utf8.h"
#include "core/i18n.h"

namespace suanli {

namespace {

// Returns "file:line:col" for a yaml-cpp mark (0-based), or the file alone.
std::string MarkWhere(const std::string& file_name, const YAML::Mark& mark) {
  if (mark.is_null()) return file_name;
  return fmt::format("{}:{}:{}", file_name, mark.line + 1, mark.column + 1);
}

// Returns "file:line:col" of byte `offset` in `text` (columns in bytes).
std::string OffsetWhere(const std::string& file_name, std::string_view text, size_t offset) {
  const std::string_view before = text.substr(0, offset);
  const size_t line = static_cast<size_t>(std::count(before.begin(), before.end(), '\n')) + 1;
  const size_t line_start = before.rfind('\n');
  const size_t column = line_start == std::string_view::npos ? offset + 1 : offset - line_start;
  return fmt::format("{}:{}:{}", file_name, line, column);
}

// Returns the 1-based line of a second YAML document in `text` (its first
// content line after a '---' or '...' that follows content), or 0 when there
// is one document. A line scan instead of YAML::LoadAll, which never returns
// on a plain scalar that starts with ',' (yaml-cpp 0.7; found by fuzz_scenario_yaml).
size_t SecondDocumentLine(std::string_view text) {
  const auto is_marker = [](std::string_view line, std::string_view marker) {
    return line.substr(0, 3) == marker && (line.size() == 3 || line[3] == ' ' || line[3] == '\t');
  };
  bool seen_content = false;
  size_t separator_line = 0;
  size_t number = 0;
  for (size_t start = 0; start <= text.size();) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    ++number;
    start = end + 1;
    const size_t first = line.find_first_not_of(" \t");
    const bool blank = first == std::string_view::npos || line[first] == '#';
    const bool separator = is_marker(line, "---") || is_marker(line, "...");
    if (separator) {
      const std::string_view rest = line.substr(3);
      const size_t after = rest.find_first_not_of(" \t");
      const bool inline_content = after != std::string_view::npos && rest[after] != '#';
      if (seen_content && separator_line == 0) separator_line = number;
      if (separator_line != 0 && inline_content) return number;
      if (inline_content) seen_content = true;
      continue;
    }
    if (blank || (!seen_content && line[first] == '%')) continue;
    if (separator_line != 0) return number;
    seen_content = true;
  }
  return 0;  // a closing '---' or '...' with nothing after it ends the one document
}

// Walks the parsed tree once: duplicate keys, non-scalar keys, nesting depth,
// alias expansion (at most `budget` node visits) and UTF-8 of every scalar.
class TreeChecker {
 public:
  TreeChecker(const std::string& file_name, size_t budget) : file_name_(file_name), budget_(budget) {}

  Status Check(const YAML::Node& node, int depth) {
    if (visits_++ > budget_) {
      return MakeError(Tr("aliases expand to more nodes than the file has bytes"),
                       MarkWhere(file_name_, node.Mark()), Tr("write the values out instead of using aliases"));
    }
    if (depth > kMaxYamlDepth) {
      return MakeError(TrFormat("nesting deeper than {} levels", kMaxYamlDepth),
                       MarkWhere(file_name_, node.Mark()), Tr("flatten the document"));
    }
    if (node.IsScalar()) {
      // yaml-cpp tags quoted scalars "!"; remember the last one in the text.
      if (node.Tag() == "!" && !node.Mark().is_null() &&
          (last_quoted_.is_null() || node.Mark().pos > last_quoted_.pos)) {
        last_quoted_ = node.Mark();
      }
      return ValidateUtf8Text(node.Scalar(), MarkWhere(file_name_, node.Mark()));
    }
    if (node.IsSequence()) {
      for (const auto& item : node) SUANLI_RETURN_IF_ERROR(Check(item, depth + 1));
      return OkStatus();
    }
    if (node.IsMap()) return CheckMap(node, depth);
    return OkStatus();
  }

  // yaml-cpp accepts a quoted scalar left open at the end of the text
  // ('name: "abc'); only the last quoted scalar can run to the end, so
  // scanning it once finds the missing closing quote.
  Status CheckLastQuoteClosed(std::string_view text) const {
    if (last_quoted_.is_null()) return OkStatus();
    const auto start = static_cast<size_t>(last_quoted_.pos);
    if (start >= text.size() || (text[start] != '"' && text[start] != '\'')) return OkStatus();
    const char quote = text[start];
    for (size_t i = start + 1; i < text.size(); ++i) {
      if (quote == '"' && text[i] == '\\') {
        ++i;
      } else if (text[i] == quote) {
        if (quote == '\'' && i + 1 < text.size() && text[i + 1] == '\'') {
          ++i;
        } else {
          return OkStatus();
        }
      }
    }
    return MakeError(Tr("quoted text is never closed"), MarkWhere(file_name_, last_quoted_),
                     TrFormat("add the closing {}", quote));
  }

 private:
  Status CheckMap(const YAML::Node& node, int depth) {
    std::map<std::string, int> first_line;  // key -> 1-based line of its first use
    for (const auto& entry : node) {
      const YAML::Node& key = entry.first;
      if (!key.IsScalar() && !key.IsNull()) {
        return MakeError(Tr("a list or mapping cannot be a key"), MarkWhere(file_name_, key.Mark()),
                         Tr("use a plain name as the key"));
      }
      SUANLI_RETURN_IF_ERROR(Check(key, depth + 1));
      const std::string name = key.IsScalar() ? key.Scalar() : std::string();
      const auto [it, inserted] = first_line.emplace(name, key.Mark().line + 1);
      if (!inserted) {
        return MakeError(TrFormat("duplicate key '{}' (first given at line {})",
                                     ExcerptForMessage(name), it->second),
                         MarkWhere(file_name_, key.Mark()), Tr("give each key once per mapping"));
      }
      SUANLI_RETURN_IF_ERROR(Check(entry.second, depth + 1));
    }
    return OkStatus();
  }

  const std::string& file_name_;
  YAML::Mark last_quoted_ = YAML::Mark::null_mark();
  size_t budget_;
  size_t visits_ = 0;
};

}  // namespace

Result<YAML::Node> ParseYaml(std::string_view text, const std::string& file_name) {
  text = StripUtf8Bom(text);
  if (const auto problem = FindUtf8Problem(text)) {
    return MakeError(problem->reason, OffsetWhere(file_name, text, problem->offset),
                     NotUtf8Hint(text, problem->offset));
  }
  if (const size_t line = SecondDocumentLine(text); line > 0) {
    return MakeError(Tr("more than one YAML document ('---' separator)"), fmt::format("{}:{}:1", file_name, line),
                     Tr("keep one document per file"));
  }
  YAML::Node document;
  try {
    document = YAML::Load(std::string(text));
  } catch (const YAML::DeepRecursion& e) {
    return MakeError(TrFormat("nesting deeper than {} levels", kMaxYamlDepth),
                     MarkWhere(file_name, e.mark), Tr("flatten the document"));
  } catch (const YAML::Exception& e) {
    return MakeError(TrFormat("malformed YAML: {}", ExcerptForMessage(e.msg, 200)),
                     MarkWhere(file_name, e.mark),
                     Tr("fix the syntax at that line (indentation, a missing ':' or quote)"));
  } catch (const std::exception& e) {
    return MakeError(TrFormat("cannot parse YAML: {}", ExcerptForMessage(e.what(), 200)), file_name);
  }
  TreeChecker checker(file_name, text.size() + 64);
  SUANLI_RETURN_IF_ERROR(checker.Check(document, 1));
  SUANLI_RETURN_IF_ERROR(checker.CheckLastQuoteClosed(text));
  return document;
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
  // yaml-cpp returns an invalid node for a missing key of a const map, and
  // asking that node its type throws; an absent key reads as a null node.
  const YAML::Node found = self[std::string(key)];
  return found.IsDefined() ? found : YAML::Node(YAML::NodeType::Null);
}

Error YamlMap::FieldError(std::string_view key, std::string message, std::string hint) const {
  return MakeError(std::move(message), Where(key), std::move(hint));
}

std::string YamlMap::Scalar(const YAML::Node& node) const { return node.Scalar(); }

Result<YamlMap> YamlMap::Map(std::string_view key) const {
  if (!Has(key)) return FieldError(key, Tr("missing required section"), Tr("add it"));
  YAML::Node child = Node(key);
  if (!child.IsMap()) return FieldError(key, Tr("must be a mapping (key: value lines)"));
  return YamlMap(child, file_name_, path_.empty() ? std::string(key) : path_ + "." + std::string(key));
}

Result<std::vector<YamlMap>> YamlMap::MapList(std::string_view key) const {
  if (!Has(key)) return FieldError(key, Tr("missing required list"), Tr("add it"));
  YAML::Node child = Node(key);
  if (!child.IsSequence()) return FieldError(key, Tr("must be a list (lines starting with '-')"));
  std::vector<YamlMap> out;
  const std::string base = path_.empty() ? std::string(key) : path_ + "." + std::string(key);
  for (size_t i = 0; i < child.size(); ++i) {
    YamlMap item(child[i], file_name_, fmt::format("{}[{}]", base, i));
    if (!child[i].IsMap()) return MakeError(Tr("list item must be a mapping"), item.Where());
    out.push_back(std::move(item));
  }
  return out;
}

Result<std::string> YamlMap::String(std::string_view key) const {
  if (!Has(key)) return FieldError(key, Tr("missing required field"), Tr("add it"));
  const YAML::Node child = Node(key);
  if (!child.IsScalar()) return FieldError(key, Tr("must be a single value, not a list or mapping"));
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
  if (!child.IsSequence()) return FieldError(key, Tr("must be a list of strings, e.g. [a, b]"));
  for (const auto& item : child) {
    if (!item.IsScalar()) return FieldError(key, Tr("every item must be a plain string"));
    out.push_back(item.Scalar());
  }
  return out;
}

Result<double> YamlMap::Number(std::string_view key, double min, double max) const {
  SUANLI_ASSIGN_OR_RETURN(const std::string text, String(key));
  auto value = ParseNumberInRange(text, min, max);
  if (!value.ok()) {
    const Error& e = value.error();
    return FieldError(key, e.message, e.hint.empty() ? Tr("write a plain number") : e.hint);
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
  auto value = ParseInteger(text, min, max);
  if (!value.ok()) return FieldError(key, value.error().message, value.error().hint);
  return *value;
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
  return FieldError(key, TrFormat("'{}' is not a boolean", ExcerptForMessage(text)),
                    Tr("write true or false"));
}

Result<bool> YamlMap::BoolOr(std::string_view key, bool fallback) const {
  if (!Has(key)) return fallback;
  return Bool(key);
}

Result<double> YamlMap::Quantity(std::string_view key, Dimension dimension) const {
  SUANLI_ASSIGN_OR_RETURN(const std::string text, String(key));
  auto value = ParseQuantity(text, dimension);
  if (!value.ok()) return FieldError(key, value.error().message, value.error().hint);
  if (*value <= 0) return FieldError(key, TrFormat("'{}' must be greater than zero", ExcerptForMessage(text)));
  return *value;
}

Result<double> YamlMap::QuantityOr(std::string_view key, Dimension dimension,
                                   double fallback) const {
  if (!Has(key)) return fallback;
  return Quantity(key, dimension);
}

Result<double> YamlMap::QuantityInRange(std::string_view key, Dimension dimension, double min,
                                        double max) const {
  SUANLI_ASSIGN_OR_RETURN(const std::string text, String(key));
  auto value = ParseQuantityInRange(text, dimension, min, max);
  if (!value.ok()) return FieldError(key, value.error().message, value.error().hint);
  return *value;
}

Result<double> YamlMap::QuantityInRangeOr(std::string_view key, Dimension dimension, double fallback,
                                          double min, double max) const {
  if (!Has(key)) return fallback;
  return QuantityInRange(key, dimension, min, max);
}

Status YamlMap::CheckKeys(std::initializer_list<std::string_view> known) const {
  return CheckKeys(std::vector<std::string>(known.begin(), known.end()));
}

Status YamlMap::CheckKeys(const std::vector<std::string>& known_list) const {
  if (!node_.IsMap()) return MakeError(Tr("must be a mapping"), Where());
  for (const auto& entry : node_) {
    const std::string key = entry.first.Scalar();
    bool found = false;
    for (const std::string& k : known_list) found = found || (k == key);
    if (!found) {
      const auto mark = entry.first.Mark();
      const std::string field = path_.empty() ? key : path_ + "." + key;
      std::string hint = DidYouMean(NearestMatches(key, known_list));
      if (hint.empty()) hint = TrFormat("known fields: {}", Join(known_list, ", "));
      return MakeError(TrFormat("unknown field '{}'", ExcerptForMessage(key)),
                       fmt::format("{}:{}:{} {}", file_name_, mark.line + 1, mark.column + 1, field),
                       hint);
    }
  }
  return OkStatus();
}

}  // namespace suanli
