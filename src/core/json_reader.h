// Strict, located reading of JSON documents: every error names the file, line, column and field.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace suanli {

// One JSON value with the place it is written. Objects keep their members in
// file order; a key may appear once per object.
struct JsonValue {
  enum class Kind { kNull, kBool, kNumber, kString, kArray, kObject };
  struct Member;

  Kind kind = Kind::kNull;
  bool boolean = false;          // kBool
  double number = 0;             // kNumber (finite)
  std::string text;              // kString: the decoded string; otherwise the source text
  std::vector<JsonValue> items;  // kArray
  std::vector<Member> members;   // kObject
  int line = 0;                  // 1-based line where the value starts
  int column = 0;                // 1-based column where the value starts

  // Returns the member `key` of an object, or nullptr when absent or not an object.
  const JsonValue* Find(std::string_view key) const;
};

struct JsonValue::Member {
  std::string key;
  int line = 0;    // where the key's opening quote is written
  int column = 0;
  JsonValue value;
};

// Parses JSON text. Syntax errors, duplicate keys and numbers that overflow
// a double come back as "file:line:col: message"; for a syntax error the
// position is the last character of the offending token.
Result<JsonValue> ParseJson(std::string_view text, const std::string& file_name);

// A view of one JSON object with the file name used in error messages
// (mirrors YamlMap). Cheap to copy; the JsonValue must outlive it.
class JsonMap {
 public:
  JsonMap(const JsonValue& object, std::string file_name);

  // Returns "file:line:col key" where `key` is written, or "file key" when absent.
  std::string Where(std::string_view key) const;
  // Returns true when `key` is present and not null.
  bool Has(std::string_view key) const;
  // Returns the value of `key`, or nullptr when absent or null.
  const JsonValue* Get(std::string_view key) const;
  // Returns the first of `keys` present, or "" when none is.
  std::string First(std::initializer_list<std::string_view> keys) const;
  const std::string& file_name() const { return file_name_; }

  // Returns the string `key`; error when absent or not a string.
  Result<std::string> String(std::string_view key) const;
  // Returns the whole number `key` in [min, max]; error when absent, fractional or out of range.
  Result<int64_t> Int(std::string_view key, int64_t min, int64_t max) const;
  // Returns Int(key), or `fallback` when `key` is absent.
  Result<int64_t> IntOr(std::string_view key, int64_t fallback, int64_t min, int64_t max) const;
  // Returns Int of the first present of `keys`; an error names the first key when none is.
  Result<int64_t> AnyInt(std::initializer_list<std::string_view> keys, int64_t min,
                         int64_t max) const;
  // Returns the number `key` in [min, max], or `fallback` when absent.
  Result<double> NumberOr(std::string_view key, double fallback, double min, double max) const;
  // Returns the boolean `key`, or `fallback` when absent.
  Result<bool> BoolOr(std::string_view key, bool fallback) const;

 private:
  const JsonValue& object_;
  std::string file_name_;
};

}  // namespace suanli
