// Test support for the serving tests: the embedded catalog and engines, and
// decode batches and a constant-time iteration cost for hand computations.
#pragma once

#include <gtest/gtest.h>

#include <vector>

#include "catalog/catalog.h"
#include "serve/batch_work.h"
#include "serve/engine.h"

namespace suanli {

// A fixture holding the embedded catalog and engines.
class ServeDataTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto catalog = Catalog::LoadEmbedded();
    ASSERT_TRUE(catalog.ok());
    catalog_ = std::move(*catalog);
    auto engines = LoadEmbeddedEngines();
    ASSERT_TRUE(engines.ok());
    engines_ = std::move(*engines);
  }
  // Returns the catalog model `id`.
  const ModelSpec& Model(const char* id) { return **catalog_.FindModel(id); }
  // Returns a decode-only iteration of `seqs` sequences of `context` tokens each.
  static BatchWork Decode(int seqs, double context) {
    BatchWork w;
    w.decode_seqs = seqs;
    w.decode_context_tokens = seqs * context;
    return w;
  }

  Catalog catalog_;
  std::vector<EngineSpec> engines_;
};

// An iteration cost of a constant `seconds`, whatever the work.
class FlatCost : public IterationCost {
 public:
  explicit FlatCost(double seconds) : seconds_(seconds) {}
  double Seconds(const BatchWork&) const override { return seconds_; }

 private:
  double seconds_;
};

}  // namespace suanli
