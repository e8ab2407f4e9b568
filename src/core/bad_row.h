// A row of an input table that could not be read: where and why. Readers of
// runs files (training and serving) record one per bad row and read the rest.
#pragma once

#include <string>

namespace suanli {

struct BadRow {
  std::string where;    // file:line (column N 'name')
  std::string message;  // what is wrong, and the fix when there is one
};

}  // namespace suanli
