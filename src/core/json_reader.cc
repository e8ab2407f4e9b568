// A small recursive-descent JSON parser (RFC 8259) that records where each
// value and key is written, and the JsonMap field readers over it.
#include "core/json_reader.h"
#include "core/i18n.h"
#include "core/text_file.h"
#include "core/utf8.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <tuple>

#include <fmt/format.h>

namespace suanli {
namespace {

constexpr int kMaxDepth = 256;  // deeper nesting is rejected instead of exhausting the stack

bool IsDelimiter(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' || c == ':' || c == '[' ||
         c == ']' || c == '{' || c == '}' || c == '"';
}

// Returns "a string", "'x'" or "the end of the file" for syntax messages.
std::string TokenName(std::string_view text, size_t pos) {
  if (pos >= text.size()) return Tr("the end of the file");
  if (text[pos] == '"') return Tr("a string");
  // The whole UTF-8 character at `pos`; a broken or control byte as \xNN.
  return fmt::format("'{}'", ExcerptForMessage(text.substr(pos, std::max<size_t>(1, Utf8SequenceLength(text, pos))), 8));
}

class Parser {
 public:
  Parser(std::string_view text, const std::string& file) : text_(text), file_(file) {}

  Result<JsonValue> Document() {
    SkipSpace();
    SUANLI_ASSIGN_OR_RETURN(JsonValue root, Value(0));
    SkipSpace();
    if (pos_ < text_.size()) return SyntaxError(Tr("unexpected text after the JSON value"));
    return root;
  }

 private:
  Result<JsonValue> Value(int depth) {
    if (depth > kMaxDepth) return SyntaxError(Tr("nested deeper than 256 levels"));
    JsonValue value;
    value.line = line_;
    value.column = column_;
    if (pos_ >= text_.size()) return SyntaxError(Tr("expected a value, found the end of the file"));
    const char c = text_[pos_];
    if (c == '{') return Object(std::move(value), depth);
    if (c == '[') return Array(std::move(value), depth);
    if (c == '"') {
      value.kind = JsonValue::Kind::kString;
      SUANLI_ASSIGN_OR_RETURN(value.text, String());
      return value;
    }
    if (c == '-' || (c >= '0' && c <= '9')) return Number(std::move(value));
    for (const auto& [word, kind, flag] :
         {std::tuple{"true", JsonValue::Kind::kBool, true},
          std::tuple{"false", JsonValue::Kind::kBool, false},
          std::tuple{"null", JsonValue::Kind::kNull, false}}) {
      const std::string_view w(word);
      if (text_.substr(pos_, w.size()) == w &&
          (pos_ + w.size() == text_.size() || IsDelimiter(text_[pos_ + w.size()]))) {
        value.kind = kind;
        value.boolean = flag;
        value.text = std::string(w);
        Advance(w.size());
        return value;
      }
    }
    return SyntaxError(TrFormat("expected a value, found {}", TokenName(text_, pos_)));
  }

  Result<JsonValue> Object(JsonValue value, int depth) {
    value.kind = JsonValue::Kind::kObject;
    Advance(1);
    SkipSpace();
    if (Peek() == '}') {
      Advance(1);
      return value;
    }
    while (true) {
      SkipSpace();
      if (Peek() != '"') {
        return SyntaxError(TrFormat("expected a key in quotes, found {}",
                                       TokenName(text_, pos_)));
      }
      JsonValue::Member member;
      member.line = line_;
      member.column = column_;
      SUANLI_ASSIGN_OR_RETURN(member.key, String());
      if (value.Find(member.key) != nullptr) {
        return MakeError(TrFormat("duplicate key '{}'", member.key),
                         fmt::format("{}:{}:{} {}", file_, member.line, member.column, member.key),
                         Tr("each key may appear once in an object: remove one"));
      }
      SkipSpace();
      if (Peek() != ':') {
        return SyntaxError(TrFormat("expected ':' after the key, found {}",
                                       TokenName(text_, pos_)));
      }
      Advance(1);
      SkipSpace();
      key_ = member.key;
      SUANLI_ASSIGN_OR_RETURN(member.value, Value(depth + 1));
      value.members.push_back(std::move(member));
      SkipSpace();
      if (Peek() == ',') {
        Advance(1);
        continue;
      }
      if (Peek() == '}') {
        Advance(1);
        return value;
      }
      return SyntaxError(TrFormat("expected ',' or '}}' after a member, found {}",
                                     TokenName(text_, pos_)));
    }
  }

  Result<JsonValue> Array(JsonValue value, int depth) {
    value.kind = JsonValue::Kind::kArray;
    Advance(1);
    SkipSpace();
    if (Peek() == ']') {
      Advance(1);
      return value;
    }
    while (true) {
      SkipSpace();
      SUANLI_ASSIGN_OR_RETURN(JsonValue item, Value(depth + 1));
      value.items.push_back(std::move(item));
      SkipSpace();
      if (Peek() == ',') {
        Advance(1);
        continue;
      }
      if (Peek() == ']') {
        Advance(1);
        return value;
      }
      return SyntaxError(TrFormat("expected ',' or ']' after a list item, found {}",
                                     TokenName(text_, pos_)));
    }
  }

  Result<JsonValue> Number(JsonValue value) {
    size_t end = pos_;
    while (end < text_.size() && !IsDelimiter(text_[end])) ++end;
    const std::string_view token = text_.substr(pos_, end - pos_);
    if (!IsJsonNumber(token)) {
      return SyntaxError(TrFormat("'{}' is not a JSON number", token));
    }
    value.kind = JsonValue::Kind::kNumber;
    value.text = std::string(token);
    const auto [ptr, ec] = std::from_chars(token.data(), token.data() + token.size(), value.number);
    if (ec == std::errc::result_out_of_range) {
      const size_t e = token.find_first_of("eE");
      const bool tiny = e != std::string_view::npos && e + 1 < token.size() && token[e + 1] == '-';
      if (!tiny) {
        return MakeError(TrFormat("number {} is too large", token),
                         fmt::format("{}:{}:{}{}{}", file_, line_, column_,
                                     key_.empty() ? "" : " ", key_),
                         Tr("write a number below 1e308"));
      }
      value.number = 0;  // underflow: smaller than the smallest double
    } else if (ec != std::errc() || ptr != token.data() + token.size() ||
               !std::isfinite(value.number)) {
      return SyntaxError(TrFormat("'{}' is not a JSON number", token));
    }
    Advance(token.size());
    return value;
  }

  // -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
  static bool IsJsonNumber(std::string_view s) {
    size_t i = 0;
    auto digits = [&] {
      const size_t start = i;
      while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
      return i > start;
    };
    if (i < s.size() && s[i] == '-') ++i;
    if (i < s.size() && s[i] == '0') {
      ++i;
    } else if (!digits()) {
      return false;
    }
    if (i < s.size() && s[i] == '.') {
      ++i;
      if (!digits()) return false;
    }
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
      ++i;
      if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
      if (!digits()) return false;
    }
    return i == s.size();
  }

  // Reads a quoted string at pos_; returns it decoded (UTF-8).
  Result<std::string> String() {
    Advance(1);
    std::string out;
    while (true) {
      if (pos_ >= text_.size()) return SyntaxError(Tr("unterminated string"));
      const char c = text_[pos_];
      if (c == '"') {
        Advance(1);
        return out;
      }
      if (static_cast<unsigned char>(c) < 0x20) {
        return SyntaxError(Tr("control character inside a string (write \\n, \\t, ...)"));
      }
      if (c != '\\') {
        out.push_back(c);
        Advance(1);
        continue;
      }
      if (pos_ + 1 >= text_.size()) return SyntaxError(Tr("unterminated string"));
      const char e = text_[pos_ + 1];
      const std::string_view simple = "\"\\/bfnrt";
      const std::string_view decoded = "\"\\/\b\f\n\r\t";
      if (const size_t k = simple.find(e); k != std::string_view::npos) {
        out.push_back(decoded[k]);
        Advance(2);
        continue;
      }
      if (e != 'u') return SyntaxError(TrFormat("unknown escape '\\{}' in a string", e));
      SUANLI_ASSIGN_OR_RETURN(uint32_t code, Hex4(pos_ + 2));
      Advance(6);
      if (code >= 0xD800 && code <= 0xDBFF && text_.substr(pos_, 2) == "\\u") {
        SUANLI_ASSIGN_OR_RETURN(uint32_t low, Hex4(pos_ + 2));
        if (low >= 0xDC00 && low <= 0xDFFF) {
          code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
          Advance(6);
        }
      }
      AppendUtf8(out, code);
    }
  }

  Result<uint32_t> Hex4(size_t at) {
    uint32_t code = 0;
    if (at + 4 > text_.size()) return SyntaxError(Tr("'\\u' needs four hex digits"));
    for (size_t i = at; i < at + 4; ++i) {
      const char h = text_[i];
      int digit = -1;
      if (h >= '0' && h <= '9') digit = h - '0';
      if (h >= 'a' && h <= 'f') digit = h - 'a' + 10;
      if (h >= 'A' && h <= 'F') digit = h - 'A' + 10;
      if (digit < 0) return SyntaxError(Tr("'\\u' needs four hex digits"));
      code = code * 16 + static_cast<uint32_t>(digit);
    }
    return code;
  }

  static void AppendUtf8(std::string& out, uint32_t code) {
    if (code < 0x80) {
      out.push_back(static_cast<char>(code));
    } else if (code < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (code >> 6)));
      out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
    } else if (code < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (code >> 12)));
      out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (code >> 18)));
      out.push_back(static_cast<char>(0x80 | ((code >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
    }
  }

  char Peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }

  void Advance(size_t n) {
    for (size_t i = 0; i < n && pos_ < text_.size(); ++i, ++pos_) {
      if (text_[pos_] == '\n') {
        ++line_;
        column_ = 1;
      } else {
        ++column_;
      }
    }
  }

  void SkipSpace() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                   text_[pos_] == '\n' || text_[pos_] == '\r')) {
      Advance(1);
    }
  }

  // A syntax error located at the last character of the token at pos_.
  Error SyntaxError(std::string message) const {
    size_t end = pos_;
    if (pos_ < text_.size()) {
      if (text_[pos_] == '"') {
        end = text_.find_first_of("\"\n", pos_ + 1);
        if (end == std::string_view::npos) end = text_.size() - 1;
      } else if (!IsDelimiter(text_[pos_])) {
        while (end + 1 < text_.size() && !IsDelimiter(text_[end + 1])) ++end;
      }
    }
    int line = line_, column = column_;
    for (size_t i = pos_; i < end; ++i) {
      if (text_[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    return MakeError(TrFormat("malformed JSON: {}", message),
                     fmt::format("{}:{}:{}", file_, line, column),
                     Tr("fix the JSON syntax at that position"));
  }

  std::string_view text_;
  const std::string& file_;
  size_t pos_ = 0;
  int line_ = 1;
  int column_ = 1;
  std::string key_;  // the key of the member being read, for number errors
};

// Returns how a value is written, for "got ..." in messages.
std::string Shown(const JsonValue& value) {
  switch (value.kind) {
    case JsonValue::Kind::kString: return fmt::format("\"{}\"", value.text);
    case JsonValue::Kind::kArray: return Tr("a list");
    case JsonValue::Kind::kObject: return Tr("an object");
    default: return value.text;
  }
}

}  // namespace

const JsonValue* JsonValue::Find(std::string_view key) const {
  for (const Member& member : members) {
    if (member.key == key) return &member.value;
  }
  return nullptr;
}

Result<JsonValue> ParseJson(std::string_view text, const std::string& file_name) {
  return Parser(StripUtf8Bom(text), file_name).Document();
}

JsonMap::JsonMap(const JsonValue& object, std::string file_name)
    : object_(object), file_name_(std::move(file_name)) {}

std::string JsonMap::Where(std::string_view key) const {
  for (const JsonValue::Member& member : object_.members) {
    if (member.key == key) {
      return fmt::format("{}:{}:{} {}", file_name_, member.line, member.column, key);
    }
  }
  return fmt::format("{} {}", file_name_, key);
}

const JsonValue* JsonMap::Get(std::string_view key) const {
  const JsonValue* value = object_.Find(key);
  return value != nullptr && value->kind != JsonValue::Kind::kNull ? value : nullptr;
}

bool JsonMap::Has(std::string_view key) const { return Get(key) != nullptr; }

std::string JsonMap::First(std::initializer_list<std::string_view> keys) const {
  for (std::string_view key : keys) {
    if (Has(key)) return std::string(key);
  }
  return {};
}

Result<std::string> JsonMap::String(std::string_view key) const {
  const JsonValue* value = Get(key);
  if (value == nullptr) {
    return MakeError(TrFormat("missing field '{}'", key), file_name_,
                     TrFormat("add \"{}\"", key));
  }
  if (value->kind != JsonValue::Kind::kString) {
    return MakeError(TrFormat("'{}' must be a string, got {}", key, Shown(*value)), Where(key));
  }
  return value->text;
}

Result<int64_t> JsonMap::Int(std::string_view key, int64_t min, int64_t max) const {
  const JsonValue* value = Get(key);
  if (value == nullptr) {
    return MakeError(TrFormat("missing required field '{}'", key), file_name_,
                     TrFormat("add \"{}\" to the config", key));
  }
  if (value->kind != JsonValue::Kind::kNumber) {
    return MakeError(TrFormat("'{}' must be a number, got {}", key, Shown(*value)), Where(key));
  }
  if (std::floor(value->number) != value->number) {
    return MakeError(TrFormat("'{}' must be a whole number, got {}", key, value->text),
                     Where(key));
  }
  if (value->number < static_cast<double>(min) || value->number > static_cast<double>(max)) {
    return MakeError(TrFormat("'{}' = {} is out of range", key, value->text), Where(key),
                     TrFormat("expected an integer between {} and {}", min, max));
  }
  return static_cast<int64_t>(value->number);
}

Result<int64_t> JsonMap::IntOr(std::string_view key, int64_t fallback, int64_t min,
                               int64_t max) const {
  if (!Has(key)) return fallback;
  return Int(key, min, max);
}

Result<int64_t> JsonMap::AnyInt(std::initializer_list<std::string_view> keys, int64_t min,
                                int64_t max) const {
  const std::string key = First(keys);
  return Int(key.empty() ? *keys.begin() : key, min, max);
}

Result<double> JsonMap::NumberOr(std::string_view key, double fallback, double min,
                                 double max) const {
  const JsonValue* value = Get(key);
  if (value == nullptr) return fallback;
  if (value->kind != JsonValue::Kind::kNumber) {
    return MakeError(TrFormat("'{}' must be a number, got {}", key, Shown(*value)), Where(key));
  }
  if (value->number < min || value->number > max) {
    return MakeError(TrFormat("'{}' = {} is out of range", key, value->text), Where(key),
                     TrFormat("expected a number between {} and {}", min, max));
  }
  return value->number;
}

Result<bool> JsonMap::BoolOr(std::string_view key, bool fallback) const {
  const JsonValue* value = Get(key);
  if (value == nullptr) return fallback;
  if (value->kind != JsonValue::Kind::kBool) {
    return MakeError(TrFormat("'{}' must be true or false, got {}", key, Shown(*value)),
                     Where(key));
  }
  return value->boolean;
}

}  // namespace suanli
