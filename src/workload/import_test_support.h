// Test support for the model-import tests: import a config.json that must fail.
#pragma once

#include <string_view>

#include <gtest/gtest.h>

#include "workload/hf_config.h"

namespace suanli {

// Returns the error of importing `json` read from `path` (and fails the test if it imports).
inline Error ImportError(std::string_view json, std::string_view path = "m/config.json") {
  auto spec = ImportHfConfig(json, std::string(path));
  EXPECT_FALSE(spec.ok());
  return spec.ok() ? Error{} : spec.error();
}

}  // namespace suanli
