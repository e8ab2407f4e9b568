// Result<T>: a value or an Error for expected failures (bad input, missing
// file, unknown id). Programmer errors use assertions instead.
#pragma once

#include <cassert>
#include <string>
#include <vector>
#include <utility>
#include <variant>

namespace suanli {

// An expected failure: what is wrong, where (file:line:col and/or field
// path), and how to fix it.
struct Error {
  std::string message;  // one sentence: what is wrong
  std::string where;    // "file.yaml:12:5 accelerators[3].memory" or "--tp"
  std::string hint;     // how to fix it; may be empty
  // Further problems found in the same pass (every bad quote of a scenario,
  // each located); the CLI prints each on its own line after this one.
  std::vector<Error> more;

  // Returns "where: message (hint)" on one line (control bytes escaped as \xNN).
  std::string ToString() const;
};

// Builds an Error; `where` and `hint` may be empty.
Error MakeError(std::string message, std::string where = {}, std::string hint = {});

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Error error) : data_(std::move(error)) {}      // NOLINT: implicit by design

  bool ok() const { return data_.index() == 0; }
  explicit operator bool() const { return ok(); }

  const T& value() const& { assert(ok()); return std::get<0>(data_); }
  T& value() & { assert(ok()); return std::get<0>(data_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(data_)); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

  const Error& error() const { assert(!ok()); return std::get<1>(data_); }

 private:
  std::variant<T, Error> data_;
};

// Success-or-error without a value.
using Status = Result<std::monostate>;
inline Status OkStatus() { return Status(std::monostate{}); }

}  // namespace suanli

// Propagates an error from an expression returning Result/Status.
#define SUANLI_RETURN_IF_ERROR(expr)                  \
  do {                                                \
    auto suanli_status_ = (expr);                     \
    if (!suanli_status_.ok()) return suanli_status_.error(); \
  } while (0)

#define SUANLI_CONCAT_INNER_(a, b) a##b
#define SUANLI_CONCAT_(a, b) SUANLI_CONCAT_INNER_(a, b)
// Declares `lhs` from a Result expression, or returns its error.
#define SUANLI_ASSIGN_OR_RETURN(lhs, expr)                                   \
  auto SUANLI_CONCAT_(suanli_result_, __LINE__) = (expr);                    \
  if (!SUANLI_CONCAT_(suanli_result_, __LINE__).ok())                        \
    return SUANLI_CONCAT_(suanli_result_, __LINE__).error();                 \
  lhs = std::move(SUANLI_CONCAT_(suanli_result_, __LINE__)).value()
