// Reading one row of a serving-runs CSV (SERVING.md) field by field: every
// cell is checked when read, and an error names file:line (column N 'name'),
// what is wrong and the nearest valid values (serve-internal).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "core/csv.h"
#include "core/result.h"
#include "serve/engine.h"
#include "serve/serving_runs.h"

namespace suanli {

// The cells of one record by column name, with located errors.
class ServingRowReader {
 public:
  ServingRowReader(const CsvRecord& record, const std::map<std::string, size_t>& columns, const std::string& file)
      : record_(record), columns_(columns), file_(file) {}

  // Returns the cell of `column`; "" when blank or when the file has no such column.
  std::string Text(const std::string& column) const;
  // Returns whether the cell of `column` is filled in.
  bool Given(const std::string& column) const { return !Text(column).empty(); }
  // Returns the whole number in `column`, within [min, max]; `blank` when the
  // cell is blank and not `required`.
  Result<int> Int(const std::string& column, bool required, int blank, int min, int max) const;
  // Returns the number in `column`, within [min, max]; `blank` when blank and not `required`.
  Result<double> Number(const std::string& column, bool required, double blank, double min, double max) const;
  // Returns a 0/1 cell; `blank` when blank and not `required`.
  Result<bool> Flag(const std::string& column, bool required, bool blank) const;
  // Returns the cell when it is one of `allowed` (any case; returned in the
  // list's spelling); "" when blank and not `required`. An unknown value names
  // the nearest allowed ones.
  Result<std::string> OneOf(const std::string& column, bool required, const std::vector<std::string>& allowed) const;
  // Returns OK when `column` is filled in or the file has no such column.
  Status Filled(const std::string& column) const;
  // Returns "file:line (column N 'name')".
  std::string Where(const std::string& column) const;
  // Returns an error at `column`.
  Error Fail(const std::string& column, const std::string& message, const std::string& hint = "") const;
  int line() const { return record_.line; }

 private:
  // Returns `parsed`, its error located at `column`.
  template <typename T>
  Result<T> Located(Result<T> parsed, const std::string& column) const {
    if (parsed.ok()) return parsed;
    return Fail(column, parsed.error().message, parsed.error().hint);
  }

  const CsvRecord& record_;
  const std::map<std::string, size_t>& columns_;
  const std::string& file_;
};

// Returns the row the reader holds, every field checked: numbers in range,
// flags 0/1, enums of SERVING.md (confidence, precisions, metric), the
// engine (SERVING.md's or data/engines.yaml's) and the accelerator (the
// catalog's). Request lengths and loads left blank are filled by the caller.
Result<ServingRunRow> ReadServingRow(const ServingRowReader& r, const Catalog& catalog,
                                     const std::vector<EngineSpec>& engines);

}  // namespace suanli
